"""Pins a benchmark to one core, so its figures are per core and comparable between runs."""

from __future__ import annotations

import os


def pin(sharing: str) -> str:
    """Pin this process (and the threads it starts later) to CPU 0, where possible."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    try:
        os.sched_setaffinity(0, {0})
    except OSError as exc:
        return f"not pinned ({exc})"
    return f"pinned to CPU 0 ({sharing} share it)"
