"""The corpus: answers as residents type them, each with the option or the answer it must get.

Each answer is sent to the engine at a real question: a flow's choice, a flow's yes/no, a say
step whose buttons are marked yes/no, and the bot's own consent, forget and household questions.
The outcome is the option's number ("1", "2", "3"), "which" (two options fit equally: the bot
asks which, naming both), "unread" (nothing to read: asked again, no strike) or "miss" (a real
attempt that matched nothing).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from bot.engine.types import Inbound
from tests.engine.chat import Chat, registry_of

CORPUS_FLOWS = Path(__file__).resolve().parents[1] / "data" / "flows_corpus"
CHOSEN = re.compile(r"Đã chọn (\S+)\.")
YES_NO = {"Có": "1", "Không": "2"}


def nfd(text: str) -> str:
    """The same text with its diacritics as separate combining marks (as some phones send it)."""
    return unicodedata.normalize("NFD", text)


# (question, typed, outcome)
CORPUS: list[tuple[str, str, str]] = [
    # A choice whose labels share their first words.
    *[
        ("nop", t, "1")
        for t in (
            "Nộp hồ sơ trên mạng",
            "nop ho so tren mang",
            "NỘP HỒ SƠ TRÊN MẠNG",
            "nộp hồ sơ trên mạng ạ",
            "dạ nộp hồ sơ trên mạng ạ",
            "trên mạng",
            "tren mang",
            "mạng",
            "mang a",
            "cho mình nộp trên mạng nhé",
            "nop ho so tren mag",
            "1",
            "1.",
            "số 1",
            "thứ nhất",
            "một",
            nfd("Trên mạng ạ"),
            "trên mạng!!!",
            "Trên mạng 🙏",
            "nộp trên mạng",
        )
    ],
    *[
        ("nop", t, "2")
        for t in (
            "Nộp hồ sơ tại xã",
            "tại xã",
            "tai xa",
            "xã",
            "xa",
            "tại xã ạ!",
            "Tại xã.",
            "Nộp hồ sơ tại xã nha",
            "2",
            "2.",
            "số 2",
            "so 2",
            "hai",
            "thứ hai",
            "thu hai",
            nfd("Nộp tại xã"),
            "dạ tại xã",
            "２",
        )
    ],
    *[
        ("nop", t, "3")
        for t in (
            "Chưa biết",
            "chua biet",
            "chưa",
            "chua biet a",
            "biết",
            "3",
            "số 3",
            "ba",
            "thứ ba",
            "chưa biết ạ",
            nfd("Chưa biết"),
        )
    ],
    *[("nop", t, "which") for t in ("nộp hồ sơ", "nop ho so", "nộp", "hồ sơ", "Nộp hồ sơ ạ")],
    *[("nop", t, "unread") for t in ("👍", "...", "🙏🙏", "?!", "   ", "")],
    *[("nop", t, "miss") for t in ("xin chào", "abc", "0", "5", "số 9", "mười", "tôi hỏi")],
    # A choice where "có" is in two labels and "chưa" in one.
    *[("muc", t, "1") for t in ("Chưa có", "chua co", "chưa", "chưa có ạ", "1")],
    *[("muc", t, "2") for t in ("Có mức 1", "co muc 1", "mức 1", "muc 1", "có mức 1 nhé", "2")],
    *[("muc", t, "3") for t in ("Có mức 2", "mức 2", "muc 2", "có mức 2 ạ", "Có mức 2.", "3")],
    *[("muc", t, "which") for t in ("có", "co", "co muc", "mức", "có mức")],
    *[("muc", t, "miss") for t in ("muc 3", "mức ba", "không")],
    # Buttons an author marked `means: yes` / `means: no`.
    *[
        ("confirm", t, "1")
        for t in (
            "có",
            "co",
            "có ạ",
            "dạ có",
            "vâng",
            "vâng ạ",
            "ừ",
            "ok",
            "OK",
            "oke",
            "okay",
            "được",
            "đồng ý",
            "có chắc",
            "chắc chắn",
            "xoá",
            "xoa ho so",
            "Xoá hồ sơ",
            "1",
            "yes",
            nfd("Có ạ"),
            "Có!",
        )
    ],
    *[
        ("confirm", t, "2")
        for t in (
            "không",
            "khong",
            "ko",
            "k",
            "không ạ",
            "dạ không",
            "dạ không ạ",
            "thôi",
            "chưa",
            "thôi không",
            "giữ",
            "giu lai",
            "giữ lại nhé",
            "Giữ lại",
            "2",
            "hai",
            "no",
            "không đồng ý",
            nfd("Không ạ"),
            "KHÔNG",
        )
    ],
    *[("confirm", t, "unread") for t in ("🙂", "!!")],
    *[("confirm", t, "miss") for t in ("hmm", "dạ", "để xem", "có không")],
    # A yes/no question of a flow.
    *[
        ("yn", t, "1")
        for t in (
            "có",
            "c",
            "co a",
            "Có ạ",
            "vâng ạ",
            "ừ",
            "ok nhé",
            "yes",
            "y",
            "1",
            "một",
            "rồi",
            "có rồi",
            "dạ có ạ",
            nfd("Có"),
            "CÓ",
        )
    ],
    *[
        ("yn", t, "2")
        for t in (
            "không",
            "khg",
            "kh",
            "no",
            "n",
            "2",
            "chưa",
            "chưa ạ",
            "không có",
            "dạ không ạ",
            "thôi",
            "khong co a",
            "hong",
            "hai",
            nfd("Chưa"),
            "Không!",
        )
    ],
    *[("yn", t, "unread") for t in ("🤷", "…")],
    *[("yn", t, "miss") for t in ("dạ", "đúng", "có lẽ", "không biết", "3")],
    # A choice with no shared meaning.
    *[
        ("noi", t, "1")
        for t in (
            "Tại nhà",
            "tai nha",
            "tại nhà ạ",
            "nhà",
            "nha a",
            "TẠI NHÀ",
            "tai nhaa",
            "tại nhà nha",
            "1.",
        )
    ],
    *[
        ("noi", t, "2")
        for t in (
            "Ở bưu điện",
            "bưu điện",
            "buu dien",
            "bưu",
            "ở bưu điện nhé",
            "o buu dien",
            "bưu điện ạ",
            "số 2",
            nfd("Bưu điện"),
        )
    ],
    *[("noi", t, "3") for t in ("xã", "tại xã nha", "Tai xa", "thứ ba", "ba")],
    *[("noi", t, "which") for t in ("tại", "tai")],
    *[("noi", t, "miss") for t in ("chợ", "ở chợ huyện")],
    # The bot's own questions: consent, forget, household.
    *[
        ("consent", t, "1")
        for t in (
            "Đồng ý",
            "đồng ý ạ",
            "dong y",
            "DONG Y",
            "có",
            "ok",
            "oke nhé",
            "ừ",
            "vâng",
            "dạ vâng",
            "được",
            "1",
            "đồng",
            nfd("Đồng ý ạ"),
        )
    ],
    *[
        ("consent", t, "2")
        for t in (
            "Không đồng ý",
            "khong dong y",
            "không",
            "khong",
            "ko",
            "thôi",
            "chưa",
            "2",
            "không đồng ý ạ",
        )
    ],
    *[("consent", t, "unread") for t in ("👍",)],
    *[("consent", t, "miss") for t in ("xin chào", "là sao")],
    *[
        ("forget", t, "1")
        for t in (
            "có",
            "Xoá hết",
            "xoa het",
            "xoá",
            "có ạ",
            "ok",
            "đồng ý",
            "vâng",
            "1",
            nfd("Xoá hết"),
        )
    ],
    *[
        ("forget", t, "2")
        for t in (
            "không",
            "không xoá",
            "khong xoa",
            "thôi",
            "ko",
            "chưa",
            "2",
            "không ạ",
        )
    ],
    *[("forget", t, "unread") for t in ("😀",)],
    *[("forget", t, "miss") for t in ("hả", "gì vậy")],
    *[
        ("household", t, "1")
        for t in (
            "Hộ mới",
            "ho moi",
            "hộ mới ạ",
            "mới",
            "chưa",
            "không",
            "chưa có",
            "số 1",
        )
    ],
    *[
        ("household", t, "2")
        for t in (
            "Đã có mã hộ",
            "da co ma ho",
            "có",
            "có rồi",
            "rồi",
            "mã hộ",
            "đã có",
        )
    ],
    *[("household", t, "3") for t in ("3", "zalo", "telegram")],
]


@cache
def _registry() -> object:
    return registry_of(CORPUS_FLOWS)


def _chat() -> Chat:
    return Chat(_registry())  # type: ignore[arg-type]


def _at_flow(title: str) -> Callable[[], Chat]:
    def setup() -> Chat:
        chat = _chat()
        chat.onboard()
        chat.tap(title)
        return chat

    return setup


def _at_consent() -> Chat:
    chat = _chat()
    chat.send(Inbound("start"))
    return chat


def _at_forget() -> Chat:
    chat = _chat()
    chat.onboard()
    chat.text("xoá dữ liệu")
    return chat


def _at_household() -> Chat:
    chat = _chat()
    chat.send(Inbound("start"))
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    return chat


QUESTIONS: dict[str, Callable[[], Chat]] = {
    "nop": _at_flow("Câu nộp"),
    "muc": _at_flow("Câu mức"),
    "noi": _at_flow("Câu nơi"),
    "confirm": _at_flow("Câu xác nhận"),
    "yn": _at_flow("Câu có không"),
    "consent": _at_consent,
    "forget": _at_forget,
    "household": _at_household,
}


@cache
def _positioned(question: str) -> Chat:
    return QUESTIONS[question]()


def _outcome(question: str, chat: Chat) -> str:
    said = chat.said()
    if said.startswith("Bác muốn chọn “"):
        return "which"
    if said.startswith("Mình chưa đọc được tin này."):
        return "unread"
    if question == "consent":
        own = {"name": "1", "new": "2"}
        return own.get(chat.state.stage, "miss")
    if question == "forget":
        if any(e.kind == "forget" for e in chat.effects):
            return "1"
        return "2" if said.startswith("Chưa xoá gì.") else "miss"
    if question == "household":
        if any(e.kind == "create_household" for e in chat.effects):
            return "1"
        return {"code": "2", "link_code": "3"}.get(chat.state.stage, "miss")
    found = CHOSEN.search(said)
    if found is None:
        return "miss"
    return YES_NO.get(found[1], found[1])


def _answer(question: str, typed: str) -> tuple[Chat, str]:
    start = _positioned(question)
    chat = Chat(start.flows, state=copy.deepcopy(start.state), facts=start.facts)
    chat.send(Inbound("text", text=typed))
    return chat, _outcome(question, chat)


def test_the_corpus_is_large_and_covers_every_outcome() -> None:
    assert len(CORPUS) >= 200
    assert {o for _, _, o in CORPUS} == {"1", "2", "3", "which", "unread", "miss"}
    assert len({(q, t) for q, t, _ in CORPUS}) == len(CORPUS)  # no answer twice


@pytest.mark.parametrize(("question", "typed", "outcome"), CORPUS)
def test_an_answer_as_residents_type_it(question: str, typed: str, outcome: str) -> None:
    chat, got = _answer(question, typed)
    assert got == outcome, chat.said()
    strikes = [e for e in chat.events if e.kind == "invalid"]
    if outcome in ("which", "unread"):
        assert strikes == []  # not a real attempt: it does not count toward the retries


def test_a_tie_names_both_options_and_asks_the_question_again() -> None:
    chat, _ = _answer("nop", "nộp hồ sơ ạ")
    assert chat.last[0].text == "Bác muốn chọn “Nộp hồ sơ trên mạng” hay “Nộp hồ sơ tại xã”?"
    assert chat.last[-1].text == "Bác nộp thế nào?"


def test_a_real_attempt_at_a_choice_counts_as_a_strike() -> None:
    chat, _ = _answer("nop", "xin chào")
    assert [e.kind for e in chat.events if e.kind == "invalid"] == ["invalid"]
    assert chat.state.run is not None and chat.state.run.top.retries == 1


def test_an_unread_forget_answer_deletes_nothing_and_says_what_each_option_does() -> None:
    chat, _ = _answer("forget", "hả")
    assert chat.state.stage == "forget" and not any(e.kind == "forget" for e in chat.effects)
    assert chat.last[0].text.startswith("Mình chưa rõ bác chọn gì, nên chưa xoá gì.")
    assert "“Xoá hết”: xoá hết thông tin" in chat.last[0].text
    assert "“Không xoá”: giữ nguyên" in chat.last[0].text
    assert chat.labels() == ["Xoá hết", "Không xoá"]


def test_an_unread_consent_answer_says_what_each_option_does() -> None:
    chat, _ = _answer("consent", "là sao")
    assert chat.state.stage == "consent" and chat.effects == []
    assert "“Không đồng ý”: mình không lưu gì cả." in chat.last[0].text


def test_forget_says_what_was_deleted() -> None:
    chat, _ = _answer("forget", "có")
    assert chat.last[0].text == (
        "Đã xoá tên, thôn, mã hộ và sự đồng ý đã lưu của bác. Cảm ơn bác đã dùng trợ lý."
    )


def test_forget_before_consent_says_nothing_was_deleted() -> None:
    chat = _chat()
    chat.send(Inbound("start"))
    chat.tap("Không đồng ý")
    chat.text("xoá dữ liệu")
    assert chat.last[0].text == "Mình chưa lưu thông tin gì của bà con, nên không có gì để xoá."


@pytest.mark.parametrize(
    ("typed", "word"), [("trợ giúp ạ", "help"), ("menu nhé", "menu"), ("dạ tiến độ ạ", "progress")]
)
def test_a_word_with_particles_is_still_the_word(typed: str, word: str) -> None:
    chat, _ = _answer("nop", typed)
    assert [e.detail for e in chat.events if e.kind == "word"] == [word]
