"""Focused tests of the linter's path and variable analysis, positions, and folder checks."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.engine.flow import Flow
from bot.flows import yamlpos as y
from bot.flows.folder import load_folder
from bot.flows.graph import can_end, reachable
from bot.flows.lint import lint_flow
from bot.flows.parse import parse_flow
from bot.flows.variables import defined_on_entry, unsaved_path

HEAD = "id: demo\ntitle: Thử\nkind: info\nsteps:\n"


def flow_of(steps: str) -> Flow:
    flow, findings = parse_flow("demo.yaml", HEAD + textwrap.dedent(steps))
    assert flow is not None, [str(f) for f in findings.items]
    return flow


def lint(steps: str) -> list[str]:
    """The findings of one flow, as `line:col: severity: message`."""
    flow, findings = parse_flow("demo.yaml", HEAD + textwrap.dedent(steps))
    if flow is not None:
        lint_flow(flow, findings)
    return [str(f).removeprefix("demo.yaml:") for f in findings.items]


BRANCH = """\
  - id: married
    ask: Đã kết hôn chưa?
    input: yes_no
    save: married
  - id: route
    branch:
      - if: married
        go: spouse
      - else: {else_target}
  - id: spouse
    ask: Tên vợ hoặc chồng?
    save: spouse
  - id: single
    say: Chưa kết hôn.
    set: {{spouse: ''}}
  - id: summary
    say: Vợ/chồng là {{spouse}}.
"""


def test_a_name_saved_on_only_one_arm_of_a_branch_is_not_surely_saved() -> None:
    # `else: summary` skips both the question and the `set:`.
    flow = flow_of(BRANCH.format(else_target="summary"))
    entry = defined_on_entry(flow)
    assert "married" in entry["summary"]
    assert "spouse" not in entry["summary"]
    assert unsaved_path(flow, "spouse", "summary") == ["married", "route", "summary"]
    assert lint(BRANCH.format(else_target="summary")) == [
        "21:20: error: step 'summary': 'spouse' is read here, but on the path "
        "married -> route -> summary no step saves it "
        "(save it on that path too, or 'set:' a value there)"
    ]


def test_a_name_saved_on_every_arm_is_surely_saved() -> None:
    # `else: single`, whose `set:` gives spouse a value too.
    flow = flow_of(BRANCH.format(else_target="single"))
    assert "spouse" in defined_on_entry(flow)["summary"]
    assert lint(BRANCH.format(else_target="single")) == []


def test_leaving_a_question_by_on_fail_does_not_save_its_answer() -> None:
    steps = """\
      - id: age
        ask: Bà con bao nhiêu tuổi?
        input: number
        save: age
        on_fail: explain
      - id: done
        say: Bà con {age} tuổi.
        end: completed
      - id: explain
        say: Mình chưa hiểu {age}.
    """
    flow = flow_of(steps)
    entry = defined_on_entry(flow)
    assert "age" in entry["done"]
    assert "age" not in entry["explain"]
    assert lint(steps) == [
        "14:23: error: step 'explain': 'age' is read here, but on the path age -> explain "
        "no step saves it (save it on that path too, or 'set:' a value there)"
    ]


def test_a_read_in_the_first_step_is_never_saved_before() -> None:
    assert lint("  - id: hello\n    say: Chào {name}.\n    set: {name: x}\n") == [
        "6:13: error: step 'hello': 'name' is read in the first step, before any step can save it"
    ]


def test_reachable_and_can_end_follow_buttons_branches_and_next() -> None:
    flow = flow_of("""\
      - id: start
        say: Bắt đầu?
        buttons:
          - Có: loop
          - Không: menu
      - id: orphan
        say: Không ai tới đây.
      - id: loop
        say: Lại nữa.
        buttons:
          - Lại: loop
    """)
    assert reachable(flow) == {"start", "loop"}
    assert can_end(flow) == {"start"}  # orphan goes on to loop


def test_a_mistyped_target_on_a_step_that_ends_the_flow_is_still_reported() -> None:
    assert lint("""\
      - id: done
        say: Xong rồi!
        buttons:
          - Về menu: mneu
        end: completed
    """) == ["8:16: error: step 'done': target 'mneu' names no step (did you mean 'menu'?)"]


def test_a_placeholder_in_a_block_scalar_is_reported_on_its_own_line() -> None:
    assert lint("""\
      - id: hello
        say: >
          Chào bà con,
          thôn {vilage} nhé.
    """) == ["8:10: error: step 'hello': unknown placeholder '{vilage}' (did you mean 'village'?)"]


def test_a_condition_error_in_a_quoted_scalar_points_inside_the_quotes() -> None:
    assert lint("""\
      - id: route
        branch:
          - if: "x = 1"
            go: end
          - else: end
    """)[0].startswith("7:14: error: step 'route': condition 'x = 1': the condition does not parse")


@pytest.mark.parametrize(
    ("source", "index", "line", "col"),
    [
        ("a: plain text\n", 6, 1, 10),
        ("a: 'quoted text'\n", 7, 1, 12),
        ("a: |\n  first\n  second line\n", 6, 3, 3),
        ("a: >-\n  folded\n    more\n", 9, 3, 5),
        ("a: |  # a comment with second\n  x second\n", 2, 2, 5),
        ("a: short\n", 5, 1, 9),  # just past the end: the column after the last character
    ],
)
def test_char_pos(source: str, index: int, line: int, col: int) -> None:
    root = y.compose(source)
    assert root is not None and y.is_mapping(root)
    node = root.value[0][1]
    assert y.char_pos(node, index) == y.Pos(line, col)


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_an_error_in_one_flow_is_not_reported_again_in_the_flows_that_link_to_it(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "portal_login.yaml",
        """\
        id: portal_login
        title: Đăng nhập
        kind: account
        milestone: portal_login
        steps:
          - id: intro
            say: Mở trang.
            butons: []
    """,
    )
    write(
        tmp_path,
        "marital.yaml",
        """\
        id: marital
        title: Hôn nhân
        kind: info
        requires: [portal_login]
        steps:
          - id: login
            goto: portal_login
    """,
    )
    result = load_folder(tmp_path)
    assert [(Path(f.path).name, f.message) for f in result.findings] == [
        ("portal_login.yaml", "step 'intro': unknown key 'butons' (did you mean 'buttons'?)")
    ]
    assert sorted(result.flows) == ["marital"]


def test_the_copy_gets_the_duplicate_flow_id_whatever_the_file_order(tmp_path: Path) -> None:
    flow = """\
        id: zalo_help
        title: Trợ giúp
        kind: info
        steps:
          - id: intro
            say: Xin chào.
    """
    write(tmp_path, "zalo_help.yaml", flow)
    write(tmp_path, "another.yaml", flow)
    result = load_folder(tmp_path)
    assert {Path(f.path).name for f in result.findings} == {"another.yaml"}
    assert any(f.message.startswith("duplicate flow id 'zalo_help'") for f in result.findings)
    assert sorted(result.flows) == ["zalo_help"]


def test_an_unknown_name_with_nothing_close_says_no_step_saves_it() -> None:
    assert lint("""\
      - id: route
        branch:
          - if: xyz
            go: end
          - else: end
    """) == ["7:11: error: step 'route': unknown name 'xyz' (no step saves it)"]


MEANS = """\
  - id: confirm
    say: Bà con có chắc không?
    buttons:
      - {{label: Chắc chắn, means: {first}}}
      - {{label: Thôi, means: {second}}}
"""


def test_means_is_yes_or_no_and_one_of_each() -> None:
    assert lint(MEANS.format(first="yes", second="no")) == []
    assert lint(MEANS.format(first="yes", second="maybe")) == [
        "9:28: error: step 'confirm': 'means' is 'maybe'; write 'means: yes' on the affirmative "
        "option and 'means: no' on the negative one"
    ]
    assert flow_of(MEANS.format(first="yes", second="no")).steps[0].options[1].means == "no"


SOURCED = """\
id: vneid
title: VNeID
kind: account
sources: ["Nghị định 69/2024/NĐ-CP, điều 7"]
checked: 2025-12-01
steps:
  - id: intro
    say: Xin chào.
"""


def age_findings(today: date | None) -> list[str]:
    """The findings of a flow checked on 2025-12-01, aged against `today`."""
    flow, findings = parse_flow("vneid.yaml", SOURCED)
    assert flow is not None
    lint_flow(flow, findings, today)
    return [f.message.split(",")[0] for f in findings.items]


def test_checked_warns_only_past_twelve_months_and_in_the_future() -> None:
    assert age_findings(date(2026, 12, 1)) == []  # 365 days: still fine
    assert age_findings(date(2026, 12, 2)) == ["'checked' is 2025-12-01"]
    assert age_findings(date(2025, 12, 1)) == []
    assert age_findings(date(2025, 11, 30)) == ["'checked' is 2025-12-01"]
    assert age_findings(None) == []  # no date given: the age is not judged


def test_sources_and_checked_are_read_into_the_flow() -> None:
    flow, _ = parse_flow("vneid.yaml", SOURCED)
    assert flow is not None
    assert flow.sources == ("Nghị định 69/2024/NĐ-CP, điều 7",)
    assert flow.checked == date(2025, 12, 1)


def test_an_info_flow_needs_no_sources() -> None:
    flow, findings = parse_flow("demo.yaml", HEAD + "  - id: intro\n    say: Xin chào.\n")
    assert flow is not None
    lint_flow(flow, findings, date(2026, 12, 1))
    assert findings.items == []


def test_handoff_true_false_or_a_reason() -> None:
    flow = flow_of(
        """
        - id: a
          say: Một
          handoff: true
        - id: b
          say: Hai
          handoff: false
        - id: c
          say: Ba
          handoff: cần cán bộ xem giấy tờ
        """
    )
    assert [s.handoff for s in flow.steps] == ["handoff", None, "cần cán bộ xem giấy tờ"]
