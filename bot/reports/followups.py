"""Follow-ups by village and by the staff member holding them: opened, resolved, and the median
hours to resolve. Resolution and holders are counted only where the database records them
(the follow-up part adds `holder` and `resolved_at`); opened follow-ups always."""

from __future__ import annotations

import sqlite3
import statistics
from datetime import datetime

from bot.reports.scope import Scope
from bot.reports.tables import Cell, Table

COLUMNS = ["key", "opened", "resolved", "median_hours"]
HEADERS = ["Thôn", "Đã mở", "Đã giải quyết", "Trung vị giờ để giải quyết"]


def followup_tables(conn: sqlite3.Connection, scope: Scope) -> list[Table]:
    """By village; and by holder when follow-ups have one."""
    kept = {str(r[1]) for r in conn.execute("PRAGMA table_info(followups)")}
    resolved = "resolved_at" in kept
    names = dict(scope.villages)
    by_village = Table("followups", "Theo dõi hỗ trợ theo thôn", list(COLUMNS), list(HEADERS))
    rows = _grouped(conn, scope, "village_id", resolved)
    by_village.rows = [
        [names[v], *rows.get(v, [0, 0 if resolved else None, None])] for v in scope.ids
    ]
    tables = [by_village]
    if "holder" in kept:
        by_holder = Table("followups:holder", "Theo dõi hỗ trợ theo cán bộ", list(COLUMNS),
                          ["Cán bộ", *HEADERS[1:]])  # fmt: skip
        held = _grouped(conn, scope, "holder", resolved)
        by_holder.rows = [[k, *v] for k, v in sorted(held.items()) if k is not None]
        tables.append(by_holder)
    return tables


def _grouped(
    conn: sqlite3.Connection, scope: Scope, key: str, resolved: bool
) -> dict[str, list[Cell]]:
    """[opened, resolved, median hours] for each value of `key`, as of the scope's day."""
    where, ids = scope.village_filter()
    done = "CASE WHEN resolved_at < ? THEN resolved_at END" if resolved else "NULL"
    sql = f"""SELECT {key}, opened_at, {done} FROM followups
        WHERE {where} AND opened_at < ?"""
    params = ((scope.before,) if resolved else ()) + (*ids, scope.before)
    found: dict[str, tuple[int, list[float]]] = {}
    for group, opened, closed in conn.execute(sql, params):
        count, hours = found.get(group, (0, []))
        if closed is not None:
            hours.append(_hours(opened, closed))
        found[group] = (count + 1, hours)
    return {
        g: [n, len(h) if resolved else None, round(statistics.median(h), 1) if h else None]
        for g, (n, h) in found.items()
    }


def _hours(opened: str, closed: str) -> float:
    spent = datetime.fromisoformat(closed) - datetime.fromisoformat(opened)
    return spent.total_seconds() / 3600
