"""Logging for `danvan run`: plain lines, and secrets such as bot tokens never written out."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

REDACTED = "[redacted]"
# Libraries that log every request URL, which for a bot API carries the token.
CHATTY = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler")

LEARNT_MAX = 200  # the latest secrets learnt are kept (older rotated tokens no longer work)
_learnt: tuple[str, ...] = ()  # secrets met while running: rotated tokens, webhook secrets
_learning = threading.Lock()


def add_secret(*values: str) -> None:
    """Redact these too from now on (a token received, a webhook secret made, while running)."""
    global _learnt
    with _learning:
        new = (*_learnt, *(v for v in values if v.strip() and v not in _learnt))
        _learnt = new[-LEARNT_MAX:]


def _forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as written and URL-encoded, longest first (a secret inside a longer one)."""
    forms = {form for s in secrets if s.strip() for form in (s, quote(s, safe=""))}
    return sorted(forms, key=len, reverse=True)


class Redact(logging.Filter):
    """Replaces each secret (those given, and those learnt later) in a log record's text, its
    traceback and its stack with [redacted]."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s.strip()]
        self._forms: tuple[tuple[str, ...] | None, list[str]] = (None, [])

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.clean(record.getMessage()), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True

    def clean(self, text: str) -> str:
        """The text with every secret replaced."""
        learnt = _learnt
        if self._forms[0] is not learnt:
            self._forms = (learnt, _forms([*self.secrets, *learnt]))
        for secret in self._forms[1]:
            text = text.replace(secret, REDACTED)
        return text


def setup(secrets: Iterable[str], level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Log to `stream` (stderr), with secrets redacted and request-by-request library logs
    quietened."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
