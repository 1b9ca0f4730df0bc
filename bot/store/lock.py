"""One bot process per database file: an exclusive lock on `<file>.lock` held for the process's
life, naming the process that holds it. The operating system drops it when the process dies."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.store.opening import StoreUnavailable


class DatabaseInUse(StoreUnavailable):
    """Another danvan process has the database file."""


def lock_path(db: Path) -> Path:
    """The lock file beside a database file."""
    return db.with_name(db.name + ".lock")


@contextmanager
def hold_database(db: Path, command: str) -> Iterator[None]:
    """Hold the database for this process; DatabaseInUse naming the holder if another has it."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreUnavailable(
            f"{path} cannot be created ({exc.strerror}): check the folder"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUse(_in_use(db, fd)) from None
        _write_holder(fd, command)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race a newcomer)


def _write_holder(fd: int, command: str) -> None:
    since = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    holder = {"command": command, "pid": os.getpid(), "since": since}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)


def _in_use(db: Path, fd: int) -> str:
    try:
        holder = json.loads(os.pread(fd, 1000, 0) or b"{}")
        who = f"{holder['command']} (pid {int(holder['pid'])}, since {holder['since']})"
    except (ValueError, KeyError, TypeError):
        who = "another danvan process"
    return f"{db} is already used by {who}; stop it first or use --db with another file"
