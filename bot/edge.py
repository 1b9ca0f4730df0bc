"""What every channel's input passes first: a length limit, and text SQLite can store."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.engine.types import Inbound

# Telegram's own limit for one message (4,096 characters): no message a resident can send from
# a messenger app is refused; anything longer is pasted, forged or broken, and is never read.
TEXT_MAX = 4096
_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def too_long(inbound: Inbound) -> bool:
    """Whether the inbound carries more than TEXT_MAX characters in any field (a length check
    only: nothing of the text is read)."""
    return max(len(inbound.text), len(inbound.payload), len(inbound.file_ref)) > TEXT_MAX


def storable(text: str) -> str:
    """The text with any lone surrogate (which UTF-8 cannot encode) replaced by U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub(REPLACEMENT, text)
    return text


def clean(inbound: Inbound) -> Inbound:
    """The inbound with every field storable; the same object when nothing needed replacing."""
    text, payload, ref = (storable(s) for s in (inbound.text, inbound.payload, inbound.file_ref))
    if (text, payload, ref) == (inbound.text, inbound.payload, inbound.file_ref):
        return inbound
    return replace(inbound, text=text, payload=payload, file_ref=ref)
