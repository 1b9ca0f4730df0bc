"""Opening the database at start-up: brief retries while another program holds it, and one
clear message (never a hang) when it cannot be opened."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.store.db import BUSY_WAIT, Database
from bot.store.pressure import BUSY

log = logging.getLogger("danvan.store")
OPEN_RETRIES = (1.0,)  # each attempt already waits BUSY_WAIT seconds for a busy file
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26


class StoreUnavailable(Exception):
    """The database cannot be used by this process; the message says why and what to do."""


async def open_database(path: Path, order: Sequence[str] = ()) -> Database:
    """The open database; StoreUnavailable, with a message for the operator, when it cannot be."""
    pauses = iter(OPEN_RETRIES)
    while True:
        try:
            return await Database.open(path, order)
        except sqlite3.Error as exc:
            pause = next(pauses, None)
            if pause is None or _code(exc) not in BUSY:
                raise StoreUnavailable(explain(path, exc)) from None
            log.info("%s is busy; trying again in %.2f s", path, pause)
            await asyncio.sleep(pause)


def explain(path: Path, exc: sqlite3.Error) -> str:
    """What went wrong opening `path`, and what to do, in one line."""
    code = _code(exc)
    if code in BUSY:
        return (
            f"{path} is locked by another program (waited {_waited():.0f} s): close"
            " whatever holds it (a database browser, a backup) or use --db with another file"
        )
    if code == SQLITE_NOTADB:
        return (
            f"{path} is not a danvan database (SQLite: {exc}): point --db at the right file,"
            " or move this one away to start a new database"
        )
    return (
        f"{path} cannot be opened (SQLite: {exc}): check that its folder exists and that this"
        " user may read and write the file and its folder"
    )


def _waited() -> float:
    return BUSY_WAIT * (len(OPEN_RETRIES) + 1) + sum(OPEN_RETRIES)


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0)) & 0xFF
