"""`danvan households import` and `export`: the commune's household list in and out."""

from __future__ import annotations

import csv
import io
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.household_list.load import check_all, load
from bot.household_list.rows import COLUMNS, BadHeader, raw_rows, village_names
from bot.reports.scope import reader

SHOWN_PROBLEMS = 200


def import_command(config: Config, path: Path, skip_bad: bool) -> int:
    """Check the whole file, report every problem, load it (or its good households)."""
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    try:
        checked = check_all(raw_rows(path), village_names(config))
    except (BadHeader, UnicodeDecodeError, ValueError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    for problem in checked.problems[:SHOWN_PROBLEMS]:
        print(f"{path}: {problem}", file=sys.stderr)
    if len(checked.problems) > SHOWN_PROBLEMS:
        print(f"… and {len(checked.problems) - SHOWN_PROBLEMS} more problems", file=sys.stderr)
    if checked.problems and not skip_bad:
        print(f"nothing loaded: {len(checked.problems)} problems (fix them, or --skip-bad to"
              " load the households without any)", file=sys.stderr)  # fmt: skip
        return 1
    good = [h for c, h in checked.households.items() if c not in checked.bad_codes]
    now = datetime.now(ZoneInfo(config.timezone))
    written = load(config.db_path, good, now)
    skipped = len(checked.bad_codes)
    print(f"{written} households loaded" + (f", {skipped} skipped" if skipped else ""))
    return 0


EXPORT = """SELECT h.code, coalesce(v.name, h.village_id), m.name, m.birth_year, m.relation, m.phone
    FROM households h JOIN household_members m ON m.household_id = h.id
    LEFT JOIN villages v ON v.id = h.village_id {where} ORDER BY h.code, m.position"""


def export_command(config: Config, village: str | None, out: Path | None) -> int:
    """Write the list in the shape import reads (CSV, or XLSX for an .xlsx file)."""
    if village is not None and config.village(village) is None:
        print(f"no village {village!r} in the configuration", file=sys.stderr)
        return 1
    where, params = ("WHERE h.village_id = ?", (village,)) if village else ("", ())
    with closing(reader(config.db_path)) as conn:
        rows = [list(r) for r in conn.execute(EXPORT.format(where=where), params)]
    if out is not None and out.suffix.lower() == ".xlsx":
        _xlsx(rows, out)
    else:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([["" if v is None else v for v in r] for r in rows])
        if out is None:
            sys.stdout.write(text.getvalue())
        else:
            out.write_text(text.getvalue(), encoding="utf-8")
    return 0


def _xlsx(rows: list[list[object]], out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    book.save(out)
