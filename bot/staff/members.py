"""Invited staff in the database: loading them, and the writes that add or revoke one."""

from __future__ import annotations

import json
from collections import defaultdict

from bot.staff.directory import Member
from bot.store.db import Database

INSERT_MEMBER = (
    "INSERT INTO staff_members (key, name, role, villages, phone, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_IDENTITY = (
    "INSERT OR REPLACE INTO staff_identities (channel, external_id, member_key) VALUES (?, ?, ?)"
)
REVOKE = "UPDATE staff_members SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL"


async def invited_members(db: Database) -> list[Member]:
    """The invited members not revoked, with their identities."""
    identities: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for channel, external_id, key in await db.all(
        "SELECT channel, external_id, member_key FROM staff_identities"
    ):
        identities[str(key)].append((str(channel), str(external_id)))
    rows = await db.all(
        "SELECT key, name, role, villages, phone FROM staff_members"
        " WHERE revoked_at IS NULL ORDER BY created_at, key"
    )
    return [
        Member(
            str(key),
            str(name),
            str(role),
            tuple(json.loads(villages)),
            phone,
            tuple(sorted(identities[str(key)])),
        )
        for key, name, role, villages, phone in rows
    ]


async def next_key(db: Database) -> str:
    """A key for a new invited member: inv:<n>."""
    row = await db.one("SELECT COUNT(*) FROM staff_members")
    return f"inv:{int(row[0]) + 1 if row else 1}"
