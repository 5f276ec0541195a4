"""Files that hold personal data, for the app's own user alone: the SQLite database and the files SQLite
keeps beside it (-wal, -shm; SQLite gives them the database file's mode), ``flask backup`` copies, the
erasure log, and the instance folder they live in by default.

Made so whatever the umask (often 022, which leaves a new file readable by every local user), and
tightened when found looser. Only files and folders the app's user owns are changed: a folder such as
/var/backups that the operator chose is never touched, only the files the app writes into it.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_file(path: str | os.PathLike, create: bool = True) -> Path:
    """``path`` readable and writable by the owner alone; made empty when missing (unless not ``create``)."""
    path = Path(path)
    if create:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))   # never empties an existing file
    if path.exists():
        _tighten(path, FILE_MODE)
    return path


def private_folder(path: str | os.PathLike, tighten_existing: bool = False) -> Path:
    """``path`` (and any missing parents) made for the owner alone when missing; an existing folder is
    tightened only when asked (the instance folder), never one the operator may share (a backup folder)."""
    path = Path(path)
    existed = path.exists()
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if not existed or tighten_existing:
        _tighten(path, FOLDER_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
        path.chmod(mode)
