"""Keeps the gettext catalogs in step with the sources: extract, update, compile, check.

Works through Babel's API rather than the `pybabel` command, which refuses languages without
Babel locale data (Tày `tyz`, H'Mông `hnj`, …). Run as `python -m bot.i18n.maintain update`
(extract and merge), `compile` (.po to .mo) or `check` (exit 1 when a catalog is out of date).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n.extract import extract_flows

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
CATALOG_LANGUAGES = ("en", "tyz", "hnj")
COMPLETE = ("en",)  # languages that must translate every string
Key = tuple[str | None, str]
MethodMap = list[tuple[str, str]]
DOMAINS: dict[str, tuple[MethodMap, dict[str, Any], dict[str, Callable[..., Any]]]] = {
    "messages": ([("bot/**.py", "python")], {"N_": None}, {}),
    "flows": ([("flows/*.yaml", "danvan_flows")], {"pgettext": ((1, "c"), 2)}, {}),
}


def extract(domain: str, root: Path = ROOT) -> Catalog:
    """A fresh template of the domain's strings, read from the sources."""
    method_map, keywords, _ = DOMAINS[domain]
    catalog = Catalog(project="danvan", charset="utf-8")
    found = extract_from_dir(
        str(root),
        method_map=[(pattern, _method(name)) for pattern, name in method_map],
        keywords=keywords,
        comment_tags=(),
    )
    for _, _, message, comments, context in found:
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def _method(name: str) -> Any:
    return extract_flows if name == "danvan_flows" else name


def keys(catalog: Iterable[Any]) -> set[Key]:
    """The (context, msgid) of every message of a catalog."""
    return {(m.context, m.id) for m in catalog if m.id}


def po_path(locales: Path, lang: str, domain: str) -> Path:
    """Where a language's catalog of a domain is."""
    return locales / lang / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path) -> Catalog:
    """A .po or .pot file."""
    with path.open("rb") as handle:
        return read_po(handle)


def write(path: Path, catalog: Catalog) -> None:
    """Write a .po or .pot file, without source locations (they would change at every edit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, width=100)


def update(locales: Path = LOCALES, root: Path = ROOT) -> None:
    """Write fresh templates and merge them into every language's catalogs."""
    for domain in DOMAINS:
        template = extract(domain, root)
        write(locales / f"{domain}.pot", template)
        for lang in CATALOG_LANGUAGES:
            path = po_path(locales, lang, domain)
            catalog = read(path) if path.exists() else Catalog(locale=lang, project="danvan")
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            write(path, catalog)


def compile_all(locales: Path = LOCALES) -> int:
    """Compile every .po under `locales` to its .mo; returns how many."""
    count = 0
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        catalog = read(po)
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        count += 1
    return count


def problems(locales: Path = LOCALES, root: Path = ROOT) -> list[str]:
    """What is out of date: templates against the sources, catalogs against the templates,
    and strings a complete language does not translate."""
    found = []
    for domain in DOMAINS:
        fresh = keys(extract(domain, root))
        template = locales / f"{domain}.pot"
        if not template.exists() or keys(read(template)) != fresh:
            found.append(f"{template}: out of date with the sources (run make i18n)")
        for lang in CATALOG_LANGUAGES:
            found += _catalog_problems(po_path(locales, lang, domain), fresh, lang in COMPLETE)
    return found


def _catalog_problems(path: Path, fresh: set[Key], complete: bool) -> list[str]:
    if not path.exists():
        return [f"{path}: missing (run make i18n)"]
    catalog = read(path)
    out = []
    if keys(catalog) != fresh:
        out.append(f"{path}: out of date with the sources (run make i18n)")
    if complete:
        for message in catalog:
            if message.id and (not message.string or message.fuzzy):
                where = f"{message.context}: " if message.context else ""
                out.append(f"{path}: no translation for {where}{_first_line(message.id)!r}")
    return out


def _first_line(text: object) -> str:
    return str(text).splitlines()[0][:60] if str(text) else ""


def main(argv: list[str]) -> int:
    """The command line: update, compile or check."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    if command == "compile":
        print(f"{compile_all()} catalogs compiled", file=sys.stderr)
        return 0
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
