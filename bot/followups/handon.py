"""The desk's "hand on": a follow-up passes to a colleague or the officials, with a note."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.types import Button, Outbound
from bot.followups.access import one
from bot.followups.cards import View, card
from bot.followups.commands import BOTH, Parts, is_open, not_found, target
from bot.followups.history import history
from bot.staff.audit import audit_row
from bot.staff.desk import StaffMessage, StaffReply
from bot.staff.directory import Member
from bot.store.followups import INSERT_EVENT

TO_OFFICIALS = "o"
HAND_ON = (
    "UPDATE followups SET holder = ?1, claimed_at = ?2, touched_at = ?2, reminded_at = NULL,"
    " relay = NULL, escalated_at = CASE WHEN ?1 IS NULL THEN ?2 ELSE escalated_at END"
    " WHERE id = ?3 AND status = 'open'"
)
NOTE_MAX = 500


class HandOn:
    """Pass a follow-up on, with a note."""

    name: str = "handon"
    words: tuple[str, ...] = ("/handon", "chuyển", "chuyen")
    roles: frozenset[str] = BOTH
    label: str = ""  # reached from a follow-up's card, not the menu

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        view = await target(self.p, msg, arg, "holder_or_official")
        if not isinstance(view, View):
            return view
        member = msg.member
        choice = arg.partition(".")[2]
        targets = self._targets(member, view)
        if choice == TO_OFFICIALS or (choice.isdigit() and 0 <= int(choice) < len(targets)):
            text = self.p.say(texts.FU_NOTE_ASK)
            return StaffReply([Outbound(text)], session={"fid": view.id, "to": choice})
        options = [Button(m.name, f"st:handon:{view.id}.{n}") for n, m in enumerate(targets)] + [
            Button(self.p.say(texts.FU_TO_OFFICIALS), f"st:handon:{view.id}.{TO_OFFICIALS}")
        ]
        return StaffReply([Outbound(self.p.say(texts.FU_HANDON_ASK, id=view.id), tuple(options))])

    def _targets(self, member: Member, view: View) -> list[Member]:
        """The village's other propagandists the bot can message, in a stable order."""
        village = view.village_id
        found = [m for m in self.p.staff.propagandists_of(village or "") if m.identities]
        return sorted((m for m in found if m.key != member.key), key=lambda m: m.key)

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        fid, choice = session.get("fid"), session.get("to")
        note = msg.inbound.text.strip()[:NOTE_MAX]
        if not isinstance(fid, int) or not isinstance(choice, str):
            return StaffReply()
        if not note:
            return StaffReply([Outbound(self.p.say(texts.FU_NOTE_ASK))], session=session)
        view = await one(self.p.db, msg.member, str(fid))
        if view is None or not await is_open(self.p.db, fid):
            return not_found(self.p, msg.member.name, str(fid))
        targets = self._targets(msg.member, view)
        if choice == TO_OFFICIALS:
            to = [m for m in self.p.staff.officials() if m.identities]
            return await self._hand(msg, view, None, to, note)
        if not choice.isdigit() or int(choice) >= len(targets):
            return await self.start(msg, str(fid))
        target = targets[int(choice)]
        return await self._hand(msg, view, target, [target], note)

    async def _hand(
        self, msg: StaffMessage, view: View, target: Member | None, to: list[Member], note: str
    ) -> StaffReply:
        member, at = msg.member, msg.now.isoformat()
        name = target.name if target else self.p.say(texts.FU_TO_OFFICIALS)
        reply = StaffReply([Outbound(self.p.say(texts.FU_HANDED, id=view.id, to=name))])
        reply.writes.add(HAND_ON, (target.key if target else None, at, view.id))
        if view.resident_id is not None:
            self.p.relays().open.pop(view.resident_id, None)
        reply.writes.add(INSERT_EVENT, (view.id, at, member.key, "handon", f"→ {name}: {note}"))
        detail = {"to": target.key if target else "officials"}
        reply.writes.add(*audit_row(member.key, "followup.handon", str(view.id), detail, msg.now))
        told = self.p.say(texts.FU_HANDED_TO_YOU, from_name=member.name, id=view.id, note=note)
        past = await history(self.p.db, self.p.tr, self.p.staff, view.id)
        shown = card(self.p.tr, self.p.flows, view, msg.now)
        for person in to:
            for channel, external_id in person.identities:
                reply.others += [
                    (channel, external_id, Outbound(f"{told}\n\n{past}")),
                    (channel, external_id, shown),
                ]
        return reply
