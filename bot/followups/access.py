"""Which follow-ups a staff member may see and act on: their villages', or all for officials."""

from __future__ import annotations

from bot.followups.cards import View
from bot.followups.views import views
from bot.staff.directory import Member
from bot.store.db import Database


async def visible(
    db: Database, member: Member, where: str, params: tuple[object, ...]
) -> list[View]:
    """The follow-ups matching `where` that are this member's to see, oldest first."""
    return [view for view, village in await views(db, where, params) if member.covers(village)]


async def one(db: Database, member: Member, arg: str) -> View | None:
    """The follow-up a typed or tapped id names, if it exists and is the member's to see; an
    id outside their villages is answered exactly as one that does not exist."""
    number = arg.split(".")[0]
    if not number.isascii() or not number.isdigit() or len(number) > 12:
        return None
    found = await visible(db, member, "f.id = ?", (int(number),))
    return found[0] if found else None
