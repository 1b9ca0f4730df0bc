"""Ids counted in memory from the largest in a table, for rows written in grouped commits."""

from __future__ import annotations

from bot.store.db import Database


class Counter:
    """The next integer id of a table; one bot process owns the database."""

    def __init__(self, db: Database, table: str) -> None:
        self.db = db
        self.table = table
        self._next = 1

    async def load(self) -> None:
        """Start after the largest id already in the table."""
        row = await self.db.one(f"SELECT coalesce(max(id), 0) FROM {self.table}")
        self._next = int(row[0]) + 1 if row else 1

    def take(self) -> int:
        """A new id."""
        value = self._next
        self._next += 1
        return value
