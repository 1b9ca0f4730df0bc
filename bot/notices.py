"""Telling a resident on their other messengers that a new messenger was linked to them."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.engine import texts
from bot.engine.types import Outbound, Translator
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.writes import INSERT_OUTBOX, Delivery, encode_outbound

OTHERS = (
    "SELECT channel, external_id FROM identities WHERE resident_id = ? AND unreachable_at IS NULL"
    " AND NOT (channel = ? AND external_id = ?) ORDER BY channel, external_id"
)


async def linked_notices(
    db: Database,
    tr: Translator,
    next_id: Callable[[], int],
    resident_id: int,
    linked: tuple[str, str],
    now: str,
) -> list[Delivery]:
    """Queue (in the outbox) a notice to each other messenger of the resident: the one just
    linked now sees what is theirs, and if that was not them they can ask for help."""
    row = await db.one("SELECT lang FROM residents WHERE id = ?", (resident_id,))
    message = Outbound(tr.ui(str(row[0]) if row and row[0] else "vi", texts.LINKED_ELSEWHERE))
    body = json.dumps(encode_outbound(message), ensure_ascii=False, separators=(",", ":"))
    batch = Batch()
    deliveries = []
    for channel, external_id in await db.all(OTHERS, (resident_id, *linked)):
        delivery = Delivery(next_id(), str(channel), str(external_id), message)
        batch.add(INSERT_OUTBOX, (delivery.id, delivery.channel, delivery.external_id, body, now))
        deliveries.append(delivery)
    if deliveries:
        await db.commit(batch)
    return deliveries
