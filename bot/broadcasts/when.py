"""When an official wants a broadcast sent, as typed: "2026-12-03 08:00", "8:00 3/12", "mai 8h"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

TYPED = re.compile(
    r"(?P<tomorrow>mai\s+)?(?P<hour>\d{1,2})\s*(?:[:h]|giờ|gio)\s*(?P<minute>\d{2})?"
    r"(?:\s*(?:ngày|ngay)?\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?)?"
)


def parse_when(text: str, now: datetime) -> datetime | None:
    """The moment a text names, in the time zone of `now` (the commune's); None if it names
    none. A day and month without a year that have passed mean next year's."""
    typed = " ".join(text.strip().lower().split())
    try:
        iso = datetime.fromisoformat(typed)
    except ValueError:
        return _typed(typed, now)
    return iso.replace(tzinfo=now.tzinfo) if iso.tzinfo is None else iso.astimezone(now.tzinfo)


def _typed(typed: str, now: datetime) -> datetime | None:
    found = TYPED.fullmatch(typed)
    if found is None or (found["tomorrow"] and found["day"]):
        return None
    day = now + timedelta(days=1) if found["tomorrow"] else now
    try:
        when = day.replace(
            hour=int(found["hour"]), minute=int(found["minute"] or 0), second=0, microsecond=0
        )
        if found["day"]:
            year = int(found["year"] or now.year)
            when = when.replace(year=year, month=int(found["month"]), day=int(found["day"]))
            if not found["year"] and when < now - timedelta(days=1):
                when = when.replace(year=year + 1)
    except ValueError:
        return None
    return when
