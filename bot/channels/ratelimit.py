"""Token buckets: how many messages a messenger lets a bot send, overall and to one chat."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TokenBucket:
    """`rate` tokens a second, at most `capacity` saved up; a send takes one token."""

    rate: float
    capacity: float
    tokens: float = 0.0
    updated: float | None = None  # None: not used yet, so full

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0 when one is free now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Use a token (call when `wait` says 0)."""
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        if self.updated is None:
            self.tokens = self.capacity
        else:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now


@dataclass(frozen=True)
class Limits:
    """A messenger's sending limits."""

    overall_rate: float
    overall_burst: float
    chat_rate: float
    chat_burst: float
    in_flight: int = 16  # sends under way at once, to different chats

    def overall(self) -> TokenBucket:
        """The bucket for all sends."""
        return TokenBucket(self.overall_rate, self.overall_burst)

    def chat(self) -> TokenBucket:
        """The bucket for one chat."""
        return TokenBucket(self.chat_rate, self.chat_burst)
