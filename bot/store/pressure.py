"""When the store cannot write (disk full, I/O error, busy): which errors those are, and one
clear log line a minute while it lasts."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

log = logging.getLogger("danvan.store")
# SQLite's primary result codes (sqlite.org/rescode.html): a busy or locked file passes; a full
# disk, an I/O error or a read-only file lasts until someone fixes it.
SQLITE_READONLY, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL = 8, 5, 6, 10, 13
BUSY = frozenset({SQLITE_BUSY, SQLITE_LOCKED})
UNWRITABLE = frozenset({SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL})
LOG_EVERY = 60.0


class StoreUnwritable(Exception):
    """The store could not write a message; nothing of it is stored (the messenger must retry)."""


def store_trouble(exc: BaseException) -> str | None:
    """Why the store could not write, when `exc` says so; None for any other error (a bug)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in BUSY or code in UNWRITABLE:
        return str(exc)
    return None


class StorePressure:
    """Whether the store is refusing writes, shared by every channel of a process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.since: float | None = None
        self._logged_at = 0.0

    @property
    def refusing(self) -> bool:
        """Whether the last write failed and none has succeeded since."""
        return self.since is not None

    def failed(self, reason: str) -> None:
        """A write failed: log it at once the first time, then at most once a minute."""
        now = self.clock()
        if self.since is None:
            self.since = now
        elif now - self._logged_at < LOG_EVERY:
            return
        self._logged_at = now
        log.error(
            "the database cannot write (%s): messages are held, not confirmed, until it can"
            " (free disk space or fix the file); retrying",
            reason,
        )

    def wrote(self) -> None:
        """A write succeeded: if the store was refusing, say that it is back."""
        if self.since is None:
            return
        log.warning(
            "the database writes again after %.0f s; handling the held messages",
            self.clock() - self.since,
        )
        self.since = None
