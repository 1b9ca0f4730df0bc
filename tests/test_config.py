"""Tests for loading the commune's configuration, its precedence rules and its error messages."""

import unicodedata
from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, Village, load_config

SAMPLE = Path(__file__).resolve().parents[1] / "danvan.yaml"

# Four lines that are valid on their own; broken cases add lines from line 5 on.
BASE = """\
commune: Hà Lang
villages:
  - {id: na_khau, name: Nà Khau}
  - {id: ban_cay, name: Bản Cậy}
"""

PROPAGANDIST = """\
staff:
  - name: Ma Văn Tiến
    role: propagandist
    villages: [na_khau]
"""

ID_RULE = "expected 2-40 lowercase letters, digits or '_', starting with a letter"
LANGS = "vi, en, tyz, nut, ium, mji, mlc, hmn, hnj, mww"
MOBILE = "expected 10 digits starting 03, 05, 07, 08 or 09"


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test in an empty directory, as danvan would run in the commune's folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(text: str, name: str = "danvan.yaml") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(text), env={})
    return str(caught.value)


def test_the_sample_loads() -> None:
    config = load_config(SAMPLE, env={})
    assert config.source == str(SAMPLE)
    assert (config.commune, config.province) == ("Hà Lang", "Tuyên Quang")
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.languages == ("vi",)
    assert config.village("na_khau") == Village("na_khau", "Nà Khau")
    assert config.village("nowhere") is None
    assert [s.name for s in config.propagandists_of("na_khau")] == ["Ma Văn Tiến"]
    assert [s.name for s in config.propagandists_of("pac_ta")] == ["Triệu Văn Sình"]
    assert [s.role for s in config.staff].count("official") == 2
    assert [s.role for s in config.staff].count("propagandist") == 3


def test_the_sample_normalises_phones_and_finds_staff_by_channel() -> None:
    config = load_config(SAMPLE, env={})
    official = config.staff_by_channel("terminal", "hoa")
    assert official is not None
    assert (official.name, official.phone, official.villages) == ("Lý Thị Hoa", "0388000102", ())
    assert config.staff_by_channel("telegram", "700000103") == config.propagandists_of("na_khau")[0]
    assert config.staff_by_channel("telegram", "999") is None
    assert config.staff_by_channel("zalo", "700000103") is None


def test_without_a_file_the_defaults_are_used(cwd: Path) -> None:
    config = load_config(env={})
    assert config.source == "(defaults)"
    assert config.commune == "Xã mẫu"
    assert config.villages == (Village("thon_1", "Thôn 1"),)
    assert config.languages == ("vi",)
    assert (config.db_path, config.flows_dir) == (Path("danvan.db"), Path("flows"))


def test_danvan_yaml_in_the_current_directory_is_found(cwd: Path) -> None:
    write(BASE)
    config = load_config(env={})
    assert (config.source, config.commune) == ("danvan.yaml", "Hà Lang")


def test_danvan_config_beats_the_current_directory(cwd: Path) -> None:
    write(BASE)
    write(BASE.replace("Hà Lang", "Yên Minh"), "other.yaml")
    config = load_config(env={"DANVAN_CONFIG": "other.yaml"})
    assert (config.source, config.commune) == ("other.yaml", "Yên Minh")


def test_the_path_argument_beats_danvan_config(cwd: Path) -> None:
    write(BASE.replace("Hà Lang", "Yên Minh"), "other.yaml")
    config = load_config(write(BASE), env={"DANVAN_CONFIG": "other.yaml"})
    assert config.commune == "Hà Lang"


def test_an_empty_danvan_config_is_unset(cwd: Path) -> None:
    assert load_config(env={"DANVAN_CONFIG": ""}).source == "(defaults)"


@pytest.mark.parametrize(
    ("path", "env"),
    [(Path("nope.yaml"), {}), (None, {"DANVAN_CONFIG": "nope.yaml"})],
    ids=["argument", "environment"],
)
def test_a_named_file_that_does_not_exist(
    cwd: Path, path: Path | None, env: dict[str, str]
) -> None:
    write(BASE)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env=env)
    assert str(caught.value) == "config file 'nope.yaml' does not exist"


FILE_PATHS = "database: file.db\nflows: file_flows\n"


@pytest.mark.parametrize(
    ("extra", "env", "args", "expected"),
    [
        ("", {}, {}, ("danvan.db", "flows")),
        (FILE_PATHS, {}, {}, ("file.db", "file_flows")),
        (
            FILE_PATHS,
            {"DANVAN_DB": "env.db", "DANVAN_FLOWS": "env_flows"},
            {},
            ("env.db", "env_flows"),
        ),
        ("", {"DANVAN_DB": "env.db"}, {}, ("env.db", "flows")),
        (FILE_PATHS, {"DANVAN_FLOWS": "env_flows"}, {}, ("file.db", "env_flows")),
        (FILE_PATHS, {"DANVAN_DB": "", "DANVAN_FLOWS": ""}, {}, ("file.db", "file_flows")),
        (
            FILE_PATHS,
            {"DANVAN_DB": "env.db", "DANVAN_FLOWS": "env_flows"},
            {"db": Path("arg.db"), "flows": Path("arg_flows")},
            ("arg.db", "arg_flows"),
        ),
    ],
)
def test_database_and_flows_precedence(
    cwd: Path, extra: str, env: dict[str, str], args: dict[str, Path], expected: tuple[str, str]
) -> None:
    config = load_config(write(BASE + extra), env=env, **args)
    assert (config.db_path, config.flows_dir) == tuple(Path(p) for p in expected)


def test_the_environment_applies_to_the_defaults_too(cwd: Path) -> None:
    config = load_config(env={"DANVAN_DB": "/var/lib/danvan.db", "DANVAN_FLOWS": "my_flows"})
    assert (config.db_path, config.flows_dir) == (Path("/var/lib/danvan.db"), Path("my_flows"))


@pytest.mark.parametrize(
    "phone",
    [
        "0912345678",
        "0912 345 678",
        "091.234.5678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
    ],
)
def test_phones_are_normalised(cwd: Path, phone: str) -> None:
    config = load_config(write(BASE + PROPAGANDIST + f'    phone: "{phone}"\n'), env={})
    assert config.staff[0].phone == "0912345678"


def test_numbers_are_read_as_written(cwd: Path) -> None:
    extra = "    phone: 0312345678\n    telegram: 700000103\n"
    staff = load_config(write(BASE + PROPAGANDIST + extra), env={}).staff[0]
    assert (staff.phone, staff.channels["telegram"]) == ("0312345678", "700000103")


def test_decomposed_text_is_stored_composed(cwd: Path) -> None:
    config = load_config(write(unicodedata.normalize("NFD", BASE)), env={})
    assert config.commune == unicodedata.normalize("NFC", "Hà Lang")
    assert config.village("ban_cay") == Village("ban_cay", "Bản Cậy")


BROKEN = [
    (
        "unknown key",
        "commune: Hà Lang\nprovince: Tuyên Quang\nvilages:\n  - {id: na_khau, name: Nà Khau}\n",
        "danvan.yaml:3:1: unknown key 'vilages' (did you mean 'villages'?)",
    ),
    (
        "unknown key, nothing close",
        "commune: Hà Lang\nvillages:\n  - {id: na_khau, name: Nà Khau, size: 120}\n",
        "danvan.yaml:3:34: villages[0]: unknown key 'size' (expected one of 'id', 'name')",
    ),
    (
        "duplicate key",
        BASE + "commune: Yên Minh\n",
        "danvan.yaml:5:1: duplicate key 'commune'",
    ),
    (
        "YAML syntax: unclosed list",
        "commune: Hà Lang\nvillages: [na_khau\n",
        "danvan.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>'"
        " (while parsing a flow sequence at 2:11)",
    ),
    (
        "YAML syntax: bad indentation",
        "commune: Hà Lang\n  villages: []\n",
        "danvan.yaml:2:11: invalid YAML: mapping values are not allowed here",
    ),
    (
        "empty file",
        "# nothing yet\n",
        "danvan.yaml:1:1: the file is empty (expected 'commune' and 'villages')",
    ),
    (
        "not a mapping",
        "- commune: Hà Lang\n",
        "danvan.yaml:1:1: expected a mapping with keys commune, province, timezone, languages,"
        " villages, staff, database, flows, centre, police, quiet_hours, followups, broadcasts,"
        " got a list",
    ),
    (
        "missing commune",
        "villages:\n  - {id: na_khau, name: Nà Khau}\n",
        "danvan.yaml:1:1: missing required key 'commune'",
    ),
    (
        "missing villages",
        "commune: Hà Lang\n",
        "danvan.yaml:1:1: missing required key 'villages'",
    ),
    (
        "empty commune",
        "commune:\nvillages:\n  - {id: na_khau, name: Nà Khau}\n",
        "danvan.yaml:1:9: commune: expected the commune's name, got an empty value",
    ),
    (
        "village without a name",
        "commune: Hà Lang\nvillages:\n  - {id: na_khau}\n",
        "danvan.yaml:3:5: villages[0]: missing required key 'name'",
    ),
    (
        "village id not a slug",
        "commune: Hà Lang\nvillages:\n  - {id: Nà Khau, name: Nà Khau}\n",
        f"danvan.yaml:3:10: villages[0].id: 'Nà Khau' is not a valid id ({ID_RULE},"
        " such as 'na_khau')",
    ),
    (
        "village id not a slug, suggested from the name",
        'commune: Hà Lang\nvillages:\n  - {id: "1", name: Thôn 1}\n',
        f"danvan.yaml:3:10: villages[0].id: '1' is not a valid id ({ID_RULE}, such as 'thon_1')",
    ),
    (
        "village id with no possible suggestion",
        "commune: Hà Lang\nvillages:\n  - {id: x, name: X}\n",
        f"danvan.yaml:3:10: villages[0].id: 'x' is not a valid id ({ID_RULE})",
    ),
    (
        "duplicate village id",
        BASE + "  - {id: na_khau, name: Nà Khau 2}\n",
        "danvan.yaml:5:10: villages[2].id: duplicate village id 'na_khau' (also villages[0].id)",
    ),
    (
        "no villages",
        "commune: Hà Lang\nvillages: []\n",
        "danvan.yaml:2:11: villages: expected at least one village, got none",
    ),
    (
        "villages not a list",
        "commune: Hà Lang\nvillages: Nà Khau\n",
        "danvan.yaml:2:11: villages: expected a list of villages such as"
        " {id: na_khau, name: Nà Khau}, got 'Nà Khau'",
    ),
    (
        "unknown time zone",
        BASE + "timezone: Asia/Hanoi\n",
        "danvan.yaml:5:11: timezone: 'Asia/Hanoi' is not a known time zone"
        " (expected an IANA name such as Asia/Ho_Chi_Minh)",
    ),
    (
        "unsupported language",
        BASE + "languages: [vi, fr]\n",
        f"danvan.yaml:5:17: languages[1]: 'fr' is not a supported language (expected {LANGS})",
    ),
    (
        "vi missing",
        BASE + "languages: [tyz, hmn]\n",
        "danvan.yaml:5:12: languages: 'vi' is missing (Vietnamese is the source language)",
    ),
    (
        "unknown role",
        BASE + "staff:\n  - name: Ma Văn Tiến\n    role: chief\n",
        "danvan.yaml:7:11: staff[0].role: 'chief' is not a role"
        " (expected one of 'official', 'propagandist')",
    ),
    (
        "misspelt role",
        BASE + "staff:\n  - {name: Nông Văn Thành, role: oficial}\n",
        "danvan.yaml:6:34: staff[0].role: 'oficial' is not a role (did you mean 'official'?)",
    ),
    (
        "staff without a role",
        BASE + "staff:\n  - name: Nông Văn Thành\n",
        "danvan.yaml:6:5: staff[0]: missing required key 'role'",
    ),
    (
        "propagandist without villages",
        BASE + "staff:\n  - name: Ma Văn Tiến\n    role: propagandist\n",
        "danvan.yaml:6:5: staff[0]: a propagandist needs at least one village, got none",
    ),
    (
        "propagandist with an empty list of villages",
        BASE + "staff:\n  - name: Ma Văn Tiến\n    role: propagandist\n    villages: []\n",
        "danvan.yaml:8:15: staff[0].villages: a propagandist needs at least one village, got none",
    ),
    (
        "staff village that is not a village",
        BASE
        + "staff:\n"
        + "  - name: Nông Văn Thành\n"
        + "    role: official\n"
        + "  - name: Ma Văn Tiến\n"
        + "    role: propagandist\n"
        + '    phone: "0977000103"\n'
        + "    villages:\n"
        + "      - na_kahu\n",
        "danvan.yaml:12:9: staff[1].villages[0]: 'na_kahu' is not a village"
        " (did you mean 'na_khau'?)",
    ),
    (
        "staff village with nothing close",
        BASE + "staff:\n  - {name: Nông Văn Thành, role: official, villages: [xyz]}\n",
        "danvan.yaml:6:55: staff[0].villages[0]: 'xyz' is not a village"
        " (expected one of 'na_khau', 'ban_cay')",
    ),
    (
        "staff villages not a list",
        BASE + "staff:\n  - {name: Ma Văn Tiến, role: propagandist, villages: na_khau}\n",
        "danvan.yaml:6:55: staff[0].villages: expected a list of village ids such as [na_khau],"
        " got 'na_khau'",
    ),
    (
        "phone that is not a mobile number",
        BASE + PROPAGANDIST + '    phone: "0123456789"\n',
        f"danvan.yaml:9:12: staff[0].phone: '0123456789' is not a valid Vietnamese mobile number"
        f" ({MOBILE})",
    ),
    (
        "phone with too few digits",
        BASE + PROPAGANDIST + "    phone: +84 91 234 567\n",
        f"danvan.yaml:9:12: staff[0].phone: '+84 91 234 567' is not a valid Vietnamese mobile"
        f" number ({MOBILE})",
    ),
    (
        "old 11-digit phone",
        BASE + PROPAGANDIST + '    phone: "01662345678"\n',
        "danvan.yaml:9:12: staff[0].phone: '01662345678' is an old 11-digit number"
        " (now '0362345678')",
    ),
    (
        "empty channel id",
        BASE + PROPAGANDIST + '    telegram: ""\n',
        "danvan.yaml:9:15: staff[0].telegram: expected this person's user id on telegram,"
        " got an empty value",
    ),
    (
        "channel id left blank",
        BASE + PROPAGANDIST + "    zalo:\n",
        "danvan.yaml:9:10: staff[0].zalo: expected this person's user id on zalo,"
        " got an empty value",
    ),
    (
        "channel id of two people",
        BASE
        + PROPAGANDIST
        + '    telegram: "700000103"\n'
        + '  - {name: Nông Văn Thành, role: official, telegram: "700000103"}\n',
        "danvan.yaml:10:54: staff[1].telegram: '700000103' is also the id of staff[0]",
    ),
    (
        "misspelt channel",
        BASE + PROPAGANDIST + '    telgram: "700000103"\n',
        "danvan.yaml:9:5: staff[0]: unknown key 'telgram' (did you mean 'telegram'?)",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_broken_config(cwd: Path, text: str, expected: str) -> None:
    assert error_of(text) == expected


def test_every_error_is_reported_in_file_order(cwd: Path) -> None:
    text = (
        "commune: Hà Lang\n"
        "timezone: Asia/Hanoi\n"
        "villages:\n"
        "  - {id: Nà Khau, name: Nà Khau}\n"
        "staff:\n"
        "  - {name: Ma Văn Tiến, role: propagandist, villages: [na_kahu], phone: '123'}\n"
        "vilages: []\n"
    )
    assert error_of(text).splitlines() == [
        "danvan.yaml:2:11: timezone: 'Asia/Hanoi' is not a known time zone"
        " (expected an IANA name such as Asia/Ho_Chi_Minh)",
        f"danvan.yaml:4:10: villages[0].id: 'Nà Khau' is not a valid id ({ID_RULE},"
        " such as 'na_khau')",
        "danvan.yaml:6:56: staff[0].villages[0]: 'na_kahu' is not a village",
        f"danvan.yaml:6:73: staff[0].phone: '123' is not a valid Vietnamese mobile number"
        f" ({MOBILE})",
        "danvan.yaml:7:1: unknown key 'vilages' (did you mean 'villages'?)",
    ]


def test_the_centre_and_police_details_fill_their_placeholders(tmp_path: Path) -> None:
    path = tmp_path / "danvan.yaml"
    path.write_text(
        "commune: Hà Lang\nvillages: [{id: na_khau, name: Nà Khau}]\n"
        "centre: {name: Trung tâm xã, phone: '0207 3000 000'}\npolice: {adress: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "police" in str(caught.value) and "adress" in str(caught.value)
    path.write_text(path.read_text(encoding="utf-8").replace("adress", "address"), "utf-8")
    config = load_config(path)
    assert dict(config.places) == {
        "centre": "Trung tâm xã",
        "centre_phone": "0207 3000 000",
        "police_address": "x",
    }


def test_the_sample_configuration_gives_the_engine_its_centre_and_police() -> None:
    from bot.app import commune_of

    places = commune_of(load_config(Path(__file__).resolve().parents[1] / "danvan.yaml")).places
    assert places["centre"] == "Trung tâm Phục vụ hành chính công xã Hà Lang"
    assert set(places) == {
        "centre", "centre_address", "centre_hours", "centre_phone",
        "police", "police_address", "police_phone",
    }  # fmt: skip


def test_quiet_hours_and_followup_timing(cwd: Path) -> None:
    base = "commune: X\nvillages: [{id: a_b, name: A}]\n"
    config = load_config(write(base), env={})
    assert (config.quiet_hours, config.escalate_hours, config.nudge_hours) == (
        ("21:00", "06:30"),
        24,
        72,
    )
    timing = 'quiet_hours: {start: "22:00", end: "06:00"}\nfollowups: {escalate_after: 2d}\n'
    config = load_config(write(base + timing), env={})
    assert (config.quiet_hours, config.escalate_hours, config.nudge_hours) == (
        ("22:00", "06:00"),
        48,
        72,
    )
    wrong = 'quiet_hours: {start: "25:00", end: "06:00"}\nfollowups: {escalate_after: 1w}\n'
    message = error_of(base + wrong)
    assert "quiet_hours.start: expected HH:MM" in message
    assert "followups.escalate_after: expected a duration such as 24h or 3d, got '1w'" in message


def test_the_communes_quiet_hours_hold_broadcasts_unless_they_have_their_own(cwd: Path) -> None:
    base = (
        'commune: X\nvillages: [{id: a_b, name: A}]\nquiet_hours: {start: "22:00", end: "06:00"}\n'
    )
    settings = load_config(write(base), env={}).broadcasts
    assert (settings.quiet_start, settings.quiet_end) == (time(22, 0), time(6, 0))
    own = base + 'broadcasts: {quiet_hours: "20:00-07:00"}\n'
    settings = load_config(write(own), env={}).broadcasts
    assert (settings.quiet_start, settings.quiet_end) == (time(20, 0), time(7, 0))
