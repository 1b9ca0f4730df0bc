"""A staff member's exchange in progress: which command, its data, and the options last shown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.store.db import Database

if TYPE_CHECKING:
    from bot.staff.desk import StaffReply

UPSERT = (
    "INSERT INTO staff_sessions (member_key, data, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT(member_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at"
)
DELETE = "DELETE FROM staff_sessions WHERE member_key = ?"


@dataclass(frozen=True)
class Session:
    """The command a member is in the middle of (if any) and the options shown to them last."""

    command: str | None = None
    data: dict[str, object] | None = None
    options: list[str] = field(default_factory=list)


async def load_session(db: Database, member_key: str) -> Session:
    """The member's session as stored; an empty one when there is none or it is unreadable."""
    row = await db.one("SELECT data FROM staff_sessions WHERE member_key = ?", (member_key,))
    if row is None:
        return Session()
    try:
        data = json.loads(row[0])
    except ValueError:
        return Session()
    if not isinstance(data, dict):
        return Session()
    command, kept, options = data.get("command"), data.get("data"), data.get("options")
    return Session(
        command if isinstance(command, str) else None,
        kept if isinstance(kept, dict) else None,
        [str(o) for o in options] if isinstance(options, list) else [],
    )


def session_writes(
    member_key: str, command: str | None, reply: StaffReply, now: datetime
) -> list[tuple[str, tuple[object, ...]]]:
    """The write that keeps (or ends) the member's session after this reply."""
    options = _options(reply)
    if command is None and not options:
        return [(DELETE, (member_key,))]
    data = {"command": command, "data": reply.session if command else None, "options": options}
    text = json.dumps(data, ensure_ascii=False)
    return [(UPSERT, (member_key, text, now.isoformat()))]


def _options(reply: StaffReply) -> list[str]:
    """The payloads of the last buttons shown, which a typed number chooses from."""
    for message in reversed(reply.messages):
        if message.buttons:
            return [b.payload for b in message.buttons]
    return []
