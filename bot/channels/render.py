"""Rendering for channels without buttons: options as a numbered list under the text."""

from __future__ import annotations

from bot.engine.types import Outbound


def numbered(message: Outbound) -> str:
    """The message's text with its buttons as `1. label` lines; a typed number chooses."""
    if not message.buttons:
        return message.text
    lines = [f"{n}. {button.label}" for n, button in enumerate(message.buttons, start=1)]
    return message.text + "\n\n" + "\n".join(lines)


def media_lines(message: Outbound) -> list[str]:
    """One `[kind: path]` line per media file, for channels that cannot show it."""
    return [f"[{media.kind}: {media.path}]" for media in message.media]
