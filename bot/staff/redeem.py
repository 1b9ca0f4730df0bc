"""Using a staff invitation: checked, within the guess limits, and granted in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.staff.audit import audit_row
from bot.staff.directory import Member
from bot.staff.invites import token_hash
from bot.staff.members import INSERT_IDENTITY, INSERT_MEMBER
from bot.store.codes import wrong_guess

USE = "UPDATE staff_invites SET used_at = ?, used_by = ? WHERE token_hash = ? AND used_at IS NULL"


@dataclass(frozen=True)
class Offer:
    """An invitation code offered from one identity."""

    code: str
    channel: str
    external_id: str
    who: str  # the identity's hash, as the guess limits keep it
    now: datetime


async def grant(conn: aiosqlite.Connection, offer: Offer) -> Member | None:
    """Make the member an unused, unexpired invitation names, in the caller's transaction;
    None (and a wrong guess recorded) when the code names none."""
    hashed = token_hash(offer.code)
    cursor = await conn.execute(
        "SELECT role, villages, expires_at, used_at FROM staff_invites WHERE token_hash = ?",
        (hashed,),
    )
    row = await cursor.fetchone()
    if row is None or row[3] is not None or datetime.fromisoformat(row[2]) <= offer.now:
        for sql, params in wrong_guess("staff_invite", offer.who, int(offer.now.timestamp())):
            await conn.execute(sql, params)
        return None
    member = await _new_member(conn, str(row[0]), tuple(json.loads(row[1])), offer)
    await conn.execute(USE, (offer.now.isoformat(), member.key, hashed))
    detail = {"role": member.role, "villages": list(member.villages), "channel": offer.channel}
    await conn.execute(*audit_row(member.key, "invite_used", member.key, detail, offer.now))
    return member


async def _new_member(
    conn: aiosqlite.Connection, role: str, villages: tuple[str, ...], offer: Offer
) -> Member:
    cursor = await conn.execute("SELECT COUNT(*) FROM staff_members")
    count = await cursor.fetchone()
    key = f"inv:{int(count[0]) + 1 if count else 1}"
    when = offer.now.isoformat()
    await conn.execute(INSERT_MEMBER, (key, "", role, json.dumps(list(villages)), None, when))
    await conn.execute(INSERT_IDENTITY, (offer.channel, offer.external_id, key))
    return Member(key, "", role, villages, None, ((offer.channel, offer.external_id),))
