"""The follow-up statements a resident's message writes (in writes.ORDER), and the open one."""

from __future__ import annotations

from bot.store.db import Database

INSERT_FOLLOWUP = (
    "INSERT INTO followups (id, resident_id, household_id, village_id, reason, flow_id, step_id,"
    " opened_at, reasons, last_messages, escalated_at) VALUES (?1, ?2,"
    " (SELECT household_id FROM residents WHERE id = ?2),"
    " (SELECT village_id FROM residents WHERE id = ?2), ?3, ?4, ?5, ?6,"
    " json_array(json_object('reason', ?3, 'at', ?6, 'step', ?5)), ?7, ?8)"
)
ADD_REASON = (
    "UPDATE followups SET step_id = ?2, last_messages = ?4, reasons = json_insert(reasons, '$[#]',"
    " json_object('reason', ?1, 'at', ?3, 'step', ?2)) WHERE id = ?5 AND status = 'open'"
)
INSERT_EVENT = (
    "INSERT INTO followup_events (followup_id, at, actor, kind, note) VALUES (?, ?, ?, ?, ?)"
)
# A card's buttons become the options a typed number picks (channels without buttons), unless
# the member is in the middle of a command, whose session is left as it is.
OFFER = (
    "INSERT INTO staff_sessions (member_key, data, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT(member_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at"
    " WHERE json_extract(staff_sessions.data, '$.command') IS NULL"
)
# The progress rows of a message a propagandist typed for the resident (assisted mode).
MARK_ASSISTED = "UPDATE progress SET assisted_by = ? WHERE resident_id = ? AND id > ?"
LAST_PROGRESS = "SELECT ifnull(max(id), 0) FROM progress WHERE resident_id = ?"
OPEN_OF_RESIDENT = (
    "SELECT id, holder FROM followups WHERE resident_id = ? AND ifnull(flow_id, '') = ?"
    " AND status = 'open'"
)


async def open_followup(
    db: Database, resident_id: int, flow_id: str | None
) -> tuple[int, str | None] | None:
    """The resident's open follow-up about this flow (its id and holder), if any."""
    row = await db.one(OPEN_OF_RESIDENT, (resident_id, flow_id or ""))
    return None if row is None else (int(row[0]), row[1])
