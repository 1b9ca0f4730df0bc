"""Quiet hours: the commune's night, when neither reminders nor broadcasts go out."""

from __future__ import annotations

from datetime import datetime, time


def within(start: time, end: time, now: datetime) -> bool:
    """Whether `now` (commune time) is in the quiet hours from `start` to `end`; they may span
    midnight, and none are kept when `start` equals `end`."""
    at = now.time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end
