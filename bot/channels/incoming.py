"""What a channel hands the conversation: who wrote, what they did, and the key that dedupes it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.types import Inbound


@dataclass(frozen=True)
class Incoming:
    """One update or event as the conversation needs it."""

    chat_id: str
    inbound: Inbound
    key: str | None
