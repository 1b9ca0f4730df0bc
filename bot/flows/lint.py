"""The rules that look at one parsed flow as a whole: targets, paths, variables, limits, safety."""

from __future__ import annotations

from datetime import date

from bot.engine.flow import BUILTIN_VARIABLES, RESERVED_TARGETS, Flow, Pos, Step, is_flow_target
from bot.engine.inputs import resolve_date_bound
from bot.engine.textnorm import fold
from bot.flows.findings import Findings, did_you_mean
from bot.flows.graph import can_end, edges, reachable
from bot.flows.schema import (
    BUTTONS_MAX,
    CHECKED_MAX_DAYS,
    LABEL_MAX,
    SOURCED_KINDS,
    TEXT_MAX,
    TEXT_WARN,
)
from bot.flows.variables import all_saved, defined_on_entry, reads, unsaved_path

FORBIDDEN_ASKS = (
    (("mat khau", "password"), "a password"),
    (("otp",), "an OTP"),
)
ID_CARD_WORDS = ("can cuoc", "cccd", "chung minh", "identity card", "cmnd")


def lint_flow(flow: Flow, f: Findings, today: date | None = None) -> None:
    """Record every finding about one flow on its own; `checked` is aged against `today`."""
    for step in flow.steps:
        _check_targets(flow, step, f)
        _check_input(step, f)
        _check_limits(step, f)
        _check_means(step, f)
        _check_safety(step, f)
    _check_paths(flow, f)
    _check_variables(flow, f)
    _check_birth_date(flow, f)
    _check_sourced(flow, f, today)


def _check_sourced(flow: Flow, f: Findings, today: date | None) -> None:
    """An account or application flow says what it rests on and when it was last checked."""
    if flow.kind not in SOURCED_KINDS:
        return
    at = flow.positions.get("kind", Pos(1, 1))
    if not flow.sources and "sources" not in flow.positions:
        f.warning(
            at,
            f"an {flow.kind} flow needs 'sources': the legal texts it rests on, e.g. "
            f'["Luật Hộ tịch 2014, điều 16"]',
        )
    if flow.checked is None:
        if "checked" not in flow.positions:
            f.warning(
                at,
                f"an {flow.kind} flow needs 'checked': the date it was last checked "
                f"against the law and the live screens, e.g. 'checked: 2026-12-01'",
            )
        return
    if today is not None:
        _check_age(flow, flow.checked, today, f)


def _check_age(flow: Flow, checked: date, today: date, f: Findings) -> None:
    at = flow.positions.get("checked", Pos(1, 1))
    age = (today - checked).days
    if age < 0:
        f.warning(
            at,
            f"'checked' is {checked.isoformat()}, a date in the future "
            f"(write the day the flow was checked)",
        )
    elif age > CHECKED_MAX_DAYS:
        f.warning(
            at,
            f"'checked' is {checked.isoformat()}, more than 12 months ago: the rules change "
            f"often; check the flow against the law and the live screens, then update the date",
        )


def _check_targets(flow: Flow, step: Step, f: Findings) -> None:
    for edge in edges(flow, step, written=True):
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
    for key, kind in (("event", "date"), ("birth_date", "cccd")):
        if key in step.positions and step.input != kind:
            f.error(
                step.positions[key],
                f"step '{step.id}': '{key}' is for input '{kind}' (input is '{step.input}')",
            )


def _check_birth_date(flow: Flow, f: Findings) -> None:
    """A cccd question's `birth_date` must name a date (an unsaved name is found elsewhere)."""
    dates = {s.save for s in flow.steps if s.kind == "ask" and s.input == "date"}
    others = all_saved(flow) - dates
    for step in flow.steps:
        name = step.birth_date
        if name in others and step.input == "cccd":
            f.error(
                step.positions.get("birth_date", step.pos),
                f"step '{step.id}': 'birth_date' is '{name}', which is not saved by an "
                f"'input: date' question (name the saved birth date)",
            )


def _check_bound(step: Step, key: str, bound: object, f: Findings) -> None:
    at = step.positions.get(key, step.pos)
    kinds = {"number": "a whole number", "text": "a whole number", "date": "a date"}
    if step.input not in kinds or (step.input == "text" and key == "min"):
        f.error(
            at,
            f"step '{step.id}': '{key}' does not apply to input '{step.input}' "
            f"(min and max are for number and date; max also for text)",
        )
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
        size = len(step.text.strip())
        if size > TEXT_MAX:
            f.error(
                at,
                f"step '{step.id}': the message has {size} characters "
                f"(at most {TEXT_MAX}; split it into two steps)",
            )
        elif size > TEXT_WARN:
            f.warning(
                at,
                f"step '{step.id}': the message has {size} characters "
                f"(keep it under {TEXT_WARN}, or split it into two steps)",
            )
    what = "buttons" if step.buttons else "choices"
    if len(step.options) > BUTTONS_MAX:
        f.warning(
            step.positions[what],
            f"step '{step.id}': has {len(step.options)} {what} (at most {BUTTONS_MAX})",
        )
    if step.goto and step.buttons:
        f.error(
            step.positions["goto"],
            f"step '{step.id}': a step with buttons cannot also 'goto'; "
            f"put the goto on a step of its own",
        )
    for option in step.options:
        if len(option.label) > LABEL_MAX:
            f.warning(
                option.pos,
                f"step '{step.id}': the label '{option.label}' has {len(option.label)} "
                f"characters (at most {LABEL_MAX})",
            )


def _check_means(step: Step, f: Findings) -> None:
    """Options marked `means:` are one affirmative and one negative."""
    marked = [o for o in step.options if o.means]
    if not marked:
        return
    for meaning in ("yes", "no"):
        count = sum(o.means == meaning for o in marked)
        if count != 1:
            f.error(
                marked[0].pos,
                f"step '{step.id}': {count} options have 'means: {meaning}'; a yes/no question "
                f"has one option with 'means: yes' and one with 'means: no'",
            )


def _check_safety(step: Step, f: Findings) -> None:
    if step.kind != "ask":
        return
    words = f" {fold(step.text)} "
    at = step.positions.get("ask", step.pos)
    for needles, what in FORBIDDEN_ASKS:
        if any(f" {n} " in words for n in needles):
            f.warning(
                at,
                f"step '{step.id}': the question asks for {what}; "
                f"residents must never be asked for one",
            )
    if step.input == "photo" and any(w in words for w in ID_CARD_WORDS):
        f.warning(
            at,
            f"step '{step.id}': the question asks for a photo of an identity card; "
            f"residents must never be asked for one",
        )


def _check_paths(flow: Flow, f: Findings) -> None:
    live = reachable(flow)
    ending = can_end(flow)
    for step in flow.steps:
        if step.id not in live:
            f.error(
                step.pos,
                f"step '{step.id}': no path from the first step reaches it "
                f"(make a button, 'next' or branch go to it, or delete it)",
            )
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
            if name in entry[step.id]:
                continue
            if name in saved or name in BUILTIN_VARIABLES:
                f.error(pos, f"step '{step.id}': {_unsaved(flow, step, name)}")
            else:
                f.error(pos, f"step '{step.id}': {_unknown(name, how, saved)}")


def _unknown(name: str, how: str, saved: set[str]) -> str:
    hint = did_you_mean(name, saved | BUILTIN_VARIABLES) or " (no step saves it)"
    if how == "placeholder":
        return f"unknown placeholder '{{{name}}}'{hint}"
    return f"unknown name '{name}'{hint}"


def _unsaved(flow: Flow, step: Step, name: str) -> str:
    path = unsaved_path(flow, name, step.id)
    if len(path) == 1:
        return f"'{name}' is read in the first step, before any step can save it"
    if len(path) > 6:
        path = [*path[:2], "...", *path[-3:]]
    return (
        f"'{name}' is read here, but on the path {' -> '.join(path)} no step saves it "
        f"(save it on that path too, or 'set:' a value there)"
    )
