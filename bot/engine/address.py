"""How the bot calls one resident: the form of address they chose, as `{you}` and `{You}`."""

from __future__ import annotations

from bot.engine import texts
from bot.engine.types import State, Translator

# The forms a resident may choose, as the bot writes them mid-sentence; "name": by their name.
FORMS = ("bác", "chú", "cô", "anh", "chị", "em")
BY_NAME = "name"


def given_name(name: str | None) -> str:
    """The given name: the last word of a Vietnamese full name ("Bàn Thị Huấn" -> "Huấn")."""
    words = (name or "").split()
    return words[-1] if words else ""


def you(state: State, tr: Translator) -> str:
    """The word for "you" in the middle of a sentence, in the resident's language."""
    translated = tr.ui(state.lang, texts.YOU)
    if translated != texts.YOU:  # a language with one "you" for everyone (English: "you")
        return translated
    if state.address == BY_NAME and given_name(state.name):
        return given_name(state.name)
    if state.address in FORMS:
        return state.address
    return texts.YOU


def fill(text: str, state: State, tr: Translator) -> str:
    """A translated text with `{you}` and `{You}` filled in (for a text sent outside a Reply)."""
    called = you(state, tr)
    return text.replace("{you}", called).replace("{You}", capital(called))


def capital(word: str) -> str:
    """The word at the start of a sentence."""
    return word[:1].upper() + word[1:]


def greeting_name(state: State, tr: Translator) -> str:
    """Who the bot greets after onboarding: "bác Huấn", "Huấn", or the full name."""
    called = you(state, tr)
    given = given_name(state.name)
    if state.address in FORMS and called == state.address and given:
        return f"{called} {given}"
    if state.address == BY_NAME and given:
        return given
    return state.name or ""
