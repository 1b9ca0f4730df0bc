"""How codes are shown to residents, and what they are told when code entry is locked."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.reply import Reply

HOUSEHOLD_DIGITS = 10  # new households
OLD_HOUSEHOLD_DIGITS = 6  # households made before the 10-digit codes keep theirs


def show_code(code: str) -> str:
    """A code as residents read it: in groups of four digits ("4829 1377 05"); 6 digits as is."""
    if len(code) <= 6:
        return code
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def household_code_wrong(reply: Reply, count: int) -> None:
    """Say why a household code was not found: its length, when no code has that many digits."""
    if count in (HOUSEHOLD_DIGITS, OLD_HOUSEHOLD_DIGITS):
        reply.say(reply.ui(texts.HOUSEHOLD_CODE_WRONG, count=count))
    elif count == 0:
        reply.say(reply.ui(texts.HOUSEHOLD_CODE_NO_DIGITS))
    else:
        reply.say(reply.ui(texts.HOUSEHOLD_CODE_LENGTH, count=count))


def refused(reply: Reply) -> bool:
    """Say so, and return True, when the code typed was not looked up (too many wrong codes)."""
    facts = reply.ctx.facts
    if not facts.locked_minutes:
        return False
    text = texts.CODES_PAUSED if facts.locked_everyone else texts.CODES_LOCKED
    reply.say(reply.ui(text, minutes=facts.locked_minutes))
    return True
