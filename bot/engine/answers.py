"""Checks a resident's answer to the step they stand at, saves it, and moves them on."""

from __future__ import annotations

from datetime import date

from bot.engine import hints, inputs, texts
from bot.engine.flow import Flow, Option, Step
from bot.engine.inputs import Invalid, Valid
from bot.engine.runner import Runner
from bot.engine.types import Frame, Inbound


def answer(runner: Runner, inbound: Inbound, key: str | None) -> None:
    """Handle the resident's answer at the current step of their run."""
    here = runner.current()
    if here is None:
        return
    frame, flow, step = here
    if step.kind == "say":
        _tap(runner, frame, flow, step, key)
        return
    checked = check(step, inbound, key, runner)
    if isinstance(checked, Valid):
        _save(runner, frame, flow, step, checked.value, key)
    else:
        _reject(runner, frame, flow, step, checked)


def _tap(runner: Runner, frame: Frame, flow: Flow, step: Step, key: str | None) -> None:
    option = _option(step, key)
    if option is None:
        hints.say_choose_one(runner.r)
        runner.reshow()
        return
    _go_on(runner, frame, flow, step, option.target)


def check(step: Step, inbound: Inbound, key: str | None, runner: Runner) -> Valid | Invalid:
    """Validate an answer by the step's input type."""
    text = inbound.text
    kind = step.input
    if kind == "choice":
        option = _option(step, key)
        return Valid(option.saved) if option else hints.choose_one(runner.r)
    if kind == "yes_no":
        return Valid(key == "yes") if key in ("yes", "no") else inputs.check_yes_no(text)
    if kind == "photo":
        return Valid(inbound.file_ref) if inbound.kind == "file" else Invalid(texts.SEND_PHOTO)
    if kind == "number":
        return inputs.check_number(text, step.minimum, step.maximum)
    if kind == "date":
        today = runner.ctx.now.date()
        low, high = _bound(step.minimum), _bound(step.maximum)
        return inputs.check_date(text, today, low, high, step.event)
    if kind == "phone":
        return inputs.check_phone(text)
    if kind == "cccd":
        return inputs.check_cccd(text, _birth_date(step, runner), runner.ctx.now.date())
    limit = step.maximum if isinstance(step.maximum, int) else 500
    return inputs.check_text(text, limit)


def _bound(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _birth_date(step: Step, runner: Runner) -> date | None:
    """The saved birth date a cccd answer must agree with, when the flow knows it."""
    here = runner.current()
    if step.birth_date is None or here is None:
        return None
    saved = here[0].vars.get(step.birth_date)
    try:
        return date.fromisoformat(saved) if isinstance(saved, str) else None
    except ValueError:  # masked, or not a date
        return None


def _option(step: Step, key: str | None) -> Option | None:
    if key is None or not key.startswith("o") or not key[1:].isascii() or not key[1:].isdigit():
        return None
    index = int(key[1:]) - 1
    return step.options[index] if 0 <= index < len(step.options) else None


def _save(
    runner: Runner, frame: Frame, flow: Flow, step: Step, value: object, key: str | None
) -> None:
    if step.save:
        masked = step.sensitive or step.input == "cccd"
        frame.vars[step.save] = inputs.mask(str(value)) if masked else value
    option = _option(step, key) if step.input == "choice" else None
    _go_on(runner, frame, flow, step, option.target if option else None)


def _go_on(runner: Runner, frame: Frame, flow: Flow, step: Step, chosen: str | None) -> None:
    """The answer is taken: log it, remember the question for `back`, and move on."""
    frame.retries = 0
    if chosen not in ("back", "help"):  # the resident stays at (or before) this step
        frame.history.append(step.id)
    runner.r.event("answered", flow_id=flow.id, version=flow.version, step_id=step.id)
    runner.walk(runner.leave(flow, step, chosen))


def _reject(runner: Runner, frame: Frame, flow: Flow, step: Step, why: Invalid) -> None:
    frame.retries += 1
    runner.r.event("invalid", flow_id=flow.id, version=flow.version, step_id=step.id)
    if frame.retries < step.retries:
        runner.r.say(runner.r.ui(why.reason, **dict(why.params)))
        runner.reshow()
        return
    frame.retries = 0
    runner.r.say(runner.r.ui(texts.TOO_MANY_TRIES))
    runner.help_reason = "retries"
    runner.walk(step.on_fail)
