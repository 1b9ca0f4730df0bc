"""The desk's "message the resident": the member's texts reach the resident under their name."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.types import Outbound
from bot.followups.cards import View
from bot.followups.commands import BOTH, FollowupList, Parts, target
from bot.followups.recent import masked
from bot.followups.relay import END_RELAY, TOUCH, ends
from bot.followups.residents import to_resident
from bot.staff.audit import audit_row
from bot.staff.desk import StaffMessage, StaffReply
from bot.store.followups import INSERT_EVENT

OPEN_RELAY = (
    "UPDATE followups SET relay = ?1, holder = ifnull(holder, ?1), claimed_at ="
    " ifnull(claimed_at, ?2), touched_at = ?2 WHERE id = ?3 AND status = 'open'"
)


class Relay:
    """Message the resident through the bot (claims the follow-up if nobody had)."""

    name: str = "relay"
    words: tuple[str, ...] = ("/relay", "nhắn", "nhan")
    roles: frozenset[str] = BOTH
    label: str = ""  # reached from a follow-up's card, not the menu

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        view = await target(self.p, msg, arg, "holder")
        if not isinstance(view, View):
            return view
        member = msg.member
        assert view.resident_id is not None  # target() answers for a forgotten resident
        busy = self.p.relays().open.get(view.resident_id)
        if busy is not None and busy[1] != member.key:
            holder = self.p.staff.get(busy[1])
            text = self.p.say(
                texts.FU_RELAY_BUSY, who=view.name, holder=holder.name if holder else "?"
            )
            return StaffReply([Outbound(text)])
        return await self._open(msg, view)

    async def _open(self, msg: StaffMessage, view: View) -> StaffReply:
        member, at = msg.member, msg.now.isoformat()
        assert view.resident_id is not None
        text = self.p.say(texts.FU_RELAY_STARTED, who=view.name, id=view.id)
        reply = StaffReply([Outbound(text)], session={"fid": view.id, "rid": view.resident_id})
        reply.writes.add(OPEN_RELAY, (member.key, at, view.id))
        reply.writes.add(INSERT_EVENT, (view.id, at, member.key, "relay_open", ""))
        reply.writes.add(*audit_row(member.key, "followup.relay", str(view.id), {}, msg.now))
        reply.others += await to_resident(
            self.p.db, self.p.tr, view.id, texts.RELAY_OPENED, helper=member.name
        )
        self.p.relays().open[view.resident_id] = (view.id, member.key, view.name)
        return reply

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        fid, rid = session.get("fid"), session.get("rid")
        if not isinstance(fid, int) or not isinstance(rid, int):
            return StaffReply()
        relay = self.p.relays().open.get(rid)
        if relay is None or relay[1] != msg.member.key:  # the resident ended it meanwhile
            return await FollowupList(self.p).start(msg, "")
        text, at = msg.inbound.text, msg.now.isoformat()
        if msg.inbound.kind != "text" or not text.strip():
            return StaffReply(session=session)
        if ends(text):
            return await self._end(msg, fid, rid, relay[2])
        reply = StaffReply(session=session)
        reply.writes.add(TOUCH, (at, fid))
        reply.writes.add(INSERT_EVENT, (fid, at, msg.member.key, "message", masked(text)))
        reply.others += await to_resident(
            self.p.db, self.p.tr, fid, texts.RELAY_FROM, helper=msg.member.name, text=text
        )
        return reply

    async def _end(self, msg: StaffMessage, fid: int, rid: int, name: str) -> StaffReply:
        at = msg.now.isoformat()
        self.p.relays().open.pop(rid, None)
        reply = StaffReply([Outbound(self.p.say(texts.FU_RELAY_STOPPED, who=name, id=fid))])
        reply.writes.add(END_RELAY, (at, fid))
        reply.writes.add(INSERT_EVENT, (fid, at, msg.member.key, "relay_end", ""))
        service = self.p.service
        service.dispatch(await service.timed(rid, "resume", texts.RELAY_ENDED))
        return reply
