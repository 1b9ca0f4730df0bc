"""Compiled gettext catalogs per language; a string with no translation shows in Vietnamese.

Dates and numbers are formatted by Babel in the resident's language, and as Vietnamese for the
commune's languages Babel has no data for (Tày, Dao, Sán Chay, H'Mông …).
"""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from bot.engine.languages import LANGUAGE_NAMES

__all__ = ["LANGUAGE_NAMES", "Catalogs", "babel_locale"]

LOCALES = Path(__file__).resolve().parents[2] / "locales"
FORMATS_OF_THEIR_OWN = ("vi", "en")  # languages whose own Babel date and number formats are used


class Catalogs:
    """The bot's and the flows' catalogs for each enabled language, loaded once."""

    def __init__(self, languages: tuple[str, ...], folder: Path = LOCALES) -> None:
        self._ui = {lang: _load(folder, lang, "messages") for lang in languages}
        self._flows = {lang: _load(folder, lang, "flows") for lang in languages}
        self._locales = {lang: babel_locale(lang) for lang in languages}

    def ui(self, lang: str, message: str) -> str:
        """A text of the bot's own in `lang`."""
        catalog = self._ui.get(lang)
        return catalog.gettext(message) if catalog else message

    def flow(self, lang: str, context: str, message: str) -> str:
        """A flow's text in `lang`, by its message context."""
        catalog = self._flows.get(lang)
        return catalog.pgettext(context, message) if catalog else message

    def date(self, lang: str, day: date) -> str:
        """A date as `lang` writes it: 15/03/2025 in Vietnamese, Mar 15, 2025 in English."""
        locale = self._locale(lang)
        pattern = "dd/MM/yyyy" if locale.language == "vi" else "medium"
        return format_date(day, format=pattern, locale=locale)

    def number(self, lang: str, value: int) -> str:
        """A whole number with the language's grouping: 1.000 in Vietnamese."""
        return format_decimal(value, locale=self._locale(lang))

    def _locale(self, lang: str) -> Locale:
        return self._locales.get(lang) or babel_locale(lang)


def babel_locale(lang: str) -> Locale:
    """Babel's locale for a language; Vietnamese for the others, including H'Mông, whose Babel
    data (hnj, mww) is in the Nyiakeng Puachue script, not the Latin one people here read."""
    if lang not in FORMATS_OF_THEIR_OWN:
        lang = "vi"
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("vi")


def _load(folder: Path, lang: str, domain: str) -> gettext.NullTranslations | None:
    if lang == "vi":
        return None
    return gettext.translation(domain, localedir=folder, languages=[lang], fallback=True)
