"""Pruning on a schedule: old sent outbox rows and old dedupe keys are deleted."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.store.db import Database

log = logging.getLogger(__name__)
PRUNE_EVERY = 3600.0  # seconds between two prunings (the first runs at start)
SENT_KEPT = timedelta(days=1)  # a sent (or given up) message is deleted after this
SEEN_KEPT = timedelta(days=2)  # a dedupe key is deleted after this (Telegram redelivers <24 h)
CHUNK = 5000  # rows deleted per transaction, so messages are never held up for long

OLD_OUTBOX = (
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE (sent_at IS NOT NULL OR"
    " failed_at IS NOT NULL) AND julianday(coalesce(sent_at, failed_at)) < julianday(?)"
    " LIMIT ?)"
)
OLD_SEEN = (
    "DELETE FROM inbound_seen WHERE rowid IN (SELECT rowid FROM inbound_seen"
    " WHERE julianday(seen_at) < julianday(?) LIMIT ?)"
)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Pruned:
    """How many rows one pruning deleted."""

    outbox: int
    seen: int


async def prune(db: Database, now: datetime) -> Pruned:
    """Delete sent outbox rows older than SENT_KEPT and dedupe keys older than SEEN_KEPT;
    unsent messages are kept, however old."""
    outbox = await _delete(db, OLD_OUTBOX, (now - SENT_KEPT).isoformat())
    seen = await _delete(db, OLD_SEEN, (now - SEEN_KEPT).isoformat())
    return Pruned(outbox, seen)


async def _delete(db: Database, sql: str, before: str) -> int:
    total = 0
    while True:

        async def chunk(conn: aiosqlite.Connection) -> int:
            cursor = await conn.execute(sql, (before, CHUNK))
            return int(cursor.rowcount)

        deleted = await db.transaction(chunk)
        total += deleted
        if deleted < CHUNK:
            return total


class Pruner:
    """Prunes at start, then every PRUNE_EVERY seconds until stopped; `forget_keys` is called
    with the same cutoff for the keys a service remembers in memory."""

    def __init__(self, db: Database, clock: Clock, forget_keys: Callable[[datetime], None]):
        self.db = db
        self.clock = clock
        self.forget_keys = forget_keys
        self.pruned = asyncio.Event()  # set after each pruning
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the schedule."""
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the schedule (a chunk already handed to the writer still lands)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def prune_now(self) -> Pruned | None:
        """Prune by the clock's time now; None when that failed (it is logged)."""
        now = self.clock()
        try:
            pruned = await prune(self.db, now)
        except Exception:
            log.exception("pruning the outbox and the dedupe keys failed; trying later")
            return None
        self.forget_keys(now - SEEN_KEPT)
        log.info("pruned %d sent messages, %d dedupe keys", pruned.outbox, pruned.seen)
        return pruned

    async def _loop(self) -> None:
        while True:
            await self.prune_now()
            self.pruned.set()
            await asyncio.sleep(PRUNE_EVERY)
