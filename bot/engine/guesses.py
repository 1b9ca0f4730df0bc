"""How codes are shown to residents, and what they are told when code entry is locked."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.reply import Reply


def show_code(code: str) -> str:
    """A code as residents read it: in groups of four digits ("4829 1377 05"); 6 digits as is."""
    if len(code) <= 6:
        return code
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def refused(reply: Reply) -> bool:
    """Say so, and return True, when the code typed was not looked up (too many wrong codes)."""
    facts = reply.ctx.facts
    if not facts.locked_minutes:
        return False
    text = texts.CODES_PAUSED if facts.locked_everyone else texts.CODES_LOCKED
    reply.say(reply.ui(text, minutes=facts.locked_minutes))
    return True
