"""A resident talking to the pure engine, for tests: no store, no channel, a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.engine.conversation import handle
from bot.engine.types import (
    Commune,
    Contact,
    Context,
    Effect,
    Event,
    Facts,
    Inbound,
    Outbound,
    State,
)
from bot.flows.folder import load_folder
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import Catalogs

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
COMMUNE = Commune(
    name="Hà Lang",
    villages=(("na_khau", "Nà Khau"), ("ban_cay", "Bản Cậy")),
    contacts={"na_khau": Contact("Hoàng Văn Bình", "0912345678")},
)


def to_bac(text: str, **params: object) -> str:
    """A bot text as a resident who chose to be called "bác" reads it."""
    return text.format(you="bác", You="Bác", **params)


def registry_of(folder: Path) -> FlowRegistry:
    """The flows of a folder, which must load with no error."""
    loaded = load_folder(folder)
    assert not loaded.errors, [str(f) for f in loaded.errors]
    registry = FlowRegistry()
    registry.replace(loaded.flows)
    return registry


@dataclass
class Chat:
    """One resident's conversation with the engine; keeps everything the engine returned."""

    flows: FlowRegistry
    commune: Commune = COMMUNE
    now: datetime = NOW
    state: State = field(default_factory=State)
    last: list[Outbound] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    facts: Facts = field(default_factory=lambda: Facts(new_household_code="123456"))
    buttons_max: int = 100  # the channel's: 0 for a numbered list (terminal, Zalo Bot Platform)

    @property
    def tr(self) -> Catalogs:
        """The compiled catalogs of the commune's languages (loaded once per chat)."""
        if self.__dict__.get("_tr") is None:
            self.__dict__["_tr"] = Catalogs(self.commune.languages)
        return self.__dict__["_tr"]  # type: ignore[no-any-return]

    def send(self, inbound: Inbound) -> list[Outbound]:
        """Send one inbound event; return the messages the engine answered with."""
        ctx = Context(
            now=self.now,
            flows=self.flows,
            commune=self.commune,
            tr=self.tr,
            facts=self.facts,
            buttons_max=self.buttons_max,
        )
        result = handle(self.state, inbound, ctx)
        self.state = result.state
        self.last = list(result.messages)
        self.events += result.events
        self.effects += result.effects
        return self.last

    def text(self, text: str) -> list[Outbound]:
        """The resident types a text."""
        return self.send(Inbound("text", text=text))

    def tap(self, label: str) -> list[Outbound]:
        """The resident taps the button with this label in the last message that had buttons."""
        for message in reversed(self.last):
            for button in message.buttons:
                if button.label == label:
                    return self.send(Inbound("button", payload=button.payload))
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        """The button labels of the last message that had buttons."""
        for message in reversed(self.last):
            if message.buttons:
                return [b.label for b in message.buttons]
        return []

    def said(self) -> str:
        """Everything the last answer said, joined."""
        return "\n".join(m.text for m in self.last)

    def onboard(self) -> None:
        """Consent, name, village, new household: the resident lands on the main menu."""
        self.send(Inbound("start"))
        self.tap("Đồng ý")
        self.text("Bàn Thị Huấn")
        self.text("bác")
        self.tap("Nà Khau")
        self.tap("Hộ mới")
        assert self.state.stage == "ready"

    def kinds(self, kind: str) -> list[Event]:
        """The events of one kind so far."""
        return [e for e in self.events if e.kind == kind]
