"""What each Telegram chat shows below its messages: live inline buttons, the contact keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.batch import Batch
from bot.store.db import Database

CHANNEL = "telegram"
SELECT = (
    "SELECT buttons_message, reply_keyboard FROM identities WHERE channel = ? AND external_id = ?"
)
UPDATE = (
    "UPDATE identities SET buttons_message = ?, reply_keyboard = ?"
    " WHERE channel = ? AND external_id = ?"
)


@dataclass
class Screen:
    """The message whose inline buttons are still live, and whether the contact keyboard is up."""

    buttons_message: int | None = None
    reply_keyboard: bool = False


class ChatScreens:
    """Each chat's Screen, read from its identity row once and written through on change."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._screens: dict[str, Screen] = {}

    async def get(self, chat: str) -> Screen:
        """The chat's screen (a copy: change it, then `save` it)."""
        screen = self._screens.get(chat)
        if screen is None:
            row = await self.db.one(SELECT, (CHANNEL, chat))
            message = row[0] if row is not None else None
            screen = Screen(int(message) if message is not None else None, bool(row and row[1]))
            self._screens[chat] = screen
        return Screen(screen.buttons_message, screen.reply_keyboard)

    def edits_before(self, chat: str, markup: object) -> int:
        """How many edits a reply with `markup` may take besides its sends: taking the buttons
        off the question on screen, and putting its own buttons on after the contact keyboard
        goes (a chat whose screen is not read yet is taken to show buttons)."""
        screen = self._screens.get(chat)
        if screen is None:
            return 1
        inline = markup is not None and type(markup).__name__ == "InlineKeyboardMarkup"
        return int(screen.buttons_message is not None) + int(screen.reply_keyboard and inline)

    async def save(self, chat: str, screen: Screen) -> None:
        """Remember the chat's screen, in memory and in the store."""
        if self._screens.get(chat) == screen:
            return
        self._screens[chat] = screen
        batch = Batch()
        batch.add(UPDATE, (screen.buttons_message, int(screen.reply_keyboard), CHANNEL, chat))
        await self.db.commit(batch)
