"""The gallery of broken flows: one small folder per lint rule, with the exact lines expected.

Each folder under tests/data/broken_flows is a tiny flows folder (some rules span files) and an
`expected.txt` holding what `danvan flows lint FOLDER`, run from the project root, must print.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
GALLERY = Path("tests/data/broken_flows")

# Every rule of the linter (docs/flows.md, "The linter"), one gallery folder each.
RULES = (
    # errors
    "yaml_syntax",
    "unknown_key",
    "unknown_step_key",
    "duplicate_key",
    "missing_required_key",
    "wrong_type",
    "value_not_allowed",
    "key_not_for_step_kind",
    "id_not_file_name",
    # A flow's id must equal its file name and only the folder's top-level *.yaml files are
    # read, so two clean flows can never share an id. The duplicate arises when a file is
    # copied to start a new flow and its id is left unchanged: the copy gets both errors.
    "duplicate_flow_id",
    "duplicate_step_id",
    "reserved_step_id",
    "say_and_ask",
    "step_does_nothing",
    "unknown_target",
    "unreachable_step",
    "no_way_to_end",
    "variable_not_saved",
    "unknown_placeholder",
    "unknown_name",
    "condition_syntax",
    "condition_forbidden",
    "branch_without_else",
    "else_not_last",
    "goto_with_buttons",
    "choices_without_choice_input",
    "choice_without_choices",
    "min_max_not_valid",
    "date_keys_not_valid",
    "application_without_online",
    "missing_media",
    "unknown_milestone",
    "goto_unknown_flow",
    "flow_target_unknown",
    "goto_loop",
    "means_not_one_each",
    "message_too_long",
    "sources_not_valid",
    # warnings
    "message_long",
    "too_many_buttons",
    "too_many_choices",
    "long_label",
    "asks_password",
    "asks_otp",
    "asks_id_card_photo",
    "no_sources",
    "checked_old",
    "checked_future",
    "not_in_menu",
)


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the linter as a flow author would: from the project root, with its danvan.yaml."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("DANVAN_CONFIG", raising=False)


TODAY = "2026-12-02"  # the date `checked` is aged against: never the wall clock


def lint(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """The exit status and the printed lines of `danvan flows lint FOLDER --today TODAY`."""
    status = main(["flows", "lint", str(folder), "--today", TODAY])
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("rule", RULES)
def test_broken_flow(rule: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = GALLERY / rule
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    status, printed = lint(folder, capsys)
    assert printed == expected
    has_error = any(": error: " in line for line in expected)
    assert status == (1 if has_error else 0)


@pytest.mark.parametrize("rule", RULES)
def test_expectation_is_about_its_own_folder(rule: str) -> None:
    lines = (ROOT / GALLERY / rule / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines, f"{rule}/expected.txt is empty"
    for line in lines:
        assert line.startswith(f"{GALLERY / rule}/"), line


def test_every_rule_has_a_folder_and_every_folder_a_rule() -> None:
    folders = {p.name for p in (ROOT / GALLERY).iterdir() if p.is_dir()}
    assert folders == set(RULES)
    assert len(RULES) == len(set(RULES))
    for rule in RULES:
        assert (ROOT / GALLERY / rule / "expected.txt").is_file(), rule
        assert list((ROOT / GALLERY / rule).glob("*.yaml")), rule


def test_bundled_flows_have_no_finding(capsys: pytest.CaptureFixture[str]) -> None:
    status, printed = lint(Path("flows"), capsys)
    assert printed == []
    assert status == 0
