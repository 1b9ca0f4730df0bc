"""The `broadcasts:` settings of danvan.yaml: quiet hours, allowed link domains, confirmation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

import yaml

from bot.config_checks import NodeReader

KEYS = ("quiet_hours", "link_domains", "confirm_above")
HOURS = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])", re.ASCII)
DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")


@dataclass(frozen=True)
class BroadcastSettings:
    """When broadcasts may go, where their links may point, and when a second official confirms."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(6, 30)
    link_domains: tuple[str, ...] = ("gov.vn",)
    confirm_above: int = 500


def read_broadcasts(
    reader: NodeReader, node: yaml.Node | None, quiet: tuple[str, str] = ("21:00", "06:30")
) -> BroadcastSettings:
    """Read `broadcasts:`; every mistake is noted on `reader` with its place. The commune's
    `quiet_hours` (`quiet`, HH:MM) hold broadcasts too unless `broadcasts.quiet_hours` is set."""
    default = BroadcastSettings(time.fromisoformat(quiet[0]), time.fromisoformat(quiet[1]))
    if node is None:
        return default
    found = reader.fields(node, "broadcasts", KEYS, ())
    start, end = _hours(reader, found.get("quiet_hours"))
    return BroadcastSettings(
        quiet_start=start or default.quiet_start,
        quiet_end=end or default.quiet_end,
        link_domains=_domains(reader, found.get("link_domains")) or default.link_domains,
        confirm_above=_size(reader, found.get("confirm_above"), default.confirm_above),
    )


def _hours(reader: NodeReader, node: yaml.Node | None) -> tuple[time | None, time | None]:
    path = "broadcasts.quiet_hours"
    text = reader.text(node, path, "hours such as 21:00-06:30", True)
    if node is None or text is None:
        return None, None
    found = HOURS.fullmatch(text.replace(" ", ""))
    if found is None:
        reader.error(node, path, f"{text!r} is not a span of hours (expected e.g. 21:00-06:30)")
        return None, None
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    return time(h1, m1), time(h2, m2)


def _domains(reader: NodeReader, node: yaml.Node | None) -> tuple[str, ...]:
    path = "broadcasts.link_domains"
    domains = []
    for i, item in enumerate(reader.items(node, path, "domains such as gov.vn") or []):
        text = reader.text(item, f"{path}[{i}]", "a domain such as gov.vn")
        if text is not None and not DOMAIN.fullmatch(text.lower()):
            reader.error(item, f"{path}[{i}]", f"{text!r} is not a domain (expected e.g. gov.vn)")
        elif text is not None:
            domains.append(text.lower())
    return tuple(domains)


def _size(reader: NodeReader, node: yaml.Node | None, default: int) -> int:
    path = "broadcasts.confirm_above"
    text = reader.text(node, path, "a number of residents such as 500", True)
    if node is None or text is None:
        return default
    if not text.isascii() or not text.isdigit():
        reader.error(node, path, f"{text!r} is not a number of residents (expected e.g. 500)")
        return default
    return int(text)
