"""Raising the process's file-descriptor limit, so connections are refused before it runs out."""

from __future__ import annotations

import logging
import resource

from bot.channels.http.protocol import LINGERING

log = logging.getLogger("bot.channels.http")
WANTED = 65536


def raise_descriptor_limit(wanted: int = WANTED) -> int:
    """Lift the soft RLIMIT_NOFILE towards `wanted` (within the hard limit); the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def connections_for(descriptors: int, wanted: int) -> int:
    """How many connections the endpoint may hold with `descriptors` open files in all."""
    room = max(16, descriptors // 2 - LINGERING)  # half for the rest of the bot
    if room < wanted:
        log.warning("%d open files allow %d HTTP connections, not %d", descriptors, room, wanted)
    return min(room, wanted)
