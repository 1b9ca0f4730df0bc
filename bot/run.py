"""`danvan run`: serve every configured channel in one process until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import Update

from bot.app import App, with_app
from bot.channels.http import HttpEndpoint
from bot.channels.telegram.channel import TelegramChannel, TelegramSettings
from bot.channels.zalo.channel import SECRET_HEADER, ZaloChannel, ZaloSettings
from bot.channels.zalo.client import DEFAULT_API_URL
from bot.config import Config

log = logging.getLogger("danvan")
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MEDIA_ROUTE = "/media"


@dataclass(frozen=True)
class Webhook:
    """Where Telegram should POST updates, and where this process listens for them."""

    url: str | None
    listen: str = "0.0.0.0"
    port: int = 8443


class NoChannel(Exception):
    """No messenger is configured."""


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


def _url(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key, "").strip()
    if value and not value.startswith(("https://", "http://")):
        raise ValueError(f"{key} is '{value}'; expected a URL starting with https://")
    return value or None


async def serve(config: Config, webhook: Webhook, env: Mapping[str, str]) -> int:
    """Run until a stop signal; 0 on a clean stop."""
    telegram, zalo = telegram_settings(env), zalo_settings(env)
    if telegram is None and zalo is None:
        raise NoChannel(
            "no channel is configured: set TELEGRAM_BOT_TOKEN to serve Telegram,"
            " ZALO_BOT_TOKEN to serve the Zalo Bot Platform"
        )
    return await with_app(config, lambda app: _serve(app, telegram, zalo, webhook))


async def _serve(
    app: App, telegram: TelegramSettings | None, zalo: ZaloSettings | None, webhook: Webhook
) -> None:
    endpoint = HttpEndpoint(webhook.listen, webhook.port)
    zalo_http = zalo is not None and bool(zalo.webhook_url or zalo.media_url)
    if (telegram is not None and webhook.url) or zalo_http:  # listen before any webhook is set
        await endpoint.start()
        log.info("listening on %s:%s", webhook.listen, endpoint.bound_port)
    stops: list[Callable[[], Awaitable[None]]] = []
    if telegram is not None:
        stops.append(await _start_telegram(app, telegram, webhook.url, endpoint))
    if zalo is not None:
        stops.append(await _start_zalo(app, zalo, endpoint))
    log.info("serving; stop with Ctrl-C or SIGTERM")
    await _until_stopped()
    log.info("stopping: finishing the messages under way")
    await endpoint.stop()
    for stop in stops:
        await stop()


async def _start_telegram(
    app: App, settings: TelegramSettings, url: str | None, endpoint: HttpEndpoint
) -> Callable[[], Awaitable[None]]:
    channel = TelegramChannel(app, settings)
    await channel.start(polling=url is None)
    if url is not None:
        await start_webhook(channel, url, endpoint)
    log.info("Telegram: %s", "webhook" if url else "polling")
    return channel.stop


async def start_webhook(channel: TelegramChannel, url: str, endpoint: HttpEndpoint) -> str:
    """Route Telegram's POSTs to the channel and register the webhook with a fresh secret."""
    secret = secrets.token_urlsafe(32)
    application = channel.application

    async def deliver(data: dict[str, object]) -> None:
        # Handled before Telegram gets its 200: a crash before that means Telegram sends the
        # update again, and the conversation's dedupe applies it once.
        update = Update.de_json(data, application.bot)
        if update is not None:
            processor = application.update_processor
            await processor.process_update(update, application.process_update(update))

    endpoint.add_webhook(urlsplit(url).path or "/", TELEGRAM_SECRET_HEADER, secret, deliver)
    await application.bot.set_webhook(url=url, secret_token=secret)
    return secret


async def _start_zalo(
    app: App, settings: ZaloSettings, endpoint: HttpEndpoint
) -> Callable[[], Awaitable[None]]:
    channel = ZaloChannel(app, settings)
    secret = secrets.token_urlsafe(32) if settings.webhook_url else None
    if settings.webhook_url and secret:
        path = urlsplit(settings.webhook_url).path or "/"
        endpoint.add_webhook(path, SECRET_HEADER, secret, channel.deliver)
    if settings.media_url:
        endpoint.serve_media(MEDIA_ROUTE, app.config.flows_dir)
    await channel.start(secret)
    log.info("Zalo Bot Platform: %s", "webhook" if secret else "polling")
    return channel.stop


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def environment() -> Mapping[str, str]:
    """The process environment (a seam for tests)."""
    return os.environ
