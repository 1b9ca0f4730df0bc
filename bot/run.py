"""`danvan run`: serve every configured channel in one process until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from collections.abc import Mapping
from dataclasses import dataclass

from telegram import Update

from bot.app import App, with_app
from bot.channels.telegram.channel import TelegramChannel, TelegramSettings
from bot.channels.telegram.webhook import WebhookServer
from bot.config import Config

log = logging.getLogger("danvan")


@dataclass(frozen=True)
class Webhook:
    """Where Telegram should POST updates, and where this process listens for them."""

    url: str
    listen: str = "0.0.0.0"
    port: int = 8443


class NoChannel(Exception):
    """No messenger is configured."""


def telegram_settings(env: Mapping[str, str]) -> TelegramSettings | None:
    """Telegram's settings from the environment, None when no token is set."""
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return None
    root = env.get("TELEGRAM_API_URL", "").strip() or "https://api.telegram.org"
    if not root.startswith(("https://", "http://")):
        raise ValueError(
            f"TELEGRAM_API_URL is '{root}'; expected the Bot API server's root URL, "
            f"e.g. https://api.telegram.org"
        )
    return TelegramSettings(token=token, api_root=root)


async def serve(config: Config, webhook: Webhook | None, env: Mapping[str, str]) -> int:
    """Run until a stop signal; 0 on a clean stop."""
    settings = telegram_settings(env)
    if settings is None:
        raise NoChannel("no channel is configured: set TELEGRAM_BOT_TOKEN to serve Telegram")
    return await with_app(config, lambda app: _serve_telegram(app, settings, webhook))


async def _serve_telegram(app: App, settings: TelegramSettings, webhook: Webhook | None) -> None:
    channel = TelegramChannel(app, settings)
    server = None
    await channel.start(polling=webhook is None)
    if webhook is not None:
        server = await start_webhook(channel, webhook)
    log.info(
        "serving Telegram (%s); stop with Ctrl-C or SIGTERM", "webhook" if webhook else "polling"
    )
    await _until_stopped()
    log.info("stopping: finishing the messages under way")
    if server is not None:
        await server.stop()
    await channel.stop()


async def start_webhook(channel: TelegramChannel, webhook: Webhook) -> WebhookServer:
    """Listen for Telegram's POSTs and register the webhook with a fresh random secret."""
    secret = secrets.token_urlsafe(32)
    application = channel.application

    async def deliver(data: dict[str, object]) -> None:
        # Handled before Telegram gets its 200: a crash before that means Telegram sends the
        # update again, and the conversation's dedupe applies it once.
        update = Update.de_json(data, application.bot)
        if update is not None:
            processor = application.update_processor
            await processor.process_update(update, application.process_update(update))

    path = "/" + webhook.url.split("://", 1)[-1].partition("/")[2]
    server = WebhookServer(deliver, secret, webhook.listen, webhook.port, path)
    await server.start()
    await application.bot.set_webhook(url=webhook.url, secret_token=secret)
    return server


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def environment() -> Mapping[str, str]:
    """The process environment (a seam for tests)."""
    return os.environ
