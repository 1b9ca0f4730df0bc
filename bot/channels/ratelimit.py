"""Token buckets and a sliding window: how many calls a messenger lets a bot make, overall and
to one chat. A message may take several calls (pieces, media, an edit), so it costs that many."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """`rate` tokens a second, at most `capacity` saved up; a call takes one token."""

    rate: float
    capacity: float
    tokens: float = 0.0
    updated: float | None = None  # None: not used yet, so full

    def wait(self, now: float, cost: int = 1) -> float:
        """Seconds until `cost` tokens are free (all the capacity, for a larger cost)."""
        self._refill(now)
        need = min(float(cost), self.capacity)
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self, now: float, cost: int = 1) -> None:
        """Use `cost` tokens (call when `wait` says 0; a larger cost leaves a debt)."""
        self._refill(now)
        self.tokens -= cost

    def _refill(self, now: float) -> None:
        if self.updated is None:
            self.tokens = self.capacity
        else:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now


@dataclass
class SlidingWindow:
    """At most `limit` calls in any `seconds`-long span (0: no limit), as Telegram counts."""

    limit: int
    seconds: float = 1.0
    spread: float = 0.05  # a message's later calls are counted this much apart: they come later
    _times: list[float] = field(default_factory=list)

    def wait(self, now: float, cost: int = 1) -> float:
        """Seconds until `cost` more calls fit in the window."""
        if self.limit <= 0:
            return 0.0
        gone = 0
        while gone < len(self._times) and self._times[gone] <= now - self.seconds:
            gone += 1
        del self._times[:gone]
        over = len(self._times) + min(cost, self.limit) - self.limit
        return 0.0 if over <= 0 else self._times[over - 1] + self.seconds - now

    def take(self, now: float, cost: int = 1) -> None:
        """Count `cost` calls made now."""
        for n in range(cost if self.limit > 0 else 0):
            insort(self._times, now + n * self.spread)


@dataclass(frozen=True)
class Limits:
    """A messenger's sending limits."""

    overall_rate: float
    overall_burst: float
    chat_rate: float
    chat_burst: float
    in_flight: int = 16  # sends under way at once, to different chats
    overall_window: int = 0  # at most this many calls in any second (0: only the bucket)

    def overall(self) -> TokenBucket:
        """The bucket for all sends."""
        return TokenBucket(self.overall_rate, self.overall_burst)

    def window(self) -> SlidingWindow:
        """The window for all sends."""
        return SlidingWindow(self.overall_window)

    def chat(self) -> TokenBucket:
        """The bucket for one chat."""
        return TokenBucket(self.chat_rate, self.chat_burst)
