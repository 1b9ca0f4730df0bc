"""The code tables' statements: wrong codes typed (for the guess limits) and linking codes."""

from __future__ import annotations

import hashlib

DAY = 86_400  # seconds a wrong code is kept (the limits look back one hour)

INSERT_GUESS = "INSERT INTO code_guesses (kind, who, at) VALUES (?, ?, ?)"
PRUNE_GUESSES = "DELETE FROM code_guesses WHERE at < ?"
USE_LINK_CODES = "DELETE FROM link_codes WHERE resident_id = ?"
DROP_OLD_LINK_CODES = "DELETE FROM link_codes WHERE resident_id = ? OR expires_at <= ?"
INSERT_LINK_CODE = (
    "INSERT OR REPLACE INTO link_codes (code_hash, resident_id, expires_at) VALUES (?, ?, ?)"
)


def code_hash(code: str) -> str:
    """How a linking code is stored: never the code itself."""
    return hashlib.sha256(f"link:{code}".encode()).hexdigest()


def who_hash(channel: str, external_id: str) -> str:
    """How an identity is kept with its wrong codes: not its id in the clear."""
    return hashlib.sha256(f"{channel}\x00{external_id}".encode()).hexdigest()[:32]


def wrong_guess(kind: str, who: str, now: int) -> list[tuple[str, tuple[object, ...]]]:
    """The writes for one wrong code: the guess, and forgetting guesses older than a day."""
    return [(INSERT_GUESS, (kind, who, now)), (PRUNE_GUESSES, (now - DAY,))]
