"""A report as one self-contained HTML page (charts inlined as SVG), in Vietnamese, for A4."""

from __future__ import annotations

from html import escape

from bot.reports import charts
from bot.reports.plain import shown, transposed
from bot.reports.tables import Report, Table

STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #222; }
h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 1.4em; }
figure { margin: 0.5em 0; break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5em 0; break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 2px 6px; } td.n { text-align: right; }
th { background: #eef; } section { break-before: auto; }
"""


def html(report: Report) -> str:
    """The page: the title, then each view with its chart above its table."""
    title = f"Báo cáo chuyển đổi số: {report.place}, đến hết ngày {report.as_of}"
    parts = [f"<h1>{escape(title)}</h1>"]
    for table in report.tables:
        parts.append(_section(table))
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _section(table: Table) -> str:
    draw = _drawer(table)
    chart = ""
    if draw is not None and table.rows:
        svg = charts.render(draw, table, table.title).decode()
        chart = f'<figure class="chart">{svg[svg.index("<svg") :]}</figure>'
    shown_table = transposed(table) if table.name == "summary" else table
    return f"<section><h2>{escape(table.title)}</h2>{chart}{_table(shown_table)}</section>"


def _drawer(table: Table) -> charts.Draw | None:
    if table.name == "summary":
        return charts.villages
    if table.name == "monthly":
        return charts.months
    return charts.funnel if table.name.startswith("funnel:") else None


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="n">{escape(shown(v))}</td>' if not isinstance(v, str) or i else
            f"<td>{escape(v)}</td>" for i, v in enumerate(row)
        )  # fmt: skip
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
