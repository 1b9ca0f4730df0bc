"""Quiet hours: no broadcast goes out at night (commune time); it waits for the morning."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.broadcasts.settings import BroadcastSettings
from bot.quiet_hours import within


def is_quiet(settings: BroadcastSettings, now: datetime) -> bool:
    """Whether `now` (commune time) is inside the broadcasts' quiet hours."""
    return within(settings.quiet_start, settings.quiet_end, now)


def morning_after(settings: BroadcastSettings, now: datetime) -> datetime:
    """When the quiet hours `now` is in end (now itself when it is not quiet)."""
    if not is_quiet(settings, now):
        return now
    end = datetime.combine(now.date(), settings.quiet_end, now.tzinfo)
    return end if end > now else end + timedelta(days=1)


def clock_time(text: str) -> time:
    """A time of day as HH:MM."""
    return time.fromisoformat(text)
