"""The card staff see for a follow-up: who, where in which flow, why, since when; and actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.engine import texts
from bot.engine.reply import PLACEHOLDER
from bot.engine.types import Button, Outbound, Translator
from bot.flows.registry import FlowRegistry

STAFF_LANG = "vi"
ACTIONS = (
    ("claim", texts.FU_CLAIM),
    ("relay", texts.FU_RELAY),
    ("visit", texts.FU_VISIT),
    ("resolve", texts.FU_RESOLVE),
    ("handon", texts.FU_HANDON),
)


@dataclass(frozen=True)
class View:
    """What a card shows of one follow-up."""

    id: int
    name: str
    village: str
    flow_id: str | None
    step_id: str | None
    reasons: tuple[str, ...]
    opened_at: str
    recent: tuple[str, ...] = ()
    holder: str | None = None
    resident_id: int | None = None
    village_id: str | None = None


def staff_text(tr: Translator, message: str, **values: object) -> str:
    """A staff text in Vietnamese with its {placeholders} filled."""
    source = tr.ui(STAFF_LANG, message)
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), source)


def card(tr: Translator, flows: FlowRegistry, view: View, now: datetime) -> Outbound:
    """The card, with its action buttons (payloads `st:<action>:<id>`)."""
    return Outbound(card_text(tr, flows, view, now), buttons(tr, view.id))


def buttons(tr: Translator, followup_id: int, actions: tuple[str, ...] = ()) -> tuple[Button, ...]:
    """The action buttons of a follow-up (all, or those named)."""
    return tuple(
        Button(tr.ui(STAFF_LANG, label), f"st:{name}:{followup_id}")
        for name, label in ACTIONS
        if not actions or name in actions
    )


def card_text(tr: Translator, flows: FlowRegistry, view: View, now: datetime) -> str:
    """The card's text."""
    reasons = ", ".join(
        dict.fromkeys(
            tr.ui(STAFF_LANG, texts.FU_REASONS.get(r, texts.FU_REASONS["handoff"]))
            for r in view.reasons
        )
    )
    recent = ""
    if view.recent:
        quoted = " / ".join(f"“{t}”" for t in view.recent)
        recent = "\n" + staff_text(tr, texts.FU_RECENT, texts=quoted)
    return staff_text(
        tr,
        texts.FU_CARD,
        id=view.id,
        name=view.name or "?",
        village=view.village or "?",
        where=where(tr, flows, view.flow_id, view.step_id),
        reasons=reasons,
        ago=ago(tr, view.opened_at, now),
        recent=recent,
    )


def where(tr: Translator, flows: FlowRegistry, flow_id: str | None, step_id: str | None) -> str:
    """ "Đăng ký khai sinh, bước 3/7", in plain words."""
    flow = flows.current(flow_id) if flow_id else None
    if flow is None:
        return tr.ui(STAFF_LANG, texts.FU_NO_FLOW)
    questions = [s.id for s in flow.steps if s.waits]
    title = tr.flow(STAFF_LANG, f"{flow.id}.title", flow.title)
    if step_id not in questions:
        return title
    return staff_text(
        tr, texts.FU_WHERE, title=title, step=questions.index(step_id) + 1, steps=len(questions)
    )


def ago(tr: Translator, then: str, now: datetime) -> str:
    """How long ago, in words: "vừa xong", "5 phút trước", "3 giờ trước", "2 ngày trước"."""
    try:
        seconds = (now - datetime.fromisoformat(then)).total_seconds()
    except (ValueError, TypeError):
        return "?"
    if seconds < 60:
        return tr.ui(STAFF_LANG, texts.FU_AGO_NOW)
    if seconds < 3600:
        return staff_text(tr, texts.FU_AGO_MINUTES, n=int(seconds // 60))
    if seconds < 86400:
        return staff_text(tr, texts.FU_AGO_HOURS, n=int(seconds // 3600))
    return staff_text(tr, texts.FU_AGO_DAYS, n=int(seconds // 86400))
