"""Unicode normalisation of residents' text: canonical NFC for saving, folding for matching."""

import re
import unicodedata

# The five Vietnamese tone marks as combining characters (grave, acute, tilde, hook, dot below).
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A letter or a combining mark: what may not follow an open syllable's last vowel.
_NOT_END = r"(?![^\W\d_]|[\u0300-\u036f])"
# Old-style ("kiểu cũ") tone placement in an open syllable: òa, òe, ùy (decomposed text).
# Canonical here is the new style ("kiểu mới", on the main vowel): oà, oè, uỳ.
_OLD_STYLE = (
    re.compile(rf"([oO])([{_TONES}])([aAeE]){_NOT_END}"),
    re.compile(rf"([uU])([{_TONES}])([yY]){_NOT_END}"),
)
# Letters that look like đ but do not decompose: đ, and the eth (ð) some converters put instead.
_D_LIKE = str.maketrans({"đ": "d", "ð": "d"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return the text in NFC, stripped, with tone marks in one canonical place.

    The rule: in a syllable ending in oa, oe or uy (nothing after it), the tone mark sits on the
    last vowel (hoà, khoẻ, thuý, not hòa, khỏe, thúy). Syllables that go on (hoàng, thuyết)
    already have one placement and are left alone.
    """
    decomposed = unicodedata.normalize("NFD", text.strip())
    for pattern in _OLD_STYLE:
        decomposed = pattern.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


def fold(text: str) -> str:
    """Return a matching key: no case, no diacritics, đ as d, punctuation and symbols as spaces.

    Full-width characters become ASCII (NFKC) and runs of whitespace become one space.
    """
    lowered = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(ch)
    )
    spaced = "".join(" " if _is_punctuation(ch) else ch for ch in bare.translate(_D_LIKE))
    return _SPACES.sub(" ", spaced).strip()


def digits(text: str) -> str:
    """Return only the ASCII digits 0-9 of the text, after NFKC (so full-width digits count)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if "0" <= ch <= "9")


def _is_punctuation(ch: str) -> bool:
    """Tell whether a character is punctuation or a symbol (Unicode categories P* and S*)."""
    return unicodedata.category(ch)[0] in "PS"
