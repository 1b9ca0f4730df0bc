"""The desk's "record a visit": outcome, a milestone seen on the spot (done with help), a note."""

from __future__ import annotations

import json

from bot.engine import texts
from bot.engine.types import Button, Outbound
from bot.followups.access import one
from bot.followups.cards import View
from bot.followups.commands import BOTH, Parts, not_found, target
from bot.staff.audit import audit_row
from bot.staff.desk import StaffMessage, StaffReply
from bot.store.followups import INSERT_EVENT

HELPED = (
    "UPDATE milestones SET helped_by = ? WHERE resident_id = ? AND name = ? AND helped_by IS NULL"
)
TOUCH = "UPDATE followups SET touched_at = ? WHERE id = ?"
NOTE_MAX = 500


class Visit:
    """Record a visit to the resident's household."""

    name: str = "visit"
    words: tuple[str, ...] = ("/visit", "đến nhà", "den nha")
    roles: frozenset[str] = BOTH
    label: str = ""  # reached from a follow-up's card, not the menu

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        view = await target(self.p, msg, arg, "villages")
        if not isinstance(view, View):
            return view
        parts = arg.split(".")
        outcome = parts[1] if len(parts) > 1 else ""
        if outcome not in texts.FU_VISIT_OUTCOMES:
            return self._ask_outcome(view)
        if len(parts) < 3 or not parts[2].isdigit() or int(parts[2]) > len(self.milestones()):
            return self._ask_milestone(view, outcome)
        data: dict[str, object] = {"fid": view.id, "outcome": outcome, "m": int(parts[2])}
        return StaffReply([Outbound(self.p.say(texts.FU_NOTE_ASK))], session=data)

    def milestones(self) -> list[str]:
        """Every milestone a flow gives, in a stable order."""
        names = {f.milestone for f in self.p.flows.all_current() if f.milestone}
        names |= {s.milestone for f in self.p.flows.all_current() for s in f.steps if s.milestone}
        return sorted(names)

    def _ask_outcome(self, view: View) -> StaffReply:
        options = tuple(
            Button(self.p.tr.ui("vi", label), f"st:visit:{view.id}.{key}")
            for key, label in texts.FU_VISIT_OUTCOMES.items()
        )
        return StaffReply([Outbound(self.p.say(texts.FU_VISIT_ASK, id=view.id), options)])

    def _ask_milestone(self, view: View, outcome: str) -> StaffReply:
        prefix = f"st:visit:{view.id}.{outcome}"
        options = [Button(self.p.say(texts.FU_NO_MILESTONE), f"{prefix}.0")] + [
            Button(self.p.milestone_label(name), f"{prefix}.{n}")
            for n, name in enumerate(self.milestones(), start=1)
        ]
        return StaffReply([Outbound(self.p.say(texts.FU_VISIT_MILESTONE), tuple(options))])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        fid, outcome, m = session.get("fid"), session.get("outcome"), session.get("m")
        if not isinstance(fid, int) or not isinstance(outcome, str) or not isinstance(m, int):
            return StaffReply()
        view = await one(self.p.db, msg.member, str(fid))
        if view is None or view.resident_id is None:
            return not_found(self.p, msg.member.name, str(fid))
        names = self.milestones()
        milestone = names[m - 1] if 1 <= m <= len(names) else None
        note = msg.inbound.text.strip()[:NOTE_MAX]
        return await self._record(msg, view, outcome, milestone, note)

    async def _record(
        self, msg: StaffMessage, view: View, outcome: str, milestone: str | None, note: str
    ) -> StaffReply:
        member, at = msg.member, msg.now.isoformat()
        assert view.resident_id is not None
        text = self.p.say(texts.FU_VISIT_SAVED, id=view.id)
        if milestone is not None:
            service = self.p.service
            service.dispatch(await service.timed(view.resident_id, "milestone", milestone))
            text = self.p.say(
                texts.FU_VISIT_SAVED_MILESTONE, id=view.id, who=view.name,
                milestone=self.p.milestone_label(milestone),
            )  # fmt: skip
        reply = StaffReply([Outbound(text)])
        if milestone is not None:
            reply.writes.add(HELPED, (member.key, view.resident_id, milestone))
        detail = {"outcome": outcome, "milestone": milestone, "note": note}
        shown = json.dumps(detail, ensure_ascii=False)
        reply.writes.add(TOUCH, (at, view.id))
        reply.writes.add(INSERT_EVENT, (view.id, at, member.key, "visit", shown))
        audited = {"outcome": outcome, "milestone": milestone}
        reply.writes.add(*audit_row(member.key, "followup.visit", str(view.id), audited, msg.now))
        return reply
