"""The rules a broadcast text must pass, as for flow texts: no secrets asked, known links only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.engine.textnorm import fold
from bot.flows.lint import FORBIDDEN_ASKS

TEXT_MAX = 3000  # leaves room for the signature and the flow hint under every messenger's limit
PASSCODE_WORDS = ("passcode", "ma pin", "pin", "ma xac thuc", "ma xac nhan")
LINK = re.compile(r"(?:https?://)?((?:[\w-]+\.)+[a-z]{2,})(?:[/:?#]\S*)?", re.IGNORECASE)


def problems(text: str, domains: Sequence[str]) -> list[str]:
    """What is wrong with a broadcast text (in English, for the CLI and the log); empty if none."""
    found: list[str] = []
    if not text.strip():
        found.append("the text is empty")
    if len(text) > TEXT_MAX:
        found.append(f"the text has {len(text)} characters; at most {TEXT_MAX}")
    words = f" {fold(text)} "
    asks = [*FORBIDDEN_ASKS, (PASSCODE_WORDS, "a passcode")]
    for needles, what in asks:
        if any(f" {n} " in words for n in needles):
            found.append(f"it mentions {what}; residents must never be asked for one")
    for host in link_hosts(text):
        if not allowed(host, domains):
            found.append(f"it links to {host}; links may go only to {', '.join(domains)}")
    return found


def link_hosts(text: str) -> list[str]:
    """The host of every link (with or without a scheme) in a text."""
    hosts = []
    for match in LINK.finditer(text):
        whole = match[0] if "://" in match[0] else "https://" + match[0]
        host = (urlsplit(whole).hostname or "").lower()
        if host:
            hosts.append(host)
    return hosts


def allowed(host: str, domains: Sequence[str]) -> bool:
    """Whether a host is one of the domains or under one of them."""
    return any(host == d or host.endswith("." + d) for d in domains)
