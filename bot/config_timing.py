"""The timing settings of danvan.yaml: `quiet_hours` and `followups`."""

from __future__ import annotations

import re

import yaml

from bot.config_checks import NodeReader

QUIET_KEYS = ("start", "end")
FOLLOWUP_KEYS = ("escalate_after", "remind_holder_after")
DEFAULT_QUIET = ("21:00", "06:30")
DEFAULT_ESCALATE_HOURS = 24
DEFAULT_NUDGE_HOURS = 72
CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
DURATION = re.compile(r"([1-9][0-9]{0,3})([hd])")


def quiet_hours(reader: NodeReader, node: yaml.Node | None) -> tuple[str, str]:
    """`quiet_hours: {start: "21:00", end: "06:30"}`: no reminders between them."""
    if node is None:
        return DEFAULT_QUIET
    found = reader.fields(node, "quiet_hours", QUIET_KEYS, QUIET_KEYS)
    times = []
    for key, default in zip(QUIET_KEYS, DEFAULT_QUIET, strict=True):
        text = reader.get(found, "quiet_hours", key, 'a time such as "21:00"') or default
        if key in found and not CLOCK.fullmatch(text):
            reader.error(
                found[key], f"quiet_hours.{key}", f'expected HH:MM such as "21:00", got {text!r}'
            )
            text = default
        times.append(text)
    return times[0], times[1]


def followup_hours(reader: NodeReader, node: yaml.Node | None) -> tuple[int, int]:
    """`followups: {escalate_after: 24h, remind_holder_after: 3d}`, in hours."""
    if node is None:
        return DEFAULT_ESCALATE_HOURS, DEFAULT_NUDGE_HOURS
    found = reader.fields(node, "followups", FOLLOWUP_KEYS, ())
    values = []
    for key, default in zip(
        FOLLOWUP_KEYS, (DEFAULT_ESCALATE_HOURS, DEFAULT_NUDGE_HOURS), strict=True
    ):
        text = reader.get(found, "followups", key, "a duration such as 24h or 3d", True)
        match = DURATION.fullmatch(text) if text else None
        if text is not None and match is None:
            reader.error(
                found[key],
                f"followups.{key}",
                f"expected a duration such as 24h or 3d, got {text!r}",
            )
        hours = int(match[1]) * (24 if match[2] == "d" else 1) if match else default
        values.append(hours)
    return values[0], values[1]
