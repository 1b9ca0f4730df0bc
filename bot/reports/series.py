"""The monthly series: each figure as it stood at the end of each month, up to the report's day."""

from __future__ import annotations

import sqlite3
from collections import Counter
from itertools import accumulate

from bot.reports.figures import LEVELS, SUBMITTED
from bot.reports.scope import Scope
from bot.reports.tables import Table

COLUMNS = ["month", "people_on_bot", "households_on_bot", *LEVELS, "submitted_people"]
HEADERS = ["Tháng", "Người dùng bot", "Hộ dùng bot", "VNeID mức 1", "VNeID mức 2",
           "Đăng nhập Cổng DVC", "Người đã nộp hồ sơ trực tuyến"]  # fmt: skip


def monthly(conn: sqlite3.Connection, scope: Scope) -> Table:
    """One row per month, from the first month anything happened; counts at the month's end."""
    firsts = {
        "people_on_bot": _firsts(conn, scope, "residents", "consent_at", "id"),
        "households_on_bot": _firsts(conn, scope, "residents", "consent_at", "household_id"),
        "submitted_people": _firsts(
            conn,
            scope,
            "milestones",
            "reached_at",
            "resident_id",
            "name LIKE ? ESCAPE '\\'",
            SUBMITTED,
        ),
    }
    for level in LEVELS:
        firsts[level] = _firsts(conn, scope, "milestones", "reached_at", "id", "name = ?", level)
    months = _months(scope, [m for c in firsts.values() for m in c])
    table = Table("monthly", "Theo tháng (cộng dồn đến cuối tháng)", list(COLUMNS), list(HEADERS))
    totals = {k: list(accumulate(c[m] for m in months)) for k, c in firsts.items()}
    for i, month in enumerate(months):
        table.rows.append([month, *(totals[k][i] for k in COLUMNS[1:])])
    return table


def _firsts(
    conn: sqlite3.Connection, scope: Scope, table: str, at: str, who: str,
    which: str = "1", *params: str,
) -> Counter[str]:  # fmt: skip
    """How many `who` (a person, a household) did it first in each month (YYYY-MM)."""
    where, ids = scope.village_filter()
    sql = f"""SELECT month, count(*) FROM (SELECT substr(min({at}), 1, 7) AS month FROM {table}
        WHERE {where} AND {at} < ? AND {which} AND {who} IS NOT NULL GROUP BY {who})
        GROUP BY month"""
    return Counter({m: n for m, n in conn.execute(sql, (*ids, scope.before, *params))})


def _months(scope: Scope, seen: list[str]) -> list[str]:
    """Every month (YYYY-MM) from the first seen to the report's month."""
    last = scope.as_of.year * 12 + scope.as_of.month - 1
    first = min((int(m[:4]) * 12 + int(m[5:7]) - 1 for m in seen), default=last)
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]
