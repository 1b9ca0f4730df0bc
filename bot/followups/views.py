"""Follow-ups read back for cards and lists."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.followups.cards import View
from bot.store.db import Database

SELECT_VIEWS = (
    "SELECT f.id, r.name, v.name, f.flow_id, f.step_id, f.reasons, f.opened_at, f.last_messages,"
    " f.holder, f.village_id, f.resident_id FROM followups f"
    " LEFT JOIN residents r ON r.id = f.resident_id LEFT JOIN villages v ON v.id = f.village_id"
)


async def views(db: Database, where: str, params: tuple[object, ...]) -> list[tuple[View, str]]:
    """Each follow-up matching `where`, with its village id, oldest first."""
    rows = await db.all(f"{SELECT_VIEWS} WHERE {where} ORDER BY f.opened_at, f.id", params)
    return [(_view(row), row[9] or "") for row in rows]


def _view(row: Sequence[Any]) -> View:
    reasons = json.loads(str(row[5] or "[]"))
    recent = json.loads(str(row[7] or "[]"))
    return View(
        id=int(str(row[0])),
        name=str(row[1] or ""),
        village=str(row[2] or ""),
        flow_id=None if row[3] is None else str(row[3]),
        step_id=None if row[4] is None else str(row[4]),
        reasons=tuple(str(r.get("reason", "")) for r in reasons),
        opened_at=str(row[6]),
        recent=tuple(str(t) for t in recent),
        holder=None if row[8] is None else str(row[8]),
        resident_id=None if row[10] is None else int(row[10]),
        village_id=None if row[9] is None else str(row[9]),
    )
