"""A consistent copy of the live database (`danvan backup`), taken beside the running bot."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.store.db import BUSY_WAIT

COUNTED = ("households", "residents", "runs", "milestones", "progress")


class BackupFailed(Exception):
    """The copy could not be made or does not check; the message says why."""


@dataclass(frozen=True)
class Checked:
    """What a check of a copy found: SQLite's verdict, the schema version and row counts."""

    integrity: str
    schema: int
    rows: dict[str, int]


def backup(source: Path, target: Path) -> Checked:
    """Copy `source` to `target` in one read transaction (VACUUM INTO), then check the copy.

    A reader in WAL mode neither waits for the bot's writer nor stops it, and it sees the file
    as of one commit: every message committed before the copy began is in it, none half.
    """
    if target.exists():
        raise BackupFailed(f"{target} already exists: choose a new file name")
    if not source.exists():
        raise BackupFailed(f"{source}: no such database file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(source, timeout=BUSY_WAIT)) as conn:
            conn.execute("VACUUM INTO ?", (str(partial),))
        with closing(sqlite3.connect(partial, isolation_level=None)) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        checked = check(partial)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"the copy failed (SQLite: {exc})") from None
    if checked.integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"the copy does not check: {checked.integrity}")
    os.replace(partial, target)
    return checked


def check(path: Path) -> Checked:
    """SQLite's integrity check of a database file, its schema version and its main counts."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        integrity = "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        rows = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED}
    return Checked(integrity, schema, rows)


def describe(target: Path, checked: Checked) -> str:
    """One line for the operator about a finished backup."""
    counts = ", ".join(f"{n} {t}" for t, n in checked.rows.items())
    return f"{target}: integrity ok, schema {checked.schema}, {counts}"
