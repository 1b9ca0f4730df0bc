"""Logging for `danvan run`: plain lines, and secrets such as bot tokens never written out."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[redacted]"
# Libraries that log every request URL, which for a bot API carries the token.
CHATTY = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler")


class Redact(logging.Filter):
    """Replaces each secret in a log record's text with [redacted]."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.clean(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self.clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True

    def clean(self, text: str) -> str:
        """The text with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def setup(secrets: Iterable[str], level: int = logging.INFO) -> None:
    """Log to stderr, with secrets redacted and request-by-request library logs quietened."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
