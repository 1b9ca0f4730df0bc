"""Dates said in words, counted from today: hôm qua, hôm kia, 3 ngày trước, thứ hai tuần trước.

"tuần trước" or "tháng trước" alone names many days, not one: it is returned as a Span, so the
resident can be asked which day (the bot never guesses a day for them).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.engine.textnorm import fold, nfc


@dataclass(frozen=True)
class Span:
    """Several days the resident named at once: a week or a month."""

    kind: str  # week | month
    first: date
    last: date


_LEADING = ("da ", "vang ")  # dạ, vâng
_TRAILING = (" a", " nhe", " nha")  # ạ, nhé, nha
_DAYS_AGO = re.compile(r"([0-9]{1,3}) (?:ngay|hom) (?:truoc|qua)")
# The weekday of "thứ hai tuần trước", Monday = 0 (thứ hai) to Sunday = 6 (chủ nhật).
_WEEKDAYS = {
    "thu hai": 0, "thu 2": 0, "t2": 0,
    "thu ba": 1, "thu 3": 1, "t3": 1,
    "thu tu": 2, "thu 4": 2, "t4": 2,
    "thu nam": 3, "thu 5": 3, "t5": 3,
    "thu sau": 4, "thu 6": 4, "t6": 4,
    "thu bay": 5, "thu 7": 5, "t7": 5,
    "chu nhat": 6, "cn": 6,
}  # fmt: skip
_LAST_WEEK = re.compile(r"(?:(.+) )?tuan (?:truoc|roi)")
_LAST_MONTH = re.compile(r"thang (?:truoc|roi)")


def said_date(text: str, today: date) -> date | Span | None:
    """The day (or the span of days) a resident's words name, or None when they name none."""
    words = _bare(fold(text))
    if words == "hom nay":
        return today
    if words == "hom qua":
        return today - timedelta(days=1)
    if words == "hom kia":  # hôm kia is the day before yesterday; hôm kìa the day before that
        return today - timedelta(days=3 if "kìa" in nfc(text).casefold() else 2)
    ago = _DAYS_AGO.fullmatch(words)
    if ago is not None:
        return today - timedelta(days=int(ago[1]))
    week = _LAST_WEEK.fullmatch(words)
    if week is not None:
        return _last_week(week[1], today)
    if _LAST_MONTH.fullmatch(words) is not None:
        last = today.replace(day=1) - timedelta(days=1)
        return Span("month", last.replace(day=1), last)
    return None


def _bare(words: str) -> str:
    """Drop a polite word before (dạ, vâng) and after (ạ, nhé, nha) the answer."""
    for lead in _LEADING:
        words = words.removeprefix(lead)
    for trail in _TRAILING:
        words = words.removesuffix(trail)
    return words.removeprefix("vao ")  # "vào hôm qua"


def _last_week(day: str | None, today: date) -> date | Span | None:
    """Last week (Monday to Sunday), or the named weekday of it."""
    monday = today - timedelta(days=today.weekday() + 7)
    if day is None:
        return Span("week", monday, monday + timedelta(days=6))
    weekday = _WEEKDAYS.get(day.removeprefix("vao ").removeprefix("ngay "))
    return None if weekday is None else monday + timedelta(days=weekday)
