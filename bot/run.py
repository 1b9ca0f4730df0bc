"""`danvan run`: serve every configured channel in one process until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from telegram import Update

from bot import logs
from bot.app import App, with_app
from bot.channels.http import HttpEndpoint
from bot.channels.telegram.channel import TelegramChannel, TelegramSettings
from bot.channels.zalo.channel import SECRET_HEADER, ZaloChannel, ZaloSettings
from bot.channels.zalo.client import DEFAULT_API_URL
from bot.channels.zalo_oa.channel import ZaloOAChannel, ZaloOASettings
from bot.channels.zalo_oa.client import DEFAULT_API_URL as ZALO_OA_API_URL
from bot.channels.zalo_oa.client import DEFAULT_OAUTH_URL as ZALO_OA_OAUTH_URL
from bot.config import Config

log = logging.getLogger("danvan")
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MEDIA_ROUTE = "/media"
# Every setting that is a secret: redacted from the logs (bot/logs.py).
SECRET_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "ZALO_BOT_TOKEN",
    "ZALO_OA_SECRET_KEY",
    "ZALO_OA_OA_SECRET_KEY",
    "ZALO_OA_REFRESH_TOKEN",
)


@dataclass(frozen=True)
class Webhook:
    """Where Telegram should POST updates, and where this process listens for them."""

    url: str | None
    listen: str = "0.0.0.0"
    port: int = 8443


class NoChannel(Exception):
    """No messenger is configured."""


def secrets_in(env: Mapping[str, str]) -> list[str]:
    """The values of the secret settings that are set (as given, and stripped)."""
    values = [env.get(name, "") for name in SECRET_VARIABLES]
    return [v for value in values for v in {value, value.strip()} if v.strip()]


class BackgroundStopped(Exception):
    """A task the process needs (polling, the store's writer) ended on its own."""


def telegram_settings(env: Mapping[str, str]) -> TelegramSettings | None:
    """Telegram's settings from the environment, None when no token is set."""
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return None
    root = _url(env, "TELEGRAM_API_URL") or "https://api.telegram.org"
    return TelegramSettings(token=token, api_root=root)


def zalo_settings(env: Mapping[str, str]) -> ZaloSettings | None:
    """The Zalo Bot Platform's settings from the environment, None when no token is set."""
    token = env.get("ZALO_BOT_TOKEN", "").strip()
    if not token:
        return None
    return ZaloSettings(
        token=token,
        api_url=_url(env, "ZALO_BOT_API_URL") or DEFAULT_API_URL,
        webhook_url=_url(env, "ZALO_WEBHOOK_URL"),
        media_url=_url(env, "ZALO_MEDIA_URL"),
    )


def zalo_oa_settings(env: Mapping[str, str]) -> ZaloOASettings | None:
    """The Zalo Official Account's settings from the environment, None when no app id is set."""
    app_id = env.get("ZALO_OA_APP_ID", "").strip()
    if not app_id:
        return None
    needed = ("ZALO_OA_SECRET_KEY", "ZALO_OA_REFRESH_TOKEN")
    missing = [k for k in needed if not env.get(k, "").strip()]
    if missing:
        raise ValueError(f"ZALO_OA_APP_ID is set; set {' and '.join(missing)} too")
    return ZaloOASettings(
        app_id=app_id,
        secret_key=env["ZALO_OA_SECRET_KEY"].strip(),
        refresh_token=env["ZALO_OA_REFRESH_TOKEN"].strip(),
        oa_secret=env.get("ZALO_OA_OA_SECRET_KEY", "").strip(),
        api_url=_url(env, "ZALO_OA_API_URL") or ZALO_OA_API_URL,
        oauth_url=_url(env, "ZALO_OA_OAUTH_URL") or ZALO_OA_OAUTH_URL,
        media_url=_url(env, "ZALO_OA_MEDIA_URL"),
    )


def _url(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key, "").strip()
    if value and not value.startswith(("https://", "http://")):
        raise ValueError(f"{key} is '{value}'; expected a URL starting with https://")
    return value or None


async def serve(config: Config, webhook: Webhook, env: Mapping[str, str]) -> int:
    """Run until a stop signal; 0 on a clean stop."""
    channels = Channels(telegram_settings(env), zalo_settings(env), zalo_oa_settings(env))
    channels.oa_path = env.get("ZALO_OA_WEBHOOK_PATH", "").strip() or "/zalo-oa"
    if channels.telegram is None and channels.zalo is None and channels.oa is None:
        raise NoChannel(
            "no channel is configured: set TELEGRAM_BOT_TOKEN to serve Telegram,"
            " ZALO_BOT_TOKEN to serve the Zalo Bot Platform, ZALO_OA_APP_ID to serve a Zalo"
            " Official Account"
        )
    return await with_app(config, lambda app: _serve(app, channels, webhook))


@dataclass
class Channels:
    """The messengers configured for this process."""

    telegram: TelegramSettings | None
    zalo: ZaloSettings | None
    oa: ZaloOASettings | None
    oa_path: str = "/zalo-oa"

    def need_http(self, telegram_webhook: str | None) -> bool:
        """Whether anything must listen for webhooks or serve media."""
        zalo = self.zalo is not None and bool(self.zalo.webhook_url or self.zalo.media_url)
        return bool(self.telegram and telegram_webhook) or zalo or self.oa is not None


class Served(Protocol):
    """A started channel: what it runs in the background, and how to stop it."""

    def background(self) -> list[asyncio.Task[None]]:
        """Tasks the process must not outlive."""

    async def stop(self) -> None:
        """Stop receiving and sending."""


async def _serve(app: App, channels: Channels, webhook: Webhook) -> None:
    endpoint = HttpEndpoint(webhook.listen, webhook.port)
    started: list[Served] = []
    try:
        if channels.need_http(webhook.url):  # listen before any webhook is registered
            await endpoint.start()
            log.info("listening on %s:%s", webhook.listen, endpoint.bound_port)
        if channels.telegram is not None:
            started.append(await _start_telegram(app, channels.telegram, webhook.url, endpoint))
        if channels.zalo is not None:
            started.append(await _start_zalo(app, channels.zalo, endpoint))
        if channels.oa is not None:
            started.append(await _start_zalo_oa(app, channels.oa, channels.oa_path, endpoint))
        app.ticker.start()  # once every channel takes the messages its jobs queue
        log.info("serving; stop with Ctrl-C or SIGTERM")
        await _until_stopped([*app.db.background(), *(t for c in started for t in c.background())])
        log.info("stopping: finishing the messages under way")
    finally:
        await endpoint.stop()
        for channel in started:
            await channel.stop()


async def _start_telegram(
    app: App, settings: TelegramSettings, url: str | None, endpoint: HttpEndpoint
) -> TelegramChannel:
    channel = TelegramChannel(app, settings)
    await channel.start(polling=url is None)
    if url is not None:
        await start_webhook(channel, url, endpoint)
    log.info("Telegram: %s", "webhook" if url else "polling")
    return channel


async def start_webhook(channel: TelegramChannel, url: str, endpoint: HttpEndpoint) -> str:
    """Route Telegram's POSTs to the channel and register the webhook with a fresh secret."""
    secret = secrets.token_urlsafe(32)
    logs.add_secret(secret)
    application = channel.application

    async def deliver(data: dict[str, object]) -> None:
        # Handled before Telegram gets its 200: a crash before that means Telegram sends the
        # update again, and the conversation's dedupe applies it once.
        # Application.process_update would swallow a failure; this way one reaches the route,
        # which answers non-2xx so that Telegram delivers the update again.
        try:
            update = Update.de_json(data, application.bot)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError("not a Telegram update") from exc  # answered 400, not retried
        if update is not None:
            processor = application.update_processor
            await processor.process_update(update, channel.receive(update, wait=False))

    endpoint.add_webhook(urlsplit(url).path or "/", TELEGRAM_SECRET_HEADER, secret, deliver)
    await application.bot.set_webhook(url=url, secret_token=secret)
    return secret


async def _start_zalo(app: App, settings: ZaloSettings, endpoint: HttpEndpoint) -> ZaloChannel:
    channel = ZaloChannel(app, settings)
    secret = secrets.token_urlsafe(32) if settings.webhook_url else None
    if settings.webhook_url and secret:
        logs.add_secret(secret)
        path = urlsplit(settings.webhook_url).path or "/"
        endpoint.add_webhook(path, SECRET_HEADER, secret, channel.deliver)
    if settings.media_url:
        endpoint.serve_media(MEDIA_ROUTE, app.config.flows_dir)
    await channel.start(secret)
    log.info("Zalo Bot Platform: %s", "webhook" if secret else "polling")
    return channel


async def _start_zalo_oa(
    app: App, settings: ZaloOASettings, path: str, endpoint: HttpEndpoint
) -> ZaloOAChannel:
    channel = ZaloOAChannel(app, settings)
    await channel.start()  # before routing: the worker must hold the unsent rows first
    endpoint.add_signed_webhook(path, channel.verify, channel.deliver)
    if settings.media_url:
        endpoint.serve_media(MEDIA_ROUTE, app.config.flows_dir)
    log.info("Zalo Official Account: webhook at %s", path)
    return channel


async def _until_stopped(background: list[asyncio.Task[None]]) -> None:
    """Wait for SIGINT or SIGTERM; BackgroundStopped if a task the process needs ends first."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    stopped = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopped, *background], return_when=asyncio.FIRST_COMPLETED)
    if stopped in done:
        return
    stopped.cancel()
    ended = next(iter(done))
    error = None if ended.cancelled() else ended.exception()
    if error is not None:
        raise error
    raise BackgroundStopped(f"a background task ended: {ended.get_name()}")


def environment() -> Mapping[str, str]:
    """The process environment (a seam for tests)."""
    return os.environ
