"""Secrets never reach a log line, not even inside a traceback."""

from __future__ import annotations

import io
import logging

from bot.logs import Redact


def test_a_token_is_redacted_from_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact(["123:SECRET"]))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    log.warning("calling https://api.telegram.org/bot%s/getMe", "123:SECRET")
    try:
        raise RuntimeError("The token `123:SECRET` was rejected")
    except RuntimeError:
        log.exception("failed")
    text = stream.getvalue()
    assert "SECRET" not in text
    assert "bot[redacted]/getMe" in text and "The token `[redacted]` was rejected" in text
