"""Rendering for channels without buttons: options as a numbered list under the text."""

from __future__ import annotations

from pathlib import Path

from bot.engine.flow import Media
from bot.engine.types import Outbound


def numbered(message: Outbound) -> str:
    """The message's text with its buttons as `1. label` lines; a typed number chooses."""
    if not message.buttons:
        return message.text
    lines = [f"{n}. {button.label}" for n, button in enumerate(message.buttons, start=1)]
    return message.text.rstrip() + "\n\n" + "\n".join(lines)


def media_path(media: Media, flows_dir: Path) -> str:
    """The file to send: the resident's language's, else the Vietnamese one it falls back on."""
    remote = media.path.startswith("https://")
    if media.fallback and not remote and not (flows_dir / media.path).is_file():
        return media.fallback
    return media.path


def media_lines(message: Outbound, flows_dir: Path) -> list[str]:
    """One `[kind: path]` line per media file, for channels that cannot show it."""
    return [f"[{m.kind}: {media_path(m, flows_dir)}]" for m in message.media]
