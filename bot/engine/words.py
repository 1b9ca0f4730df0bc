"""The conversation-wide words (menu, help, back, …) and how residents type them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.engine.textnorm import fold

# Folded forms (no diacritics, lower case). "dung" alone is left out on purpose: it is both
# "dừng" (stop) and "đúng" (right), and a resident saying "đúng" must not pause their flow.
WORD_FORMS: dict[str, tuple[str, ...]] = {
    "menu": ("menu", "trang chinh", "danh muc"),
    "help": ("help", "giup", "tro giup", "giup do", "can giup", "goi can bo", "can nguoi giup"),
    "back": ("back", "quay lai", "tro lai"),
    "language": ("language", "ngon ngu", "doi ngon ngu"),
    "progress": ("progress", "tien do", "da lam duoc gi"),
    "stop": ("stop", "tam dung", "dung lai", "de sau"),
    "privacy": ("privacy", "quyen rieng tu", "thong tin cua toi"),
    "forget": ("forget", "xoa du lieu", "xoa thong tin", "xoa het du lieu"),
    "link": ("link", "lien ket", "ma lien ket"),
    # the staff's commands, typed by a resident: answered "this is for staff", nothing else
    "staff": (
        "staff",
        "whoami",
        "invite",
        "broadcast",
        "followups",
        "households",
        "report",
        "thong bao",
        "moi can bo",
        "ho can tham",
    ),
}
_BY_FORM = {form: word for word, forms in WORD_FORMS.items() for form in forms}


def word_of(text: str, extra: Mapping[str, str] | None = None) -> str | None:
    """The conversation-wide word a text is, if it is one; `extra` maps more folded forms."""
    folded = fold(text)
    if extra and folded in extra:
        return extra[folded]
    return _BY_FORM.get(folded)


def translated_forms(typed: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Folded form to word, from each word's forms in the enabled languages' catalogs."""
    forms: dict[str, str] = {}
    for word, texts in typed.items():
        for text in texts:
            folded = fold(text)
            if folded and folded not in _BY_FORM:
                forms.setdefault(folded, word)
    return forms
