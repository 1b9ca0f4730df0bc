"""Coming back: a resident back after an hour of silence is greeted and told where they are."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine import texts
from bot.engine.reply import Reply
from bot.engine.runner import Runner
from bot.engine.types import Outbound, State

AWAY = timedelta(hours=1)


def was_away(state: State, now: datetime) -> bool:
    """Whether a known resident writes after more than AWAY of silence."""
    if state.stage == "new" or not state.seen_at:
        return False
    try:
        return now - datetime.fromisoformat(state.seen_at) > AWAY
    except (ValueError, TypeError):  # an unreadable or naive time stamp: no greeting
        return False


def position(reply: Reply) -> tuple[str, int, int] | None:
    """The flow's title, the number of the question the resident is at, and how many it has."""
    state = reply.state
    if state.stage != "ready" or state.run is None or state.run.status != "active":
        return None
    runner = Runner(reply)
    here = runner.current()
    if here is None:
        return None
    _, flow, step = here
    questions = [s.id for s in flow.steps if s.waits]
    if step.id not in questions:
        return None
    return runner.title(flow), questions.index(step.id) + 1, len(questions)


def where_text(reply: Reply) -> str | None:
    """ "Mình đang giúp bà con bước 3/7 của …", or None when the resident is in no flow."""
    here = position(reply)
    if here is None:
        return None
    title, step, steps = here
    return reply.ui(texts.WHERE, step=step, steps=steps, title=title)


def greet(reply: Reply) -> None:
    """Greet first, saying where the resident is now (the question the reply ends with)."""
    where = where_text(reply)
    text = reply.ui(texts.WELCOME_BACK) + (f" {where}" if where else "")
    reply.messages.insert(0, Outbound(text))
