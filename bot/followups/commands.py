"""Follow-up commands on the desk: the list and claim, and what every action module shares."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.conversation import ConversationService
from bot.engine import texts
from bot.engine.types import Button, Outbound
from bot.followups.access import one, visible
from bot.followups.cards import View, ago, buttons, card, staff_text
from bot.followups.contacts import recipients
from bot.followups.relay import Relays
from bot.staff.audit import audit_row
from bot.staff.desk import StaffCommand, StaffMessage, StaffReply
from bot.staff.directory import OFFICIAL, PROPAGANDIST, Directory, Member
from bot.store.db import Database
from bot.store.followups import INSERT_EVENT

BOTH = frozenset({OFFICIAL, PROPAGANDIST})
CLAIM = (
    "UPDATE followups SET holder = ?1, claimed_at = ?2, touched_at = ?2"
    " WHERE id = ?3 AND holder IS NULL AND status = 'open'"
)
OPEN = "f.status = 'open'"


class Parts:
    """What the commands share."""

    def __init__(self, service: ConversationService, staff: Directory) -> None:
        self.service, self.staff = service, staff
        self.db, self.flows, self.tr = service.db, service.flows, service.tr

    def relays(self) -> Relays:
        """The conversations with residents open now."""
        assert self.service.followups is not None
        return self.service.followups.relays

    def say(self, message: str, **values: object) -> str:
        """A staff text with its values."""
        return staff_text(self.tr, message, **values)

    def milestone_label(self, name: str) -> str:
        """A milestone in words: its own wording, else the title of the flow that gives it."""
        known = texts.MILESTONES.get(name)
        if known:
            return self.tr.ui("vi", known)
        giver = next((f for f in self.flows.all_current() if f.milestone == name), None)
        return giver.title if giver else name

    def holder_name(self, view: View) -> str:
        member = self.staff.get(view.holder or "")
        return member.name if member else "?"


class FollowupList:
    """`/followups`: a propagandist's own and their villages' unclaimed ones, oldest first;
    officials: all, by village. With an id: that follow-up's card."""

    name: str = "followups"
    words: tuple[str, ...] = ("/followups", "việc cần giúp", "viec can giup")
    roles: frozenset[str] = BOTH
    label: str = texts.FU_LIST_LABEL

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        if arg:
            view = await one(self.p.db, msg.member, arg)
            if view is None:
                return _text(self.p.say(texts.FU_NOT_FOUND, name=msg.member.name, id=_shown(arg)))
            return StaffReply([card(self.p.tr, self.p.flows, view, msg.now)])
        return StaffReply([await self._list(msg.member, msg.now)])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        return await self.start(msg, "")

    async def _list(self, member: Member, now: datetime) -> Outbound:
        where, params = OPEN, tuple[object, ...]()
        if not member.is_official:
            where, params = f"{OPEN} AND (f.holder IS NULL OR f.holder = ?)", (member.key,)
        found = await visible(self.p.db, member, where, params)
        if member.is_official:
            found.sort(key=lambda v: v.village)
        if not found:
            return Outbound(self.p.say(texts.FU_LIST_NONE, name=member.name))
        lines = [self.p.say(texts.FU_LIST_HEAD, name=member.name)]
        lines += [self._line(v, now) for v in found]
        see = tuple(
            Button(self.p.say(texts.FU_SEE, id=v.id), f"st:followups:{v.id}") for v in found[:20]
        )
        return Outbound("\n".join(lines), see)

    def _line(self, view: View, now: datetime) -> str:
        state = self.p.tr.ui("vi", texts.FU_LIST_OPEN)
        if view.holder:
            state = self.p.say(texts.FU_LIST_HELD, holder=self.p.holder_name(view))
        return self.p.say(
            texts.FU_LIST_LINE, id=view.id, who=view.name or "?", village=view.village,
            ago=ago(self.p.tr, view.opened_at, now), state=state,
        )  # fmt: skip


class Claim:
    """Take a follow-up: it is the member's alone; the others who were told hear it is taken."""

    name: str = "claim"
    words: tuple[str, ...] = ("/claim", "nhận", "nhan")
    roles: frozenset[str] = BOTH
    label: str = ""  # reached from a follow-up's card, not the menu

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        if not arg:  # from the menu: the list to choose from
            return await FollowupList(self.p).start(msg, "")
        member = msg.member
        view = await one(self.p.db, member, arg)
        if view is None or not await is_open(self.p.db, view.id):
            return _text(self.p.say(texts.FU_NOT_FOUND, name=member.name, id=_shown(arg)))
        if view.holder and view.holder != member.key:
            return taken(self.p, view)
        if not view.holder and not await self._take(member, view.id, msg.now.isoformat()):
            fresh = await one(self.p.db, member, arg)  # someone was quicker
            return taken(self.p, fresh or view)
        return await self._claimed(msg, view)

    async def _take(self, member: Member, followup_id: int, at: str) -> bool:
        """Claim it now, on its own, so two members tapping at once cannot both have it."""

        async def work(conn: aiosqlite.Connection) -> bool:
            cursor = await conn.execute(CLAIM, (member.key, at, followup_id))
            return cursor.rowcount == 1

        return await self.p.db.transaction(work)

    async def _claimed(self, msg: StaffMessage, view: View) -> StaffReply:
        member, at = msg.member, msg.now.isoformat()
        actions = buttons(self.p.tr, view.id, ("relay", "visit", "resolve", "handon"))
        reply = StaffReply([Outbound(self.p.say(texts.FU_CLAIMED, id=view.id), actions)])
        reply.writes.add(INSERT_EVENT, (view.id, at, member.key, "claim", ""))
        reply.writes.add(*audit_row(member.key, "followup.claim", str(view.id), {}, msg.now))
        text = self.p.say(texts.FU_TAKEN_NOTE, id=view.id, who=view.name, holder=member.name)
        village = await _village(self.p.db, view.id)
        for other in recipients(self.p.staff, village):
            if other.key != member.key:
                reply.others += [(c, e, Outbound(text)) for c, e in other.identities]
        return reply

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        return await self.start(msg, "")


def commands(parts: Parts) -> list[StaffCommand]:
    """The follow-up commands, in menu order."""
    from bot.followups.assist import Assist  # they build on this module
    from bot.followups.handon import HandOn
    from bot.followups.households import Households
    from bot.followups.relay_command import Relay
    from bot.followups.resolve import Resolve
    from bot.followups.visit import Visit

    return [
        FollowupList(parts), Claim(parts), Relay(parts), Visit(parts), HandOn(parts),
        Resolve(parts), Assist(parts), Households(parts),
    ]  # fmt: skip


async def target(parts: Parts, msg: StaffMessage, arg: str, who_may: str) -> View | StaffReply:
    """The open follow-up an action names, or the reply that says why it cannot be acted on.

    No id: the list to choose from. `who_may`: "holder" (only its holder, when it has one),
    "holder_or_official", or "villages" (anyone whose villages it is in)."""
    if not arg:
        return await FollowupList(parts).start(msg, "")
    member = msg.member
    view = await one(parts.db, member, arg)
    if view is None or view.resident_id is None or not await is_open(parts.db, view.id):
        return not_found(parts, member.name, arg)
    others = view.holder is not None and view.holder != member.key
    if others and (
        who_may == "holder" or (who_may == "holder_or_official" and not member.is_official)
    ):
        return taken(parts, view)
    return view


def not_found(parts: Parts, name: str, arg: str) -> StaffReply:
    """The same answer for an id that does not exist and one outside the member's villages."""
    return _text(parts.say(texts.FU_NOT_FOUND, name=name, id=_shown(arg)))


def taken(parts: Parts, view: View) -> StaffReply:
    """The follow-up is someone else's."""
    return _text(parts.say(texts.FU_TAKEN, id=view.id, holder=parts.holder_name(view)))


def _shown(arg: str) -> str:
    """The number of an argument, as the member typed it, or "?"."""
    number = arg.partition(".")[0]
    return number if number.isascii() and number.isdigit() and len(number) <= 12 else "?"


def _text(text: str) -> StaffReply:
    return StaffReply([Outbound(text)])


async def is_open(db: Database, followup_id: int) -> bool:
    row = await db.one("SELECT status FROM followups WHERE id = ?", (followup_id,))
    return row is not None and row[0] == "open"


async def _village(db: Database, followup_id: int) -> str | None:
    row = await db.one("SELECT village_id FROM followups WHERE id = ?", (followup_id,))
    return None if row is None or row[0] is None else str(row[0])
