"""The keys a flow file may use, and the values they allow (docs/flows.md is the prose form)."""

from __future__ import annotations

import re

FLOW_KEYS = (
    "id", "title", "kind", "procedure", "field", "online", "requires", "milestone",
    "remind_after", "expire_after", "menu", "steps", "sources", "checked",
)  # fmt: skip
SOURCED_KINDS = ("account", "application")  # flows that must say what they rest on, and when
CHECKED_MAX_DAYS = 365  # `checked` older than this (12 months) is a warning
FLOW_REQUIRED = ("id", "title", "kind", "steps")
REQUIRED_HINTS = {
    "title": "add 'title: ...', the name shown in menus",
    "kind": "add 'kind: account', 'kind: application' or 'kind: info'",
    "steps": "add 'steps:' followed by a list of steps",
}
FLOW_KINDS = ("account", "application", "info")
FIELDS = ("justice", "labor_social", "residence", "health_insurance", "land", "other")
ONLINE = ("full", "partial")

COMMON_STEP_KEYS = ("id", "next", "milestone", "handoff", "set", "end")
MEDIA_KEYS = ("image", "video", "audio", "document")
STEP_KEYS_BY_KIND = {
    "say": (*COMMON_STEP_KEYS, *MEDIA_KEYS, "say", "buttons", "goto"),
    "ask": (
        *COMMON_STEP_KEYS, *MEDIA_KEYS, "ask", "input", "save", "choices", "min", "max",
        "retries", "on_fail", "sensitive", "event", "birth_date",
    ),
    "branch": ("id", "milestone", "handoff", "set", "branch"),
    "action": (*COMMON_STEP_KEYS, "goto"),
}  # fmt: skip
ALL_STEP_KEYS = tuple(dict.fromkeys(k for keys in STEP_KEYS_BY_KIND.values() for k in keys))
KIND_KEYS = ("say", "ask", "branch")
ACTION_KEYS = ("milestone", "handoff", "goto", "set", "end")
END_VALUES = ("completed", "cancelled")

SLUG = re.compile(r"[a-z][a-z0-9_]{1,39}")
STEP_SLUG = re.compile(r"[a-z][a-z0-9_]{0,39}")
DURATION = re.compile(r"(\d+)([mhd])")
DURATION_UNITS = {"m": 60, "h": 3600, "d": 86400}
DEFAULT_EXPIRE = 14 * 86400

TEXT_WARN = 600
TEXT_MAX = 1000
BUTTONS_MAX = 8  # buttons, and choices
LABEL_MAX = 24


def duration_seconds(text: str) -> int | None:
    """Seconds in a duration like `30m`, `6h`, `2d`; None when it is not one."""
    match = DURATION.fullmatch(text.strip())
    if match is None:
        return None
    return int(match.group(1)) * DURATION_UNITS[match.group(2)]
