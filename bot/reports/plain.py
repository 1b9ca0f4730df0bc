"""A report as text for the terminal, and as CSV (every view, one after the other)."""

from __future__ import annotations

import csv
import io

from bot.reports.tables import Cell, Report, Table


def shown(value: Cell) -> str:
    """A cell as people read it: thousands with a dot, decimals with a comma, none as "–"."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return value


def transposed(table: Table) -> Table:
    """The summary turned so that villages are columns and figures rows (fits a screen)."""
    names = [str(row[table.keys - 1]) for row in table.rows]
    flipped = Table(table.name, table.title, ["figure", *names], ["Chỉ số", *names])
    for at in range(table.keys, len(table.columns)):
        flipped.rows.append([table.headers[at], *(row[at] for row in table.rows)])
    return flipped


def text(report: Report) -> str:
    """Every view as an aligned table under its title."""
    parts = [f"Báo cáo chuyển đổi số: {report.place}, đến hết ngày {report.as_of}"]
    for table in report.tables:
        table = transposed(table) if table.name == "summary" else table
        parts.append(_aligned(table))
    return "\n\n".join(parts) + "\n"


def _aligned(table: Table) -> str:
    cells = [table.headers] + [[shown(v) for v in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = [table.title, "-" * len(table.title)]
    for row in cells:
        first = row[0].ljust(widths[0])
        lines.append(
            "  ".join([first, *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))])
        )
    return "\n".join(lines)


def csv_text(report: Report) -> str:
    """Every view: its title on a line, its headers, its rows, and a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in report.tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([["" if v is None else v for v in row] for row in table.rows])
        writer.writerow([])
    return out.getvalue()
