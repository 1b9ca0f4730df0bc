"""The outbox: messages the engine decided to send, kept until their channel has sent them."""

from __future__ import annotations

import json

from bot.engine.flow import Media
from bot.engine.types import Button, Outbound
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.writes import Delivery


def decode_outbound(body: str) -> Outbound:
    """An outbound message from its outbox JSON."""
    data = json.loads(body)
    return Outbound(
        text=data["text"],
        buttons=tuple(Button(label, payload) for label, payload in data["buttons"]),
        media=tuple(
            Media(kind, path, fallback=rest[0] if rest else "")
            for kind, path, *rest in data["media"]
        ),
        request=data.get("request"),
        request_label=data.get("request_label", ""),
    )


async def waiting(db: Database, delivery_id: int) -> bool:
    """Whether a message is still in the outbox to be sent (a forget deletes a resident's)."""
    row = await db.one(
        "SELECT 1 FROM outbox WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
        (delivery_id,),
    )
    return row is not None


async def mark_sent(db: Database, delivery_id: int, now: str) -> None:
    """Record that a message reached its channel."""
    await _one(db, "UPDATE outbox SET sent_at = ? WHERE id = ?", (now, delivery_id))


async def mark_part_sent(db: Database, delivery_id: int, parts: int) -> None:
    """Record how many parts of a message are sent, so a retry never sends one twice."""
    await _one(db, "UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, delivery_id))


async def mark_failed(db: Database, delivery_id: int, reason: str, now: str) -> None:
    """Record that a message will never be sent, and why."""
    sql = "UPDATE outbox SET failed_at = ?, error = ? WHERE id = ?"
    await _one(db, sql, (now, reason, delivery_id))


async def mark_unreachable(db: Database, channel: str, external_id: str, now: str) -> None:
    """Record that a resident cannot be reached on a channel (they blocked the bot)."""
    sql = "UPDATE identities SET unreachable_at = ? WHERE channel = ? AND external_id = ?"
    await _one(db, sql, (now, channel, external_id))


async def unsent(db: Database, channel: str) -> list[Delivery]:
    """Messages queued for a channel and neither sent nor given up on, oldest first."""
    rows = await db.all(
        "SELECT id, external_id, body, parts_sent, bulk FROM outbox"
        " WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL ORDER BY id",
        (channel,),
    )
    return [Delivery(r[0], channel, r[1], decode_outbound(r[2]), r[3], bool(r[4])) for r in rows]


async def _one(db: Database, sql: str, params: tuple[object, ...]) -> None:
    batch = Batch()
    batch.add(sql, params)
    await db.commit(batch)
