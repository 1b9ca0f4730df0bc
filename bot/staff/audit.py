"""The append-only audit of staff actions: who did what, to whom, when."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from bot.store.batch import Batch
from bot.store.db import Database

CLI = "cli"  # the actor of an action taken with the `danvan` command
INSERT_AUDIT = "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)"


def audit_row(
    actor: str, action: str, subject: str, detail: Mapping[str, object], now: datetime
) -> tuple[str, tuple[object, ...]]:
    """The statement and parameters that record one action (add it to the action's batch)."""
    text = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True)
    return INSERT_AUDIT, (now.isoformat(), actor, action, subject, text)


async def record(
    db: Database,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, object],
    now: datetime,
) -> None:
    """Record one action on its own (when it writes nothing else)."""
    batch = Batch()
    batch.add(*audit_row(actor, action, subject, detail, now))
    await db.commit(batch)
