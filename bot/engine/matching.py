"""Which option a typed answer means: as residents type it, with particles, numbers, yes and no."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.engine.textnorm import fold

# Folded forms. A yes-word or no-word answers only a question marked as yes/no.
YES_FORMS = frozenset(
    {"co", "c", "u", "uh", "um", "uhm", "ok", "oke", "okay", "okie", "yes", "y", "duoc", "dong y",
     "vang", "roi", "co roi", "chac chan", "co chac", "dung roi"}
)  # fmt: skip
NO_FORMS = frozenset(
    {"khong", "k", "ko", "kg", "kh", "khg", "hong", "no", "n", "chua", "thoi", "khong co",
     "khong dong y", "khong duoc", "khong can", "thoi khong", "chua can", "chua co"}
)  # fmt: skip
# Polite particles and fillers around an answer ("dạ", "cho mình", "ạ", "nhé", "ơi").
_LEADING = ("da vang", "da", "vang", "cho minh", "cho toi", "cho em", "cho chau", "cho con",
            "minh chon", "toi chon", "em chon", "chon")  # fmt: skip
_TRAILING = ("a", "nhe", "nha", "nhe a", "nha a", "oi", "a oi", "nhe ban", "di", "ha")
_NUMBER_WORDS = {
    "mot": 1, "nhat": 1, "hai": 2, "nhi": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
    "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
}  # fmt: skip
_NUMBER = re.compile(r"(?:(?:lua chon|cau|so|thu|cai|cai thu|so thu) )?([0-9]{1,3}|[a-z]+)")
_MIN_PREFIX = 3  # letters a word must have to stand for a longer word of a label


@dataclass(frozen=True)
class Match:
    """The option meant (its index), or the options that fit equally well (a tie), or neither."""

    index: int | None = None
    tied: tuple[int, ...] = ()


def strip_fillers(folded: str) -> list[str]:
    """A folded answer, then each shorter form without a particle or filler around it."""
    forms = [folded]
    while (shorter := _strip_one(forms[-1])) is not None:
        forms.append(shorter)
    return forms


def _strip_one(words: str) -> str | None:
    """The answer without one trailing particle, else one leading filler; None when neither."""
    for tail in _TRAILING:
        if words.endswith(" " + tail):
            return words[: -len(tail) - 1]
    for lead in _LEADING:
        if words.startswith(lead + " "):
            return words[len(lead) + 1 :]
    return None


def match(
    text: str,
    labels: Sequence[str],
    yes_no: tuple[int | None, int | None] = (None, None),
    extra_yes: Iterable[str] = (),
    extra_no: Iterable[str] = (),
) -> Match:
    """The option a typed answer means.

    Tried in order: the whole label; then, without particles and fillers: the label, the
    option's number ("2", "2.", "số 2", "hai", "thứ hai"), a yes-word or no-word when the
    question is marked (`yes_no` holds the affirmative's and the negative's index), a unique
    prefix or the words of one label, one typo in a label of over 4 letters.
    """
    folded = fold(text)
    if not folded:
        return Match()
    keys = [fold(label) for label in labels]
    forms = strip_fillers(folded)
    exact = next((form for form in forms if form in keys), None)
    if exact is not None:
        return Match(keys.index(exact))
    wanted = forms[-1]
    for found in (
        _number(wanted, len(keys)),
        _yes_no(wanted, yes_no, set(extra_yes), set(extra_no)),
    ):
        if found is not None:
            return Match(found)
    return _by_words(wanted, keys)


def _number(wanted: str, count: int) -> int | None:
    found = _NUMBER.fullmatch(wanted)
    if found is None:
        return None
    word = found[1]
    number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    if number is None or not 1 <= number <= count:
        return None
    return number - 1


def _yes_no(
    wanted: str, marked: tuple[int | None, int | None], more_yes: set[str], more_no: set[str]
) -> int | None:
    yes, no = marked
    if yes is not None and (wanted in YES_FORMS or wanted in more_yes):
        return yes
    if no is not None and (wanted in NO_FORMS or wanted in more_no):
        return no
    return None


def _by_words(wanted: str, keys: Sequence[str]) -> Match:
    """Labels that start with the answer or hold each of its words; then one typo."""
    scores = {i: s for i, key in enumerate(keys) if (s := _fit(wanted, key)) is not None}
    if scores:
        best = min(scores.values())
        tied = tuple(i for i, s in scores.items() if s == best)
        return Match(tied[0]) if len(tied) == 1 else Match(tied=tied)
    close = [i for i, key in enumerate(keys) if _one_edit_apart(wanted, key)]
    if len(close) == 1 and sum(ch.isalnum() for ch in keys[close[0]]) > 4:
        return Match(close[0])
    return Match()


def _fit(wanted: str, key: str) -> tuple[int, int] | None:
    """How well a label fits the answer: a label it begins before one holding its words, then
    fewer words left over; None when it does not fit."""
    words, label = wanted.split(), key.split()
    if not words or len(words) > len(label):
        return None
    if key.startswith(wanted) and len(wanted.replace(" ", "")) >= 2:
        return (0, len(label) - len(words))
    if all(any(_same_word(w, lw) for lw in label) for w in words):
        return (1, len(label) - len(words))
    return None


def _same_word(word: str, label_word: str) -> bool:
    if word == label_word:
        return True
    return word.isalpha() and len(word) >= _MIN_PREFIX and label_word.startswith(word)


def _one_edit_apart(a: str, b: str) -> bool:
    """Tell whether two different strings are one insertion, deletion or substitution apart."""
    if len(a) > len(b):
        a, b = b, a
    if a == b or len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
