"""The terminal chat: talk to the bot as a resident, with numbered choices and no token."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Callable
from typing import TextIO

from bot.app import App, with_app
from bot.channels.handoff import Handoff
from bot.channels.incoming import Incoming
from bot.channels.render import media_lines, numbered
from bot.config import Config
from bot.engine.types import Inbound
from bot.store.outbox import mark_sent, unsent
from bot.store.writes import Delivery

CHANNEL = "terminal"
QUIT = ("/quit", "/exit", "/thoat")


async def run_chat(config: Config, who: str) -> int:
    """Open the chat for resident `who` until end of input or /quit."""

    async def chat(app: App) -> None:
        _replace_undecodable(sys.stdin)
        print(f"danvan · {config.commune} · {config.db_path} · /quit để thoát\n")
        await converse(app, who, _read_line, sys.stdout)

    return await with_app(config, chat)


async def converse(app: App, who: str, read: Callable[[], str | None], out: TextIO) -> None:
    """The chat loop: resend what a crash left unsent, then one line in, the replies out."""
    await _deliver(app, [d for d in await unsent(app.db, CHANNEL) if d.external_id == who], out)
    await _send(app, who, Inbound("start"), out)
    while True:
        line = await asyncio.to_thread(read)
        if line is None or line.strip().lower() in QUIT:
            return
        if line.strip():
            await _send(app, who, Inbound("text", text=line), out)


async def _send(app: App, who: str, inbound: Inbound, out: TextIO) -> None:
    deliveries = await Handoff(app, CHANNEL).handle(Incoming(who, inbound, None))
    await _deliver(app, deliveries, out)


async def _deliver(app: App, deliveries: list[Delivery], out: TextIO) -> None:
    for delivery in deliveries:
        message = delivery.message
        for line in media_lines(message, app.config.flows_dir):
            out.write(line + "\n")
        out.write(numbered(message) + "\n\n")
        out.flush()
        await mark_sent(app.db, delivery.id, app.conversation.clock().isoformat())


def _replace_undecodable(stream: TextIO) -> None:
    """Read bytes that are not valid in the terminal's encoding as U+FFFD instead of failing."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def _read_line() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None
