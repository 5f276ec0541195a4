"""No password, email address, phone number or session cookie in any log line the app writes.

One handler on the root logger records every line as it would be written, from the start of the
run (``pytest_configure`` in tests/conftest.py). Each test then answers for the lines written
while it ran: an autouse fixture searches them when the test ends and fails the test that wrote
one, so the check does not depend on which tests run or in what order. Lines written between
tests (a module's or the session's fixtures tearing down) are searched at the end of the run.
(Mail goes to the outbox in tests, so no mail backend prints any.)
"""
from __future__ import annotations

import logging
import re

from tests.helpers import PASSWORD

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Eight digits standing alone: not a run of digits inside a hex id ("incident 74951679e52b") or a longer word.
PHONE = re.compile(r"(?<![\w.:-])(\+47[ ]?)?\d{3}[ ]?\d{2}[ ]?\d{3}(?![\w.:-])")
SECRETS = (PASSWORD, "blå sykkel under broen", "session=", "remember_token=")


def leaks(lines: list[str]) -> list[str]:
    """The lines that hold an email address, a phone number, a password or a session cookie."""
    return [line for line in lines
            if EMAIL.search(line) or PHONE.search(line) or any(secret in line for secret in SECRETS)]


def report(found: list[str], where: str) -> str:
    return f"{len(found)} log line(s) {where} hold personal data or a secret:\n" + "\n".join(found[:20])


class LogRecorder(logging.Handler):
    """The log lines written since they were last taken, formatted as a log file would hold them."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is not one a log file would hold either
            pass

    def install(self) -> None:
        # Again before and after each test: Alembic's logging set-up (the migration tests) replaces
        # the root handlers.
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)

    def take(self) -> list[str]:
        taken, self.lines = self.lines, []
        return taken


LOG_LINES = LogRecorder()
