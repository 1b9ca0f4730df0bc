"""Compiled gettext catalogs per language; a string with no translation shows in Vietnamese."""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALES = Path(__file__).resolve().parents[2] / "locales"
LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "tyz": "Tày",
    "nut": "Nùng",
    "ium": "Dao (Iu Mien)",
    "mji": "Dao (Kim Mun)",
    "mlc": "Sán Chay",
    "hmn": "Hmoob",
    "hnj": "Hmoob Njua",
    "mww": "Hmoob Dawb",
}


class Catalogs:
    """The bot's and the flows' catalogs for each enabled language, loaded once."""

    def __init__(self, languages: tuple[str, ...], folder: Path = LOCALES) -> None:
        self._ui = {lang: _load(folder, lang, "messages") for lang in languages}
        self._flows = {lang: _load(folder, lang, "flows") for lang in languages}

    def ui(self, lang: str, message: str) -> str:
        """A text of the bot's own in `lang`."""
        catalog = self._ui.get(lang)
        return catalog.gettext(message) if catalog else message

    def flow(self, lang: str, context: str, message: str) -> str:
        """A flow's text in `lang`, by its message context."""
        catalog = self._flows.get(lang)
        return catalog.pgettext(context, message) if catalog else message

    def has_flow_text(self, lang: str, context: str, message: str) -> bool:
        """Whether the flows catalog of `lang` translates this text."""
        catalog = self._flows.get(lang)
        return catalog is not None and catalog.pgettext(context, message) != message


def _load(folder: Path, lang: str, domain: str) -> gettext.NullTranslations | None:
    if lang == "vi":
        return None
    return gettext.translation(domain, localedir=folder, languages=[lang], fallback=True)
