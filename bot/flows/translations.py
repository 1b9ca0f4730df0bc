"""The linter's translation check: every flow text has a translation in each enabled language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

from bot.engine.flow import Flow, Pos
from bot.flows.findings import Findings

LOCALES = Path(__file__).resolve().parents[2] / "locales"
Translated = set[tuple[str, str]]


def flow_texts(flow: Flow) -> Iterator[tuple[str, str, Pos, str]]:
    """(message context, source text, where, step id) for every translatable text of a flow."""
    yield f"{flow.id}.title", flow.title, flow.positions.get("title", Pos(1, 1)), ""
    for step in flow.steps:
        context = f"{flow.id}.{step.id}"
        if step.text:
            yield context, step.text, step.positions.get(step.kind, step.pos), step.id
        for n, option in enumerate(step.options, start=1):
            yield f"{context}.{n}", option.label, option.pos, step.id


def translated(locales: Path, lang: str) -> Translated | None:
    """The (context, text) pairs a language's flows.po translates; None when it has no file."""
    path = locales / lang / "LC_MESSAGES" / "flows.po"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        (str(m.context), str(m.id))
        for m in catalog
        if m.id and m.string and not m.fuzzy and m.context
    }


def enabled_catalogs(languages: tuple[str, ...], locales: Path) -> dict[str, Translated | None]:
    """What each enabled language other than Vietnamese translates, read once."""
    return {lang: translated(locales, lang) for lang in languages if lang != "vi"}


def check_translations(
    flow: Flow, catalogs: dict[str, Translated | None], f: Findings, locales: Path = LOCALES
) -> None:
    """Warn about each text of a flow that an enabled language does not translate."""
    for lang, done in catalogs.items():
        if done is None:
            where = locales / lang / "LC_MESSAGES" / "flows.po"
            f.warning(Pos(1, 1), f"no {lang} translations: {where} does not exist")
            continue
        for context, text, pos, step_id in flow_texts(flow):
            if (context, text) not in done:
                owner = f"step '{step_id}': " if step_id else ""
                f.warning(pos, f"{owner}no {lang} translation for '{_short(text)}' ({context})")


def _short(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 40 else line[:37] + "..."
