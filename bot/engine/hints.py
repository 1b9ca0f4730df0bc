"""Instructions that fit the channel: "bấm nút" where options are buttons, "gõ số" for a list."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.inputs import Invalid
from bot.engine.reply import Reply

NOT_TEXT = frozenset(texts.NOT_TEXT)  # inbound kinds the bot cannot read


def as_buttons(reply: Reply, count: int) -> bool:
    """Whether the channel shows `count` options as buttons (else as a numbered list)."""
    return 0 < count <= reply.ctx.buttons_max


def menu_text(reply: Reply, count: int) -> str:
    """The menu's question, saying how to choose on this channel."""
    return reply.ui(texts.MENU if as_buttons(reply, count) else texts.MENU_TYPED)


def choose_one(reply: Reply) -> Invalid:
    """A miss at the question on screen: how to answer it here, with one of its options."""
    options = reply.state.prompt.options
    example = options[0][0] if options else ""
    buttons = as_buttons(reply, len(options))
    return Invalid(texts.CHOOSE_BUTTON if buttons else texts.CHOOSE_NUMBER, {"example": example})


def say_choose_one(reply: Reply) -> None:
    """Say how to answer the question on screen (it is shown again after)."""
    why = choose_one(reply)
    reply.say(reply.ui(why.reason, **dict(why.params)))


def not_text(reply: Reply, kind: str) -> None:
    """A sticker, voice message, location, video, or a file where none is asked: what the bot
    reads, and that "trợ giúp" brings a person; a file is not kept (with an ID-card warning)."""
    if kind in NOT_TEXT:
        opening = reply.ui(texts.NOT_TEXT[kind])
    else:
        opening = reply.ui(texts.FILE_NOT_KEPT) + " " + reply.ui(texts.ID_CARD_WARNING)
    buttons = as_buttons(reply, len(reply.state.prompt.options))
    reads = reply.ui(texts.READS_BUTTONS if buttons else texts.READS_TYPED)
    reply.say(f"{opening}\n{reads}")
