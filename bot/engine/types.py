"""What goes into the engine (state, inbound, context) and what comes out (messages, events)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from bot.engine.flow import Flow, Media
from bot.engine.languages import LANGUAGE_NAMES
from bot.engine.texts import CONSENT_VERSION

WORD_KEY = "w:"  # an option keyed "w:help" works as the typed word "help"
WORDS = ("menu", "help", "back", "language", "progress", "stop", "privacy", "forget", "link")


@dataclass(frozen=True)
class Inbound:
    """One thing a resident did, as any channel reports it.

    kind: text (typed), button (tapped; `payload`), file (`file_ref`), contact (`text` is the
    shared phone number), word (a conversation-wide word; `payload` names it), start (first
    contact or a deep link; `payload` is the link's payload), and what the bot cannot read:
    sticker, voice, location, video (nothing of them is passed on).
    """

    kind: str
    text: str = ""
    payload: str = ""
    file_ref: str = ""


@dataclass(frozen=True)
class Button:
    """A button as data: the label to show and the payload that comes back when tapped."""

    label: str
    payload: str


@dataclass(frozen=True)
class Outbound:
    """One message for the resident; each channel renders it its own way."""

    text: str
    buttons: tuple[Button, ...] = ()
    media: tuple[Media, ...] = ()
    request: str | None = None  # "phone" where a share-contact button helps, "photo"
    request_label: str = ""  # the share-contact button's label, in the resident's language


@dataclass(frozen=True)
class Event:
    """A line for the progress log: what happened, where. Never an answer's value."""

    kind: str
    flow_id: str | None = None
    version: str | None = None
    step_id: str | None = None
    detail: str = ""
    run: int | None = None


@dataclass(frozen=True)
class Effect:
    """A change the store must make beyond the resident's own state.

    kind: consent (detail: wording version), create_household (detail: code), join_household
    (detail: code), milestone (detail: name), followup (detail: reason), forget, link_code
    (detail: a one-time linking code given to this resident), link_identity (detail: the
    resident this identity now belongs to), broadcast_tap (flow_id: the flow a broadcast's
    button started).
    """

    kind: str
    detail: str = ""
    flow_id: str | None = None
    step_id: str | None = None


@dataclass
class Frame:
    """Where a resident stands in one flow: the version, the step, what was saved."""

    flow_id: str
    version: str
    step_id: str
    vars: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    retries: int = 0
    entered: bool = True  # False: a flow waiting for the flow it requires to finish


@dataclass
class Run:
    """One walk through a flow; sub-flows (goto, requires) stack up as frames."""

    frames: list[Frame]
    number: int = 0  # the resident's runs, counted from 1
    status: str = "active"  # active | paused | completed | cancelled
    started_at: str = ""
    remind_at: str | None = None
    expire_at: str | None = None

    @property
    def top(self) -> Frame:
        """The frame being walked now."""
        return self.frames[-1]

    @property
    def flow_id(self) -> str:
        """The flow the resident started."""
        return self.frames[0].flow_id

    @property
    def version(self) -> str:
        """The version of the flow the resident started."""
        return self.frames[0].version


@dataclass
class Prompt:
    """The question on screen: its number (button payloads carry it) and its options."""

    seq: int = 0
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, key)
    yes_no: tuple[str, str] | None = None  # the keys a yes-word and a no-word answer ("" none)


@dataclass
class State:
    """Everything the engine knows about one resident between two messages."""

    stage: str = "new"
    lang: str = "vi"
    consent: bool = False
    name: str | None = None
    address: str | None = None  # how to call the resident: "bác", "chị"…, "name"; None: "bà con"
    village_id: str | None = None
    household_code: str | None = None
    milestones: set[str] = field(default_factory=set)
    prompt: Prompt = field(default_factory=Prompt)
    run: Run | None = None
    runs_started: int = 0
    pending: dict[str, Any] = field(default_factory=dict)
    seen_at: str | None = None  # when the resident last wrote (ISO), to greet them back


@dataclass(frozen=True)
class Result:
    """What the engine decided: the new state and what to send, log and change."""

    state: State
    messages: tuple[Outbound, ...]
    events: tuple[Event, ...]
    effects: tuple[Effect, ...]


class FlowSource(Protocol):
    """The flows the engine may walk, in every version it may need."""

    def current(self, flow_id: str) -> Flow | None:
        """The newest version of a flow."""

    def version(self, flow_id: str, version: str) -> Flow | None:
        """A given version of a flow, if it is known."""

    def menu(self) -> Sequence[Flow]:
        """The flows offered in the main menu, in order."""

    def giver(self, milestone: str) -> Flow | None:
        """The flow that gives a milestone."""


class Translator(Protocol):
    """Turns source (Vietnamese) text into the resident's language."""

    def ui(self, lang: str, message: str) -> str:
        """A text of the bot's own."""

    def flow(self, lang: str, context: str, message: str) -> str:
        """A flow's text, with its message context `<flow>.<step>[.<n>]`."""

    def date(self, lang: str, day: date) -> str:
        """A date as the language writes it (Vietnamese for languages Babel has no data for)."""

    def number(self, lang: str, value: int) -> str:
        """A whole number as the language writes it."""


@dataclass(frozen=True)
class Contact:
    """Who looks after a village: the propagandist's name and the phone they chose to share;
    `reachable` when the bot can message them (a follow-up's card is queued for them)."""

    name: str
    phone: str
    reachable: bool = True


@dataclass(frozen=True)
class Commune:
    """The commune as the engine needs it: names, villages, languages, who to contact."""

    name: str
    villages: tuple[tuple[str, str], ...]  # (id, name)
    languages: tuple[str, ...] = ("vi",)
    # village id -> its propagandist; "*" -> an official the bot can message (see bot/followups)
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # `centre`, `police_phone`... (places.py)

    def village_name(self, village_id: str | None) -> str:
        """A village's name, or '' when unknown."""
        return next((name for vid, name in self.villages if vid == village_id), "")


@dataclass(frozen=True)
class Facts:
    """What the conversation service looked up for this message (the engine does no I/O)."""

    household_found: str | None = None  # the code typed, when it names a household
    new_household_code: str = ""
    link_owner: int | None = None  # the resident a valid linking code typed was given to
    new_link_code: str = ""  # a one-time linking code to give, when the resident asks for one
    locked_minutes: int = 0  # a code typed was not looked up: too many wrong codes (minutes left)
    locked_everyone: bool = False  # ...and the lock is for everyone, not this identity alone


@dataclass(frozen=True)
class Context:
    """Everything read-only the engine needs for one message."""

    now: datetime
    flows: FlowSource
    commune: Commune
    tr: Translator
    facts: Facts = Facts()
    language_names: Mapping[str, str] = field(default_factory=lambda: LANGUAGE_NAMES)
    words: Mapping[str, str] = field(default_factory=dict)  # more typed forms of the words
    consent_version: str = CONSENT_VERSION
    buttons_max: int = 100  # the most options the channel shows as buttons (0: a numbered list)
