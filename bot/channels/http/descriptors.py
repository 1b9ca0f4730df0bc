"""The process's file descriptors, shared out so connections are refused before they run out."""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass

log = logging.getLogger("bot.channels.http")
WANTED = 65536
MOST_LINGERING = 100
MOST_PER_ACCEPT = 128
BATCHES_IN_FLIGHT = 3  # accepted in one tick, refused in the next, closed in the one after


@dataclass(frozen=True)
class Budget:
    """How the endpoint's half of the descriptors is shared: connections served, refused
    connections left to linger, and connections accepted in one turn of the event loop."""

    connections: int
    lingering: int
    per_accept: int


def raise_descriptor_limit(wanted: int = WANTED) -> int:
    """Lift the soft RLIMIT_NOFILE towards `wanted` (within the hard limit); the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def budget_for(descriptors: int, wanted: int) -> Budget:
    """The endpoint's share of `descriptors` open files (half; the rest is the bot's).

    asyncio accepts up to `per_accept` connections each time the listening socket is ready,
    before any of them can be refused, so a flood that piled up while the process was busy
    holds a few batches at once on top of the served and the lingering ones."""
    room = descriptors // 2
    per_accept = max(8, min(MOST_PER_ACCEPT, room // 8))
    lingering = max(8, min(MOST_LINGERING, room // 4))
    fits = max(8, room - lingering - BATCHES_IN_FLIGHT * per_accept)
    if fits < wanted:
        log.warning("%d open files allow %d HTTP connections, not %d", descriptors, fits, wanted)
    return Budget(min(fits, wanted), lingering, per_accept)
