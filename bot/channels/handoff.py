"""Handing an Incoming to the conversation, the same for every channel.

A store that cannot write (busy, disk full, I/O error) is waited for: the message is tried
again, with backoff, until it is stored, so the channel confirms nothing meanwhile (polling
channels) or answers non-2xx at once (webhooks, `wait=False`) so the messenger redelivers. Any
other error is a bug that would repeat: it is never retried but recorded in `failed_inbound`
(never the text), the resident gets a kind answer, and the update is confirmed.
"""

from __future__ import annotations

import asyncio
import logging
import traceback

from bot.app import App
from bot.channels.incoming import Incoming
from bot.store.pressure import StoreUnwritable, store_trouble
from bot.store.writes import Delivery

log = logging.getLogger(__name__)
QUICK = (0.05, 0.2, 0.5)  # a busy file usually frees within these
BACKOFF_MAX = 2.0  # how often a held message is tried again while the store refuses


class Handoff:
    """One channel's way into the conversation."""

    def __init__(self, app: App, channel: str) -> None:
        self.app = app
        self.channel = channel

    async def handle(self, item: Incoming, wait: bool = True) -> list[Delivery]:
        """The replies to `item` once it is stored; StoreUnwritable when `wait` is False and the
        store refuses, so that nothing is confirmed."""
        attempt = 0
        while True:
            try:
                deliveries = await self._attempt(item)
            except Exception as exc:
                reason = store_trouble(exc)
                if reason is None:  # not even its failure could be recorded
                    log.error("%s update %s was dropped (%s)", self.channel, item.key, _what(exc))
                    return []
                attempt += 1
                await self._held(reason, attempt, wait)
                continue
            self.app.pressure.wrote()
            return deliveries

    async def _held(self, reason: str, attempt: int, wait: bool) -> None:
        """Pause before trying again; past the quick retries, report the store as refusing."""
        if attempt > len(QUICK):
            self.app.pressure.failed(reason)
            if not wait:
                raise StoreUnwritable(reason)
        pause = QUICK[attempt - 1] if attempt <= len(QUICK) else BACKOFF_MAX
        await asyncio.sleep(pause)

    async def _attempt(self, item: Incoming) -> list[Delivery]:
        conversation = self.app.conversation
        try:
            return await self.app.front.handle(self.channel, item.chat_id, item.inbound, item.key)
        except Exception as exc:
            if store_trouble(exc) is not None:
                raise
            log.error(
                "%s update %s could not be handled (%s); recorded in failed_inbound",
                self.channel, item.key, _what(exc),
            )  # fmt: skip
            error = type(exc).__name__
            return await conversation.record_failure(self.channel, item.chat_id, item.key, error)


def _what(exc: BaseException) -> str:
    """An error's type and where it was raised, not its message (it may hold what was sent)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} at {last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
