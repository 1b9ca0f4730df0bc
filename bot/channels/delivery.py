"""How a channel's sender reports what became of a message, for the outbox worker to act on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.store.writes import Delivery

PartSent = Callable[[int], Awaitable[None]]


class RetryLater(Exception):
    """The messenger cannot take it now; try again after `after` seconds.

    `everyone`: the messenger asked the whole bot to slow down (a 429), not only this chat.
    """

    def __init__(self, after: float, reason: str, everyone: bool = False) -> None:
        super().__init__(reason)
        self.after = after
        self.reason = reason
        self.everyone = everyone


class Unreachable(Exception):
    """The resident cannot be reached on this channel (they blocked the bot)."""


class Rejected(Exception):
    """The messenger refused this message for good (a 400): it is not sent again."""


class Sender(Protocol):
    """Sends one delivery, which may take several messenger calls (parts)."""

    def parts(self, delivery: Delivery) -> int:
        """How many calls the delivery takes."""

    async def send(self, delivery: Delivery, first_part: int, part_sent: PartSent) -> None:
        """Send the parts from `first_part` on, awaiting `part_sent(n)` after each one."""
