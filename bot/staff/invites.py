"""Staff invitations: a single-use secret, stored only as a hash, valid 72 hours.

The same secret is a Telegram deep link (`/start s_<code>`) and a code to type (on Zalo, or
anywhere): `CB-XXXXX-XXXXX`, ten characters of an alphabet without look-alikes (no 0/O, 1/I/L),
about 50 bits, typed within the guess limits of bot/codes.py (kind "staff_invite").
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine.types import Inbound
from bot.invites import STAFF_PREFIX

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
VALID = timedelta(hours=72)
GUESS_KIND = "staff_invite"
PREFIX = "CB"
TYPED = re.compile(r"\s*cb[\s-]*([a-z0-9]{5})[\s-]*([a-z0-9]{5})\s*", re.IGNORECASE)
INSERT_INVITE = (
    "INSERT INTO staff_invites (token_hash, role, villages, created_by, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class NewInvite:
    """A fresh invitation: the code to give (never stored) and the row that stores its hash."""

    code: str
    row: tuple[str, tuple[object, ...]]

    @property
    def typed(self) -> str:
        """The code as people type it: CB-XXXXX-XXXXX."""
        return f"{PREFIX}-{self.code[:5]}-{self.code[5:]}"

    @property
    def payload(self) -> str:
        """The Telegram start payload."""
        return STAFF_PREFIX + self.code


def token_hash(code: str) -> str:
    """How an invitation is stored: a hash of its code."""
    return hashlib.sha256(f"staff-invite:{code}".encode()).hexdigest()


def new_invite(role: str, villages: tuple[str, ...], created_by: str, now: datetime) -> NewInvite:
    """A new invitation from `secrets`, with the row to insert."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires = now + VALID
    params = (
        token_hash(code), role, json.dumps(list(villages)), created_by,
        now.isoformat(), expires.isoformat(),
    )  # fmt: skip
    return NewInvite(code, (INSERT_INVITE, params))


def offered_code(inbound: Inbound) -> str | None:
    """The invitation code a message offers (a deep link or a typed code), upper case; None
    when it offers none. A start payload that is `s_` and anything is an offer, forged or not."""
    if inbound.kind == "start" and inbound.payload.startswith(STAFF_PREFIX):
        return inbound.payload[len(STAFF_PREFIX) :][:64].upper()
    if inbound.kind == "text" and len(inbound.text) <= 40:
        match = TYPED.fullmatch(inbound.text)
        if match:
            return (match.group(1) + match.group(2)).upper()
    return None
