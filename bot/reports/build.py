"""Assembling a report from the database: the summary, the monthly series and the funnels."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.engine.flow import Flow
from bot.reports.figures import summary
from bot.reports.followups import followup_tables
from bot.reports.funnel import funnels
from bot.reports.scope import Scope, reader
from bot.reports.series import monthly
from bot.reports.tables import Report


def build(conn: sqlite3.Connection, scope: Scope, place: str, flows: dict[str, Flow]) -> Report:
    """Every view of the report for these villages as of the scope's day."""
    procedures = {
        f.id: f.title for f in flows.values() if (f.milestone or "").endswith("_submitted")
    }
    tables = [summary(conn, scope, procedures), monthly(conn, scope)]
    tables += [*followup_tables(conn, scope), *funnels(conn, scope, flows)]
    return Report(place, scope.as_of.isoformat(), tables)


def build_from(path: Path, scope: Scope, place: str, flows: dict[str, Flow]) -> Report:
    """`build` on its own read-only connection to the database file."""
    with closing(reader(path)) as conn:
        return build(conn, scope, place, flows)
