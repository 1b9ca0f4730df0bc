"""Each flow's funnel: how many reached each step, how many stopped there, the median time
spent on it, and how often people asked for help at it."""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter, defaultdict

from bot.engine.flow import Flow
from bot.reports.scope import Scope
from bot.reports.tables import Table

COLUMNS = ["step", "reached", "stopped", "median_minutes", "help"]
HEADERS = [
    "Bước",
    "Số người đến bước",
    "Dừng ở bước này",
    "Trung vị thời gian (phút)",
    "Nhờ hỗ trợ",
]
Key = tuple[str, str]


def funnels(conn: sqlite3.Connection, scope: Scope, flows: dict[str, Flow]) -> list[Table]:
    """One table per flow anyone in scope has reached a step of, steps in the flow's order."""
    reached = _counted(conn, scope, "count(DISTINCT resident_id)", "event = 'step'")
    helped = _counted(conn, scope, "count(*)", "event IN ('help', 'handoff')")
    stopped = _stopped(conn, scope)
    minutes = _median_minutes(conn, scope)
    tables = []
    for flow_id in sorted({f for f, _ in reached}, key=lambda f: (f not in flows, f)):
        flow = flows.get(flow_id)
        title = flow.title if flow else flow_id
        table = Table(f"funnel:{flow_id}", f"Phễu: {title}", list(COLUMNS), list(HEADERS))
        for step in _steps(flow, flow_id, reached):
            key = (flow_id, step)
            table.rows.append([step, reached[key], stopped[key], minutes.get(key), helped[key]])
        tables.append(table)
    return tables


def _steps(flow: Flow | None, flow_id: str, reached: Counter[Key]) -> list[str]:
    """The flow's steps in order, then any step of an older version someone reached."""
    known = [s.id for s in flow.steps] if flow else []
    seen = sorted(s for f, s in reached if f == flow_id and s not in known)
    return [s for s in known if reached[(flow_id, s)]] + seen


def _counted(conn: sqlite3.Connection, scope: Scope, what: str, which: str) -> Counter[Key]:
    where, ids = scope.village_filter()
    sql = f"""SELECT flow_id, step_id, {what} FROM progress WHERE {where} AND at < ?
        AND {which} AND flow_id IS NOT NULL AND step_id IS NOT NULL GROUP BY flow_id, step_id"""
    return Counter({(f, s): n for f, s, n in conn.execute(sql, (*ids, scope.before))})


def _stopped(conn: sqlite3.Connection, scope: Scope) -> Counter[Key]:
    """Runs started by the day that had not completed by then, by the step they are at."""
    where, ids = scope.village_filter()
    sql = f"""SELECT flow_id, step_id, count(*) FROM runs WHERE {where} AND started_at < ?
        AND (status != 'completed' OR ended_at >= ?) AND step_id IS NOT NULL
        GROUP BY flow_id, step_id"""
    rows = conn.execute(sql, (*ids, scope.before, scope.before))
    return Counter({(f, s): n for f, s, n in rows})


def _median_minutes(conn: sqlite3.Connection, scope: Scope) -> dict[Key, float]:
    """From reaching a step to reaching the next one, or to the run's end."""
    where, ids = scope.village_filter()
    sql = f"""SELECT flow_id, step_id, (julianday(next_at) - julianday(at)) * 1440 FROM (
        SELECT flow_id, step_id, at, event, lead(at) OVER (
            PARTITION BY resident_id, run_number ORDER BY id) AS next_at
        FROM progress WHERE {where} AND at < ? AND resident_id IS NOT NULL
            AND event IN ('step', 'run_ended')
    ) WHERE event = 'step' AND next_at IS NOT NULL"""
    spent: dict[Key, list[float]] = defaultdict(list)
    for flow_id, step, minutes in conn.execute(sql, (*ids, scope.before)):
        spent[(flow_id, step)].append(minutes)
    return {k: round(statistics.median(v), 1) for k, v in spent.items()}
