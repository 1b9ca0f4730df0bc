"""Reading a household list file (one row per person) and checking every row: the line, the
column and the reason of each problem."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Config
from bot.config_checks import normalise_phone
from bot.engine.textnorm import fold

COLUMNS = ("ma_ho", "thon", "ho_ten", "nam_sinh", "quan_he", "dien_thoai")
HEAD = "chu ho"  # the relation of the head of household, folded ("chủ hộ")
CODE = re.compile(r"[A-Za-z0-9\-]{4,20}")
MOBILE = re.compile(r"0[35789]\d{8}")
OLDEST, NEWEST = 1900, 2100


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row (line 1 is the header), in which column."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class Member:
    name: str
    birth_year: int | None
    relation: str
    phone: str | None
    line: int


@dataclass
class Household:
    code: str
    village: str
    members: list[Member] = field(default_factory=list)

    @property
    def head(self) -> Member | None:
        """The member whose relation is "chủ hộ"."""
        return next((m for m in self.members if fold(m.relation) == HEAD), None)


def raw_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: text}) of a CSV (UTF-8, with or without BOM) or XLSX file's rows."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
        return
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [fold(h).replace(" ", "_") for h in next(reader, [])]
        _check_header(header)
        for line, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield line, dict(zip(header, (v.strip() for v in values), strict=False))


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [fold(str(h or "")).replace(" ", "_") for h in next(rows, ())]
        _check_header(header)
        for line, values in enumerate(rows, start=2):
            texts = ["" if v is None else str(v).strip() for v in values]
            if any(texts):
                yield line, dict(zip(header, texts, strict=False))
    finally:
        book.close()


class BadHeader(ValueError):
    """The first row does not name the columns the list needs."""


def _check_header(header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise BadHeader(
            f"line 1: missing column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})"
        )


Checked = tuple[str, str, Member]


def check_row(line: int, row: dict[str, str], villages: dict[str, str]) -> Checked | list[Problem]:
    """(code, village id, member) of a good row, else every problem it has."""
    found: dict[str, object] = {}
    problems = []
    for column, check in CHECKS.items():
        value = check(row.get(column, ""), villages)
        if isinstance(value, Bad):
            problems.append(Problem(line, column, value.reason))
        found[column] = value
    if problems:
        return problems
    member = Member(
        str(found["ho_ten"]), _int(found["nam_sinh"]), str(found["quan_he"]),
        _str(found["dien_thoai"]), line,
    )  # fmt: skip
    return str(found["ma_ho"]), str(found["thon"]), member


@dataclass(frozen=True)
class Bad:
    reason: str


def _code(text: str, villages: dict[str, str]) -> str | Bad:
    if CODE.fullmatch(text):
        return text
    return Bad(f"{text!r} is not a household code (4-20 letters, digits or -)")


def _village(text: str, villages: dict[str, str]) -> str | Bad:
    return villages.get(fold(text)) or Bad(f"{text!r} is not a village of the commune")


def _name(text: str, villages: dict[str, str]) -> str | Bad:
    return " ".join(text.split()) or Bad("the name is empty")


def _relation(text: str, villages: dict[str, str]) -> str | Bad:
    return " ".join(text.split()) or Bad("the relation to the head of household is empty")


def _birth(text: str, villages: dict[str, str]) -> int | Bad | None:
    if not text:
        return None
    digits = text[:-2] if text.endswith(".0") else text  # a year typed in a spreadsheet cell
    if not digits.isdigit() or not OLDEST <= int(digits) <= NEWEST:
        return Bad(f"{text!r} is not a birth year (four digits, such as 1985)")
    return int(digits)


def _mobile(text: str, villages: dict[str, str]) -> str | Bad | None:
    if not text:
        return None
    phone = normalise_phone(text)
    if MOBILE.fullmatch(phone):
        return phone
    return Bad(f"{text!r} is not a mobile number (10 digits starting 03, 05, 07, 08 or 09)")


CHECKS: dict[str, Callable[[str, dict[str, str]], object]] = {
    "ma_ho": _code, "thon": _village, "ho_ten": _name, "nam_sinh": _birth,
    "quan_he": _relation, "dien_thoai": _mobile,
}  # fmt: skip


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def village_names(config: Config) -> dict[str, str]:
    """A village as it may be written (its id or its name, any case or accents) to its id."""
    names = {fold(v.id): v.id for v in config.villages}
    names.update({fold(v.name): v.id for v in config.villages})
    return names
