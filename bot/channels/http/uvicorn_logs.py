"""uvicorn's per-request warnings turned into counted refusals, and its chatter quietened."""

from __future__ import annotations

import logging

from bot.channels.http.refusals import Refusals

KINDS = {"Invalid HTTP request received.": "malformed", "Exceeded concurrency limit.": "busy"}


class Quiet(logging.Filter):
    """Counts uvicorn's 'invalid request' and 'over the limit' warnings instead of logging each."""

    def __init__(self, refusals: Refusals) -> None:
        super().__init__()
        self.refusals = refusals

    def filter(self, record: logging.LogRecord) -> bool:
        kind = KINDS.get(str(record.msg))
        if kind is not None:
            self.refusals.count(kind)
        return kind is None

    @staticmethod
    def install(refusals: Refusals) -> None:
        """Filter uvicorn's error log into `refusals` (replacing an earlier endpoint's filter)."""
        logger = logging.getLogger("uvicorn.error")
        logger.setLevel(logging.WARNING)
        for old in [f for f in logger.filters if isinstance(f, Quiet)]:
            logger.removeFilter(old)
        logger.addFilter(Quiet(refusals))
