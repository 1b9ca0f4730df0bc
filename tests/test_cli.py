"""The `danvan` command: a bad config or a broken flow stops it with the place and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT


def test_lint_passes_on_the_bundled_flows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "lint", str(ROOT / "flows")]) == 0
    assert capsys.readouterr().out == ""


def test_a_bad_config_value_is_refused_before_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "danvan.yaml"
    config.write_text(
        "commune: Hà Lang\ntimezone: Asia/Hanoi\nvillages:\n  - {id: na_khau, name: Nà Khau}\n"
    )
    assert main(["chat", "--config", str(config), "--db", str(tmp_path / "d.db")]) == 2
    err = capsys.readouterr().err
    assert "timezone: 'Asia/Hanoi' is not a known time zone" in err
    assert not (tmp_path / "d.db").exists()


def test_the_chat_refuses_to_start_with_a_broken_flow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "broken.yaml").write_text(
        "id: broken\ntitle: Hỏng\nkind: info\nsteps:\n  - id: a\n    say: Xin chào\n    next: b\n"
    )
    args = ["chat", "--flows", str(flows), "--db", str(tmp_path / "d.db")]
    assert main([*args, "--config", str(ROOT / "danvan.yaml")]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml:7:11: error: step 'a': target 'b' names no step" in err
