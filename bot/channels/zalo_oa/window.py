"""The OA's 7-day window: when each resident last wrote, and whether they may be sent to now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.store.batch import Batch
from bot.store.db import Database

WINDOW = timedelta(days=7)
OUTSIDE = "outside the 7-day window"
UNFOLLOWED = "unfollowed the OA"
WROTE = (
    "INSERT INTO zalo_oa_users (user_id, last_message_at, unfollowed_at) VALUES (?, ?, NULL)"
    " ON CONFLICT(user_id) DO UPDATE SET last_message_at = excluded.last_message_at,"
    " unfollowed_at = NULL"
)
LEFT = (
    "INSERT INTO zalo_oa_users (user_id, unfollowed_at) VALUES (?, ?)"
    " ON CONFLICT(user_id) DO UPDATE SET unfollowed_at = excluded.unfollowed_at"
)
REACHABLE = "UPDATE identities SET unreachable_at = ? WHERE channel = ? AND external_id = ?"
READ = "SELECT last_message_at, unfollowed_at FROM zalo_oa_users WHERE user_id = ?"


class Window:
    """Consultation messages reach a resident only within 7 days of their last message.

    Each event a resident sends is recorded (a small commit of its own, before the event is
    handled); the sender asks `refusal` before each message, so one that can no longer arrive
    is refused without calling Zalo, and the resident is marked unreachable until they write.
    """

    def __init__(self, db: Database, channel: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.channel = channel
        self.clock = clock

    async def wrote(self, user_id: str) -> None:
        """The resident wrote (or followed) now: the window opens again."""
        batch = Batch()
        batch.add(WROTE, (user_id, self._now()))
        batch.add(REACHABLE, (None, self.channel, user_id))
        await self.db.commit(batch)

    async def unfollowed(self, user_id: str) -> None:
        """The resident unfollowed the OA: nothing is sent until they write again."""
        now = self._now()
        batch = Batch()
        batch.add(LEFT, (user_id, now))
        batch.add(REACHABLE, (now, self.channel, user_id))
        await self.db.commit(batch)

    async def refusal(self, user_id: str) -> str | None:
        """Why nothing may be sent to the resident now; None when it may (or nothing is known)."""
        row = await self.db.one(READ, (user_id,))
        if row is None:
            return None
        if row[1] is not None:
            return UNFOLLOWED
        if row[0] is not None and self.clock() - datetime.fromisoformat(row[0]) > WINDOW:
            return OUTSIDE
        return None

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat()
