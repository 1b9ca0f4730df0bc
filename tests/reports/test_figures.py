"""The report's figures from a generated commune, each checked against the same figure counted
here in plain Python from the generated households and histories."""

from __future__ import annotations

import sqlite3
import statistics
from contextlib import closing
from datetime import date, datetime, time, timedelta

import pytest

from bot.config import Config
from bot.flows.folder import load_folder
from bot.reports.cli import report_of
from bot.reports.tables import Report, Table
from tests.reports.commune import VILLAGES, ZONE, Commune, Person

DAYS = (date(2026, 3, 31), date(2026, 6, 15), date(2026, 12, 31))
SUBMITTED = ("birth_registration_submitted", "marital_status_submitted")


def end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), ZONE)


def expected_row(c: Commune, villages: set[str], day: date) -> dict[str, int]:
    """Every summary figure of these villages, counted from the generated commune."""
    limit = end(day)
    people = [p for p in c.people if p.village in villages and p.created < limit]
    on_bot = [p for p in people if p.consent and p.consent < limit]
    reached = [(p, n, f, t) for p in on_bot for n, (f, t) in p.milestones.items() if t < limit]
    submitted = [(p, n) for p, n, _, t in reached if n in SUBMITTED]
    helped = sum(1 for p, _, f, t in reached if helped_before(c, p, f, t))
    row = {
        "households": sum(1 for _, v, t in c.households if v in villages and t < limit),
        "households_on_bot": len({p.household for p in on_bot}),
        "people": len(people),
        "people_on_bot": len(on_bot),
        "submitted_people": len({p.id for p, _ in submitted}),
        "submitted_households": len({p.household for p, _ in submitted}),
        "with_help": helped,
        "alone": len(reached) - helped,
        "submitted:birth_registration": sum(1 for _, n in submitted if n == SUBMITTED[0]),
        "submitted:marital_status": sum(1 for _, n in submitted if n == SUBMITTED[1]),
    }
    for level in ("vneid_level1", "vneid_level2", "portal_login"):
        row[level] = sum(1 for _, n, _, _ in reached if n == level)
    return row


def helped_before(c: Commune, p: Person, flow: str, t: datetime) -> bool:
    asked = any(
        r.resident == p.id and r.flow == flow and any(h <= t for h in r.helped_at.values())
        for r in c.runs
    )
    return asked or any(w == p.id and f == flow and o <= t for w, f, o in c.followups)


def figures(table: Table, row: int) -> dict[str, object]:
    return dict(zip(table.columns, table.rows[row], strict=True))


def commune_report(config: Config, day: date, village: str | None = None) -> Report:
    return report_of(config, village, day)


@pytest.mark.parametrize("day", DAYS)
async def test_every_village_and_the_commune_match_the_counts(
    commune: tuple[Config, Commune], day: date
) -> None:
    config, generated = commune
    summary = commune_report(config, day).table("summary")
    assert [r[0] for r in summary.rows] == [*VILLAGES, ""]
    for i, village in enumerate(VILLAGES):
        want = expected_row(generated, {village}, day)
        assert {k: figures(summary, i)[k] for k in want} == want, village
    total = expected_row(generated, set(VILLAGES), day)
    assert {k: figures(summary, -1)[k] for k in total} == total
    assert total["people_on_bot"] > 0


async def test_one_village_alone_has_the_same_figures(commune: tuple[Config, Commune]) -> None:
    config, generated = commune
    summary = commune_report(config, DAYS[1], "ban_cay").table("summary")
    assert [r[0] for r in summary.rows] == ["ban_cay", ""]
    want = expected_row(generated, {"ban_cay"}, DAYS[1])
    assert {k: figures(summary, 0)[k] for k in want} == want


async def test_the_monthly_series_is_each_figure_at_each_months_end(
    commune: tuple[Config, Commune],
) -> None:
    config, generated = commune
    series = commune_report(config, DAYS[2]).table("monthly")
    assert series.rows[0][0] == "2026-01" and series.rows[-1][0] == "2026-12"
    for row in series.rows:
        y, m = int(str(row[0])[:4]), int(str(row[0])[5:])
        last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)) if m < 12 else date(y, 12, 31)
        want = expected_row(generated, set(VILLAGES), last)
        got = dict(zip(series.columns, row, strict=True))
        assert {k: got[k] for k in series.columns[1:]} == {k: want[k] for k in series.columns[1:]}


async def test_each_flows_funnel_matches_the_runs(commune: tuple[Config, Commune]) -> None:
    config, generated = commune
    report = commune_report(config, DAYS[2])
    for flow in ("portal_login", "marital_status"):
        table = report.table(f"funnel:{flow}")
        runs = [r for r in generated.runs if r.flow == flow]
        for row in table.rows:
            step = str(row[0])
            at = [r for r in runs if step in dict(r.steps)]
            spent = [_spent(r, step) for r in at]
            known = [s for s in spent if s is not None]
            assert row[1] == len({r.resident for r in at}), (flow, step)
            assert row[2] == sum(1 for r in at if not r.completed and r.steps[-1][0] == step)
            assert row[3] == (round(statistics.median(known), 1) if known else None)
            assert row[4] == sum(1 for r in at if step in r.helped_at)
        in_file = [s.id for s in load_folder(config.flows_dir, ("vi",)).flows[flow].steps]
        assert table.column("step") == [s for s in in_file if s in table.column("step")]


def _spent(run: object, step: str) -> float | None:
    from tests.reports.commune import Run

    assert isinstance(run, Run)
    times = [t for _, t in run.steps] + ([run.completed] if run.completed else [])
    at = [s for s, _ in run.steps].index(step)
    if at + 1 >= len(times):
        return None
    return (times[at + 1] - times[at]).total_seconds() / 60


async def test_follow_ups_opened_by_village(commune: tuple[Config, Commune]) -> None:
    config, generated = commune
    village_of = {p.id: p.village for p in generated.people}
    table = commune_report(config, DAYS[1]).table("followups")
    for village, row in zip(VILLAGES, table.rows, strict=True):
        opened = [w for who, _, w in generated.followups if village_of[who] == village]
        assert row[1] == sum(1 for w in opened if w < end(DAYS[1]))
        assert row[2:] == [0, None]  # none is resolved in this history


async def test_follow_ups_resolved_where_the_database_records_it(
    commune: tuple[Config, Commune],
) -> None:
    config, _ = commune
    with closing(sqlite3.connect(config.db_path)) as conn, conn:
        rows = conn.execute("SELECT id, opened_at, village_id FROM followups").fetchall()
        for n, (fid, opened, _) in enumerate(rows):
            done = datetime.fromisoformat(opened) + timedelta(hours=n % 7 + 1)
            conn.execute(
                "UPDATE followups SET holder = ?, resolved_at = ? WHERE id = ?",
                (f"inv:{n % 2 + 1}", done.isoformat() if n % 3 else None, fid),
            )
    report = commune_report(config, DAYS[2])
    hours = {fid: n % 7 + 1 for n, (fid, _, _) in enumerate(rows) if n % 3}
    by_village = report.table("followups")
    for village, row in zip(VILLAGES, by_village.rows, strict=True):
        ids = [fid for fid, _, v in rows if v == village]
        done = [hours[f] for f in ids if f in hours]
        assert row[1:] == [len(ids), len(done), statistics.median(done) if done else None]
    by_holder = report.table("followups:holder")
    assert [r[0] for r in by_holder.rows] == ["inv:1", "inv:2"]
    for k, row in enumerate(by_holder.rows):
        ids = [fid for n, (fid, _, _) in enumerate(rows) if n % 2 == k]
        done = [hours[f] for f in ids if f in hours]
        assert row[1:] == [len(ids), len(done), statistics.median(done)]
