"""Invitation links and QR codes: opening one starts the bot with a payload (a household's code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import segno

HOUSEHOLD_PREFIX = "h_"  # /start h_4829137705 joins household 4829137705 (as a new member)
STAFF_PREFIX = "s_"  # kept for staff invitations
PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what Telegram allows in a start payload
BOT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


@dataclass(frozen=True)
class Invite:
    """A deep link and where its QR code was written."""

    link: str
    qr_path: Path


def telegram_link(bot_username: str, payload: str) -> str:
    """The t.me link that opens the bot with `/start payload`."""
    name = bot_username.lstrip("@")
    if not BOT_NAME.fullmatch(name):
        raise ValueError(
            f"'{bot_username}' is not a Telegram bot username (e.g. danvan_halang_bot)"
        )
    if not PAYLOAD.fullmatch(payload):
        raise ValueError(f"'{payload}' cannot be a start payload (1-64 of A-Z a-z 0-9 _ -)")
    return f"https://t.me/{name}?start={payload}"


def household_invite(bot_username: str, code: str, out: Path) -> Invite:
    """The link for a household, with its QR code written as a PNG at `out`."""
    link = telegram_link(bot_username, HOUSEHOLD_PREFIX + code)
    segno.make(link, error="m").save(str(out), scale=10, border=2)
    return Invite(link, out)
