"""Validators for residents' answers to a flow's questions, one per input type."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeAlias

from bot.engine.datewords import said_date
from bot.engine.markers import N_
from bot.engine.provinces import PROVINCE_CODES
from bot.engine.textnorm import fold, nfc


@dataclass(frozen=True)
class Valid:
    """An accepted answer and the value to save."""

    value: object


@dataclass(frozen=True)
class Invalid:
    """A rejected answer: a short Vietnamese reason (source text) and its placeholders."""

    reason: str
    params: Mapping[str, str] = field(default_factory=dict)


Result: TypeAlias = Valid | Invalid

# --- Reasons (Vietnamese source text, translated through the gettext catalogs) ---------------

TEXT_EMPTY = N_("{You} chưa gõ gì. {You} gõ câu trả lời rồi gửi lại nhé.")
TEXT_TOO_LONG = N_("Câu trả lời dài quá. {You} viết ngắn lại, không quá {max} ký tự nhé.")

NUMBER_FORMAT = N_("{You} chỉ gõ một số, bằng chữ số. Ví dụ: 3.")
NUMBER_NOT_WHOLE = N_("{You} gõ số nguyên, không có phần lẻ. Ví dụ: 3.")
NUMBER_TOO_LONG = N_("Số này dài quá. {You} kiểm tra lại nhé.")
NUMBER_TOO_SMALL = N_("Số này nhỏ quá. {You} gõ số từ {min} trở lên.")
NUMBER_TOO_BIG = N_("Số này lớn quá. {You} gõ số không quá {max}.")

YES_NO = N_("{You} trả lời “Có” hoặc “Không” nhé (hoặc gõ 1 là Có, 2 là Không).")

DATE_FORMAT = N_("{You} gõ ngày theo thứ tự ngày/tháng/năm. Ví dụ: 15/03/2025.")
DATE_NO_SUCH_DAY = N_(
    "Ngày {day} tháng {month} không có trong năm đó. {You} kiểm tra lại ngày và tháng nhé."
)
DATE_NO_SUCH_MONTH = N_(
    "Không có tháng {month}. {You} gõ ngày trước, tháng sau. Ví dụ: 15/03/2025."
)
DATE_YEAR = N_("Năm {year} có vẻ chưa đúng. {You} kiểm tra lại nhé.")
DATE_TOO_EARLY = N_("Ngày này sớm quá. Ngày sớm nhất là {min}.")
DATE_TOO_LATE = N_("Ngày này muộn quá. Ngày muộn nhất là {max}.")
DATE_FUTURE = {
    "birth": N_("Ngày sinh không thể sau hôm nay. {You} kiểm tra lại ngày, tháng, năm nhé."),
    "death": N_("Ngày mất không thể sau hôm nay. {You} kiểm tra lại ngày, tháng, năm nhé."),
}
DATE_WEEK = N_(
    "Tuần trước là từ thứ hai {first} đến chủ nhật {last}. {You} gõ đúng ngày nào, ví dụ {example}."
)
DATE_LUNAR = N_(
    "Mình cần ngày dương lịch (ngày ghi trên giấy tờ), không phải âm lịch. "
    "{You} gõ ngày/tháng/năm dương lịch nhé. Ví dụ: 15/03/2025."
)
DATE_MONTH = N_("Tháng trước là tháng {month}. {You} gõ đúng ngày nào, ví dụ {example}.")

PHONE_FORMAT = N_("{You} gõ số điện thoại di động bằng chữ số. Ví dụ: 0912 345 678.")
PHONE_NOT_VN = N_("{You} cho số di động Việt Nam nhé, bắt đầu bằng 0 hoặc +84.")
PHONE_OLD = N_(
    "Đây là số cũ 11 chữ số: đầu số {old} nay đã đổi thành {new}. {You} gõ số mới (10 chữ số) nhé."
)
PHONE_LANDLINE = N_(
    "Đây là số máy bàn. {You} cho số điện thoại di động, bắt đầu bằng 03, 05, 07, 08 hoặc 09 nhé."
)
PHONE_LENGTH = N_(
    "{You} đã gõ {count} chữ số. Số điện thoại cần có 10 chữ số, "
    "bắt đầu bằng 03, 05, 07, 08 hoặc 09. Ví dụ: 0912 345 678."
)
PHONE_UNKNOWN = N_(
    "Số này không phải số di động Việt Nam. {You} kiểm tra lại nhé. Ví dụ: 0912 345 678."
)

CCCD_FORMAT = N_("{You} gõ số định danh cá nhân bằng chữ số, đủ 12 số in trên thẻ căn cước.")
CCCD_CMND = N_(
    "Đây có vẻ là số chứng minh nhân dân cũ (9 số). "
    "{You} gõ số định danh 12 số in trên thẻ căn cước gắn chip nhé."
)
CCCD_LENGTH = N_(
    "Số định danh cá nhân có 12 chữ số, {you} đã gõ {count} số. "
    "{You} xem lại trên thẻ căn cước nhé."
)
CCCD_PROVINCE = N_(
    "Số định danh này chưa đúng: 3 số đầu là mã tỉnh nơi đăng ký khai sinh, mà không tỉnh nào có "
    "mã đó. {You} xem lại trên thẻ căn cước nhé."
)
CCCD_CENTURY = N_(
    "Số định danh này chưa đúng: số thứ 4 chỉ có thể là 0, 1, 2 hoặc 3. "
    "{You} xem lại trên thẻ căn cước nhé."
)
CCCD_FUTURE = N_(
    "Số định danh này chưa đúng: số thứ 4 đến thứ 6 cho biết năm sinh, mà năm đó chưa tới. "
    "{You} xem lại trên thẻ căn cước nhé."
)
CCCD_BIRTH_YEAR = N_(
    "Số định danh này không khớp với năm sinh {year}. {You} xem lại số trên thẻ căn cước nhé."
)

# --- Patterns and tables ----------------------------------------------------------------------

_ASCII_DIGITS = re.compile(r"[0-9]+")
_ANY_SPACES = re.compile(r"\s+")
# Letters that show as blank space (Hangul fillers), used to fake an empty name.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_SEPARATORS = re.compile(r"[\s.\-()]")
_WHOLE_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:[ .][0-9]{3})+|[0-9]+)")
_DECIMAL_NUMBER = re.compile(r"-?[0-9]+(?:[ .][0-9]{3})*[.,][0-9]+")
_MAX_NUMBER_DIGITS = 15
_MOBILE = re.compile(
    r"0(?:(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6}",
    re.ASCII,
)
# 11-digit prefixes converted in 2018-2019, and their 10-digit replacements.
_OLD_PREFIXES: Mapping[str, str] = {
    **{f"016{d}": f"03{d}" for d in "23456789"},
    "0120": "070",
    "0121": "079",
    "0122": "077",
    "0126": "076",
    "0128": "078",
    "0123": "083",
    "0124": "084",
    "0125": "085",
    "0127": "081",
    "0129": "082",
    "0186": "056",
    "0188": "058",
    "0199": "059",
}
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})(?:\s*[/.\-]\s*([0-9]{4}|[0-9]{2}))?")
# "ngày 15 tháng 3 năm 2025", "mùng 5 tháng 3", after fold.
_WORDS_DATE = re.compile(
    r"(?:ngay )?(?:mung |mong )?([0-9]{1,2}) thang ([0-9]{1,2})(?: (?:nam )?([0-9]{4}|[0-9]{2}))?"
)
_ISO_BOUND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OFFSET_BOUND = re.compile(r"([+-]?)([0-9]{1,5})d", re.IGNORECASE)
_FIRST_YEAR, _LAST_YEAR = 1900, 2100

_YES = frozenset({"co", "c", "yes", "y", "ok", "okay", "oke", "dong y", "1", "vang", "u", "roi"})
_NO = frozenset({"khong", "k", "ko", "kh", "khg", "no", "n", "2", "chua", "khong co"})
_LEADING_POLITE = frozenset({"da", "vang"})  # dạ, vâng: "dạ không" means no
_TRAILING_POLITE = frozenset({"a", "nhe", "nha"})  # ạ, nhé, nha

# --- Validators -------------------------------------------------------------------------------


def check_text(text: str, max_len: int = 500) -> Result:
    """Accept any non-empty text up to max_len characters, saved in NFC."""
    value = nfc(text)
    if not value:
        return Invalid(TEXT_EMPTY)
    if len(value) > max_len:
        return Invalid(TEXT_TOO_LONG, {"max": _group(max_len)})
    return Valid(value)


def check_name(text: str, max_len: int) -> Result:
    """Accept a name with at least one visible letter, up to max_len characters, saved in NFC.

    Control and format characters (zero-width, direction marks) and the blank "filler" letters
    are dropped, and runs of spaces become one, so a name of only those is empty.
    """
    spaced = _ANY_SPACES.sub(" ", text)
    kept = "".join(ch for ch in spaced if not _invisible(ch))
    value = _ANY_SPACES.sub(" ", nfc(kept))
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return Invalid(TEXT_EMPTY)
    if len(value) > max_len:
        return Invalid(TEXT_TOO_LONG, {"max": _group(max_len)})
    return Valid(value)


def check_number(text: str, minimum: int | None, maximum: int | None) -> Result:
    """Accept a whole number (spaces or dots between thousands), saved as an int."""
    raw = re.sub(r"\s+", " ", _nfkc(text))
    if _WHOLE_NUMBER.fullmatch(raw) is None:
        decimal = _DECIMAL_NUMBER.fullmatch(raw) is not None
        return Invalid(NUMBER_NOT_WHOLE if decimal else NUMBER_FORMAT)
    number_text = re.sub(r"[ .]", "", raw)
    if len(number_text.lstrip("-")) > _MAX_NUMBER_DIGITS:
        return Invalid(NUMBER_TOO_LONG)
    number = int(number_text)
    if minimum is not None and number < minimum:
        return Invalid(NUMBER_TOO_SMALL, {"min": _group(minimum)})
    if maximum is not None and number > maximum:
        return Invalid(NUMBER_TOO_BIG, {"max": _group(maximum)})
    return Valid(number)


def check_yes_no(text: str) -> Result:
    """Accept có / không in their usual typed forms (and yes / no, 1 / 2), saved as a bool."""
    words = fold(text).split()
    while len(words) > 1 and words[-1] in _TRAILING_POLITE:
        words.pop()
    if len(words) > 1 and words[0] in _LEADING_POLITE:
        words.pop(0)
    answer = " ".join(words)
    if answer in _YES:
        return Valid(True)
    if answer in _NO:
        return Valid(False)
    return Invalid(YES_NO)


def check_date(
    text: str,
    today: date,
    minimum: str | date | None = None,
    maximum: str | date | None = None,
    event: str | None = None,
) -> Result:
    """Accept a date (day-month(-year), ISO, or words like "hôm qua") within the bounds.

    `event` (birth, death) says the date is of something that has happened: one after today
    is refused as such. Saved as an ISO string.
    """
    low = None if minimum is None else resolve_date_bound(minimum, today)
    high = None if maximum is None else resolve_date_bound(maximum, today)
    latest = today if event is not None and (high is None or high > today) else high
    parsed = _parse_date(text, today, latest)
    if isinstance(parsed, Invalid):
        return parsed
    if event is not None and parsed > today:
        return Invalid(DATE_FUTURE[event])
    if low is not None and parsed < low:
        return Invalid(DATE_TOO_EARLY, {"min": _dmy(low)})
    if high is not None and parsed > high:
        return Invalid(DATE_TOO_LATE, {"max": _dmy(high)})
    return Valid(parsed.isoformat())


def resolve_date_bound(spec: str | date, today: date) -> date:
    """Turn a bound (ISO date like 2025-03-15, or days from today like -60d, 0d, +7d) into a date.

    Raises ValueError when the spec is neither.
    """
    if isinstance(spec, datetime):
        return spec.date()
    if isinstance(spec, date):
        return spec
    text = spec.strip()
    offset = _OFFSET_BOUND.fullmatch(text)
    if offset is not None:
        days = timedelta(days=int(offset[2]))
        return today - days if offset[1] == "-" else today + days
    if _ISO_BOUND.fullmatch(text) is not None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"date bound {spec!r}: no such day") from None
    raise ValueError(
        f"date bound {spec!r} is neither a date (2025-03-15) nor days from today (-60d, 0d, +7d)"
    )


def check_phone(text: str) -> Result:
    """Accept a Vietnamese mobile number in national or +84 form, saved as 0XXXXXXXXX."""
    number = _national_phone(text)
    if number.startswith("+"):
        return Invalid(PHONE_NOT_VN)
    if _ASCII_DIGITS.fullmatch(number) is None:
        return Invalid(PHONE_FORMAT)
    if len(number) == 11 and number[:4] in _OLD_PREFIXES:
        return Invalid(PHONE_OLD, {"old": number[:4], "new": _OLD_PREFIXES[number[:4]]})
    if number.startswith("02") and len(number) >= 10:
        return Invalid(PHONE_LANDLINE)
    if len(number) != 10:
        return Invalid(PHONE_LENGTH, {"count": str(len(number))})
    if _MOBILE.fullmatch(number) is None:
        return Invalid(PHONE_UNKNOWN)
    return Valid(number)


def check_cccd(text: str, birth_date: date | None = None, today: date | None = None) -> Result:
    """Accept a 12-digit personal identification number that can exist.

    Its first 3 digits must be a province code, its 4th (century and sex) 0-3, and the birth
    year they give (digits 4-6) not after today; when the birth date is known, that year.
    """
    number = _SEPARATORS.sub("", _nfkc(text))
    if _ASCII_DIGITS.fullmatch(number) is None:
        return Invalid(CCCD_FORMAT)
    if len(number) == 9:
        return Invalid(CCCD_CMND)
    if len(number) != 12:
        return Invalid(CCCD_LENGTH, {"count": str(len(number))})
    if number[:3] not in PROVINCE_CODES:
        return Invalid(CCCD_PROVINCE)
    if number[3] not in "0123":
        return Invalid(CCCD_CENTURY)
    year = (1900 if number[3] in "01" else 2000) + int(number[4:6])
    if today is not None and year > today.year:
        return Invalid(CCCD_FUTURE)
    if birth_date is not None and birth_date.year != year:
        return Invalid(CCCD_BIRTH_YEAR, {"year": str(birth_date.year)})
    return Valid(number)


def mask(value: str) -> str:
    """Hide all but the last 4 characters behind bullets ("•••••••• 9012")."""
    hidden = max(len(value) - 4, 0)
    return "•" * hidden + value[hidden:]


# --- Helpers ----------------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    """NFKC-normalise (full-width digits and signs become ASCII) and strip."""
    return unicodedata.normalize("NFKC", text).strip()


def _invisible(ch: str) -> bool:
    """Tell whether a character shows nothing: a control, format (zero-width, direction),
    surrogate, private-use or unassigned code point, or a blank filler letter."""
    return unicodedata.category(ch)[0] == "C" or ch in _BLANK_LETTERS


def _group(number: int) -> str:
    """Write a number with dots between thousands, the Vietnamese way (1.000.000)."""
    return f"{number:,}".replace(",", ".")


def _dmy(day: date) -> str:
    """Write a date as dd/mm/yyyy."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _national_phone(text: str) -> str:
    """Drop separators and turn +84 / 0084 / 84 (11-12 digits) into the leading 0."""
    number = _SEPARATORS.sub("", _nfkc(text))
    for prefix in ("+84", "0084"):
        if number.startswith(prefix):
            return "0" + number[len(prefix) :].removeprefix("0")
    if number.startswith("84") and len(number) in (11, 12):
        return "0" + number[2:].removeprefix("0")
    return number


def _parse_date(text: str, today: date, latest: date | None) -> date | Invalid:
    """Read a date in any accepted form; a reason when it is not one or does not exist.

    A day and month without a year is in this year, or last year when this year's is after
    `latest` (a birth "15/12" typed on 2 December is last year's).
    """
    raw = _nfkc(text)
    iso = _ISO_DATE.fullmatch(raw)
    if iso is not None:
        return _make_date(int(iso[3]), int(iso[2]), int(iso[1]))
    found = _DMY_DATE.fullmatch(raw) or _WORDS_DATE.fullmatch(_bare_date(raw, today))
    if found is None:
        return _said_date(raw, today)
    day, month = int(found[1]), int(found[2])
    made = _make_date(day, month, _full_year(found[3], day, month, today))
    if found[3] is None and isinstance(made, date) and latest is not None and made > latest:
        return _make_date(day, month, today.year - 1)
    return made


def _bare_date(raw: str, today: date) -> str:
    """The folded text of a date in words, without a polite word around it ("dạ", "ạ"),
    and with "năm nay" / "năm ngoái" (this year, last year) as the year's number."""
    words = fold(raw)
    for lead in ("da ", "vang "):
        words = words.removeprefix(lead)
    for trail in (" a", " nhe", " nha"):
        words = words.removesuffix(trail)
    words = re.sub(r" nam ngoai$", f" nam {today.year - 1}", words)
    return re.sub(r" nam nay$", f" nam {today.year}", words)


def _said_date(raw: str, today: date) -> date | Invalid:
    """A date said in words (hôm qua, thứ hai tuần trước), or why it is not one day."""
    said = said_date(raw, today)
    if isinstance(said, date):
        return said
    if said is None:
        lunar = re.search(r"\bam lich\b", fold(raw)) is not None
        return Invalid(DATE_LUNAR if lunar else DATE_FORMAT)
    example = _dmy(said.first + timedelta(days=2 if said.kind == "week" else 14))
    if said.kind == "week":
        return Invalid(
            DATE_WEEK, {"first": _dmy(said.first), "last": _dmy(said.last), "example": example}
        )
    month = f"{said.first.month:02d}/{said.first.year}"
    return Invalid(DATE_MONTH, {"month": month, "example": example})


def _full_year(year: str | None, day: int, month: int, today: date) -> int:
    """Complete a year: none is this year; yy is 20yy, or 19yy when 20yy is over a year ahead."""
    if year is None:
        return today.year
    if len(year) == 4:
        return int(year)
    full = 2000 + int(year)
    if (full, month, day) > (today.year + 1, today.month, today.day):
        return full - 100
    return full


def _make_date(day: int, month: int, year: int) -> date | Invalid:
    """Build the date, or say which part of it cannot be."""
    if not 1 <= month <= 12:
        return Invalid(DATE_NO_SUCH_MONTH, {"month": str(month)})
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return Invalid(DATE_YEAR, {"year": str(year)})
    try:
        return date(year, month, day)
    except ValueError:
        return Invalid(DATE_NO_SUCH_DAY, {"day": str(day), "month": str(month)})
