"""Assisted mode: a propagandist answers a resident's flow for them at a visit, with consent."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import texts
from bot.engine.types import Button, Inbound, Outbound
from bot.engine.words import word_of
from bot.followups.access import one
from bot.followups.cards import View
from bot.followups.commands import BOTH, FollowupList, Parts, is_open, not_found
from bot.followups.relay import ends
from bot.staff.audit import audit_row
from bot.staff.desk import StaffMessage, StaffReply
from bot.staff.sessions import load_session
from bot.store.batch import Batch
from bot.store.followups import INSERT_EVENT

MARK = (
    "UPDATE progress SET assisted_by = ? WHERE resident_id = ? AND at = ? AND assisted_by IS NULL"
)
NOT_ON_BEHALF = ("forget", "link", "language")  # only the resident, on their own phone


class Assist:
    """Answer for the resident of a follow-up, with their consent."""

    name: str = "assist"
    words: tuple[str, ...] = ("/assist", "làm giúp", "lam giup")
    roles: frozenset[str] = BOTH
    label: str = texts.ASSIST_LABEL

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        if arg.startswith("a"):  # a button of the resident's question, tapped for them
            session = (await load_session(self.p.db, msg.member.key)).data or {}
            return await self._answer(msg, session, Inbound("button", payload=arg[1:]))
        if not arg:
            return await FollowupList(self.p).start(msg, "")
        view = await one(self.p.db, msg.member, arg)
        if view is None or view.resident_id is None or not await is_open(self.p.db, view.id):
            return not_found(self.p, msg.member.name, arg)
        answer = arg.partition(".")[2]
        if answer == "yes":
            return await self._begin(msg, view)
        if answer == "no":
            return self._refused(msg, view)
        options = (
            Button(self.p.say(texts.ASSIST_YES), f"st:assist:{view.id}.yes"),
            Button(self.p.say(texts.ASSIST_NO), f"st:assist:{view.id}.no"),
        )
        text = self.p.say(texts.ASSIST_CONSENT, who=view.name)
        return StaffReply([Outbound(text, options)])

    def _refused(self, msg: StaffMessage, view: View) -> StaffReply:
        reply = StaffReply([Outbound(self.p.say(texts.ASSIST_REFUSED, who=view.name))])
        at = msg.now.isoformat()
        reply.writes.add(INSERT_EVENT, (view.id, at, msg.member.key, "assist_consent", "no"))
        return reply

    async def _begin(self, msg: StaffMessage, view: View) -> StaffReply:
        assert view.resident_id is not None
        at, member = msg.now.isoformat(), msg.member
        session: dict[str, object] = {"fid": view.id, "rid": view.resident_id, "who": view.name}
        mark = Batch()
        mark.add(INSERT_EVENT, (view.id, at, member.key, "assist_consent", "yes"))
        mark.add(*audit_row(member.key, "followup.assist", str(view.id), {}, msg.now))
        shown = await self._on_behalf(msg, view.resident_id, Inbound("start"), mark)
        head = Outbound(self.p.say(texts.ASSIST_STARTED, who=view.name))
        return StaffReply([head, *shown], session=session)

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        inbound = msg.inbound
        if inbound.kind == "text" and ends(inbound.text):
            return await self._end(msg, session)
        word = word_of(inbound.text) if inbound.kind == "text" else None
        if word in NOT_ON_BEHALF:
            text = self.p.say(texts.ASSIST_NOT_HERE, word=inbound.text.strip())
            return StaffReply([Outbound(text)], session=session)
        return await self._answer(msg, session, inbound)

    async def _answer(
        self, msg: StaffMessage, session: dict[str, object], inbound: Inbound
    ) -> StaffReply:
        rid = session.get("rid")
        if not isinstance(rid, int):
            return await FollowupList(self.p).start(msg, "")
        shown = await self._on_behalf(msg, rid, inbound, Batch())
        return StaffReply(shown, session=session)

    async def _on_behalf(
        self, msg: StaffMessage, rid: int, inbound: Inbound, mark: Batch
    ) -> list[Outbound]:
        by = (msg.channel, msg.external_id, msg.member.key)
        answers = await self.p.service.on_behalf(rid, inbound, by, mark)
        return [_staff_buttons(m) for m in answers]

    async def _end(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        rid, who = session.get("rid"), str(session.get("who", ""))
        reply = StaffReply([Outbound(self.p.say(texts.ASSIST_DONE, who=who))])
        if isinstance(rid, int):
            service = self.p.service
            service.dispatch(await service.timed(rid, "resume", texts.ASSISTED_RESIDENT))
        return reply


def _staff_buttons(message: Outbound) -> Outbound:
    """The resident's buttons, as the desk's: tapped by staff, they reach this command."""
    buttons = tuple(Button(b.label, f"st:assist:a{b.payload}") for b in message.buttons)
    return replace(message, buttons=buttons, request=None)
