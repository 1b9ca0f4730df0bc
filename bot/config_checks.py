"""Reading composed YAML with every error located, and the checks of single config values."""

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import yaml

SLUG = re.compile(r"[a-z][a-z0-9_]{1,39}")
MOBILE = re.compile(
    r"0(?:(?:3\d|7[06-9])\d|5(?:[1689]\d|2[238]|59)|8(?:[1-8]\d|9[6-9])|9(?:[0-8]\d|9[013-9]))\d{6}"
)
_OLD_PREFIXES = {f"016{d}": f"03{d}" for d in "23456789"} | {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
_NULL_TAG = "tag:yaml.org,2002:null"


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


def hint(value: str, choices: Sequence[str]) -> str:
    """Say which choice was probably meant, or list them all."""
    close = difflib.get_close_matches(value, choices, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return " (expected one of " + ", ".join(map(repr, choices)) + ")" if choices else ""


def is_null(node: yaml.Node) -> bool:
    """Whether the node is YAML's null (`~`, `null` or nothing at all)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def kind(node: yaml.Node) -> str:
    """Describe what the file holds at this node, for 'expected X, got Y'."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node) or not str(node.value).strip():
        return "an empty value"
    return repr(node.value)


def bad_slug(value: str, name: str) -> str:
    """Explain what a village id must look like, with the slug of the id or of the name."""
    example = next((s for s in (slugify(value), slugify(name)) if SLUG.fullmatch(s)), "")
    such_as = f", such as {example!r}" if example else ""
    rule = "2-40 lowercase letters, digits or '_', starting with a letter"
    return f"{value!r} is not a valid id (expected {rule}{such_as})"


def bad_phone(raw: str, phone: str) -> str:
    """Explain a wrong mobile number; an old 11-digit one gets its new form."""
    new = _OLD_PREFIXES.get(phone[:4]) if len(phone) == 11 else None
    if new:
        return f"{raw!r} is an old 11-digit number (now {new + phone[4:]!r})"
    expected = "10 digits starting 03, 05, 07, 08 or 09"
    return f"{raw!r} is not a valid Vietnamese mobile number (expected {expected})"


def syntax_error(file: str, e: yaml.MarkedYAMLError) -> str:
    """Say where the YAML is broken and, if known, where the broken construct started."""
    mark = e.problem_mark or e.context_mark
    where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
    started = e.context_mark if e.context and e.context_mark is not mark else None
    since = f" ({e.context} at {started.line + 1}:{started.column + 1})" if started else ""
    return f"{where}: invalid YAML: {e.problem or e.context}{since}"


class NodeReader:
    """Reads mappings, lists and strings from composed YAML, noting each error with its place."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[tuple[int, int, str]] = []

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
            self.error(node, path, f"expected a mapping with keys {keys}, got {kind(node)}")
            return {}
        found: dict[str, yaml.Node] = {}
        meant: set[str] = set()  # a misspelt key is not missing too
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else None
            if name is None:
                self.error(key, path, f"expected a key name, got {kind(key)}")
            elif name not in allowed:
                self.error(key, path, f"unknown key {name!r}{hint(name, allowed)}")
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
        if node is None or (optional and is_null(node)):
            return None
        if not isinstance(node, yaml.ScalarNode) or is_null(node) or not node.value.strip():
            self.error(node, path, f"expected {what}, got {kind(node)}")
            return None
        return unicodedata.normalize("NFC", node.value).strip()

    def get(
        self, found: Mapping[str, yaml.Node], path: str, key: str, what: str, optional: bool = False
    ) -> str | None:
        """Read the string under `key` of a mapping read by `fields`."""
        return self.text(found.get(key), f"{path}.{key}" if path else key, what, optional)

    def items(self, node: yaml.Node | None, path: str, what: str) -> list[yaml.Node] | None:
        """Read a list; absent or empty is an empty list, anything else an error and None."""
        if node is None or is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, path, f"expected a list of {what}, got {kind(node)}")
            return None
        return list(node.value)
