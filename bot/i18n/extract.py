"""A Babel extractor for flow YAML: every text a resident sees, with its `<flow>.<step>` context.

Registered as the `danvan_flows` extractor (pyproject.toml), so `pybabel extract -F
babel-flows.cfg` finds flow text the way it finds `N_()` strings in the code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from bot.flows.parse import parse_flow
from bot.flows.translations import flow_texts

Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_flows(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """(line, "pgettext", (context, text), comments) for each translatable text of a flow."""
    name = str(getattr(fileobj, "name", "flow.yaml"))
    flow, _ = parse_flow(name, fileobj.read().decode("utf-8"))
    if flow is None:
        return
    for context, text, pos, step_id in flow_texts(flow):
        note = [f"step {step_id}"] if step_id else ["flow title"]
        yield pos.line, "pgettext", (context, text), note
