"""The linter warns about flow texts an enabled language does not translate."""

from __future__ import annotations

from pathlib import Path

from bot.flows.folder import load_folder

BASIC = Path(__file__).resolve().parents[1] / "data" / "flows_basic"
PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "sub.title"
msgid "Bước phụ"
msgstr "Extra step"

msgctxt "sub.explain"
msgid "Đây là bước phụ."
msgstr "This is an extra step."

#, fuzzy
msgctxt "sub.explain.1"
msgid "Hiểu rồi"
msgstr "Got it"
"""


def _locales(tmp_path: Path) -> Path:
    folder = tmp_path / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "flows.po").write_text(PO, encoding="utf-8")
    return tmp_path / "locales"


def test_each_untranslated_text_gets_a_warning_and_translated_ones_none(tmp_path: Path) -> None:
    result = load_folder(BASIC, ("vi", "en"), _locales(tmp_path))
    sub = [f.message for f in result.findings if f.path.endswith("sub.yaml")]
    assert sub == ["step 'explain': no en translation for 'Hiểu rồi' (sub.explain.1)"]
    assert not result.errors and set(result.flows) == {"sample", "sub"}


def test_a_language_without_a_catalog_is_one_warning_per_flow(tmp_path: Path) -> None:
    result = load_folder(BASIC, ("vi", "tyz"), _locales(tmp_path))
    messages = sorted({f.message for f in result.findings})
    where = tmp_path / "locales" / "tyz" / "LC_MESSAGES" / "flows.po"
    assert messages == [f"no tyz translations: {where} does not exist"]
    assert len(result.findings) == 2


def test_vietnamese_alone_needs_no_catalog(tmp_path: Path) -> None:
    assert load_folder(BASIC, ("vi",), tmp_path).findings == []
