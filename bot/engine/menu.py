"""The main menu, the `requires` offer, and the progress and privacy answers."""

from __future__ import annotations

from bot.engine import hints, texts, welcome
from bot.engine.flow import Flow
from bot.engine.guesses import show_code
from bot.engine.reply import Reply
from bot.engine.runner import Runner

GROUP_ORDER = ("account", "application", "info")
MENU_MAX = 8


def show_menu(reply: Reply) -> None:
    """Offer the flows and, first, the paused run to go on with; past MENU_MAX entries the
    flows are grouped, so that each is at most two choices away."""
    state = reply.state
    state.stage = "ready"
    state.pending.pop("show_menu", None)
    options: list[tuple[str, str]] = []
    run_flow = _run_flow(reply)
    if run_flow is not None:
        options.append((reply.ui(texts.RESUME, title=_title(reply, run_flow)), "resume"))
    flows = sorted(reply.ctx.flows.menu(), key=lambda f: GROUP_ORDER.index(f.kind))
    if len(options) + len(flows) <= MENU_MAX:
        options += [(_title(reply, f), f"f:{f.id}") for f in flows]
    else:
        options += _grouped(reply, flows)
    reply.ask(hints.menu_text(reply, len(options)), options)


def group_of(flow: Flow) -> str | None:
    """The menu group of a flow; None for an info flow, which stays on the main menu."""
    if flow.kind == "account":
        return "account"
    if flow.kind == "info":
        return None
    return flow.field if flow.field in texts.MENU_GROUPS else "other"


def _grouped(reply: Reply, flows: list[Flow]) -> list[tuple[str, str]]:
    """One entry per group (a group of one is its flow), then the info flows."""
    members: dict[str, list[Flow]] = {}
    for flow in flows:
        members.setdefault(group_of(flow) or f"f:{flow.id}", []).append(flow)
    options = []
    for group, inside in members.items():
        if len(inside) == 1:
            options.append((_title(reply, inside[0]), f"f:{inside[0].id}"))
        else:
            options.append((reply.ui(texts.MENU_GROUPS[group]), f"g:{group}"))
    return options


def show_group(reply: Reply, group: str) -> None:
    """The flows of one menu group, and the way back; the main menu for an unknown group."""
    flows = [f for f in reply.ctx.flows.menu() if group_of(f) == group]
    if group not in texts.MENU_GROUPS or not flows:
        show_menu(reply)
        return
    options = [(_title(reply, f), f"f:{f.id}") for f in flows]
    options.append((reply.ui(texts.BACK_TO_MENU), "g:"))
    name = reply.ui(texts.MENU_GROUPS[group])
    typed = not hints.as_buttons(reply, len(options))
    reply.ask(reply.ui(texts.MENU_GROUP_TYPED if typed else texts.MENU_GROUP, group=name), options)


def _title(reply: Reply, flow: Flow) -> str:
    return reply.ctx.tr.flow(reply.state.lang, f"{flow.id}.title", flow.title)


def _run_flow(reply: Reply) -> Flow | None:
    run = reply.state.run
    if run is None:
        return None
    return reply.ctx.flows.version(run.flow_id, run.version)


def choose_flow(reply: Reply, flow_id: str) -> None:
    """Start a flow from the menu; first offer the flow it requires when a milestone is missing."""
    runner = Runner(reply)
    flow = reply.ctx.flows.current(flow_id)
    if flow is None:
        show_menu(reply)
        return
    run = reply.state.run
    if run is not None and run.flow_id == flow.id:
        resume(reply)
        return
    if run is not None:
        runner.end_run("cancelled", detail="another flow chosen", show_menu=False)
    needed = next((m for m in flow.requires if m not in reply.state.milestones), None)
    giver = reply.ctx.flows.giver(needed) if needed else None
    if giver is None:
        runner.start(flow)
        return
    reply.state.stage = "requires"
    reply.state.pending["requires"] = [flow.id, giver.id]
    text = reply.ui(texts.REQUIRES, title=_title(reply, flow), needed=_title(reply, giver))
    options = [(reply.ui(texts.DO_FIRST), "first"), (reply.ui(texts.SKIP_REQUIRES), "skip")]
    reply.ask(text, [*options, (reply.ui(texts.BACK_TO_MENU), "menu")])


def answer_requires(reply: Reply, key: str | None) -> None:
    """The resident's choice after being told a flow needs another one first."""
    flow_id, giver_id = reply.state.pending.pop("requires", [None, None])
    flow = reply.ctx.flows.current(flow_id or "")
    giver = reply.ctx.flows.current(giver_id or "")
    reply.state.stage = "ready"
    if key == "first" and flow and giver:
        Runner(reply).start(giver, after=flow)
    elif key == "skip" and flow:
        Runner(reply).start(flow)
    else:
        show_menu(reply)


def resume(reply: Reply) -> None:
    """Go on with a paused run at the step where it waits."""
    run = reply.state.run
    if run is None:
        show_menu(reply)
        return
    if run.status != "active":
        run.status = "active"
        reply.event("flow_resumed", flow_id=run.flow_id, version=run.version)
    if not Runner(reply).reshow():
        show_menu(reply)


def progress_text(reply: Reply) -> str:
    """What the resident has done so far and where they are; never a heading over nothing."""
    done = list(dict.fromkeys(f"✓ {_milestone(reply, m)}" for m in sorted(reply.state.milestones)))
    current = _current(reply)
    if not done and current is None:
        return reply.ui(texts.PROGRESS_NONE)
    head = (
        [reply.ui(texts.PROGRESS_HEAD), *done] if done else [reply.ui(texts.PROGRESS_NOTHING_DONE)]
    )
    return "\n".join(head + ([current] if current else []))


def _current(reply: Reply) -> str | None:
    """Where the resident is: the question of the flow under way, or the paused flow."""
    where = welcome.where_text(reply)
    if where is not None:
        return where
    flow = _run_flow(reply)
    return None if flow is None else reply.ui(texts.PROGRESS_CURRENT, title=_title(reply, flow))


def _milestone(reply: Reply, name: str) -> str:
    if name in texts.MILESTONES:
        return reply.ui(texts.MILESTONES[name])
    giver = reply.ctx.flows.giver(name)
    return _title(reply, giver) if giver else name


def privacy_text(reply: Reply) -> str:
    """What is kept about the resident, and how to delete it."""
    if not reply.state.consent:
        return reply.ui(texts.PRIVACY_NOTHING)
    code = reply.state.household_code
    return reply.ui(texts.PRIVACY, code=show_code(code) if code else "-")
