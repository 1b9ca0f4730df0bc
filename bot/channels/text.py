"""Splitting long text for messengers with a length limit, at paragraph boundaries first."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters: whole paragraphs where they fit, else lines, else
    hard cuts. An empty text is one empty piece."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for block in _blocks(text, limit):
        if pieces and len(pieces[-1]) + 2 + len(block) <= limit:
            pieces[-1] += "\n\n" + block
        else:
            pieces.append(block)
    return pieces


def _blocks(text: str, limit: int) -> list[str]:
    blocks: list[str] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            blocks.append(paragraph)
            continue
        blocks.extend(_lines(paragraph, limit))
    return blocks


def _lines(paragraph: str, limit: int) -> list[str]:
    out: list[str] = []
    for line in paragraph.split("\n"):
        while len(line) > limit:
            out.append(line[:limit])
            line = line[limit:]
        if out and len(out[-1]) + 1 + len(line) <= limit:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out
