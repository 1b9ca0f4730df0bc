"""`danvan staff invite|list|revoke`: invitations and the staff list from the command line.

They write only their own rows (an invitation, a revocation, the audit), so they may run
beside the bot: a revoked member is a resident again at their next message.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.invites import BOT_NAME, telegram_link
from bot.staff.audit import CLI, audit_row
from bot.staff.directory import OFFICIAL, PROPAGANDIST, from_config
from bot.staff.invites import new_invite
from bot.staff.members import REVOKE
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.opening import open_database


async def _with_db(config: Config, work: Callable[[Database], Awaitable[int]]) -> int:
    db = await open_database(config.db_path)
    try:
        return await work(db)
    finally:
        await db.close()


def _now(config: Config) -> datetime:
    return datetime.now(ZoneInfo(config.timezone))


def _username(bot: str | None) -> str | None:
    name = (bot or os.environ.get("TELEGRAM_BOT_USERNAME", "")).strip().lstrip("@")
    return name or None


async def invite_command(config: Config, role: str, villages: list[str], bot: str | None) -> int:
    """Print a new single-use invitation (the code, and the Telegram link when the bot's
    username is known); 2 when the role and villages do not fit the commune."""
    problem = _invite_problem(config, role, villages)
    username = _username(bot)
    if username is not None and not BOT_NAME.fullmatch(username):
        problem = f"'{username}' is not a Telegram bot username (e.g. danvan_halang_bot)"
    if problem:
        print(problem, file=sys.stderr)
        return 2
    now = _now(config)
    invite = new_invite(role, tuple(villages), CLI, now)
    batch = Batch()
    batch.add(*invite.row)
    batch.add(*audit_row(CLI, "invite", role, {"role": role, "villages": villages}, now))

    async def write(db: Database) -> int:
        await db.commit(batch)
        return 0

    await _with_db(config, write)
    if username is not None:
        print(telegram_link(username, invite.payload))
    else:
        print("no Telegram link: give --bot or set TELEGRAM_BOT_USERNAME", file=sys.stderr)
    print(f"code to type (Zalo or Telegram): {invite.typed}")
    print("valid 72 hours, once", file=sys.stderr)
    return 0


def _invite_problem(config: Config, role: str, villages: list[str]) -> str:
    known = {v.id for v in config.villages}
    unknown = [v for v in villages if v not in known]
    if unknown:
        return f"no village {', '.join(unknown)} in the configuration ({', '.join(sorted(known))})"
    if role == PROPAGANDIST and not villages:
        return "a propagandist needs at least one --village"
    if role not in (OFFICIAL, PROPAGANDIST):
        return f"no role '{role}': official or propagandist"
    return ""


async def list_command(config: Config) -> int:
    """Print every staff member: danvan.yaml's, then the invited (active or revoked)."""
    for staff in config.staff:
        member = from_config(staff)
        channels = ",".join(c for c, _ in member.identities) or "-"
        print(_line(member.key, member.name, member.role, member.villages, channels, "config"))

    async def invited(db: Database) -> int:
        channels = await _channels(db)
        rows = await db.all(
            "SELECT key, name, role, villages, revoked_at FROM staff_members ORDER BY created_at"
        )
        for key, name, role, villages, revoked in rows:
            status = "revoked" if revoked else "active"
            found = ",".join(channels.get(key, [])) or "-"
            print(_line(key, name or "-", role, tuple(json.loads(villages)), found, status))
        return 0

    return await _with_db(config, invited)


async def _channels(db: Database) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, channel in await db.all(
        "SELECT member_key, channel FROM staff_identities ORDER BY channel"
    ):
        found.setdefault(str(key), []).append(str(channel))
    return found


def _line(
    key: str, name: str, role: str, villages: tuple[str, ...], channels: str, status: str
) -> str:
    where = ",".join(villages) or "(all)"
    return f"{key}\t{name}\t{role}\t{where}\t{channels}\t{status}"


async def revoke_command(config: Config, key: str) -> int:
    """Revoke an invited member; 1 when no active invited member has that key."""
    if key.startswith("cfg:"):
        print(f"{key} is listed in danvan.yaml: remove them there", file=sys.stderr)
        return 1

    async def revoke(db: Database) -> int:
        row = await db.one(
            "SELECT 1 FROM staff_members WHERE key = ? AND revoked_at IS NULL", (key,)
        )
        if row is None:
            print(f"no active invited staff member {key} (see danvan staff list)", file=sys.stderr)
            return 1
        now = _now(config)
        batch = Batch()
        batch.add(REVOKE, (now.isoformat(), key))
        batch.add(*audit_row(CLI, "revoke", key, {}, now))
        await db.commit(batch)
        print(f"{key} revoked: a resident again at their next message")
        return 0

    return await _with_db(config, revoke)
