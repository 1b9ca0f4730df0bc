"""Refused requests counted per kind and logged at most once a minute per kind."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger("bot.channels.http")
WHAT = {
    "secret": "webhook requests without the right secret",
    "signature": "webhook requests without a valid signature",
    "too_large": "webhook requests with a body over the limit",
    "not_json": "webhook requests whose body is not a JSON object",
    "unreadable": "webhook updates the channel could not read",
    "malformed": "malformed HTTP requests (or headers over the limit)",
    "slow": "connections too slow to send their request",
    "busy": "requests over the connection limit",
}


class Refusals:
    """Counts refusals; the first of a kind logs at once, the rest once a minute with a count."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self.counts: dict[str, int] = {}
        self.logged: dict[str, float] = {}
        self.total: dict[str, int] = {}

    def count(self, kind: str) -> None:
        """One refusal of `kind` (a key of WHAT)."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.total[kind] = self.total.get(kind, 0) + 1
        last = self.logged.get(kind)
        if last is None or self.clock() - last >= self.every:
            self._log(kind)

    def flush(self, everything: bool = False) -> None:
        """Log the counts whose minute is over (every count when `everything`)."""
        for kind, n in list(self.counts.items()):
            if n and (everything or self.clock() - self.logged.get(kind, 0.0) >= self.every):
                self._log(kind)

    def _log(self, kind: str) -> None:
        n = self.counts.pop(kind, 0)
        self.logged[kind] = self.clock()
        log.warning("%s: %d refused in the last minute", WHAT[kind], n)
