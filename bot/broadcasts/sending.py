"""The ticker job that sends broadcasts: starts them on time, queues chunks, finishes them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime

import aiosqlite

from bot.broadcasts import store
from bot.broadcasts.audience import MESSENGERS
from bot.broadcasts.compose import Composer
from bot.broadcasts.quiet import is_quiet
from bot.broadcasts.settings import BroadcastSettings
from bot.broadcasts.tell import TellInPerson
from bot.engine.types import Outbound, Translator
from bot.flows.registry import FlowRegistry
from bot.store.db import Database
from bot.store.writes import Delivery, encode_outbound

log = logging.getLogger(__name__)
CHUNK = 500  # recipients queued in the outbox at once per channel (never the whole audience)
LOW = 250  # a channel gets the next chunk when fewer than this wait (over 8 s at 29/s)
PENDING = (
    "SELECT channel, COUNT(*) FROM outbox WHERE bulk = 1 AND sent_at IS NULL"
    " AND failed_at IS NULL GROUP BY channel"
)
NEXT = (
    "SELECT r.id, r.broadcast_id, r.external_id, r.lang FROM broadcast_recipients r"
    " JOIN broadcasts b ON b.id = r.broadcast_id WHERE b.status = 'sending'"
    " AND r.state = 'waiting' AND r.channel = ? ORDER BY r.broadcast_id, r.id LIMIT ?"
)
INSERT_OUTBOX = (
    "INSERT INTO outbox (id, channel, external_id, body, created_at, bulk)"
    " VALUES (?, ?, ?, ?, ?, 1)"
)
MARK_QUEUED = (
    "UPDATE broadcast_recipients SET state = 'queued', outbox_id = ? WHERE id = ?"
    " AND state = 'waiting'"
)
FINISHED = (
    "SELECT b.id FROM broadcasts b WHERE b.status = 'sending' AND NOT EXISTS (SELECT 1 FROM"
    " broadcast_recipients r WHERE r.broadcast_id = b.id AND r.state IN ('waiting', 'queued'))"
)


class Sending:
    """Runs at every tick (and at once after a confirm); one run at a time."""

    def __init__(
        self,
        db: Database,
        settings: BroadcastSettings,
        texts: tuple[str, Translator, FlowRegistry],
        ids: Callable[[], int],
        dispatch: Callable[[Iterable[Delivery]], None],
        tell: TellInPerson,
    ) -> None:
        self.db = db
        self.settings = settings
        self.commune, self.tr, self.flows = texts
        self.ids = ids
        self.dispatch = dispatch
        self.tell = tell
        self._lock = asyncio.Lock()
        self._composers: dict[int, Composer] = {}

    async def tick(self, now: datetime) -> None:
        """Start what is due, queue the next chunks, finish what is all sent."""
        async with self._lock:
            await self.db.transaction(_sync)
            if not is_quiet(self.settings, now):
                await self._start_due(now)
                for channel in await self._channels_with_room():
                    await self._queue(channel, now)
            for number in [int(r[0]) for r in await self.db.all(FINISHED)]:
                await self._finish(number, now)

    async def _start_due(self, now: datetime) -> None:
        sql = "UPDATE broadcasts SET status = 'sending' WHERE status = 'scheduled' AND send_at <= ?"
        await self.db.transaction(lambda conn: conn.execute(sql, (now.isoformat(),)))

    async def _channels_with_room(self) -> dict[str, int]:
        pending = {str(c): int(n) for c, n in await self.db.all(PENDING)}
        return {c: CHUNK - pending.get(c, 0) for c in MESSENGERS if pending.get(c, 0) < LOW}

    async def _queue(self, channel: str, now: datetime) -> None:
        rows = await self.db.all(NEXT, (channel, CHUNK))
        if not rows:
            return
        deliveries, outbox, marks = [], [], []
        for rid, number, external_id, lang in rows:
            message = await self._message(int(number), str(lang), channel)
            delivery = Delivery(self.ids(), channel, str(external_id), message, bulk=True)
            body = _dumps(message)
            outbox.append((delivery.id, channel, delivery.external_id, body, now.isoformat()))
            marks.append((delivery.id, rid))
            deliveries.append(delivery)

        async def work(conn: aiosqlite.Connection) -> None:
            await conn.executemany(INSERT_OUTBOX, outbox)
            await conn.executemany(MARK_QUEUED, marks)

        await self.db.transaction(work)
        self.dispatch(deliveries)

    async def _message(self, number: int, lang: str, channel: str) -> Outbound:
        composer = self._composers.get(number)
        if composer is None:
            item = await store.get(self.db, number)
            assert item is not None
            composer = Composer(item.content, self.commune, self.tr, self.flows)
            self._composers[number] = composer
        return composer.message(lang, channel)

    async def _finish(self, number: int, now: datetime) -> None:
        """Mark it done and tell each village's propagandists whom to tell in person."""
        notes = await self.tell.messages(number, self.ids)
        rows = [(d.id, d.channel, d.external_id, _dumps(d.message), now.isoformat()) for d in notes]

        async def work(conn: aiosqlite.Connection) -> None:
            await conn.execute(
                "UPDATE broadcasts SET status = 'done', reported_at = ? WHERE id = ?"
                " AND status = 'sending'",
                (now.isoformat(), number),
            )
            await conn.executemany(INSERT_OUTBOX.replace(", 1)", ", 0)"), rows)

        await self.db.transaction(work)
        self._composers.pop(number, None)
        self.dispatch(notes)
        log.info("broadcast %s is done; %s notes to propagandists", number, len(notes))


async def _sync(conn: aiosqlite.Connection) -> None:
    """What the outbox says became of the queued recipients."""
    await conn.execute(store.SYNC)
    await conn.execute(store.LOST)


def _dumps(message: Outbound) -> str:
    return json.dumps(encode_outbound(message), ensure_ascii=False, separators=(",", ":"))
