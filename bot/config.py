"""Loads the commune's configuration (danvan.yaml) and reports every mistake in it at once."""

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from zoneinfo import available_timezones

import yaml

SUPPORTED_LANGUAGES = ("vi", "en", "tyz", "nut", "ium", "mji", "mlc", "hmn", "hnj", "mww")
ROLES = ("official", "propagandist")
CHANNELS = ("telegram", "zalo", "terminal")
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_CONFIG = Path("danvan.yaml")
DEFAULT_DB = Path("danvan.db")
DEFAULT_FLOWS = Path("flows")

_TOP_KEYS = (
    "commune", "province", "timezone", "languages", "villages", "staff", "database", "flows",
)  # fmt: skip
_VILLAGE_KEYS = ("id", "name")
_STAFF_KEYS = ("name", "role", "phone", "villages", *CHANNELS)
_SLUG = re.compile(r"[a-z][a-z0-9_]{1,39}")
_MOBILE = re.compile(
    r"0(?:(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6}"
)
_OLD_PREFIXES = {f"016{d}": f"03{d}" for d in "23456789"} | {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
_NULL_TAG = "tag:yaml.org,2002:null"


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


def slugify(text: str) -> str:
    """Turn a name into an id: 'Nà Khau' -> 'na_khau' (diacritics removed, at most 40 chars)."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40].rstrip("_")


def normalise_phone(raw: str) -> str:
    """Normalise a phone number as typed: full-width digits, separators, +84 and 84 forms."""
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", raw))
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits


def _hint(value: str, choices: Sequence[str]) -> str:
    """Say which choice was probably meant, or list them all."""
    close = difflib.get_close_matches(value, choices, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return " (expected one of " + ", ".join(map(repr, choices)) + ")" if choices else ""


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _kind(node: yaml.Node) -> str:
    """Describe what the file holds at this node, for 'expected X, got Y'."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _is_null(node) or not str(node.value).strip():
        return "an empty value"
    return repr(node.value)


def _bad_slug(value: str, name: str) -> str:
    """Explain what a village id must look like, with the slug of the id or of the name."""
    example = next((s for s in (slugify(value), slugify(name)) if _SLUG.fullmatch(s)), "")
    such_as = f", such as {example!r}" if example else ""
    rule = "2-40 lowercase letters, digits or '_', starting with a letter"
    return f"{value!r} is not a valid id (expected {rule}{such_as})"


def _bad_phone(raw: str, phone: str) -> str:
    """Explain a wrong mobile number; an old 11-digit one gets its new form."""
    new = _OLD_PREFIXES.get(phone[:4]) if len(phone) == 11 else None
    if new:
        return f"{raw!r} is an old 11-digit number (now {new + phone[4:]!r})"
    expected = "10 digits starting 03, 05, 07, 08 or 09"
    return f"{raw!r} is not a valid Vietnamese mobile number (expected {expected})"


class _Reader:
    """Walks the composed YAML, builds the settings and collects every error with its place.

    A wrong value is reported once and read as a placeholder: any error fails the whole load.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[tuple[int, int, str]] = []
        self.village_paths: dict[str, str] = {}
        self.channel_owners: dict[tuple[str, str], str] = {}

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        text = f"{path}: {message}" if path else message
        self.errors.append((line, col, f"{self.file}:{line}:{col}: {text}"))

    def fields(
        self, node: yaml.Node, path: str, allowed: Sequence[str], required: Iterable[str]
    ) -> dict[str, yaml.Node]:
        """Read a mapping: flag unknown, duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            keys = ", ".join(allowed)
            self.error(node, path, f"expected a mapping with keys {keys}, got {_kind(node)}")
            return {}
        found: dict[str, yaml.Node] = {}
        meant: set[str] = set()  # a misspelt key is not missing too
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else None
            if name is None:
                self.error(key, path, f"expected a key name, got {_kind(key)}")
            elif name not in allowed:
                self.error(key, path, f"unknown key {name!r}{_hint(name, allowed)}")
                meant.update(difflib.get_close_matches(name, allowed, n=1))
            elif name in found:
                self.error(key, path, f"duplicate key {name!r}")
            else:
                found[name] = value
        for name in (n for n in required if n not in found and n not in meant):
            self.error(node, path, f"missing required key {name!r}")
        return found

    def text(
        self, node: yaml.Node | None, path: str, what: str, optional: bool = False
    ) -> str | None:
        """Read a non-empty string as written (so 0312345678 is not an octal number)."""
        if node is None or (optional and _is_null(node)):
            return None
        if not isinstance(node, yaml.ScalarNode) or _is_null(node) or not node.value.strip():
            self.error(node, path, f"expected {what}, got {_kind(node)}")
            return None
        return unicodedata.normalize("NFC", node.value).strip()

    def get(
        self, found: Mapping[str, yaml.Node], path: str, key: str, what: str, optional: bool = False
    ) -> str | None:
        """Read the string under `key` of a mapping read by `fields`."""
        return self.text(found.get(key), f"{path}.{key}" if path else key, what, optional)

    def items(self, node: yaml.Node | None, path: str, what: str) -> list[yaml.Node] | None:
        """Read a list; absent or empty is an empty list, anything else an error and None."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, path, f"expected a list of {what}, got {_kind(node)}")
            return None
        return list(node.value)

    def config(self, root: yaml.Node) -> Config:
        found = self.fields(root, "", _TOP_KEYS, ("commune", "villages"))
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
        )

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
        elif village_id and not _SLUG.fullmatch(village_id):
            self.error(found["id"], where, _bad_slug(village_id, name))
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
        self.error(node, path, f"{role!r} is not a role{_hint(role, ROLES)}")
        return None

    def phone(self, node: yaml.Node | None, path: str) -> str | None:
        raw = self.text(node, path, "a mobile number such as 0912345678", True)
        if node is None or raw is None:
            return None
        phone = normalise_phone(raw)
        if not _MOBILE.fullmatch(phone):
            self.error(node, path, _bad_phone(raw, phone))
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
            hint = _hint(village_id, [v for v in self.village_paths if _SLUG.fullmatch(v)])
            self.error(node, path, f"{village_id!r} is not a village{hint}")
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


def _syntax_error(file: str, e: yaml.MarkedYAMLError) -> str:
    """Say where the YAML is broken and, if known, where the broken construct started."""
    mark = e.problem_mark or e.context_mark
    where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
    started = e.context_mark if e.context and e.context_mark is not mark else None
    since = f" ({e.context} at {started.line + 1}:{started.column + 1})" if started else ""
    return f"{where}: invalid YAML: {e.problem or e.context}{since}"


def _read_file(path: Path) -> Config:
    """Parse and validate one config file, raising one ConfigError that lists every problem."""
    file = str(path)
    if not path.is_file():
        raise ConfigError(f"config file {file!r} does not exist")
    try:
        root = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        raise ConfigError(_syntax_error(file, e)) from e
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
