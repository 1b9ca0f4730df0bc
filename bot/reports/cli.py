"""`danvan report`: the figures for the commune or one village, as text, CSV, XLSX or HTML."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.flows.folder import load_folder
from bot.reports.build import build_from
from bot.reports.html import html
from bot.reports.plain import csv_text, text
from bot.reports.scope import Scope, parse_day
from bot.reports.tables import Report
from bot.reports.xlsx import write_xlsx


def scope_of(config: Config, village: str | None, as_of: date) -> tuple[Scope, str]:
    """The villages a report covers and the place it names; ValueError for an unknown village."""
    if village is None:
        return Scope(tuple((v.id, v.name) for v in config.villages), as_of), config.commune
    found = config.village(village)
    if found is None:
        known = ", ".join(v.id for v in config.villages)
        raise ValueError(f"no village {village!r} in the configuration (villages: {known})")
    return Scope(((found.id, found.name),), as_of), f"{found.name}, {config.commune}"


def report_of(config: Config, village: str | None, as_of: date) -> Report:
    """The report from the database file, read beside the running bot."""
    scope, place = scope_of(config, village, as_of)
    flows = load_folder(config.flows_dir, config.languages).flows
    return build_from(config.db_path, scope, place, flows)


def report_command(
    config: Config, village: str | None, as_of: str | None, fmt: str, out: Path | None
) -> int:
    """Print or write the report; 1 with one line saying why when it cannot be made."""
    try:
        day = parse_day(as_of) if as_of else datetime.now(ZoneInfo(config.timezone)).date()
        report = report_of(config, village, day)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"{config.db_path} cannot be read (SQLite: {exc})", file=sys.stderr)
        return 1
    if fmt == "xlsx":
        target = out or Path(f"bao-cao-{report.as_of}.xlsx")
        write_xlsx(report, target)
        print(target)
        return 0
    content = {"text": text, "csv": csv_text, "html": html}[fmt](report)
    if out is None:
        sys.stdout.write(content)
    else:
        out.write_text(content, encoding="utf-8")
        print(out)
    return 0
