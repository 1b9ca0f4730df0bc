"""The Zalo Bot Platform channel: events in (polling or webhook), the outbox sent out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from bot.app import App
from bot.channels.handoff import Handoff
from bot.channels.ratelimit import Limits
from bot.channels.worker import OutboxWorker
from bot.channels.zalo.client import DEFAULT_API_URL, ZaloBotClient, ZaloError
from bot.channels.zalo.inbound import event_of, incoming
from bot.channels.zalo.sender import ZaloSender
from bot.locks import KeyedLocks

log = logging.getLogger(__name__)
CHANNEL = "zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
# Undocumented; kept at Telegram's pace, which the platform is modelled on.
LIMITS = Limits(overall_rate=20, overall_burst=3, chat_rate=1, chat_burst=3)
BACKOFF_MAX = 30.0


@dataclass(frozen=True)
class ZaloSettings:
    """How to reach the Zalo Bot Platform, and where this bot's media can be fetched."""

    token: str
    api_url: str = DEFAULT_API_URL
    webhook_url: str | None = None
    media_url: str | None = None  # public base URL of this bot's /media route
    poll_wait: int = 30


class ZaloChannel:
    """Hands each event to the conversation (one chat's in order) and sends the replies."""

    def __init__(
        self,
        app: App,
        settings: ZaloSettings,
        limits: Limits = LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.client = ZaloBotClient(settings.token, settings.api_url, transport)
        sender = ZaloSender(self.client, app.config.flows_dir, settings.media_url)
        clock = app.conversation.clock
        self.worker = OutboxWorker(app.db, CHANNEL, sender, limits, lambda: clock().isoformat())
        self._locks = KeyedLocks()
        self.handoff = Handoff(app, CHANNEL)
        self._poller: asyncio.Task[None] | None = None

    async def start(self, secret: str | None = None) -> None:
        """Check the token, resend what is unsent, then poll or register the webhook."""
        await self.client.get_me()
        await self.worker.start()
        self.app.conversation.route(CHANNEL, self.worker.add)
        if self.settings.webhook_url and secret:
            await self.client.set_webhook(self.settings.webhook_url, secret)
        else:
            with contextlib.suppress(ZaloError):  # no webhook set is not a problem
                await self.client.delete_webhook()
            self._poller = asyncio.create_task(self._poll())

    def background(self) -> list[asyncio.Task[None]]:
        """The polling task, when polling; the process must not outlive it."""
        return [self._poller] if self._poller is not None else []

    async def stop(self) -> None:
        """Stop polling, finish the sends under way, close the connections."""
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        await self.worker.stop()
        await self.client.close()

    async def deliver(self, body: object, wait: bool = False) -> None:
        """Handle one event (a webhook body, wrapped or bare, or a polled event) and queue its
        replies. ValueError when the body is not an event we can read (the webhook answers
        400). While the store cannot write, polling (`wait`) holds the event and tries it again;
        a webhook gets StoreUnwritable, so that it answers non-2xx and the platform delivers the
        event again."""
        try:
            event = event_of(body)
        except ValueError:
            log.warning("a Zalo body that is not an event we can read was refused")
            raise
        item = incoming(event)
        if item is None:
            return
        async with self._locks.hold(item.chat_id):
            self.worker.add(await self.handoff.handle(item, wait))

    async def _take(self, event: dict[str, Any]) -> None:
        with contextlib.suppress(ValueError):  # logged; nothing to answer: the next is polled
            await self.deliver(event, wait=True)

    async def _poll(self) -> None:
        failures = 0
        while True:
            try:
                event = await self.client.get_update(self.settings.poll_wait)
            except ZaloError as exc:
                failures += 1
                pause = min(BACKOFF_MAX, 0.5 * 2**failures)
                log.warning("Zalo getUpdates failed (%s); again in %.1f s", exc.code, pause)
                await asyncio.sleep(pause)
                continue
            failures = 0
            if event is not None:
                await self._take(event)
