"""A follow-up's history, for the staff member it is handed on to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.engine import texts
from bot.engine.types import Translator
from bot.followups.cards import staff_text
from bot.staff.directory import Directory
from bot.store.db import Database

EVENTS = (
    "SELECT at, actor, kind, note FROM followup_events WHERE followup_id = ?"
    " ORDER BY id DESC LIMIT 15"
)


async def history(db: Database, tr: Translator, staff: Directory, followup_id: int) -> str:
    """The last events, oldest first: when, who, what, the note."""
    rows = list(reversed(await db.all(EVENTS, (followup_id,))))
    lines = [_line(tr, staff, row) for row in rows]
    return staff_text(tr, texts.FU_HISTORY, lines="\n".join(lines))


def _line(tr: Translator, staff: Directory, row: Sequence[Any]) -> str:
    at, actor, kind, note = (str(v) for v in row)
    try:
        when = datetime.fromisoformat(at).strftime("%d/%m %H:%M")
    except ValueError:
        when = "?"
    member = staff.get(actor)
    actors = {"resident": texts.FU_RESIDENT_ACTOR, "bot": texts.FU_BOT_ACTOR}
    who = member.name if member else tr.ui("vi", actors.get(actor, actor))
    what = tr.ui("vi", texts.FU_EVENTS.get(kind, kind))
    return f"• {when} {who}: {what}" + (f" ({note})" if note else "")
