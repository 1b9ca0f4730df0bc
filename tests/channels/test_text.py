"""Long text is split for messengers at paragraph boundaries first, and nothing is lost."""

from __future__ import annotations

import pytest

from bot.channels.text import split_text


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("ngắn", 10, ["ngắn"]),
        ("", 10, [""]),
        ("aaaa\n\nbbbb\n\ncccc", 10, ["aaaa\n\nbbbb", "cccc"]),
        ("aaaa\nbbbb\ncccc", 10, ["aaaa\nbbbb", "cccc"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
        ("aa\n\n" + "b" * 12, 10, ["aa", "b" * 10, "bb"]),
    ],
)
def test_split(text: str, limit: int, pieces: list[str]) -> None:
    assert split_text(text, limit) == pieces
    assert all(len(p) <= limit for p in pieces)


def test_a_long_telegram_message_keeps_every_character() -> None:
    paragraphs = [f"Đoạn {n}: " + "chữ " * 300 for n in range(8)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text, 4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n\n".join(pieces) == text
