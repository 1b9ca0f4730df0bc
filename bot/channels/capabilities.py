"""What each channel can show: how many options it shows as buttons (more: a numbered list)."""

from __future__ import annotations

OA_BUTTONS_MAX = 5  # unverified for Zalo OA consultation templates
BUTTONS_MAX = {
    "telegram": 100,  # inline keyboards: every option a button
    "zalo_oa": OA_BUTTONS_MAX,
    "zalo": 0,  # the Zalo Bot Platform has no buttons: options are a numbered list
    "terminal": 0,
}


def buttons_max(channel: str) -> int:
    """The most options `channel` shows as buttons; 0 (a numbered list) for a channel not listed."""
    return BUTTONS_MAX.get(channel, 0)
