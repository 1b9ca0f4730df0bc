"""Telling a resident on their other messengers that a new messenger was linked to them."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.engine import address, texts
from bot.engine.types import Outbound, State, Translator
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
    message = Outbound(await _notice_text(db, tr, resident_id))
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


async def _notice_text(db: Database, tr: Translator, resident_id: int) -> str:
    """The notice in the resident's language, calling them as they chose."""
    query = "SELECT lang, name, json_extract(state, '$.address') FROM residents WHERE id = ?"
    row = await db.one(query, (resident_id,))
    lang, name, form = (row[0] or "vi", row[1], row[2]) if row else ("vi", None, None)
    state = State(lang=str(lang), name=name, address=form)
    return address.fill(tr.ui(state.lang, texts.LINKED_ELSEWHERE), state, tr)
