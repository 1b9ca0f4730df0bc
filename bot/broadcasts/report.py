"""What became of a broadcast: counts by village, channel and state; taps; tell in person."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Database

STATES = ("waiting", "queued", "sent", "failed", "unreachable", "cancelled")
NOT_REACHED = (
    "SELECT rr.household_id, h.code, rr.village_id, res.name FROM broadcast_recipients rr"
    " JOIN residents res ON res.id = rr.resident_id"
    " LEFT JOIN households h ON h.id = rr.household_id"
    " WHERE rr.broadcast_id = ?1 AND rr.state IN ('unreachable', 'failed')"
    " AND (rr.household_id IS NULL OR rr.household_id NOT IN (SELECT household_id FROM"
    " broadcast_recipients WHERE broadcast_id = ?1 AND state = 'sent'"
    " AND household_id IS NOT NULL))"
    " ORDER BY rr.village_id, h.code, res.name"
)


@dataclass(frozen=True)
class Household:
    """A household no messenger reached (or a resident without one): names, code, village."""

    names: tuple[str, ...]
    code: str | None
    village_id: str | None


@dataclass(frozen=True)
class Report:
    """Counts per (village, channel) and state, taps, and the tell-in-person list."""

    counts: dict[tuple[str | None, str], dict[str, int]]
    taps: int
    not_reached: list[Household]

    def total(self, state: str) -> int:
        """Recipients in a state, everywhere."""
        return sum(c.get(state, 0) for c in self.counts.values())


async def report(db: Database, number: int) -> Report:
    """The report of one broadcast."""
    rows = await db.all(
        "SELECT village_id, channel, state, COUNT(*) FROM broadcast_recipients"
        " WHERE broadcast_id = ? GROUP BY village_id, channel, state",
        (number,),
    )
    counts: dict[tuple[str | None, str], dict[str, int]] = {}
    for village, channel, state, n in rows:
        counts.setdefault((village, channel), {})[state] = int(n)
    taps = await db.one(
        "SELECT COUNT(tapped_at) FROM broadcast_recipients WHERE broadcast_id = ?", (number,)
    )
    return Report(counts, int(taps[0]) if taps else 0, await not_reached(db, number))


async def not_reached(db: Database, number: int) -> list[Household]:
    """The households none of whose members the broadcast reached, by village and code."""
    households: dict[object, Household] = {}
    for household_id, code, village, name in await db.all(NOT_REACHED, (number,)):
        key = household_id if household_id is not None else ("alone", name, village)
        known = households.get(key)
        names = (*known.names, name or "?") if known else (name or "?",)
        households[key] = Household(names, code, village)
    return list(households.values())
