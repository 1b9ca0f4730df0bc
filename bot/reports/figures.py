"""The summary per village: households and people known and on the bot, VNeID, the portal,
applications submitted online by procedure, and milestones reached with help or alone."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from contextlib import closing
from pathlib import Path

from bot.reports.scope import Scope, reader
from bot.reports.tables import Table

SUBMITTED = "%\\_submitted"  # the milestone of a flow that submits an application online
LEVELS = ("vneid_level1", "vneid_level2", "portal_login")
BASE = {
    "households": "Hộ đã biết",
    "households_on_bot": "Hộ dùng bot",
    "people": "Người đã biết",
    "people_on_bot": "Người dùng bot",
    "vneid_level1": "VNeID mức 1",
    "vneid_level2": "VNeID mức 2",
    "portal_login": "Đăng nhập Cổng DVC",
    "submitted_people": "Người đã nộp hồ sơ trực tuyến",
    "submitted_households": "Hộ đã nộp hồ sơ trực tuyến",
    "with_help": "Mốc đạt được nhờ hỗ trợ",
    "alone": "Mốc tự làm được",
}
# A milestone was reached with help when the resident asked for a person, or a follow-up was
# opened for them, in the flow that gave it, before reaching it: the first such time per
# resident and flow, from the villages' own rows (the indexes cover them).
HELPED = """SELECT r, f, min(first) AS first FROM (
    SELECT resident_id AS r, flow_id AS f, min(at) AS first FROM progress
    WHERE {progress} AND event IN ('help', 'handoff') AND resident_id IS NOT NULL GROUP BY r, f
    UNION ALL SELECT resident_id, flow_id, min(opened_at) FROM followups
    WHERE {followups} AND resident_id IS NOT NULL GROUP BY resident_id, flow_id
) GROUP BY r, f"""
Counts = dict[str, Counter[str]]


def summary(conn: sqlite3.Connection, scope: Scope, procedures: dict[str, str]) -> Table:
    """One row per village and one for them all; `procedures` names the flows that submit."""
    counts: Counts = defaultdict(Counter)
    _people(conn, scope, counts)
    _households(conn, scope, counts)
    _milestones(conn, scope, counts)
    _submitted(conn, scope, counts)
    columns = [*BASE, *(f"submitted:{f}" for f in procedures)]
    headers = [*BASE.values(), *(f"Nộp trực tuyến: {t}" for t in procedures.values())]
    table = Table("summary", "Tổng hợp theo thôn", ["village", "name", *columns],
                  ["Mã thôn", "Thôn", *headers], keys=2)  # fmt: skip
    for village, name in scope.villages:
        table.rows.append([village, name, *(counts[village][c] for c in columns)])
    total = [sum(counts[v][c] for v in scope.ids) for c in columns]
    table.rows.append(["", "Toàn xã" if len(scope.ids) > 1 else "Tổng", *total])
    return table


def _people(conn: sqlite3.Connection, scope: Scope, counts: Counts) -> None:
    where, ids = scope.village_filter()
    sql = f"""SELECT village_id, count(*), count(CASE WHEN consent_at < ? THEN 1 END),
        count(DISTINCT CASE WHEN consent_at < ? THEN household_id END)
        FROM residents WHERE {where} AND created_at < ? GROUP BY village_id"""
    before = scope.before
    for village, people, on_bot, households in conn.execute(sql, (before, before, *ids, before)):
        counts[village]["people"] = people
        counts[village]["people_on_bot"] = on_bot
        counts[village]["households_on_bot"] = households


def _households(conn: sqlite3.Connection, scope: Scope, counts: Counts) -> None:
    where, ids = scope.village_filter()
    sql = f"SELECT village_id, count(*) FROM households WHERE {where} AND created_at < ?"
    for village, households in conn.execute(sql + " GROUP BY village_id", (*ids, scope.before)):
        counts[village]["households"] = households


def _milestones(conn: sqlite3.Connection, scope: Scope, counts: Counts) -> None:
    where, ids = scope.village_filter("m.village_id")
    helped = HELPED.format(progress=scope.village_filter()[0], followups=scope.village_filter()[0])
    sql = f"""SELECT m.village_id, m.name, m.flow_id, count(*), count(h.r)
        FROM milestones m LEFT JOIN ({helped}) h
            ON h.r = m.resident_id AND h.f = m.flow_id AND h.first <= m.reached_at
        WHERE {where} AND m.reached_at < ? GROUP BY m.village_id, m.name, m.flow_id"""
    rows = conn.execute(sql, (*ids, *ids, *ids, scope.before))
    for village, name, flow, people, helped_people in rows:
        if name in LEVELS:
            counts[village][name] += people
        if name.endswith("_submitted") and flow:
            counts[village][f"submitted:{flow}"] += people
        counts[village]["with_help"] += helped_people
        counts[village]["alone"] += people - helped_people


def _submitted(conn: sqlite3.Connection, scope: Scope, counts: Counts) -> None:
    where, ids = scope.village_filter()
    sql = f"""SELECT village_id, count(DISTINCT resident_id) + count(*) - count(resident_id),
        count(DISTINCT household_id) FROM milestones
        WHERE {where} AND reached_at < ? AND name LIKE ? ESCAPE '\\' GROUP BY village_id"""
    for village, people, households in conn.execute(sql, (*ids, scope.before, SUBMITTED)):
        counts[village]["submitted_people"] = people
        counts[village]["submitted_households"] = households


def summary_only(path: Path, scope: Scope) -> Table:
    """The summary on its own read-only connection (for the desk, in a thread)."""
    with closing(reader(path)) as conn:
        return summary(conn, scope, {})
