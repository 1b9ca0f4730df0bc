"""The Zalo OA channel: signed webhook events in, the outbox sent out as consultation messages."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import httpx

from bot.app import App
from bot.channels.handoff import Handoff
from bot.channels.ratelimit import Limits
from bot.channels.worker import OutboxWorker
from bot.channels.zalo_oa.client import DEFAULT_API_URL, DEFAULT_OAUTH_URL, ZaloOAClient
from bot.channels.zalo_oa.freshness import Freshness
from bot.channels.zalo_oa.inbound import ButtonMemory, incoming, signature_of, signed_stamp, user_of
from bot.channels.zalo_oa.sender import ZaloOASender
from bot.channels.zalo_oa.tokens import Tokens
from bot.channels.zalo_oa.window import Window
from bot.locks import KeyedLocks

log = logging.getLogger(__name__)
CHANNEL = "zalo_oa"
# Undocumented for consultation messages; kept well under what the Bot Platform allows.
LIMITS = Limits(overall_rate=10, overall_burst=5, chat_rate=1, chat_burst=3)
# The signature `verify` accepted for the request being answered (verify and deliver run in the
# same task): forgotten again if its delivery fails, so that Zalo's resend is not a "replay".
_ACCEPTED: ContextVar[str] = ContextVar("zalo_oa_accepted", default="")


@dataclass(frozen=True)
class ZaloOASettings:
    """The OA's app, its secrets, the first refresh token, and where this bot's media is served.

    `refresh_token` seeds the token table: used when none is stored, or when it changes (the OA
    was authorised again). `oa_secret` checks webhook signatures; empty means `secret_key`.
    """

    app_id: str
    secret_key: str
    refresh_token: str
    oa_secret: str = ""
    api_url: str = DEFAULT_API_URL
    oauth_url: str = DEFAULT_OAUTH_URL
    media_url: str | None = None  # public base URL of this bot's /media route

    @property
    def signing_secret(self) -> str:
        """The secret webhook signatures are made with."""
        return self.oa_secret or self.secret_key


class ZaloOAChannel:
    """Hands each event to the conversation (one resident's in order) and sends the replies."""

    def __init__(
        self,
        app: App,
        settings: ZaloOASettings,
        limits: Limits = LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        now = clock or app.conversation.clock
        self.client = ZaloOAClient(settings.api_url, settings.oauth_url, transport)
        self.tokens = Tokens(
            self.client, app.db, settings.app_id, settings.secret_key, settings.refresh_token, now
        )
        self.window = Window(app.db, CHANNEL, now)
        self.taps = ButtonMemory()
        self.freshness = Freshness(now)
        parts = (self.client, self.tokens, self.window, self.taps)
        sender = ZaloOASender(*parts, app.config.flows_dir, settings.media_url)
        self.worker = OutboxWorker(app.db, CHANNEL, sender, limits, lambda: now().isoformat())
        self._locks = KeyedLocks()
        self.handoff = Handoff(app, CHANNEL)

    async def start(self) -> None:
        """Get a working token (stored, else from the configured one), resend what is unsent."""
        await self.tokens.start()
        await self.worker.start()
        self.app.conversation.route(CHANNEL, self.worker.add)

    def background(self) -> list[asyncio.Task[None]]:
        """Nothing: events arrive by webhook."""
        return []

    async def stop(self) -> None:
        """Finish the sends under way, close the connections."""
        await self.worker.stop()
        await self.client.close()

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether a webhook request carries Zalo's signature of its body, made within WINDOW of
        our clock, and not seen before (a replay)."""
        stamp = signed_stamp(headers, body, self.settings.app_id, self.settings.signing_secret)
        if stamp is None:
            return False
        signature = signature_of(headers)
        if not self.freshness.accept(signature, stamp):
            log.warning("a Zalo OA webhook request that is stale or a replay was refused")
            return False
        _ACCEPTED.set(signature)
        return True

    async def webhook(self, headers: Mapping[str, str], body: bytes) -> int:
        """A webhook POST: 403 unsigned, stale or replayed, 400 not a JSON object, else handled,
        then 200."""
        if not self.verify(headers, body):
            return 403
        try:
            await self.deliver(json.loads(body))
        except ValueError:
            return 400
        return 200

    async def deliver(self, event: object) -> None:
        """Handle one (already verified) event and queue its replies; ValueError (the webhook
        answers 400) when the body is not an event (a JSON object with an `event_name`). If it
        fails, its signature is forgotten: the same request again is not refused as a replay."""
        try:
            await self._deliver(event)
        except BaseException:
            self.freshness.forget(_ACCEPTED.get())
            raise

    async def _deliver(self, event: object) -> None:
        if not isinstance(event, dict) or not isinstance(event.get("event_name"), str):
            raise ValueError("not an event")
        user = user_of(event)
        if event.get("event_name") == "unfollow" and user:
            await self.window.unfollowed(user)
            return
        item = incoming(event, self.taps.is_tap)
        if item is None:
            return
        await self.window.wrote(item.chat_id)
        async with self._locks.hold(item.chat_id):
            self.worker.add(await self.handoff.handle(item, wait=False))
