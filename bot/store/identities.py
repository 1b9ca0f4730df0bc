"""Which resident a channel identity belongs to; new residents get their id without a query."""

from __future__ import annotations

from bot.store.db import Database


class Identities:
    """Channel identities to resident ids, remembered in memory; ids are handed out in order.

    One bot process owns the database, so the next free id is counted here and the new
    resident's row is written with their first message, in the same transaction.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._known: dict[tuple[str, str], int] = {}
        self._unsaved: set[int] = set()
        self._next = 0

    async def load(self) -> None:
        """Start counting after the largest id in the database."""
        row = await self.db.one("SELECT coalesce(max(id), 0) FROM residents")
        self._next = int(row[0]) + 1 if row else 1

    async def resident_id(self, channel: str, external_id: str) -> int:
        """The resident behind an identity; a new id on first contact."""
        key = (channel, external_id)
        if key not in self._known:
            row = await self.db.one(
                "SELECT resident_id FROM identities WHERE channel = ? AND external_id = ?", key
            )
            if key not in self._known:  # another message may have added it meanwhile
                self._known[key] = int(row[0]) if row else self._new_id()
        return self._known[key]

    def _new_id(self) -> int:
        rid = self._next
        self._next += 1
        self._unsaved.add(rid)
        return rid

    def is_unsaved(self, resident_id: int) -> bool:
        """Whether the resident's row is still to be written (with their first message)."""
        return resident_id in self._unsaved

    def saved(self, resident_id: int) -> None:
        """The resident's row is in the database now."""
        self._unsaved.discard(resident_id)

    def link(self, channel: str, external_id: str, resident_id: int) -> None:
        """The identity now belongs to another (already known) resident."""
        self._known[(channel, external_id)] = resident_id

    def forget(self, resident_id: int) -> None:
        """The resident was deleted: each of their identities means a new resident next time."""
        for key in [k for k, rid in self._known.items() if rid == resident_id]:
            del self._known[key]
