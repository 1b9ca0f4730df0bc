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
    reached, minutes = _steps_taken(conn, scope)
    helped = _counted(conn, scope, "count(*)", "event IN ('help', 'handoff')")
    stopped = _stopped(conn, scope)
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


def _steps_taken(conn: sqlite3.Connection, scope: Scope) -> tuple[Counter[Key], dict[Key, float]]:
    """In one pass over the villages' steps: how many people reached each step, and the median
    minutes from reaching it to reaching the next one, or to the run's end."""
    where, ids = scope.village_filter()
    sql = f"""SELECT flow_id, step_id, resident_id, run_number, event, julianday(at) FROM progress
        WHERE {where} AND at < ? AND resident_id IS NOT NULL AND event IN ('step', 'run_ended')
        ORDER BY resident_id, run_number, id"""
    people: dict[Key, set[int]] = defaultdict(set)
    spent: dict[Key, list[float]] = defaultdict(list)
    last: tuple[Key, int, int, float] | None = None
    for flow_id, step, resident, run, event, day in conn.execute(sql, (*ids, scope.before)):
        if last is not None and last[1:3] == (resident, run):
            spent[last[0]].append((day - last[3]) * 1440)
        last = None
        if event == "step" and flow_id is not None and step is not None:
            people[(flow_id, step)].add(resident)
            last = ((flow_id, step), resident, run, day)
    reached = Counter({k: len(v) for k, v in people.items()})
    return reached, {k: round(statistics.median(v), 1) for k, v in spent.items()}
