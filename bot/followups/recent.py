"""The last few things each resident typed, long numbers masked, for a follow-up to show."""

from __future__ import annotations

import re
from collections import OrderedDict, deque

from bot.engine.inputs import mask

KEEP = 3  # messages per resident
RESIDENTS = 20_000  # residents remembered (the least recent are dropped)
LENGTH = 200  # characters kept of one message
NUMBER = re.compile(r"\d[\d .-]{4,}\d")  # a CCCD, phone or code, typed with or without spaces


def masked(text: str) -> str:
    """The text with every number of 6 digits or more hidden but its last 4 digits."""

    def hide(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return mask(digits) if len(digits) >= 6 else match.group(0)

    return NUMBER.sub(hide, text[:LENGTH])


class Recent:
    """In memory only: after a restart a follow-up shows what was typed since."""

    def __init__(self) -> None:
        self._texts: OrderedDict[int, deque[str]] = OrderedDict()

    def add(self, resident_id: int, text: str, secret: bool = False) -> None:
        """Remember what the resident typed: long numbers masked, all of it when `secret` (the
        answer to a sensitive question)."""
        if not text.strip():
            return
        texts = self._texts.setdefault(resident_id, deque(maxlen=KEEP))
        texts.append(mask(text.strip())[:LENGTH] if secret else masked(text))
        self._texts.move_to_end(resident_id)
        if len(self._texts) > RESIDENTS:
            self._texts.popitem(last=False)

    def of(self, resident_id: int) -> list[str]:
        """What the resident typed last, oldest first."""
        return list(self._texts.get(resident_id, ()))

    def forget(self, resident_id: int) -> None:
        """Drop what a forgotten resident typed."""
        self._texts.pop(resident_id, None)
