"""Rendering for channels without buttons: numbered options, media lines with the vi fallback."""

from __future__ import annotations

from pathlib import Path

from bot.channels.render import media_lines, numbered
from bot.engine.flow import Media
from bot.engine.types import Button, Outbound

EDGE = Path(__file__).resolve().parents[1] / "data" / "flows_edge"


def test_buttons_become_a_numbered_list_under_the_text() -> None:
    message = Outbound("Bà con chọn:", (Button("Có", "1.0"), Button("Không", "1.1")))
    assert numbered(message) == "Bà con chọn:\n\n1. Có\n2. Không"
    assert numbered(Outbound("Xin chào")) == "Xin chào"


def test_a_missing_language_file_falls_back_to_the_vietnamese_one() -> None:
    message = Outbound(
        "Nghe hướng dẫn",
        media=(
            Media("audio", "audio/tyz/intro.ogg", fallback="audio/vi/intro.ogg"),
            Media("audio", "audio/vi/intro.ogg"),
        ),
    )
    assert media_lines(message, EDGE) == ["[audio: audio/vi/intro.ogg]"] * 2
