"""OA webhook freshness: a signed event must be recent, and its signature not seen before."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

# Zalo POSTs an event within seconds of stamping it; five minutes either way leaves room for a
# server clock that is a little off and for Zalo's own delays, and is what other signed webhooks
# allow (Slack, Stripe). A request older than that is refused whatever its signature.
WINDOW = timedelta(minutes=5)
SEEN_MAX = 100_000  # signatures remembered: far more than five minutes of a commune's events
MS_FROM = 10**11  # a stamp this large is in milliseconds (Zalo's), else in seconds


def stamp_time(stamp: str) -> datetime | None:
    """The moment a time stamp (Unix milliseconds, or seconds) names; None if it names none."""
    try:
        value = int(stamp.strip())
        return datetime.fromtimestamp(value / 1000 if value >= MS_FROM else value, UTC)
    except (ValueError, OverflowError, OSError):
        return None


class Freshness:
    """Accepts a signed request once: refused when its stamp is more than WINDOW from our clock,
    or when its signature was already accepted (a replay). Signatures are kept while their stamp
    is within WINDOW, at most SEEN_MAX of them, the oldest forgotten first."""

    def __init__(self, clock: Callable[[], datetime], kept: int = SEEN_MAX) -> None:
        self.clock = clock
        self.kept = kept
        self._seen: OrderedDict[str, datetime] = OrderedDict()

    def accept(self, signature: str, stamp: str) -> bool:
        """Whether a request with this (already checked) signature and stamp is fresh and new;
        a fresh new one is remembered."""
        when, now = stamp_time(stamp), self.clock()
        if when is None or abs(now - when) > WINDOW:
            return False
        self._forget(now)
        if signature in self._seen:
            return False
        self._seen[signature] = when
        if len(self._seen) > self.kept:
            self._seen.popitem(last=False)
        return True

    def forget(self, signature: str) -> None:
        """A request accepted but not handled (its delivery failed): Zalo may send it again."""
        self._seen.pop(signature, None)

    def __len__(self) -> int:
        """How many signatures are remembered."""
        return len(self._seen)

    def _forget(self, now: datetime) -> None:
        while self._seen:
            oldest = next(iter(self._seen.values()))
            if now - oldest <= WINDOW:
                return
            self._seen.popitem(last=False)
