"""Walks a resident through a flow: enters steps, shows them, follows targets, ends runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.engine import texts
from bot.engine.expr import evaluate
from bot.engine.flow import Flow, Media, Step, is_flow_target
from bot.engine.reply import Reply
from bot.engine.types import Frame, Run

MAX_HOPS = 500  # steps entered for one message; a flow that loops without asking stops here


class Runner:
    """Moves one resident's run forward; all it does is recorded on the Reply."""

    def __init__(self, reply: Reply) -> None:
        self.r = reply
        self.state = reply.state
        self.ctx = reply.ctx
        self.help_reason = "asked"  # why a `help` target opens a follow-up

    # --- starting and locating -------------------------------------------------------------

    def start(self, flow: Flow, after: Flow | None = None) -> None:
        """Start a flow; with `after`, that flow starts once this one completes."""
        frames = [] if after is None else [Frame(after.id, after.version, after.steps[0].id)]
        if after is not None:
            frames[0].entered = False
        frames.append(Frame(flow.id, flow.version, flow.steps[0].id))
        self.state.runs_started += 1
        number = self.state.runs_started
        self.state.run = Run(frames=frames, number=number, started_at=self.ctx.now.isoformat())
        self.r.event("run_started", flow_id=frames[0].flow_id, version=frames[0].version)
        for frame in frames:
            if frame.entered:
                self.r.event("flow_started", flow_id=frame.flow_id, version=frame.version)
        self.walk(flow.steps[0].id)

    def flow(self, frame: Frame) -> Flow | None:
        """The version of the flow a frame is walking."""
        return self.ctx.flows.version(frame.flow_id, frame.version)

    def current(self) -> tuple[Frame, Flow, Step] | None:
        """The frame, flow and step the resident stands at, if any."""
        run = self.state.run
        if run is None:
            return None
        frame = run.top
        flow = self.flow(frame)
        if flow is None or not flow.has_step(frame.step_id):
            return None
        return frame, flow, flow.step(frame.step_id)

    # --- walking ---------------------------------------------------------------------------

    def walk(self, target: str | None) -> None:
        """Go to a target of the current flow and on through steps until one waits."""
        for _ in range(MAX_HOPS):
            target = self._go(target)
            if target is None:
                return
            target = self._enter(target)
            if target is None:
                return
        self.r.event("loop_stopped", **self._where())
        self._pause_for_help("loop")

    def _go(self, target: str | None) -> str | None:
        """Resolve a target; return the step id to enter, or None when nothing is entered."""
        run = self.state.run
        assert run is not None
        if target is None or target == "end":
            resume = self._finish_frame("completed")  # where the calling flow goes on, if any
            return None if resume is None else self._go(resume)
        if target == "menu":
            self.end_run("cancelled")
            return None
        if target == "help":
            self._pause_for_help(self.help_reason)
            return None
        if target == "back":
            return self.back_target()
        if is_flow_target(target):
            return self._switch_flow(target[5:])
        return target

    def _enter(self, step_id: str) -> str | None:
        """Enter a step; return where to go on, or None when the step waits (or the run ends)."""
        frame, flow = self._frame_flow()
        frame.step_id = step_id
        frame.retries = 0
        step = flow.step(step_id)
        self.r.event("step", flow_id=flow.id, version=flow.version, step_id=step.id)
        self._do_actions(frame, flow, step)
        if step.kind == "branch":
            return self._branch(frame, step)
        if step.kind in ("say", "ask"):
            self.show(frame, flow, step)
            if step.waits:
                self._schedule(flow)
                return None
        if step.goto:
            return self._call(step.goto)
        return self.leave(flow, step, None)

    def leave(self, flow: Flow, step: Step, chosen: str | None) -> str | None:
        """Where to go after a step: the chosen target, else its `end`, else what follows."""
        if chosen:
            return chosen
        if step.end == "cancelled":
            return "menu"
        if step.end == "completed":
            return "end"
        return flow.after(step) or "end"

    def _do_actions(self, frame: Frame, flow: Flow, step: Step) -> None:
        for name, value in step.set:
            frame.vars[name] = value
        if step.milestone:
            self.reach_milestone(step.milestone, flow.id, step.id)
        if step.handoff:
            self.r.effect("followup", detail=step.handoff, flow_id=flow.id, step_id=step.id)
            self.r.event("handoff", flow_id=flow.id, version=flow.version, step_id=step.id)

    def _branch(self, frame: Frame, step: Step) -> str | None:
        values = {**self.r.builtins(), **frame.vars}
        today = self.ctx.now.date()
        for arm in step.branches:
            if arm.condition is None or evaluate(arm.condition, values, today):
                return arm.target
        return None

    def _call(self, flow_id: str) -> str | None:
        """Run a sub-flow (goto); the caller goes on to its `next` when it completes."""
        sub = self.ctx.flows.current(flow_id)
        run = self.state.run
        if sub is None or run is None:
            return None
        run.frames.append(Frame(sub.id, sub.version, sub.steps[0].id))
        self.r.event("flow_started", flow_id=sub.id, version=sub.version)
        return sub.steps[0].id

    def _switch_flow(self, flow_id: str) -> str | None:
        """`flow:ID`: this run is left, and that flow starts as a run of its own."""
        new = self.ctx.flows.current(flow_id)
        self.end_run("cancelled", detail=f"flow:{flow_id}", show_menu=new is None)
        if new is not None:
            self.start(new)
        return None

    # --- showing ---------------------------------------------------------------------------

    def show(self, frame: Frame, flow: Flow, step: Step) -> None:
        """Send a say or ask step, with its options as buttons."""
        context = f"{flow.id}.{step.id}"
        lang = self.state.lang
        text = self.r.fill(self.ctx.tr.flow(lang, context, step.text), frame.vars)
        media = [_for_language(m, lang) for m in step.media]
        if not step.waits:
            self.r.say(text, media)
            return
        options = [
            (self.r.fill(self.ctx.tr.flow(lang, f"{context}.{n}", o.label), frame.vars), f"o{n}")
            for n, o in enumerate(step.options, start=1)
        ]
        marked = _yes_no(step)
        if step.kind == "ask" and step.input == "yes_no":
            options = [(self.r.ui(texts.YES), "yes"), (self.r.ui(texts.NO), "no")]
            marked = ("yes", "no")
        request = step.input if step.kind == "ask" and step.input in ("phone", "photo") else None
        label = self.r.ui(texts.SHARE_PHONE) if request == "phone" else ""
        self.r.ask(text, options, media, request, label, marked)

    def reshow(self) -> bool:
        """Show the current step again; False when the resident is at no step."""
        here = self.current()
        if here is None:
            return False
        self.show(*here)
        return True

    # --- ending ----------------------------------------------------------------------------

    def _finish_frame(self, status: str) -> str | None:
        """End the top frame; return the target the frame below goes on to (None: run over)."""
        run = self.state.run
        assert run is not None
        _, flow = self._frame_flow()
        if status == "completed" and flow.milestone:
            self.reach_milestone(flow.milestone, flow.id, None)
        if len(run.frames) == 1 or status != "completed":
            self.end_run(status)
            return None
        run.frames.pop()
        self.r.event("flow_completed", flow_id=flow.id, version=flow.version)
        below, below_flow = self._frame_flow()
        if not below.entered:
            below.entered = True
            self.r.event("flow_started", flow_id=below.flow_id, version=below.version)
            return below.step_id
        return self.leave(below_flow, below_flow.step(below.step_id), None)

    def end_run(self, status: str, detail: str = "", show_menu: bool = True) -> None:
        """End the whole run: completed or cancelled; the menu shows after."""
        run = self.state.run
        if run is None:
            return
        flow = self.flow(run.frames[0])
        top = run.top
        self.r.event(f"flow_{status}", flow_id=top.flow_id, version=top.version, detail=detail)
        self.r.event("run_ended", flow_id=run.flow_id, version=run.version, detail=status)
        if status == "completed" and flow is not None:
            self._say_done(flow)
        self.state.run = None
        self.state.pending["show_menu"] = show_menu

    def _say_done(self, flow: Flow) -> None:
        """ "Done" joins the flow's last message, so the end is one message and the menu."""
        done = self.r.ui(texts.FLOW_DONE, title=self.title(flow))
        messages = self.r.messages
        last = messages[-1] if messages else None
        if last is None or last.buttons or last.request is not None:
            self.r.say(done)
            return
        messages[-1] = replace(last, text=f"{last.text}\n\n{done}")

    def title(self, flow: Flow) -> str:
        """A flow's title in the resident's language."""
        return self.ctx.tr.flow(self.state.lang, f"{flow.id}.title", flow.title)

    def reach_milestone(self, name: str, flow_id: str, step_id: str | None) -> None:
        """Record a milestone once per resident."""
        if name in self.state.milestones:
            return
        self.state.milestones.add(name)
        self.r.effect("milestone", detail=name, flow_id=flow_id, step_id=step_id)
        self.r.event("milestone", flow_id=flow_id, step_id=step_id, detail=name)

    # --- help and back ---------------------------------------------------------------------

    def _pause_for_help(self, reason: str) -> None:
        """Open a follow-up; the resident stays at the step and is told who will call."""
        here = self.current()
        flow_id, step_id = (here[1].id, here[2].id) if here else (None, None)
        self.r.effect("followup", detail=reason, flow_id=flow_id, step_id=step_id)
        self.r.event("help", flow_id=flow_id, step_id=step_id, detail=reason)
        self.r.say(self.help_text())
        self.reshow()

    def help_text(self) -> str:
        """Who will contact the resident, and how: the propagandist only when the bot can tell
        them, else the officials when it can tell one, else where to go."""
        contacts = self.ctx.commune.contacts
        contact = contacts.get(self.state.village_id or "")
        if contact is not None and contact.reachable:
            return self.r.ui(texts.HELP_CONTACT if contact.phone else texts.HELP_CONTACT_NO_PHONE)
        official = contacts.get("*")
        if official is not None and official.reachable:
            return self.r.ui(texts.HELP_OFFICIALS)
        return self.r.ui(texts.HELP_NOBODY)

    def back_target(self) -> str | None:
        """The previous question of this flow, or the current step when there is none."""
        run = self.state.run
        assert run is not None
        history = run.top.history
        if not history:
            self.r.say(self.r.ui(texts.NOTHING_TO_GO_BACK))
            return run.top.step_id
        return history.pop()

    # --- helpers ---------------------------------------------------------------------------

    def _frame_flow(self) -> tuple[Frame, Flow]:
        run = self.state.run
        assert run is not None
        frame = run.top
        flow = self.flow(frame)
        if flow is None:
            raise LookupError(f"flow {frame.flow_id} version {frame.version} is not loaded")
        return frame, flow

    def _schedule(self, flow: Flow) -> None:
        run = self.state.run
        assert run is not None
        now = self.ctx.now
        top = self.flow(run.frames[0]) or flow
        remind = top.remind_after
        run.remind_at = (now + timedelta(seconds=remind)).isoformat() if remind else None
        run.expire_at = (now + timedelta(seconds=top.expire_after)).isoformat()

    def _where(self) -> dict[str, str | None]:
        here = self.current()
        return {"flow_id": here[1].id, "step_id": here[2].id} if here else {}


def _yes_no(step: Step) -> tuple[str, str] | None:
    """The option keys an author marked `means: yes` and `means: no`, if any."""
    keys = {o.means: f"o{n}" for n, o in enumerate(step.options, start=1) if o.means}
    return (keys.get("yes", ""), keys.get("no", "")) if keys else None


def _for_language(media: Media, lang: str) -> Media:
    """A `{lang}` path in the resident's language, with the Vietnamese file to fall back on."""
    if "{lang}" not in media.path:
        return media
    fallback = media.path.replace("{lang}", "vi") if lang != "vi" else ""
    return Media(media.kind, media.path.replace("{lang}", lang), media.pos, fallback)
