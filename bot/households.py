"""Households: the invitation a propagandist prints so a family joins the same household."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from telegram import Bot

from bot.config import Config
from bot.engine.textnorm import digits
from bot.invites import household_invite
from bot.run import telegram_settings
from bot.store.opening import open_database


async def invite_command(config: Config, code: str, bot: str | None, out: Path | None) -> int:
    """Print a household's t.me join link and write its QR code; 1 when the code is unknown."""
    code = digits(code)
    db = await open_database(config.db_path)
    try:
        row = await db.one("SELECT village_id FROM households WHERE code = ?", (code,))
    finally:
        await db.close()
    if row is None:
        print(f"no household has the code '{code}' in {config.db_path}", file=sys.stderr)
        return 1
    username = bot or await _bot_username()
    if username is None:
        print("give the bot's username with --bot, or set TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return 2
    invite = household_invite(username, code, out or Path(f"household-{code}.png"))
    print(invite.link)
    print(f"QR code written to {invite.qr_path}", file=sys.stderr)
    return 0


async def _bot_username() -> str | None:
    settings = telegram_settings(os.environ)
    if settings is None:
        return None
    root = settings.api_root.rstrip("/")
    async with Bot(settings.token, base_url=f"{root}/bot") as bot:
        return bot.username
