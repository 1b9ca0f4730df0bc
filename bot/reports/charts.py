"""The report's charts, drawn by matplotlib: progress by village, the monthly series, a funnel."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure  # drawn without pyplot: no display, no global state

from bot.reports.tables import Table

SHARES = (("vneid_level2", "VNeID mức 2"), ("portal_login", "Đăng nhập Cổng DVC"),
          ("submitted_people", "Đã nộp hồ sơ trực tuyến"))  # fmt: skip
Draw = Callable[[Axes, Table], None]


def villages(axes: Axes, summary: Table) -> None:
    """For each village, the share of its people on the bot who reached each milestone."""
    rows = summary.rows[:-1] if len(summary.rows) > 1 else summary.rows
    names = [str(r[1]) for r in rows]
    on_bot = [_number(r[summary.columns.index("people_on_bot")]) for r in rows]
    height = 0.8 / len(SHARES)
    for n, (key, label) in enumerate(SHARES):
        values = [_number(r[summary.columns.index(key)]) for r in rows]
        shares = [100 * v / b if b else 0.0 for v, b in zip(values, on_bot, strict=True)]
        axes.barh([i + n * height for i in range(len(rows))], shares, height, label=label)
    axes.set_yticks([i + height for i in range(len(rows))], names)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% số người dùng bot")
    axes.legend(loc="lower right", fontsize="small")


def months(axes: Axes, series: Table) -> None:
    """Each figure month by month (counts at each month's end)."""
    labels = [str(m) for m in series.column("month")]
    for key, header in zip(series.columns[1:], series.headers[1:], strict=True):
        axes.plot(labels, [_number(v) for v in series.column(key)], marker="o", label=header)
    axes.set_ylabel("số người / hộ")
    axes.tick_params(axis="x", labelrotation=45)
    axes.legend(fontsize="small")


def funnel(axes: Axes, table: Table) -> None:
    """How many reached each step, and how many stopped there."""
    steps = [str(s) for s in table.column("step")]
    axes.barh(steps, [_number(v) for v in table.column("reached")], label="Đến bước")
    axes.barh(steps, [_number(v) for v in table.column("stopped")], label="Dừng ở bước")
    axes.invert_yaxis()
    axes.set_xlabel("số người")
    axes.legend(loc="lower right", fontsize="small")


def render(draw: Draw, table: Table, title: str, fmt: str = "svg") -> bytes:
    """One chart as SVG (text as shapes: no font needed to show it) or PNG."""
    height = max(3.0, 0.35 * len(table.rows) + 1.5)
    figure = Figure(figsize=(7.5, min(height, 9.0)), layout="constrained")
    axes = figure.subplots()
    draw(axes, table)
    axes.set_title(title)
    out = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        figure.savefig(out, format=fmt, dpi=110)
    return out.getvalue()


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
