"""Loading a checked household list: every household updated in place by its code (never a
second row), its members replaced, all in one transaction or nothing."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.engine.textnorm import fold
from bot.household_list.rows import HEAD, Household, Member, Problem, check_row

UPSERT = (
    "INSERT INTO households (code, village_id, created_at) VALUES (?, ?, ?)"
    " ON CONFLICT(code) DO UPDATE SET village_id = excluded.village_id RETURNING id"
)
INSERT_MEMBER = (
    "INSERT INTO household_members (household_id, position, name, birth_year, relation, phone)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
PROGRESS_EVERY = 5_000


@dataclass
class Checked:
    """The households of a file, and every problem found in it."""

    households: dict[str, Household] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad_codes: set[str] = field(default_factory=set)


def check_all(rows: Iterable[tuple[int, dict[str, str]]], villages: dict[str, str]) -> Checked:
    """Every row checked, then every household (one village, one head of household)."""
    checked = Checked()
    for line, row in rows:
        result = check_row(line, row, villages)
        if isinstance(result, list):
            checked.problems.extend(result)
            checked.bad_codes.add(row.get("ma_ho", ""))
            continue
        code, village, member = result
        household = checked.households.setdefault(code, Household(code, village))
        if household.village != village:
            checked.problems.append(_other_village(member, household))
            checked.bad_codes.add(code)
            continue
        household.members.append(member)
    for household in checked.households.values():
        _check_heads(household, checked)
    return checked


def _other_village(member: Member, household: Household) -> Problem:
    reason = f"household {household.code} is in another village on line {household.members[0].line}"
    return Problem(member.line, "thon", reason)


def _check_heads(household: Household, checked: Checked) -> None:
    heads = [m for m in household.members if fold(m.relation) == HEAD]
    if len(heads) != 1:
        line = heads[1].line if heads else household.members[0].line
        reason = f"household {household.code} has {len(heads)} heads of household (need one)"
        checked.problems.append(Problem(line, "quan_he", reason))
        checked.bad_codes.add(household.code)


def load(path: Path, households: list[Household], now: datetime) -> int:
    """Write the households in one transaction; how many were written."""
    total = len(households)
    with closing(sqlite3.connect(path, timeout=30.0, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for done, household in enumerate(households, start=1):
                _write(conn, household, now)
                if done % PROGRESS_EVERY == 0 or done == total:
                    _progress(done, total)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return total


def _write(conn: sqlite3.Connection, household: Household, now: datetime) -> None:
    (household_id,) = conn.execute(
        UPSERT, (household.code, household.village, now.isoformat())
    ).fetchone()
    conn.execute("DELETE FROM household_members WHERE household_id = ?", (household_id,))
    conn.executemany(
        INSERT_MEMBER,
        [(household_id, n, m.name, m.birth_year, m.relation, m.phone)
         for n, m in enumerate(household.members, start=1)],
    )  # fmt: skip


def _progress(done: int, total: int) -> None:
    """A progress line on the terminal (nothing when the output goes to a file)."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r{done:,}/{total:,} hộ ({100 * done // total}%)", end=end, file=sys.stderr)
