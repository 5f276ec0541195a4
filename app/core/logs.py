"""Application logs: one file per day, deleted when they are older than the retention period.

Several gunicorn workers write the same day's file; each line is one append,
so no worker has to rename a file another still holds (which the standard
rotating handlers would do). ``flask privacy purge`` deletes old days.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PREFIX = "medvirk-"
_NAME = re.compile(rf"^{PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})\.log$")
OSLO = ZoneInfo("Europe/Oslo")


def today() -> date:
    return datetime.now(OSLO).date()


def file_for(directory: Path, day: date) -> Path:
    return directory / f"{PREFIX}{day.isoformat()}.log"


class DailyFileHandler(logging.Handler):
    """Writes to LOG_DIR/medvirk-YYYY-MM-DD.log, the date in Oslo, opening the next file after midnight."""

    def __init__(self, directory: Path):
        super().__init__()
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._day: date | None = None
        self._stream: TextIO | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
            day = today()
            if day != self._day:
                self._reopen(day)
            stream = self._stream
            assert stream is not None   # _reopen above opened it
            stream.write(line)
            stream.flush()
        except Exception:
            self.handleError(record)

    def _reopen(self, day: date) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = open(file_for(self.directory, day), "a", encoding="utf-8")
        self._day = day

    def close(self) -> None:
        with self.lock:  # type: ignore[union-attr]  # logging.Handler.__init__ made it
            if self._stream is not None:
                self._stream.close()
                self._stream = None
        super().close()


def init_app(app) -> None:
    logging.basicConfig(level=logging.WARNING, format=FORMAT)
    for name in ("app", "medvirk"):
        logging.getLogger(name).setLevel(logging.INFO)
    directory = app.config.get("LOG_DIR")
    root = logging.getLogger()
    if directory and not any(isinstance(h, DailyFileHandler) and h.directory == Path(directory) for h in root.handlers):
        handler = DailyFileHandler(Path(directory))
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)


def purge_old(directory: str | None, days: int, now: date | None = None) -> int:
    """Delete the day files older than ``days`` days; returns how many went."""
    if not directory or not Path(directory).is_dir():
        return 0
    oldest_kept = (now or today()) - timedelta(days=days)
    removed = 0
    for path in Path(directory).iterdir():
        match = _NAME.match(path.name)
        if match and date.fromisoformat(match.group(1)) < oldest_kept:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
