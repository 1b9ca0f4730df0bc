"""One person on several channels: on the messenger a resident already uses they ask for a
one-time linking code ("liên kết"); typed on a new messenger before it holds anything of theirs,
it makes that messenger the same person. A household's code never does: it only joins."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import texts
from bot.engine.guesses import refused, show_code
from bot.engine.reply import Reply
from bot.engine.textnorm import digits
from bot.engine.types import Inbound

LINK_DIGITS = 8
LINK_MINUTES = 10
STAGES = ("link_code",)
Reprompt = Callable[[Reply], None]


def give_code(reply: Reply) -> None:
    """On the messenger the resident already uses: a one-time code for the new one."""
    code = reply.ctx.facts.new_link_code
    if not code:
        return
    reply.effect("link_code", detail=code)
    reply.event("link_code_given")
    reply.say(reply.ui(texts.LINK_CODE_GIVEN, code=show_code(code), minutes=LINK_MINUTES))


def begin(reply: Reply) -> None:
    """On a new messenger, before it holds anything: ask for the linking code."""
    reply.state.pending["link_return"] = reply.state.stage
    ask(reply)


def ask(reply: Reply) -> None:
    """Ask for the linking code, with a way back."""
    reply.state.stage = "link_code"
    options = [(reply.ui(texts.LINK_CANCEL), "cancel")]
    reply.ask(reply.ui(texts.LINK_ASK_CODE), options, yes_no=("", "cancel"))


def answer(reply: Reply, inbound: Inbound, key: str | None, back: Reprompt) -> None:
    """A linking code typed (or the way back)."""
    if key == "cancel":
        reply.state.stage = reply.state.pending.pop("link_return", "household")
        back(reply)
        return
    if refused(reply):
        ask(reply)
        return
    owner = reply.ctx.facts.link_owner
    if owner is None:
        count = len(digits(inbound.text))
        reply.say(reply.ui(texts.LINK_CODE_WRONG, count=count, minutes=LINK_MINUTES))
        ask(reply)
        return
    reply.state.pending.pop("link_return", None)
    reply.effect("link_identity", detail=str(owner))
    reply.event("identity_linked")
    reply.say(reply.ui(texts.LINKED))
