"""Printing broadcasts for the command line: the list, one report, a progress bar while sending."""

from __future__ import annotations

import asyncio

from tqdm import tqdm  # type: ignore[import-untyped]

from bot.broadcasts import store
from bot.broadcasts.report import report
from bot.config import Config
from bot.store.db import Database

POLL = 0.5  # seconds between two looks at the progress
COUNTS = (
    "SELECT COUNT(*), SUM(state IN ('sent', 'failed', 'unreachable', 'cancelled'))"
    " FROM broadcast_recipients WHERE broadcast_id = ?"
)


async def print_list(db: Database) -> None:
    """The latest broadcasts, newest first, with how many were reached."""
    for item in await store.recent(db, 20):
        done = await report(db, item.id)
        sent, total = done.total("sent"), sum(sum(c.values()) for c in done.counts.values())
        text = item.content.texts["vi"].replace("\n", " ")
        print(f"{item.id:>4}  {item.status:<9} {item.send_at:%Y-%m-%d %H:%M}  {sent:>6}/{total:<6}"
              f" {text[:50]}")  # fmt: skip


async def print_report(db: Database, number: int, config: Config) -> int:
    """A broadcast's report: by village and channel, taps, and whom to tell in person."""
    item = await store.get(db, number)
    if item is None:
        print(f"no broadcast {number}")
        return 1
    done = await report(db, number)
    print(f"broadcast {number}: {item.status}, at {item.send_at:%Y-%m-%d %H:%M},"
          f" by {item.created_by}")  # fmt: skip
    states = ("queued", "sent", "failed", "unreachable")
    print(f"  {'village':<14} {'channel':<9} " + " ".join(f"{s:>11}" for s in states))
    for (village, channel), counts in sorted(done.counts.items(), key=lambda i: str(i[0])):
        queued = counts.get("queued", 0) + counts.get("waiting", 0)
        values = [queued, *(counts.get(s, 0) for s in states[1:])]
        print(f"  {village or '-':<14} {channel:<9} " + " ".join(f"{v:>11}" for v in values))
    print(f"  taps on its button: {done.taps}")
    print(f"  tell in person ({len(done.not_reached)} households):")
    for n, household in enumerate(done.not_reached, 1):
        place = config.village(household.village_id or "")
        name = place.name if place else household.village_id or "-"
        code = household.code or "no household code"
        print(f"  {n}. {', '.join(household.names)} — {code} — {name}")
    return 0


async def watch(db: Database, number: int) -> None:
    """A progress bar until the broadcast is done or cancelled (Ctrl-C stops watching only)."""
    row = await db.one(COUNTS, (number,))
    total = int(row[0]) if row else 0
    with tqdm(total=total, unit="msg", desc=f"broadcast {number}") as bar:
        while True:
            row = await db.one(COUNTS, (number,))
            bar.update(int(row[1] or 0) - bar.n if row else 0)
            item = await store.get(db, number)
            if item is None or item.status in ("done", "cancelled"):
                return
            await asyncio.sleep(POLL)
