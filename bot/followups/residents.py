"""A bot text for the resident of a follow-up, in their language and form of address."""

from __future__ import annotations

from bot.engine import address
from bot.engine.types import Outbound, Translator
from bot.store.codec import load_state
from bot.store.db import Database

RESIDENT_OF = (
    "SELECT i.channel, i.external_id, r.state FROM followups f JOIN residents r"
    " ON r.id = f.resident_id JOIN identities i ON i.resident_id = r.id"
    " WHERE f.id = ? AND i.unreachable_at IS NULL"
)


async def to_resident(
    db: Database, tr: Translator, followup_id: int, message: str, **values: str
) -> list[tuple[str, str, Outbound]]:
    """The text `message` (a source text) for each reachable identity of the resident."""
    out = []
    for channel, external_id, state_json in await db.all(RESIDENT_OF, (followup_id,)):
        state = load_state(state_json)
        text = tr.ui(state.lang, message)
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        out.append((str(channel), str(external_id), Outbound(address.fill(text, state, tr))))
    return out
