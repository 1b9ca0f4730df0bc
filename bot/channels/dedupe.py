"""Dedupe keys for events that carry no id of their own: a digest of the event's content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

KEY_HEX = 32  # 128 bits: two different events never meet by chance


def content_key(event: Mapping[str, Any]) -> str:
    """`c` + sha256 of the event's canonical JSON: the same event delivered again gets the same
    key, and two different events (another text, another time stamp) never share one."""
    canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "c" + hashlib.sha256(canonical.encode()).hexdigest()[:KEY_HEX]
