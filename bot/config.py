"""Loads the commune's configuration (danvan.yaml) and reports every mistake in it at once."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from zoneinfo import available_timezones

import yaml

from bot.broadcasts.settings import BroadcastSettings, read_broadcasts
from bot.config_checks import (
    MOBILE,
    SLUG,
    NodeReader,
    bad_phone,
    bad_slug,
    hint,
    normalise_phone,
    syntax_error,
)
from bot.config_timing import (
    DEFAULT_ESCALATE_HOURS,
    DEFAULT_NUDGE_HOURS,
    DEFAULT_QUIET,
    followup_hours,
    quiet_hours,
)
from bot.engine.places import PLACE_FIELDS

SUPPORTED_LANGUAGES = ("vi", "en", "tyz", "nut", "ium", "mji", "mlc", "hmn", "hnj", "mww")
ROLES = ("official", "propagandist")
CHANNELS = ("telegram", "zalo", "terminal")
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_CONFIG = Path("danvan.yaml")
DEFAULT_DB = Path("danvan.db")
DEFAULT_FLOWS = Path("flows")

_TOP_KEYS = (
    "commune", "province", "timezone", "languages", "villages", "staff", "database", "flows",
    *PLACE_FIELDS,
    "quiet_hours", "followups",
    "broadcasts",
)  # fmt: skip
_VILLAGE_KEYS = ("id", "name")
_STAFF_KEYS = ("name", "role", "phone", "villages", *CHANNELS)


class ConfigError(Exception):
    """The configuration cannot be used; str(error) is the full message for the user."""


@dataclass(frozen=True)
class Village:
    """A village (thôn, bản) of the commune."""

    id: str
    name: str


@dataclass(frozen=True)
class Staff:
    """An official or a grassroots propagandist, with their user id on each channel."""

    name: str
    role: str
    phone: str | None
    villages: tuple[str, ...]
    channels: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Config:
    """The commune's settings, validated."""

    commune: str
    province: str
    villages: tuple[Village, ...]
    languages: tuple[str, ...]
    timezone: str
    staff: tuple[Staff, ...]
    db_path: Path
    flows_dir: Path
    source: str
    places: Mapping[str, str] = field(default_factory=dict)  # `centre_phone`...: engine/places.py
    quiet_hours: tuple[str, str] = DEFAULT_QUIET  # no reminders from start to end (HH:MM)
    escalate_hours: int = DEFAULT_ESCALATE_HOURS  # an unclaimed follow-up goes to the officials
    nudge_hours: int = DEFAULT_NUDGE_HOURS  # a claimed one untouched this long reminds its holder
    broadcasts: BroadcastSettings = field(default_factory=BroadcastSettings)

    def village(self, village_id: str) -> Village | None:
        """Return the village with this id, or None."""
        return next((v for v in self.villages if v.id == village_id), None)

    def propagandists_of(self, village_id: str) -> tuple[Staff, ...]:
        """Return the propagandists in charge of this village."""
        return tuple(s for s in self.staff if s.role == "propagandist" and village_id in s.villages)

    def staff_by_channel(self, channel: str, user_id: str) -> Staff | None:
        """Return the staff member who has this user id on this channel, or None."""
        return next((s for s in self.staff if s.channels.get(channel) == str(user_id)), None)


DEFAULTS = Config(
    commune="Xã mẫu",
    province="",
    villages=(Village("thon_1", "Thôn 1"),),
    languages=("vi",),
    timezone=DEFAULT_TIMEZONE,
    staff=(),
    db_path=DEFAULT_DB,
    flows_dir=DEFAULT_FLOWS,
    source="(defaults)",
)


class _Reader(NodeReader):
    """Walks the composed YAML, builds the settings and collects every error with its place.

    A wrong value is reported once and read as a placeholder: any error fails the whole load.
    """

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.village_paths: dict[str, str] = {}
        self.channel_owners: dict[tuple[str, str], str] = {}

    def config(self, root: yaml.Node) -> Config:
        found = self.fields(root, "", _TOP_KEYS, ("commune", "villages"))
        escalate, nudge = followup_hours(self, found.get("followups"))
        quiet = quiet_hours(self, found.get("quiet_hours"))
        return Config(
            commune=self.get(found, "", "commune", "the commune's name") or "",
            province=self.get(found, "", "province", "the province's name", True) or "",
            villages=self.villages(found.get("villages")),
            languages=self.languages(found.get("languages")),
            timezone=self.timezone(found.get("timezone")),
            staff=self.staff_list(found.get("staff")),
            db_path=Path(self.get(found, "", "database", "a file path", True) or DEFAULT_DB),
            flows_dir=Path(self.get(found, "", "flows", "a folder path", True) or DEFAULT_FLOWS),
            source=self.file,
            places=MappingProxyType(self.places(found)),
            quiet_hours=quiet,
            escalate_hours=escalate,
            nudge_hours=nudge,
            broadcasts=read_broadcasts(self, found.get("broadcasts"), quiet),
        )

    def places(self, found: Mapping[str, yaml.Node]) -> dict[str, str]:
        """The centre's and the police station's details, by the placeholder each fills."""
        values: dict[str, str] = {}
        for office, keys in PLACE_FIELDS.items():
            node = found.get(office)
            if node is None:
                continue
            fields = self.fields(node, office, keys, ())
            for key in keys:
                text = self.get(fields, office, key, f"the {office}'s {key}", True)
                if text:
                    values[office if key == "name" else f"{office}_{key}"] = text
        return values

    def villages(self, node: yaml.Node | None) -> tuple[Village, ...]:
        nodes = self.items(node, "villages", "villages such as {id: na_khau, name: Nà Khau}")
        if node is not None and nodes == []:
            self.error(node, "villages", "expected at least one village, got none")
        return tuple(self.village(item, f"villages[{i}]") for i, item in enumerate(nodes or []))

    def village(self, node: yaml.Node, path: str) -> Village:
        found = self.fields(node, path, _VILLAGE_KEYS, _VILLAGE_KEYS)
        name = self.get(found, path, "name", "the village's name") or ""
        village_id = self.get(found, path, "id", "an id such as na_khau") or ""
        where = f"{path}.id"
        first = self.village_paths.setdefault(village_id, where) if village_id else where
        if first != where:
            self.error(found["id"], where, f"duplicate village id {village_id!r} (also {first})")
        elif village_id and not SLUG.fullmatch(village_id):
            self.error(found["id"], where, bad_slug(village_id, name))
        return Village(village_id, name)

    def languages(self, node: yaml.Node | None) -> tuple[str, ...]:
        items = self.items(node, "languages", "language codes such as [vi]")
        if node is None or items is None:
            return ("vi",)
        codes = [self.language(item, f"languages[{i}]") for i, item in enumerate(items)]
        if "vi" not in codes:
            self.error(node, "languages", "'vi' is missing (Vietnamese is the source language)")
        return tuple(dict.fromkeys(c for c in codes if c)) or ("vi",)

    def language(self, node: yaml.Node, path: str) -> str | None:
        code = self.text(node, path, "a language code such as vi")
        if code is None or code in SUPPORTED_LANGUAGES:
            return code
        expected = ", ".join(SUPPORTED_LANGUAGES)
        self.error(node, path, f"{code!r} is not a supported language (expected {expected})")
        return None

    def timezone(self, node: yaml.Node | None) -> str:
        name = self.text(node, "timezone", "a time zone such as Asia/Ho_Chi_Minh", True)
        if node is None or name is None or name in available_timezones():
            return name or DEFAULT_TIMEZONE
        expected = "expected an IANA name such as Asia/Ho_Chi_Minh"
        self.error(node, "timezone", f"{name!r} is not a known time zone ({expected})")
        return DEFAULT_TIMEZONE

    def staff_list(self, node: yaml.Node | None) -> tuple[Staff, ...]:
        nodes = self.items(node, "staff", "officials and propagandists") or []
        return tuple(self.staff(item, f"staff[{i}]") for i, item in enumerate(nodes))

    def staff(self, node: yaml.Node, path: str) -> Staff:
        found = self.fields(node, path, _STAFF_KEYS, ("name", "role"))
        name = self.get(found, path, "name", "a name") or ""
        role = self.role(found.get("role"), f"{path}.role")
        phone = self.phone(found.get("phone"), f"{path}.phone")
        villages = self.staff_villages(found.get("villages"), f"{path}.villages")
        if role == "propagandist" and villages == ():
            key = ".villages" if "villages" in found else ""
            needs = "a propagandist needs at least one village, got none"
            self.error(found.get("villages", node), path + key, needs)
        channels = MappingProxyType(self.channels(found, path))
        return Staff(name, role or "", phone, villages or (), channels)

    def role(self, node: yaml.Node | None, path: str) -> str | None:
        role = self.text(node, path, "'official' or 'propagandist'")
        if node is None or role is None or role in ROLES:
            return role
        self.error(node, path, f"{role!r} is not a role{hint(role, ROLES)}")
        return None

    def phone(self, node: yaml.Node | None, path: str) -> str | None:
        raw = self.text(node, path, "a mobile number such as 0912345678", True)
        if node is None or raw is None:
            return None
        phone = normalise_phone(raw)
        if not MOBILE.fullmatch(phone):
            self.error(node, path, bad_phone(raw, phone))
        return phone

    def staff_villages(self, node: yaml.Node | None, path: str) -> tuple[str, ...] | None:
        """Read a staff member's village ids; None if they are not a list."""
        nodes = self.items(node, path, "village ids such as [na_khau]")
        if nodes is None:
            return None
        ids = [self.village_ref(item, f"{path}[{i}]") for i, item in enumerate(nodes)]
        return tuple(dict.fromkeys(i for i in ids if i))

    def village_ref(self, node: yaml.Node, path: str) -> str | None:
        village_id = self.text(node, path, "a village id")
        if village_id is not None and village_id not in self.village_paths:
            meant = hint(village_id, [v for v in self.village_paths if SLUG.fullmatch(v)])
            self.error(node, path, f"{village_id!r} is not a village{meant}")
        return village_id

    def channels(self, found: Mapping[str, yaml.Node], path: str) -> dict[str, str]:
        """Read the user id on each channel; an id may belong to one person only."""
        channels: dict[str, str] = {}
        for channel in CHANNELS:
            where = f"{path}.{channel}"
            user_id = self.text(found.get(channel), where, f"this person's user id on {channel}")
            if user_id is None:
                continue
            owner = self.channel_owners.setdefault((channel, user_id), path)
            if owner != path:
                self.error(found[channel], where, f"{user_id!r} is also the id of {owner}")
            channels[channel] = user_id
        return channels


def _read_file(path: Path) -> Config:
    """Parse and validate one config file, raising one ConfigError that lists every problem."""
    file = str(path)
    if not path.is_file():
        raise ConfigError(f"config file {file!r} does not exist")
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        raise ConfigError(syntax_error(file, e)) from e
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ConfigError(f"config file {file!r} cannot be read: {e}") from e
    if root is None:
        raise ConfigError(f"{file}:1:1: the file is empty (expected 'commune' and 'villages')")
    reader = _Reader(file)
    config = reader.config(root)
    if reader.errors:
        raise ConfigError("\n".join(text for *_, text in sorted(reader.errors)))
    return config


def _from_env(env: Mapping[str, str], name: str) -> Path | None:
    return Path(env[name]) if env.get(name) else None


def load_config(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    db: Path | None = None,
    flows: Path | None = None,
) -> Config:
    """Load the configuration from `path`, $DANVAN_CONFIG, ./danvan.yaml or built-in defaults.

    The database and the flows folder come from the argument, else $DANVAN_DB / $DANVAN_FLOWS,
    else the file's `database:` / `flows:`, else ./danvan.db and ./flows.
    """
    env = os.environ if env is None else env
    path = path or _from_env(env, "DANVAN_CONFIG")
    path = path or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    config = _read_file(path) if path is not None else DEFAULTS
    return replace(
        config,
        db_path=db or _from_env(env, "DANVAN_DB") or config.db_path,
        flows_dir=flows or _from_env(env, "DANVAN_FLOWS") or config.flows_dir,
    )
