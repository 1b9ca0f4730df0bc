"""Broadcast rows: made as drafts, confirmed (their recipients fixed then), cancelled, listed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.broadcasts.audience import Audience, chosen, count_sql
from bot.broadcasts.compose import Content
from bot.engine.flow import Media
from bot.store.db import Database

PREVIEW_DELAY = timedelta(minutes=1)  # a lone official's second look at a large broadcast
STATUSES = ("draft", "held", "scheduled", "sending", "done", "cancelled")
INSERT = (
    "INSERT INTO broadcasts (created_by, created_at, status, texts, media, flow_id, audience,"
    " send_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?)"
)
FIX_RECIPIENTS = (
    "INSERT INTO broadcast_recipients (broadcast_id, resident_id, household_id, channel,"
    " external_id, village_id, lang, state) SELECT ?, resident_id, household_id, channel,"
    " external_id, village_id, lang, CASE WHEN reachable THEN 'waiting' ELSE 'unreachable' END"
    " FROM ({chosen})"
)
CANCEL_OUTBOX = (
    "UPDATE outbox SET failed_at = ?, error = 'cancelled' WHERE id IN (SELECT outbox_id FROM"
    " broadcast_recipients WHERE broadcast_id = ? AND state = 'queued')"
    " AND sent_at IS NULL AND failed_at IS NULL"
)

# What the outbox says became of each queued recipient (the outbox rows are the truth).
SYNC = (
    "UPDATE broadcast_recipients SET state = CASE WHEN o.sent_at IS NOT NULL THEN 'sent'"
    " WHEN o.error = 'cancelled' THEN 'cancelled' WHEN o.error = 'unreachable'"
    " THEN 'unreachable' ELSE 'failed' END FROM outbox o"
    " WHERE o.id = broadcast_recipients.outbox_id AND broadcast_recipients.state = 'queued'"
    " AND (o.sent_at IS NOT NULL OR o.failed_at IS NOT NULL)"
)

# A queued recipient whose outbox row is gone (pruned a day after it was sent or given up on,
# while the bot was down) is counted failed: told in person rather than assumed reached.
LOST = (
    "UPDATE broadcast_recipients SET state = 'failed' WHERE state = 'queued'"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = broadcast_recipients.outbox_id)"
)


@dataclass(frozen=True)
class Broadcast:
    """One broadcast as stored."""

    id: int
    created_by: str
    created_at: datetime
    status: str
    content: Content
    audience: Audience
    send_at: datetime
    confirmed_by: str | None


@dataclass(frozen=True)
class Preview:
    """How many residents a broadcast would reach, per village and channel."""

    rows: list[tuple[str | None, str, int, int]]  # village, channel, residents, reachable

    @property
    def total(self) -> int:
        """Every resident of the audience."""
        return sum(r[2] for r in self.rows)


async def create(
    db: Database, by: str, content: Content, audience: Audience, send_at: datetime, now: datetime
) -> int:
    """Store a draft; its number."""
    media = json.dumps([[m.kind, m.path] for m in content.media])
    params = (by, now.isoformat(), json.dumps(content.texts, ensure_ascii=False), media,
              content.flow_id, audience.dump(), send_at.isoformat())  # fmt: skip

    async def work(conn: aiosqlite.Connection) -> int:
        cursor = await conn.execute(INSERT, params)
        return int(cursor.lastrowid or 0)

    return await db.transaction(work)


async def preview(db: Database, audience: Audience, now: datetime) -> Preview:
    """The count the official sees before confirming."""
    sql, params = count_sql(audience, now)
    rows = await db.all(sql, params)
    return Preview([(r[0], str(r[1]), int(r[2]), int(r[3] or 0)) for r in rows])


async def get(db: Database, number: int) -> Broadcast | None:
    """A broadcast by its number."""
    row = await db.one("SELECT * FROM broadcasts WHERE id = ?", (number,))
    return _broadcast(row) if row is not None else None


async def recent(db: Database, limit: int = 10) -> list[Broadcast]:
    """The latest broadcasts, newest first."""
    rows = await db.all("SELECT * FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,))
    return [_broadcast(r) for r in rows]


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    media = tuple(Media(kind, path) for kind, path in json.loads(row["media"] or "[]"))
    content = Content(json.loads(row["texts"]), media, row["flow_id"])
    return Broadcast(
        row["id"], row["created_by"], datetime.fromisoformat(row["created_at"]), row["status"],
        content, Audience.load(row["audience"]), datetime.fromisoformat(row["send_at"]),
        row["confirmed_by"],
    )  # fmt: skip


def needs_second(
    item: Broadcast, by: str, size: int, limit: int, officials: int, now: datetime
) -> str | None:
    """Why `by` cannot confirm yet ("another official", "wait"), None when they can."""
    if size <= limit or by != item.created_by:
        return None
    if officials > 1:
        return "another official"
    return "wait" if now - item.created_at < PREVIEW_DELAY else None


async def confirm(db: Database, number: int, by: str, now: datetime) -> int:
    """Fix the recipients and schedule the broadcast; how many recipients (0: not a draft)."""
    item = await get(db, number)
    if item is None or item.status not in ("draft", "held"):
        return 0
    sql, params = chosen(item.audience, now)

    async def work(conn: aiosqlite.Connection) -> int:
        cursor = await conn.execute(FIX_RECIPIENTS.format(chosen=sql), [number, *params])
        await conn.execute(
            "UPDATE broadcasts SET status = 'scheduled', confirmed_by = ?, confirmed_at = ?"
            " WHERE id = ?",
            (by, now.isoformat(), number),
        )
        return int(cursor.rowcount)

    return await db.transaction(work)


async def hold(db: Database, number: int) -> None:
    """Wait for a second official's confirmation."""
    await db.transaction(
        lambda conn: conn.execute(
            "UPDATE broadcasts SET status = 'held' WHERE id = ? AND status = 'draft'", (number,)
        )
    )


async def cancel(db: Database, number: int, now: datetime) -> bool:
    """Stop what is not yet sent; False when it was already done or cancelled."""

    async def work(conn: aiosqlite.Connection) -> bool:
        cursor = await conn.execute(
            "UPDATE broadcasts SET status = 'cancelled', cancelled_at = ? WHERE id = ?"
            " AND status NOT IN ('done', 'cancelled')",
            (now.isoformat(), number),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute(SYNC)
        await conn.execute(CANCEL_OUTBOX, (now.isoformat(), number))
        await conn.execute(
            "UPDATE broadcast_recipients SET state = 'cancelled' WHERE broadcast_id = ?"
            " AND state IN ('waiting', 'queued')",
            (number,),
        )
        return True

    return await db.transaction(work)
