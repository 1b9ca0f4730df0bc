"""The flow model: what a flow file means once loaded, as plain immutable data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.engine.expr import Expr
from bot.engine.places import PLACEHOLDERS

RESERVED_TARGETS = frozenset({"end", "menu", "help", "back"})
BUILTIN_VARIABLES = frozenset(
    {"resident_name", "village", "commune", "propagandist", "propagandist_phone", "you", "You"}
    | set(PLACEHOLDERS)
)
MEDIA_KINDS = ("image", "video", "audio", "document")
DATE_EVENTS = ("birth", "death")
MEANINGS = ("yes", "no")
INPUT_TYPES = ("text", "number", "yes_no", "choice", "date", "phone", "cccd", "photo")


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in a flow file."""

    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Option:
    """A button or a choice: what it says, where it goes, what it saves."""

    label: str
    target: str | None = None
    value: Any = None
    pos: Pos = Pos()
    means: str | None = None  # "yes" or "no": the option a yes-word or a no-word chooses

    @property
    def saved(self) -> Any:
        """The value an ask step saves when this option is chosen."""
        return self.label if self.value is None else self.value


@dataclass(frozen=True)
class Media:
    """A file or URL to send with a step's text."""

    kind: str
    path: str
    pos: Pos = Pos()
    fallback: str = ""  # the Vietnamese file, for a `{lang}` path whose language has none


@dataclass(frozen=True)
class Branch:
    """One `if:`/`go:` arm of a branch step; `condition` is None for `else`."""

    condition: Expr | None
    target: str
    pos: Pos = Pos()
    if_pos: Pos = Pos()


@dataclass(frozen=True)
class Step:
    """One step of a flow; which fields are set depends on `kind`."""

    id: str
    kind: str  # say | ask | branch | action
    pos: Pos = Pos()
    text: str = ""
    media: tuple[Media, ...] = ()
    buttons: tuple[Option, ...] = ()
    input: str = "text"
    choices: tuple[Option, ...] = ()
    save: str | None = None
    minimum: Any = None
    maximum: Any = None
    retries: int = 3
    on_fail: str = "help"
    sensitive: bool = False
    event: str | None = None  # a date input's event (birth, death): never after today
    birth_date: str | None = None  # a cccd input: the saved date its digits must agree with
    branches: tuple[Branch, ...] = ()
    next: str | None = None
    milestone: str | None = None
    handoff: str | None = None
    goto: str | None = None
    set: tuple[tuple[str, Any], ...] = ()
    end: str | None = None
    positions: dict[str, Pos] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @property
    def options(self) -> tuple[Option, ...]:
        """The buttons of a say step or the choices of an ask step."""
        return self.buttons or self.choices

    @property
    def waits(self) -> bool:
        """Whether the resident must answer before the flow goes on."""
        return self.kind == "ask" or (self.kind == "say" and bool(self.buttons))


@dataclass(frozen=True)
class Flow:
    """A whole flow, in one version (identified by the hash of its source)."""

    id: str
    title: str
    kind: str
    steps: tuple[Step, ...]
    version: str
    path: str = ""
    procedure: str | None = None
    field: str | None = None
    online: str | None = None
    requires: tuple[str, ...] = ()
    milestone: str | None = None
    remind_after: int | None = None
    expire_after: int = 14 * 86400
    menu: bool = True
    sources: tuple[str, ...] = ()  # the legal bases, for staff and reports, never residents
    checked: date | None = None  # when someone last checked it against the law and the screens
    positions: dict[str, Pos] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError when there is none."""
        return self._index()[step_id]

    def has_step(self, step_id: str) -> bool:
        """Whether a step with this id exists."""
        return step_id in self._index()

    def after(self, step: Step) -> str | None:
        """The id of the step that follows `step` by default, None after the last."""
        if step.next is not None:
            return step.next
        return self._following().get(step.id)

    def _following(self) -> dict[str, str]:
        cached: dict[str, str] | None = self.__dict__.get("_following_cache")
        if cached is None:
            cached = {a.id: b.id for a, b in zip(self.steps, self.steps[1:], strict=False)}
            object.__setattr__(self, "_following_cache", cached)
        return cached

    def _index(self) -> dict[str, Step]:
        cached: dict[str, Step] | None = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {s.id: s for s in self.steps}
            object.__setattr__(self, "_index_cache", cached)
        return cached


def is_flow_target(target: str) -> bool:
    """Whether a target starts another flow (`flow:ID`)."""
    return target.startswith("flow:")
