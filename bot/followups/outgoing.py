"""Messages the bot queues for someone other than the sender (staff, a resident in a relay)."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.engine.types import Outbound
from bot.staff.directory import Member
from bot.store.batch import Batch
from bot.store.followups import OFFER
from bot.store.writes import INSERT_OUTBOX, Delivery, encode_outbound

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def queue(
    batch: Batch, ids: Callable[[], int], to: tuple[str, str], message: Outbound, now: str
) -> Delivery:
    """An outbox row for one identity, in this batch; the delivery to dispatch once committed."""
    delivery = Delivery(ids(), to[0], to[1], message)
    body = _dumps(encode_outbound(message))
    batch.add(INSERT_OUTBOX, (delivery.id, to[0], to[1], body, now))
    return delivery


def queue_to_members(
    batch: Batch, ids: Callable[[], int], members: list[Member], message: Outbound, now: str
) -> list[Delivery]:
    """The same message to every identity of each member."""
    return [queue(batch, ids, ident, message, now) for m in members for ident in m.identities]


def offer(
    batch: Batch, ids: Callable[[], int], members: list[Member], card: Outbound, now: str
) -> list[Delivery]:
    """A card to every identity of each member, its buttons numbered for them to type."""
    options = [b.payload for b in card.buttons]
    data = _dumps({"command": None, "data": None, "options": options})
    for member in members:
        batch.add(OFFER, (member.key, data, now))
    return queue_to_members(batch, ids, members, card, now)
