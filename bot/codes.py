"""Household and linking codes: made with `secrets`, looked up only within the guess limits.

A wrong code counts against the identity that typed it and against everyone: 5 wrong codes of
one kind in an hour lock that identity out of that kind of code until the oldest of them is an
hour old; 50 of one kind in an hour, from anyone, pause that kind for everyone the same way.
The counts are in the database, so a restart does not reset them (docs/architecture.md works
out the odds of guessing at these rates).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field, replace

from bot.engine.guesses import HOUSEHOLD_DIGITS
from bot.engine.linking import LINK_DIGITS
from bot.engine.textnorm import digits
from bot.engine.types import Facts, Inbound, State
from bot.engine.words import word_of
from bot.store.codes import code_hash, who_hash, wrong_guess
from bot.store.db import Database

SHORTEST = 6  # fewer digits is no code (an option's number, a typo): not looked up, not counted
WINDOW = 3600  # seconds the limits look back
PER_IDENTITY = 5  # wrong codes of one kind an identity may type in WINDOW
OVERALL = 50  # wrong codes of one kind everyone together may type in WINDOW
Writes = list[tuple[str, tuple[object, ...]]]


@dataclass(frozen=True)
class Lock:
    """Code entry refused: for how many more minutes, and whether for everyone."""

    minutes: int
    everyone: bool


@dataclass
class Found:
    """What the lookups of one message found, and the wrong code to record, if any."""

    facts: Facts = field(default_factory=Facts)
    writes: Writes = field(default_factory=list)


class Codes:
    """The lookups a message about a code needs, in the order the guess limits require."""

    def __init__(self, db: Database, words: dict[str, str], one_village: bool) -> None:
        self.db = db
        self.words = words
        # where an invitation link's code is used: the village answer, or with one village the
        # form of address (the village is then taken without asking)
        self.join_stage = "address" if one_village else "village"

    async def look_up(
        self, state: State, inbound: Inbound, who: tuple[str, str], now: int
    ) -> Found:
        """The facts the engine may need for this message, and the writes of a wrong code."""
        found = Found()
        typed = self._household_code(state, inbound)
        if len(typed) >= SHORTEST:
            await self._guess(found, "household", typed, who, now)
        typed = digits(inbound.text) if inbound.kind == "text" else ""
        if state.stage == "link_code" and len(typed) >= SHORTEST:
            await self._guess(found, "link", typed, who, now)
        if state.stage in ("household", "code"):
            fresh = await self.fresh_household_code()
            found.facts = replace(found.facts, new_household_code=fresh)
        if state.household_code and self._asks_link(inbound):
            link = await self.fresh_link_code(now)
            found.facts = replace(found.facts, new_link_code=link)
        return found

    def _household_code(self, state: State, inbound: Inbound) -> str:
        """A household code typed, or brought by an invitation link where it is used."""
        if state.stage == "code" and inbound.kind == "text":
            return digits(inbound.text)
        joining = state.pending.get("join_code")
        if joining and state.stage == self.join_stage:
            return digits(str(joining))
        return ""

    def _asks_link(self, inbound: Inbound) -> bool:
        if inbound.kind == "word":
            return inbound.payload == "link"
        return inbound.kind == "text" and word_of(inbound.text, self.words) == "link"

    async def _guess(
        self, found: Found, kind: str, typed: str, who: tuple[str, str], now: int
    ) -> None:
        identity = who_hash(*who)
        lock = await self.lock(kind, identity, now)
        if lock is not None:
            found.facts = replace(
                found.facts, locked_minutes=lock.minutes, locked_everyone=lock.everyone
            )
            return
        if kind == "household":
            household = await self.household(typed)
            found.facts = replace(found.facts, household_found=household)
            hit = household is not None
        else:
            owner = await self.link_owner(typed, now)
            found.facts = replace(found.facts, link_owner=owner)
            hit = owner is not None
        if not hit:
            found.writes.extend(wrong_guess(kind, identity, now))

    async def lock(self, kind: str, identity: str, now: int) -> Lock | None:
        """Whether this identity, or everyone, has typed too many wrong codes of this kind."""
        since = now - WINDOW
        mine = await self.db.one(
            "SELECT at FROM code_guesses WHERE kind = ? AND who = ? AND at > ?"
            " ORDER BY at DESC LIMIT 1 OFFSET ?",
            (kind, identity, since, PER_IDENTITY - 1),
        )
        if mine is not None:
            return Lock(_minutes(int(mine[0]) + WINDOW - now), everyone=False)
        everyone = await self.db.one(
            "SELECT at FROM code_guesses WHERE kind = ? AND at > ?"
            " ORDER BY at DESC LIMIT 1 OFFSET ?",
            (kind, since, OVERALL - 1),
        )
        if everyone is not None:
            return Lock(_minutes(int(everyone[0]) + WINDOW - now), everyone=True)
        return None

    async def household(self, code: str) -> str | None:
        """The household's code as stored, when one has this code."""
        row = await self.db.one("SELECT code FROM households WHERE code = ?", (code,))
        return str(row[0]) if row else None

    async def link_owner(self, code: str, now: int) -> int | None:
        """The resident a linking code was given to, while it is valid and unused."""
        row = await self.db.one(
            "SELECT resident_id FROM link_codes WHERE code_hash = ? AND expires_at > ?",
            (code_hash(code), now),
        )
        return int(row[0]) if row else None

    async def fresh_household_code(self) -> str:
        """A new household's code: 10 random digits no household has."""
        while True:
            code = f"{secrets.randbelow(10**HOUSEHOLD_DIGITS):0{HOUSEHOLD_DIGITS}d}"
            if await self.household(code) is None:
                return code

    async def fresh_link_code(self, now: int) -> str:
        """A linking code: 8 random digits no valid linking code has."""
        while True:
            code = f"{secrets.randbelow(10**LINK_DIGITS):0{LINK_DIGITS}d}"
            if await self.link_owner(code, now) is None:
                return code


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
