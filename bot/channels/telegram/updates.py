"""Update processing for the Telegram channel: one chat's updates in order, chats in parallel."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.locks import KeyedLocks


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs updates concurrently, except that a chat's updates wait for the ones before them."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the update's handling under its chat's lock."""
        chat = update.effective_chat if isinstance(update, Update) else None
        async with self._locks.hold(chat.id if chat else None):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
