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
    )


async def mark_sent(db: Database, delivery_id: int, now: str) -> None:
    """Record that a message reached its channel."""
    batch = Batch()
    batch.add("UPDATE outbox SET sent_at = ? WHERE id = ?", (now, delivery_id))
    await db.commit(batch)


async def unsent(db: Database, channel: str) -> list[Delivery]:
    """Messages queued for a channel and not yet sent (e.g. after a crash), oldest first."""
    rows = await db.all(
        "SELECT id, external_id, body FROM outbox WHERE channel = ? AND sent_at IS NULL"
        " ORDER BY id",
        (channel,),
    )
    return [Delivery(r[0], channel, r[1], decode_outbound(r[2])) for r in rows]
