"""What happens to a run without the resident writing: reminders, expiry, and staff actions."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine import texts, welcome
from bot.engine.reply import Reply
from bot.engine.runner import Runner
from bot.engine.types import WORD_KEY, Context, Result, State

BUSY = timedelta(hours=1)  # a resident in the middle of something else is reminded later


def due(state: State, kind: str, now: datetime) -> bool:
    """Whether the run's reminder (or expiry) time has passed and was not acted on yet."""
    run = state.run
    if run is None or run.status not in ("active", "paused"):
        return False
    at = run.remind_at if kind == "remind" else run.expire_at
    try:
        return at is not None and datetime.fromisoformat(at) <= now
    except (ValueError, TypeError):
        return False


def later(reply: Reply, kind: str) -> datetime | None:
    """When a due reminder (or expiry) should be instead: the resident wrote since the step
    was shown (their last message + the flow's delay), or is in the middle of something else
    (an hour from now); None when it is for now."""
    state, now = reply.state, reply.ctx.now
    run = state.run
    assert run is not None
    if state.stage != "ready":
        return now + BUSY
    flow = Runner(reply).flow(run.frames[0])
    delay = (flow.remind_after if kind == "remind" else flow.expire_after) if flow else None
    try:
        seen = datetime.fromisoformat(state.seen_at) if state.seen_at else None
    except (ValueError, TypeError):
        seen = None
    if seen is None or not delay or seen + timedelta(seconds=delay) <= now:
        return None
    return seen + timedelta(seconds=delay)


def timed(state: State, kind: str, ctx: Context, arg: str = "") -> Result:
    """Act on `kind`: remind, expire (only when due), resume (the run goes on where it was,
    after the text `arg`), goto (to step `arg` of the current flow), milestone (`arg` reached).
    The resident's `seen_at` is left alone: they did not write."""
    reply = Reply(state, ctx)
    if kind in ("remind", "expire") and due(state, kind, ctx.now):
        _act(reply, kind)
    elif kind == "resume" and state.stage == "ready":
        _resume(reply, arg)
    elif kind == "goto" and state.stage == "ready":
        _goto(reply, arg)
    elif kind == "milestone" and arg:
        Runner(reply).reach_milestone(arg, "visit", None)
    return reply.result()


def _act(reply: Reply, kind: str) -> None:
    """Remind or expire now, or move the time to when it is really due."""
    run = reply.state.run
    assert run is not None
    moved = later(reply, kind)
    if moved is None:
        _remind(reply) if kind == "remind" else _expire(reply)
    elif kind == "remind":
        run.remind_at = moved.isoformat()
    else:
        run.expire_at = moved.isoformat()


def _remind(reply: Reply) -> None:
    """Say where the resident stopped, how to go on or ask for help, and ask the step again."""
    run = reply.state.run
    assert run is not None
    run.remind_at = None  # once
    run.status = "active"
    where = welcome.where_text(reply) or ""
    reply.say(reply.ui(texts.REMINDER, where=where))
    reply.event("reminded", flow_id=run.flow_id, version=run.version)
    Runner(reply).reshow()
    if reply.state.prompt.options:  # the step's own buttons go on; one more asks for help
        reply.add_option(reply.ui(texts.WORD_DESCRIPTIONS["help"]), WORD_KEY + "help")


def _expire(reply: Reply) -> None:
    """A follow-up opens for the idle run; the resident is told who will contact them, and
    keeps their place."""
    run = reply.state.run
    assert run is not None
    run.remind_at = None
    run.expire_at = None
    runner = Runner(reply)
    here = runner.current()
    flow_id, step_id = (here[1].id, here[2].id) if here else (run.flow_id, None)
    reply.effect("followup", detail="idle", flow_id=flow_id, step_id=step_id)
    reply.event("expired", flow_id=run.flow_id, version=run.version, step_id=step_id)
    reply.say(runner.help_text())


def _resume(reply: Reply, text: str) -> None:
    """The bot text `text` (its source, translated here), then the step they were at."""
    if text:
        reply.say(reply.ui(text))
    run = reply.state.run
    if run is not None and run.status in ("active", "paused"):
        run.status = "active"
        Runner(reply).reshow()


def _goto(reply: Reply, step_id: str) -> None:
    """Back into the current flow at a step staff chose."""
    run = reply.state.run
    runner = Runner(reply)
    here = runner.current()
    if run is None or here is None or not here[1].has_step(step_id):
        return
    run.status = "active"
    reply.say(reply.ui(texts.FU_SENT_BACK))
    reply.event("sent_back", flow_id=here[1].id, version=here[1].version, step_id=step_id)
    runner.walk(step_id)
