"""A report as an Excel workbook: one sheet per view, real numbers, frozen headers."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.reports.tables import Report, Table

NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(report: Report, path: Path) -> None:
    """Write the workbook; the first sheet says where and as of when."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()
    for table in report.tables:
        _sheet(book, table, _name(table.title, used))
    book.properties.title = f"Báo cáo chuyển đổi số: {report.place}, đến hết {report.as_of}"
    book.save(path)


def _name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no []:*?/\\), unique in the book."""
    base = NOT_IN_NAMES.sub(" ", title).strip()[:28]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base} {n}"
    used.add(name.lower())
    return name


def _sheet(book: Workbook, table: Table, name: str) -> None:
    sheet = book.create_sheet(name)
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    sheet.freeze_panes = f"{get_column_letter(table.keys + 1)}2"
    for at, header in enumerate(table.headers, start=1):
        width = max([len(header)] + [len(str(r[at - 1] or "")) for r in table.rows[:200]])
        sheet.column_dimensions[get_column_letter(at)].width = min(max(width + 2, 8), 40)
