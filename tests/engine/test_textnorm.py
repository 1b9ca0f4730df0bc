"""Tests for bot.engine.textnorm: NFC with canonical tone placement, folding, digits."""

import unicodedata

import pytest

from bot.engine.textnorm import digits, fold, nfc


def nfd(text: str) -> str:
    """Decompose, as Unikey's "Unicode tổ hợp" and macOS keyboards send it."""
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoà", "hoà"),
        ("hòa", "hoà"),
        ("thuý", "thuý"),
        ("thúy", "thuý"),
        ("khoẻ", "khoẻ"),
        ("khỏe", "khoẻ"),
        ("họa", "hoạ"),
        ("xõa", "xoã"),
        ("ủy ban", "uỷ ban"),
        ("Thụy Khuê", "Thuỵ Khuê"),
        ("HÒA BÌNH", "HOÀ BÌNH"),
        ("Khỏe.", "Khoẻ."),
        ("hòa,thúy", "hoà,thuý"),
        ("òa khóc", "oà khóc"),
        # Syllables that go on after oa/oe/uy have one placement only; left alone.
        ("hoàng", "hoàng"),
        ("thuyết", "thuyết"),
        ("khoái", "khoái"),
        ("ngoằn ngoèo", "ngoằn ngoèo"),
        # qu / gi are consonants; nothing to move.
        ("quá", "quá"),
        ("quý", "quý"),
        ("già", "già"),
        ("  Bà con  ", "Bà con"),
        ("", ""),
    ],
)
def test_nfc_canonical_tone_placement(text: str, expected: str) -> None:
    assert nfc(text) == expected
    assert nfc(nfd(text)) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("Hoà Bình", nfd("Hòa Bình"))],
)
def test_nfc_makes_both_placements_equal(left: str, right: str) -> None:
    assert nfc(left) == nfc(right)


def test_nfc_returns_composed_text() -> None:
    result = nfc(nfd("Nguyễn Thị Hòa"))
    assert result == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", result)
    assert nfc(result) == result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Đồng Ý! ", "dong y"),
        ("ＫＨÔＮＧ", "khong"),
        ("Không", "khong"),
        (nfd("Không"), "khong"),
        ("đăng ký kết hôn", "dang ky ket hon"),
        ("ĐĂNG KÝ", "dang ky"),
        ("Ðúng", "dung"),  # eth, which some converters put for Đ
        ("hòa", "hoa"),
        ("hoà", "hoa"),
        ("2.", "2"),
        ("２", "2"),
        ("(1)", "1"),
        ("có!!!", "co"),
        ("Việc\tkhác\n", "viec khac"),
        ("có...  ạ", "co a"),
        ("ok 👍", "ok"),
        ("a-b/c", "a b c"),
        ("   ", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("０９１２３４５６７８", "0912345678"),
        ("+84 (912) 345-678", "84912345678"),
        ("abc", ""),
        ("", ""),
        ("١٢٣", ""),  # Arabic-Indic digits are not 0-9 and NFKC leaves them
    ],
)
def test_digits(text: str, expected: str) -> None:
    assert digits(text) == expected
