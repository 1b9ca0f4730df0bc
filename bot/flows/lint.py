"""The rules that look at one parsed flow as a whole: targets, paths, variables, limits, safety."""

from __future__ import annotations

from datetime import date

from bot.engine.flow import BUILTIN_VARIABLES, RESERVED_TARGETS, Flow, Pos, Step, is_flow_target
from bot.engine.inputs import resolve_date_bound
from bot.engine.textnorm import fold
from bot.flows.findings import Findings, did_you_mean
from bot.flows.graph import can_end, edges, reachable
from bot.flows.schema import BUTTONS_MAX, LABEL_MAX, TEXT_MAX, TEXT_WARN
from bot.flows.variables import all_saved, defined_on_entry, reads

FORBIDDEN_ASKS = (
    (("mat khau", "password"), "a password"),
    (("otp",), "an OTP"),
)
ID_CARD_WORDS = ("can cuoc", "cccd", "chung minh", "identity card", "cmnd")


def lint_flow(flow: Flow, f: Findings) -> None:
    """Record every finding about one flow on its own."""
    for step in flow.steps:
        _check_targets(flow, step, f)
        _check_input(step, f)
        _check_limits(step, f)
        _check_safety(step, f)
    _check_paths(flow, f)
    _check_variables(flow, f)


def _check_targets(flow: Flow, step: Step, f: Findings) -> None:
    for edge in edges(flow, step):
        target = edge.target
        if target is None or target in RESERVED_TARGETS or is_flow_target(target):
            continue
        if not flow.has_step(target):
            known = [s.id for s in flow.steps] + sorted(RESERVED_TARGETS)
            hint = did_you_mean(target, known)
            f.error(edge.pos, f"step '{step.id}': target '{target}' names no step{hint}")


def _check_input(step: Step, f: Findings) -> None:
    if step.kind != "ask":
        return
    at = step.positions.get("input", step.pos)
    if step.input == "choice" and not step.choices:
        f.error(at, f"step '{step.id}': input 'choice' needs a 'choices' list")
    if step.choices and step.input != "choice":
        f.error(
            step.positions["choices"],
            f"step '{step.id}': 'choices' needs 'input: choice' (input is '{step.input}')",
        )
    for key, bound in (("min", step.minimum), ("max", step.maximum)):
        if bound is not None:
            _check_bound(step, key, bound, f)


def _check_bound(step: Step, key: str, bound: object, f: Findings) -> None:
    at = step.positions.get(key, step.pos)
    kinds = {"number": "a whole number", "text": "a whole number", "date": "a date"}
    if step.input not in kinds or (step.input == "text" and key == "min"):
        f.error(at, f"step '{step.id}': '{key}' does not apply to input '{step.input}'")
    elif step.input == "date":
        text = bound.isoformat() if isinstance(bound, date) else str(bound)
        try:
            resolve_date_bound(text, date(2000, 1, 1))
        except ValueError:
            f.error(
                at,
                f"step '{step.id}': '{key}' is '{text}'; expected a date (2025-03-15) "
                f"or an offset from today (-60d, 0d)",
            )
    elif isinstance(bound, bool) or not isinstance(bound, int):
        f.error(at, f"step '{step.id}': '{key}' is '{bound}'; expected {kinds[step.input]}")


def _check_limits(step: Step, f: Findings) -> None:
    if step.text:
        at = step.positions.get(step.kind, step.pos)
        size = len(step.text)
        if size > TEXT_MAX:
            f.error(at, f"step '{step.id}': the message has {size} characters (at most {TEXT_MAX})")
        elif size > TEXT_WARN:
            f.warning(
                at,
                f"step '{step.id}': the message has {size} characters (keep it under {TEXT_WARN})",
            )
    if len(step.buttons) > BUTTONS_MAX:
        f.warning(
            step.positions["buttons"],
            f"step '{step.id}': has {len(step.buttons)} buttons (at most {BUTTONS_MAX})",
        )
    for option in step.options:
        if len(option.label) > LABEL_MAX:
            f.warning(
                option.pos,
                f"step '{step.id}': the label '{option.label}' has {len(option.label)} "
                f"characters (at most {LABEL_MAX})",
            )


def _check_safety(step: Step, f: Findings) -> None:
    if step.kind != "ask":
        return
    words = f" {fold(step.text)} "
    for needles, what in FORBIDDEN_ASKS:
        if any(f" {n} " in words for n in needles):
            f.warning(
                step.pos,
                f"step '{step.id}': the question asks for {what}; "
                f"residents must never be asked for one",
            )
    if step.input == "photo" and any(w in words for w in ID_CARD_WORDS):
        f.warning(
            step.pos,
            f"step '{step.id}': the question asks for a photo of an identity card; "
            f"residents must never be asked for one",
        )


def _check_paths(flow: Flow, f: Findings) -> None:
    live = reachable(flow)
    ending = can_end(flow)
    for step in flow.steps:
        if step.id not in live:
            f.error(step.pos, f"step '{step.id}': no path from the first step reaches it")
        elif step.id not in ending:
            f.error(
                step.pos,
                f"step '{step.id}': no path from here ends the flow "
                f"(add a button or 'next' towards the end, or 'end: completed')",
            )


def _check_variables(flow: Flow, f: Findings) -> None:
    saved = all_saved(flow)
    entry = defined_on_entry(flow)
    for step in flow.steps:
        if step.id not in entry:
            continue
        for name, pos, how in reads(step):
            _check_read(step, name, pos, how, saved, entry[step.id], f)


def _check_read(
    step: Step, name: str, pos: Pos, how: str, saved: set[str], ready: set[str], f: Findings
) -> None:
    if name in ready:
        return
    if name not in saved and name not in BUILTIN_VARIABLES:
        hint = did_you_mean(name, saved | BUILTIN_VARIABLES)
        what = (
            f"unknown placeholder '{{{name}}}'"
            if how == "placeholder"
            else f"unknown name '{name}'"
        )
        f.error(pos, f"step '{step.id}': {what}{hint}")
        return
    f.error(
        pos,
        f"step '{step.id}': '{name}' is read here, but on some path no step saves it before",
    )
