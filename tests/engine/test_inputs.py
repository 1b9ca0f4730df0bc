"""Tests for bot.engine.inputs: one table of accepted and rejected answers per input type."""

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from bot.engine import inputs, texts
from bot.engine.inputs import (
    Invalid,
    Result,
    Valid,
    check_cccd,
    check_date,
    check_number,
    check_phone,
    check_text,
    check_yes_no,
    mask,
    resolve_date_bound,
)
from tests.engine.chat import Chat, registry_of, to_bac

TODAY = date(2025, 6, 15)


def nfd(text: str) -> str:
    """Decompose, as some keyboards send it."""
    return unicodedata.normalize("NFD", text)


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "max_len", "expected"),
    [
        ("Nguyễn Văn A", 500, Valid("Nguyễn Văn A")),
        ("  Thôn Khuổi Hòa \n", 500, Valid("Thôn Khuổi Hoà")),
        (nfd("Lò Thị Thúy"), 500, Valid("Lò Thị Thuý")),
        ("x" * 500, 500, Valid("x" * 500)),
        ("abcde", 5, Valid("abcde")),
        ("", 500, Invalid(inputs.TEXT_EMPTY)),
        ("   \n\t", 500, Invalid(inputs.TEXT_EMPTY)),
        ("x" * 501, 500, Invalid(inputs.TEXT_TOO_LONG, {"max": "500"})),
        ("abcdef", 5, Invalid(inputs.TEXT_TOO_LONG, {"max": "5"})),
        ("x" * 1001, 1000, Invalid(inputs.TEXT_TOO_LONG, {"max": "1.000"})),
    ],
)
def test_check_text(text: str, max_len: int, expected: Result) -> None:
    assert check_text(text, max_len) == expected


def test_check_text_counts_composed_characters() -> None:
    # "Hoà" is 3 characters once composed, 4 as typed decomposed.
    assert check_text(nfd("Hoà"), max_len=3) == Valid("Hoà")


# --- number ------------------------------------------------------------------------------------


# Today (15/06/2025) is a Sunday: last week ran from Monday 2/6 to Sunday 8/6.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hôm nay", "2025-06-15"),
        ("Hôm qua", "2025-06-14"),
        ("hom qua", "2025-06-14"),
        (nfd("hôm qua"), "2025-06-14"),
        ("dạ hôm qua ạ", "2025-06-14"),
        ("vào hôm qua", "2025-06-14"),
        ("hôm qua.", "2025-06-14"),
        ("3 ngày trước", "2025-06-12"),
        ("10 hom truoc", "2025-06-05"),
        ("thứ hai tuần trước", "2025-06-02"),
        ("thu 5 tuan truoc", "2025-06-05"),
        ("T7 tuần trước", "2025-06-07"),
        ("chủ nhật tuần rồi", "2025-06-08"),
        ("vào thứ tư tuần trước nhé", "2025-06-04"),
        ("15 tháng 3", "2025-03-15"),
        ("15 thang 3", "2025-03-15"),
        ("dạ ngày 15 tháng 3 ạ", "2025-03-15"),
        ("ngày 2 tháng 9 năm 1945", "1945-09-02"),
        ("mùng 5 tháng 3", "2025-03-05"),
        ("mồng 10 tháng 10 năm 1990", "1990-10-10"),
        ("15 tháng 3 năm ngoái", "2024-03-15"),
        ("15 thang 3 nam nay", "2025-03-15"),
        ("hôm kia", "2025-06-13"),
        ("hom kia", "2025-06-13"),
        ("hôm kìa", "2025-06-12"),
    ],
)
def test_check_date_understands_words(text: str, expected: str) -> None:
    assert check_date(text, TODAY) == Valid(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tuần trước",
            Invalid(
                inputs.DATE_WEEK,
                {"first": "02/06/2025", "last": "08/06/2025", "example": "04/06/2025"},
            ),
        ),
        (
            "tuan roi a",
            Invalid(
                inputs.DATE_WEEK,
                {"first": "02/06/2025", "last": "08/06/2025", "example": "04/06/2025"},
            ),
        ),
        ("tháng trước", Invalid(inputs.DATE_MONTH, {"month": "05/2025", "example": "15/05/2025"})),
    ],
)
def test_check_date_asks_which_day_of_a_week_or_month(text: str, expected: Invalid) -> None:
    assert check_date(text, TODAY) == expected


BIRTH_IN_FUTURE = Invalid(inputs.DATE_FUTURE["birth"])


@pytest.mark.parametrize(
    ("text", "event", "maximum", "expected"),
    [
        ("16/6/2025", "birth", "0d", BIRTH_IN_FUTURE),
        ("1/1/2030", "birth", None, BIRTH_IN_FUTURE),
        ("16/6/2025", "death", "0d", Invalid(inputs.DATE_FUTURE["death"])),
        ("15/6/2025", "birth", "0d", Valid("2025-06-15")),
        ("hôm nay", "birth", "0d", Valid("2025-06-15")),
        # A day and month without a year that is still to come this year is last year's.
        ("20/12", "birth", "0d", Valid("2024-12-20")),
        ("20 tháng 12", "death", None, Valid("2024-12-20")),
        ("16/6", "birth", None, Valid("2024-06-16")),
        ("15/6", "birth", None, Valid("2025-06-15")),
        ("20/12", None, "0d", Valid("2024-12-20")),
        ("20/12", None, None, Valid("2025-12-20")),
    ],
)
def test_check_date_of_an_event(
    text: str, event: str | None, maximum: str | None, expected: Result
) -> None:
    assert check_date(text, TODAY, None, maximum, event) == expected


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "expected"),
    [
        ("3", None, None, Valid(3)),
        (" 42 ", None, None, Valid(42)),
        ("０", None, None, Valid(0)),
        ("１２", None, None, Valid(12)),
        ("1.500", None, None, Valid(1500)),
        ("1 500 000", None, None, Valid(1500000)),
        ("１２　０００", None, None, Valid(12000)),  # full-width digits and space
        ("2.000.000", None, None, Valid(2000000)),
        ("007", None, None, Valid(7)),
        ("-5", -10, None, Valid(-5)),
        ("1", 1, 10, Valid(1)),
        ("10", 1, 10, Valid(10)),
        ("0", 1, 10, Invalid(inputs.NUMBER_TOO_SMALL, {"min": "1"})),
        ("11", 1, 10, Invalid(inputs.NUMBER_TOO_BIG, {"max": "10"})),
        ("2.000.001", None, 2000000, Invalid(inputs.NUMBER_TOO_BIG, {"max": "2.000.000"})),
        ("999", 1000, None, Invalid(inputs.NUMBER_TOO_SMALL, {"min": "1.000"})),
        ("1,5", None, None, Invalid(inputs.NUMBER_NOT_WHOLE)),
        ("1.5", None, None, Invalid(inputs.NUMBER_NOT_WHOLE)),
        ("2.500,75", None, None, Invalid(inputs.NUMBER_NOT_WHOLE)),
        ("", None, None, Invalid(inputs.NUMBER_FORMAT)),
        ("ba", None, None, Invalid(inputs.NUMBER_FORMAT)),
        ("3 người", None, None, Invalid(inputs.NUMBER_FORMAT)),
        ("1 2", None, None, Invalid(inputs.NUMBER_FORMAT)),
        ("12.34.567", None, None, Invalid(inputs.NUMBER_FORMAT)),
        ("1" * 16, None, None, Invalid(inputs.NUMBER_TOO_LONG)),
    ],
)
def test_check_number(
    text: str, minimum: int | None, maximum: int | None, expected: Result
) -> None:
    assert check_number(text, minimum, maximum) == expected


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Có",
        "có",
        "CÓ",
        "co",
        "c",
        "C",
        "yes",
        "Yes",
        "y",
        "ok",
        "OK",
        "Đồng ý",
        "dong y",
        "  Đồng Ý! ",
        "1",
        "１",
        "1.",
        nfd("Có"),
        "có ạ",
        "Dạ có",
        "vâng",
        "Vâng ạ",
        "rồi",
    ],
)
def test_check_yes_no_accepts_yes(text: str) -> None:
    assert check_yes_no(text) == Valid(True)


@pytest.mark.parametrize(
    "text",
    [
        "Không",
        "không",
        "KHÔNG",
        "ＫＨÔＮＧ",
        "khong",
        "k",
        "K",
        "ko",
        "no",
        "No",
        "n",
        "2",
        "２",
        nfd("Không"),
        "không ạ",
        "Dạ không",
        "chưa",
        "Không có",
    ],
)
def test_check_yes_no_accepts_no(text: str) -> None:
    assert check_yes_no(text) == Valid(False)


@pytest.mark.parametrize("text", ["", "có lẽ", "3", "maybe", "ạ", "dạ", "không biết", "co khong"])
def test_check_yes_no_rejects(text: str) -> None:
    assert check_yes_no(text) == Invalid(inputs.YES_NO)


# --- date --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2025", "2025-03-15"),
        ("15/3/2025", "2025-03-15"),
        ("15-3-2025", "2025-03-15"),
        ("15.3.2025", "2025-03-15"),
        ("15.3.25", "2025-03-15"),
        ("5/1/2024", "2024-01-05"),
        (" 15 / 03 / 2025 ", "2025-03-15"),
        ("１５／０３／２０２５", "2025-03-15"),
        ("15/3", "2025-03-15"),
        ("1/12", "2025-12-01"),
        ("2025-03-15", "2025-03-15"),
        ("2025-3-5", "2025-03-05"),
        ("ngày 15 tháng 3 năm 2025", "2025-03-15"),
        ("15 tháng 3", "2025-03-15"),
        ("29/02/2024", "2024-02-29"),
        # Two-digit years: 20yy unless that is more than a year after today (15/06/2025).
        ("15.6.26", "2026-06-15"),
        ("1/1/26", "2026-01-01"),
        ("16.6.26", "1926-06-16"),
        ("15/3/85", "1985-03-15"),
        ("29/2/00", "2000-02-29"),
        ("1/1/99", "1999-01-01"),
    ],
)
def test_check_date_accepts(text: str, expected: str) -> None:
    assert check_date(text, TODAY) == Valid(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/02/2025", Invalid(inputs.DATE_NO_SUCH_DAY, {"day": "31", "month": "2"})),
        ("29/2/2025", Invalid(inputs.DATE_NO_SUCH_DAY, {"day": "29", "month": "2"})),
        ("31/4", Invalid(inputs.DATE_NO_SUCH_DAY, {"day": "31", "month": "4"})),
        ("0/3/2025", Invalid(inputs.DATE_NO_SUCH_DAY, {"day": "0", "month": "3"})),
        ("2025-02-30", Invalid(inputs.DATE_NO_SUCH_DAY, {"day": "30", "month": "2"})),
        ("3/15/2025", Invalid(inputs.DATE_NO_SUCH_MONTH, {"month": "15"})),
        ("15/0/2025", Invalid(inputs.DATE_NO_SUCH_MONTH, {"month": "0"})),
        ("15/3/1825", Invalid(inputs.DATE_YEAR, {"year": "1825"})),
        ("15/3/2225", Invalid(inputs.DATE_YEAR, {"year": "2225"})),
        ("", Invalid(inputs.DATE_FORMAT)),
        ("hôm nọ", Invalid(inputs.DATE_FORMAT)),
        ("15 tháng 3 âm lịch", Invalid(inputs.DATE_LUNAR)),
        ("15/3 am lich", Invalid(inputs.DATE_LUNAR)),
        ("mùng 5 tết âm lịch", Invalid(inputs.DATE_LUNAR)),
        ("thứ tám tuần trước", Invalid(inputs.DATE_FORMAT)),
        ("năm ngoái", Invalid(inputs.DATE_FORMAT)),
        ("15032025", Invalid(inputs.DATE_FORMAT)),
        ("15/3/202", Invalid(inputs.DATE_FORMAT)),
        ("15", Invalid(inputs.DATE_FORMAT)),
    ],
)
def test_check_date_rejects(text: str, expected: Invalid) -> None:
    assert check_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "expected"),
    [
        ("16/4/2025", "-60d", "0d", Valid("2025-04-16")),
        ("15/6/2025", "-60d", "0d", Valid("2025-06-15")),
        ("15/4/2025", "-60d", "0d", Invalid(inputs.DATE_TOO_EARLY, {"min": "16/04/2025"})),
        ("16/6/2025", "-60d", "0d", Invalid(inputs.DATE_TOO_LATE, {"max": "15/06/2025"})),
        ("22/6/2025", None, "+7d", Valid("2025-06-22")),
        ("23/6/2025", None, "+7d", Invalid(inputs.DATE_TOO_LATE, {"max": "22/06/2025"})),
        ("1/1/2000", "2000-01-01", None, Valid("2000-01-01")),
        ("31/12/1999", "2000-01-01", None, Invalid(inputs.DATE_TOO_EARLY, {"min": "01/01/2000"})),
        ("1/7/2024", None, date(2024, 6, 30), Invalid(inputs.DATE_TOO_LATE, {"max": "30/06/2024"})),
    ],
)
def test_check_date_bounds(
    text: str, minimum: str | date | None, maximum: str | date | None, expected: Result
) -> None:
    assert check_date(text, TODAY, minimum, maximum) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("0d", date(2025, 6, 15)),
        ("-60d", date(2025, 4, 16)),
        ("+7d", date(2025, 6, 22)),
        ("7d", date(2025, 6, 22)),
        (" -1D ", date(2025, 6, 14)),
        ("2025-03-15", date(2025, 3, 15)),
        (date(2020, 1, 2), date(2020, 1, 2)),
    ],
)
def test_resolve_date_bound(spec: str | date, expected: date) -> None:
    assert resolve_date_bound(spec, TODAY) == expected


@pytest.mark.parametrize(
    "spec", ["", "today", "-60", "60 days", "2w", "15/03/2025", "2025-02-30", "2025-3-15", "+-1d"]
)
def test_resolve_date_bound_rejects(spec: str) -> None:
    with pytest.raises(ValueError, match="date bound"):
        resolve_date_bound(spec, TODAY)


def test_check_date_bad_bound_raises() -> None:
    with pytest.raises(ValueError, match="date bound"):
        check_date("15/3/2025", TODAY, minimum="yesterday")


# --- phone -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(0912) 345 678", "0912345678"),
        ("０９１２３４５６７８", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("0321234567", "0321234567"),
        ("0701234567", "0701234567"),
        ("0522123456", "0522123456"),
        ("0559123456", "0559123456"),
        ("0591234567", "0591234567"),
        ("0812345678", "0812345678"),
        ("0961234567", "0961234567"),
        ("0991234567", "0991234567"),
    ],
)
def test_check_phone_accepts(text: str, expected: str) -> None:
    assert check_phone(text) == Valid(expected)


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("01621234567", "0321234567"),
        ("0169 123 4567", "0391234567"),
        ("+84 162 123 4567", "0321234567"),
        ("841621234567", "0321234567"),
        ("01201234567", "0701234567"),
        ("01211234567", "0791234567"),
        ("01221234567", "0771234567"),
        ("01261234567", "0761234567"),
        ("01281234567", "0781234567"),
        ("01231234567", "0831234567"),
        ("01241234567", "0841234567"),
        ("01251234567", "0851234567"),
        ("01271234567", "0811234567"),
        ("01291234567", "0821234567"),
        ("01861234567", "0561234567"),
        ("01881234567", "0581234567"),
        ("01991234567", "0591234567"),
    ],
)
def test_check_phone_old_number_suggests_new(text: str, new: str) -> None:
    old = "0" + text.replace(" ", "").removeprefix("+").removeprefix("84").lstrip("0")[:3]
    assert check_phone(text) == Invalid(inputs.PHONE_OLD, {"old": old, "new": new[:3]})
    assert check_phone(new) == Valid(new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("912345678", Invalid(inputs.PHONE_LENGTH, {"count": "9"})),
        ("091234567", Invalid(inputs.PHONE_LENGTH, {"count": "9"})),
        ("09123456789", Invalid(inputs.PHONE_LENGTH, {"count": "11"})),
        ("01301234567", Invalid(inputs.PHONE_LENGTH, {"count": "11"})),
        ("0912", Invalid(inputs.PHONE_LENGTH, {"count": "4"})),
        ("02439123456", Invalid(inputs.PHONE_LANDLINE)),
        ("0207 3812 345", Invalid(inputs.PHONE_LANDLINE)),
        ("+84 24 3912 3456", Invalid(inputs.PHONE_LANDLINE)),
        ("0112345678", Invalid(inputs.PHONE_UNKNOWN)),
        ("0412345678", Invalid(inputs.PHONE_UNKNOWN)),
        ("0501234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("0521234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("0551234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("0891234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("0992123456", Invalid(inputs.PHONE_UNKNOWN)),
        ("0801234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("0721234567", Invalid(inputs.PHONE_UNKNOWN)),
        ("+1 555 123 4567", Invalid(inputs.PHONE_NOT_VN)),
        ("", Invalid(inputs.PHONE_FORMAT)),
        ("không có", Invalid(inputs.PHONE_FORMAT)),
        ("0912 345 67a", Invalid(inputs.PHONE_FORMAT)),
    ],
)
def test_check_phone_rejects(text: str, expected: Invalid) -> None:
    assert check_phone(text) == expected


# --- CCCD --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "birth_date", "expected"),
    [
        ("008085001234", None, "008085001234"),
        ("008 085 001 234", None, "008085001234"),
        ("008.085.001.234", None, "008085001234"),
        ("００８０８５００１２３４", None, "008085001234"),
        ("008085001234", date(1985, 7, 1), "008085001234"),
        ("002190001234", date(1990, 1, 1), "002190001234"),
        ("008205001234", date(2005, 12, 31), "008205001234"),
        ("008312001234", date(2012, 5, 5), "008312001234"),
        ("008300001234", date(2000, 1, 1), "008300001234"),
        ("001100001234", None, "001100001234"),  # Hà Nội, a woman born in 1900
        ("096325001234", None, "096325001234"),  # Cà Mau, a girl born this year (2025)
        ("079 2 25 001234", date(2025, 6, 15), "079225001234"),  # born today
    ],
)
def test_check_cccd_accepts(text: str, birth_date: date | None, expected: str) -> None:
    assert check_cccd(text, birth_date, TODAY) == Valid(expected)


@pytest.mark.parametrize(
    ("text", "birth_date", "expected"),
    [
        ("123456789", None, Invalid(inputs.CCCD_CMND)),
        ("123 456 789", None, Invalid(inputs.CCCD_CMND)),
        ("00808500123", None, Invalid(inputs.CCCD_LENGTH, {"count": "11"})),
        ("0080850012345", None, Invalid(inputs.CCCD_LENGTH, {"count": "13"})),
        # No province has the code 000, 003, 099 or 100 (Circular 07/2016/TT-BCA).
        ("0000 0000 0000", None, Invalid(inputs.CCCD_PROVINCE)),
        ("000085001234", None, Invalid(inputs.CCCD_PROVINCE)),
        ("003085001234", None, Invalid(inputs.CCCD_PROVINCE)),
        ("099085001234", None, Invalid(inputs.CCCD_PROVINCE)),
        ("100085001234", None, Invalid(inputs.CCCD_PROVINCE)),
        ("123456789012", None, Invalid(inputs.CCCD_PROVINCE)),
        # The century digit: 0-3 only, and never a birth year after today.
        ("008485001234", None, Invalid(inputs.CCCD_CENTURY)),
        ("008985001234", None, Invalid(inputs.CCCD_CENTURY)),
        ("008326001234", None, Invalid(inputs.CCCD_FUTURE)),
        ("008299001234", None, Invalid(inputs.CCCD_FUTURE)),
        # The birth date the flow knows.
        ("008085001234", date(1986, 7, 1), Invalid(inputs.CCCD_BIRTH_YEAR, {"year": "1986"})),
        ("008185001234", date(2085, 7, 1), Invalid(inputs.CCCD_BIRTH_YEAR, {"year": "2085"})),
        ("008205001234", date(1905, 7, 1), Invalid(inputs.CCCD_BIRTH_YEAR, {"year": "1905"})),
        ("008224001234", date(2025, 1, 1), Invalid(inputs.CCCD_BIRTH_YEAR, {"year": "2025"})),
        ("", None, Invalid(inputs.CCCD_FORMAT)),
        ("00808500123x", None, Invalid(inputs.CCCD_FORMAT)),
    ],
)
def test_check_cccd_rejects(text: str, birth_date: date | None, expected: Invalid) -> None:
    assert check_cccd(text, birth_date, TODAY) == expected


# --- mask --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("008085001234", "••••••••1234"),
        ("0912345678", "••••••5678"),
        ("12345", "•2345"),
        ("1234", "1234"),
        ("12", "12"),
        ("", ""),
    ],
)
def test_mask(value: str, expected: str) -> None:
    assert mask(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Bàn  Thị\u00a0Huấn ", Valid("Bàn Thị Huấn")),
        ("\u202bLò\u200b Văn\u2069 Páo", Valid("Lò Văn Páo")),
        ("La\u0301n", Valid("Lán")),  # NFC
        ("\u200b\u200d\u2060\ufeff", Invalid(inputs.TEXT_EMPTY)),
        ("\u3164\u115f\uffa0", Invalid(inputs.TEXT_EMPTY)),
        ("\u0301\u0300", Invalid(inputs.TEXT_EMPTY)),  # marks with nothing to sit on
        ("12345", Invalid(inputs.TEXT_EMPTY)),
        ("A" * 61, Invalid(inputs.TEXT_TOO_LONG, {"max": "60"})),
    ],
)
def test_check_name(text: str, expected: Result) -> None:
    assert inputs.check_name(text, 60) == expected


# --- through the engine: the flow's birth date, household codes ---------------------------------

IDENTITY = Path(__file__).resolve().parents[1] / "data" / "flows_identity"


def identity_chat() -> Chat:
    """A resident at the birth date question of the identity flow (today is 29/11/2026)."""
    chat = Chat(registry_of(IDENTITY))
    chat.onboard()
    chat.tap("Thông tin căn cước")
    assert chat.last[-1].text == "Bác sinh ngày nào?"
    return chat


@pytest.mark.parametrize(
    ("birth", "idno", "error"),
    [
        ("14/07/1995", "008195001234", None),
        ("14 tháng 7 năm 1995", "008 195 001 234", None),
        ("hôm qua", "008326001234", None),
        ("14/07/1995", "008196001234", to_bac(inputs.CCCD_BIRTH_YEAR, year="1995")),
        ("14/07/2001", "008101001234", to_bac(inputs.CCCD_BIRTH_YEAR, year="2001")),
        ("14/07/1995", "0000 0000 0000", to_bac(inputs.CCCD_PROVINCE)),
        ("14/07/1995", "008299001234", to_bac(inputs.CCCD_FUTURE)),
    ],
)
def test_the_cccd_is_checked_against_the_birth_date_the_flow_knows(
    birth: str, idno: str, error: str | None
) -> None:
    chat = identity_chat()
    chat.text(birth)
    assert chat.last[-1].text == "Số định danh cá nhân của bác?"
    chat.text(idno)
    if error is None:
        assert chat.said().startswith("Xong."), chat.said()
    else:
        assert error in chat.said() and chat.last[-1].text == "Số định danh cá nhân của bác?"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("30/11/2026", to_bac(inputs.DATE_FUTURE["birth"])),
        ("1/1/2027", to_bac(inputs.DATE_FUTURE["birth"])),
        (
            "tuần trước",
            to_bac(inputs.DATE_WEEK, first="16/11/2026", last="22/11/2026", example="18/11/2026"),
        ),
    ],
)
def test_a_birth_date_question_explains_what_is_wrong(typed: str, error: str) -> None:
    chat = identity_chat()
    chat.text(typed)
    assert error in chat.said() and chat.last[-1].text == "Bác sinh ngày nào?"


def test_a_birth_date_in_words_is_saved_as_that_day() -> None:
    chat = identity_chat()
    chat.text("thứ hai tuần trước")
    chat.text("008326001234")
    assert "Bác sinh ngày 16/11/2026." in chat.said()


def at_household_code() -> Chat:
    chat = Chat(registry_of(IDENTITY))
    chat.text("xin chào")
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    chat.tap("Đã có mã hộ")
    return chat


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("48291", to_bac(texts.HOUSEHOLD_CODE_LENGTH, count=5)),
        ("4829 1377", to_bac(texts.HOUSEHOLD_CODE_LENGTH, count=8)),
        ("4829 1377 051", to_bac(texts.HOUSEHOLD_CODE_LENGTH, count=11)),
        ("mã hộ đây", to_bac(texts.HOUSEHOLD_CODE_NO_DIGITS)),
        ("4829 1377 05", to_bac(texts.HOUSEHOLD_CODE_WRONG, count=10)),
        ("482913", to_bac(texts.HOUSEHOLD_CODE_WRONG, count=6)),
    ],
)
def test_a_household_code_not_found_says_why(typed: str, error: str) -> None:
    chat = at_household_code()
    chat.text(typed)
    assert chat.state.stage == "code" and error in chat.said(), chat.said()


BUNDLED = Path(__file__).resolve().parents[2] / "flows"


@pytest.mark.parametrize(
    ("flow", "question", "event"),
    [("Đăng ký khai sinh", "Cháu sinh ngày nào?", "birth"), ("Đăng ký khai tử", "mất", "death")],
)
def test_the_bundled_date_questions_refuse_a_day_after_today_by_name(
    flow: str, question: str, event: str
) -> None:
    chat = Chat(registry_of(BUNDLED))
    chat.onboard()
    chat.tap("Khai sinh, khai tử, kết hôn")
    chat.tap(flow)
    chat.tap("Tôi đã có rồi")
    chat.tap("Bắt đầu")
    chat.tap("Đã hiểu")
    if event == "death":
        chat.tap("Đã hiểu")  # the linked procedure: death, residence, funeral allowance
    assert question in chat.last[-1].text
    chat.text("30/11/2026")  # tomorrow
    assert to_bac(inputs.DATE_FUTURE[event]) in chat.said() and question in chat.last[-1].text
    chat.text("hôm qua")
    assert question not in chat.said()
