"""The desk's "resolve": close a follow-up (the resident told), or send them back to a step."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.flow import Flow, Step
from bot.engine.types import Button, Outbound
from bot.followups.cards import View
from bot.followups.commands import BOTH, Parts, target
from bot.followups.residents import to_resident
from bot.staff.audit import audit_row
from bot.staff.desk import StaffMessage, StaffReply
from bot.store.followups import INSERT_EVENT

RESOLVE = (
    "UPDATE followups SET status = 'resolved', resolved_at = ?1, touched_at = ?1, outcome = ?2,"
    " relay = NULL WHERE id = ?3 AND status = 'open'"
)
STEP_TEXT = 40  # characters of a step's question shown on its button


class Resolve:
    """Close a follow-up with an outcome; optionally the resident goes back to a step."""

    name: str = "resolve"
    words: tuple[str, ...] = ("/resolve", "đã xong", "da xong")
    roles: frozenset[str] = BOTH
    label: str = ""  # reached from a follow-up's card, not the menu

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        view = await target(self.p, msg, arg, "holder_or_official")
        if not isinstance(view, View):
            return view
        outcome = arg.partition(".")[2]
        flow = self.p.flows.current(view.flow_id) if view.flow_id else None
        if outcome == "back" and flow is not None:
            return self._steps(view, flow)
        if outcome.startswith("s") and outcome[1:].isdigit() and flow is not None:
            return await self._back(msg, view, flow, int(outcome[1:]))
        if outcome not in texts.FU_OUTCOMES:
            return self._ask(view, flow is not None)
        return await self._resolve(msg, view, outcome, texts.FU_RESIDENT_RESOLVED)

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        return await self.start(msg, "")

    def _ask(self, view: View, has_flow: bool) -> StaffReply:
        choices = [(key, label) for key, label in texts.FU_OUTCOMES.items()]
        if has_flow:
            choices.append(("back", texts.FU_BACK))
        options = tuple(
            Button(self.p.tr.ui("vi", label), f"st:resolve:{view.id}.{key}")
            for key, label in choices
        )
        return StaffReply([Outbound(self.p.say(texts.FU_RESOLVE_ASK, id=view.id), options)])

    def _steps(self, view: View, flow: Flow) -> StaffReply:
        options = tuple(
            Button(
                self.p.say(texts.FU_STEP, n=n, text=_short(step.text)),
                f"st:resolve:{view.id}.s{n}",
            )
            for n, step in enumerate(_questions(flow), start=1)
        )
        text = self.p.say(texts.FU_BACK_ASK, who=view.name, title=flow.title)
        return StaffReply([Outbound(text, options)])

    async def _back(self, msg: StaffMessage, view: View, flow: Flow, n: int) -> StaffReply:
        steps = _questions(flow)
        if not 1 <= n <= len(steps) or view.resident_id is None:
            return self._steps(view, flow)
        reply = await self._resolve(msg, view, "sent_back", "")
        reply.messages = [
            Outbound(self.p.say(texts.FU_SENT_BACK_STAFF, who=view.name, n=n, title=flow.title))
        ]
        service = self.p.service
        service.dispatch(await service.timed(view.resident_id, "goto", steps[n - 1].id))
        return reply

    async def _resolve(self, msg: StaffMessage, view: View, outcome: str, told: str) -> StaffReply:
        member, at = msg.member, msg.now.isoformat()
        said = self.p.tr.ui("vi", texts.FU_OUTCOMES.get(outcome, texts.FU_BACK))
        reply = StaffReply([Outbound(self.p.say(texts.FU_RESOLVED, id=view.id, outcome=said))])
        reply.writes.add(RESOLVE, (at, outcome, view.id))
        reply.writes.add(INSERT_EVENT, (view.id, at, member.key, "resolve", outcome))
        detail = {"outcome": outcome}
        reply.writes.add(*audit_row(member.key, "followup.resolve", str(view.id), detail, msg.now))
        if view.resident_id is not None:
            self.p.relays().open.pop(view.resident_id, None)
        if told:
            reply.others += await to_resident(
                self.p.db, self.p.tr, view.id, told, helper=member.name
            )
        return reply


def _questions(flow: Flow) -> list[Step]:
    return [s for s in flow.steps if s.waits]


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= STEP_TEXT else line[: STEP_TEXT - 1] + "…"
