"""What a report covers: which villages, and up to which day."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Scope:
    """Villages (id, name) in the order shown, and the last day counted (its whole day)."""

    villages: tuple[tuple[str, str], ...]
    as_of: date

    @property
    def ids(self) -> tuple[str, ...]:
        """The village ids."""
        return tuple(v for v, _ in self.villages)

    @property
    def before(self) -> str:
        """The ISO date after `as_of`: stored times (ISO, local) below it are counted."""
        return (self.as_of + timedelta(days=1)).isoformat()

    def village_filter(self, column: str = "village_id") -> tuple[str, tuple[str, ...]]:
        """`column IN (?, …)` for these villages, with its parameters."""
        marks = ", ".join("?" * len(self.ids))
        return f"{column} IN ({marks})", self.ids


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date; ValueError with a plain message otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads (beside the running bot; it never holds up its writer)."""
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5.0)
    conn.execute("PRAGMA query_only=ON")
    return conn
