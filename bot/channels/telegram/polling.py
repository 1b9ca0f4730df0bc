"""Long polling that confirms an update to Telegram only after it has been handled and stored.

python-telegram-bot's Updater asks for the next updates (which confirms the last ones) before
the handlers have run, so a crash at that moment loses a resident's message. Here the next
`getUpdates` offset moves past a batch only when every update of it has been handled; after a
crash Telegram delivers the batch again, and the conversation's dedupe applies each update once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
BACKOFF_MAX = 30.0


class Poller:
    """Fetches updates in batches and hands each batch to the Application before the next."""

    def __init__(self, application: Application, timeout: float) -> None:  # type: ignore[type-arg]
        self.application = application
        self.timeout = timeout
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures = 0

    async def start(self) -> None:
        """Remove any webhook (polling and a webhook exclude each other) and start polling."""
        await self.application.bot.delete_webhook()
        self._task = asyncio.create_task(self._poll())

    def background(self) -> list[asyncio.Task[None]]:
        """The polling task, once started."""
        return [self._task] if self._task is not None else []

    async def stop(self) -> None:
        """Stop after the batch being handled; a batch fetched but not handled comes again."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _poll(self) -> None:
        while True:
            updates = await self._fetch()
            if updates:
                await self._handle(updates)
                self._offset = updates[-1].update_id + 1

    async def _fetch(self) -> tuple[Update, ...]:
        try:
            updates: tuple[Update, ...] = await self.application.bot.get_updates(
                offset=self._offset,
                timeout=int(self.timeout),
                allowed_updates=ALLOWED_UPDATES,
            )
        except InvalidToken:
            raise
        except RetryAfter as exc:
            await asyncio.sleep(seconds_of(exc.retry_after))
            return ()
        except (NetworkError, TelegramError) as exc:
            self._failures += 1
            pause = min(BACKOFF_MAX, 0.5 * 2**self._failures)
            log.warning("getUpdates failed (%s); trying again in %.1f s", type(exc).__name__, pause)
            await asyncio.sleep(pause)
            return ()
        self._failures = 0
        return updates

    async def _handle(self, updates: tuple[Update, ...]) -> None:
        processor = self.application.update_processor
        await asyncio.gather(
            *(processor.process_update(u, self.application.process_update(u)) for u in updates)
        )


def seconds_of(value: object) -> float:
    """A duration that python-telegram-bot gives as seconds or as a timedelta, in seconds."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
