"""Invited staff in the database: loading them, and the writes that add or revoke one."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.staff.directory import Directory, Member
from bot.store.db import Database

INVITED = "inv:"  # the keys of invited members: inv:1, inv:2, ...
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


def refresher(
    db: Database, staff: Directory, configured: list[Member]
) -> Callable[[datetime], Awaitable[None]]:
    """A ticker job: the directory again from danvan.yaml and the database, so invitations
    used and revocations made from the command line reach every part of the running bot."""

    async def refresh(now: datetime) -> None:
        staff.replace([*configured, *await invited_members(db)])

    return refresh
