"""Builds the engine's answer to one message: texts in the resident's language, events, effects."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from bot.engine import address, texts
from bot.engine.flow import Media
from bot.engine.places import place_values
from bot.engine.types import Button, Context, Effect, Event, Outbound, Prompt, Result, State

# A {name} with a value is filled in; any other brace (a stray "{", "{0}") is left as written.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Reply:
    """Collects what the engine decides while it handles one message."""

    def __init__(self, state: State, ctx: Context) -> None:
        self.state = state
        self.ctx = ctx
        self.messages: list[Outbound] = []
        self.events: list[Event] = []
        self.effects: list[Effect] = []
        self._builtins: dict[str, str] | None = None
        self._builtins_key: tuple[str | None, ...] = ()

    def ui(self, message: str, **params: Any) -> str:
        """A text of the bot's own, translated and filled in."""
        return self.fill(self.ctx.tr.ui(self.state.lang, message), params)

    def fill(self, text: str, params: Mapping[str, Any] | None = None) -> str:
        """Put values into a text's {placeholders}; built-ins first, then `params`."""
        if "{" not in text:
            return text
        values = dict(self.builtins())
        for key, value in (params or {}).items():
            values[key] = self.show(value)
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    def show(self, value: Any) -> str:
        """A saved value as a resident reads it."""
        if isinstance(value, bool):
            return self.ctx.tr.ui(self.state.lang, texts.YES if value else texts.NO)
        if isinstance(value, int):
            return self.ctx.tr.number(self.state.lang, value)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return self.ctx.tr.date(self.state.lang, date.fromisoformat(value))
            except ValueError:
                return value
        return "" if value is None else str(value)

    def builtins(self) -> dict[str, str]:
        """The placeholders every text may use (worked out once per message)."""
        state = self.state
        key = (state.name, state.village_id, state.address, state.lang)
        if self._builtins is None or self._builtins_key != key:
            self._builtins = self._make_builtins()
            self._builtins_key = key
        return self._builtins

    def _make_builtins(self) -> dict[str, str]:
        commune = self.ctx.commune
        contact = commune.contacts.get(self.state.village_id or "")
        you = address.you(self.state, self.ctx.tr)
        return {
            "you": you,
            "You": address.capital(you),
            "resident_name": self.state.name or "",
            "village": commune.village_name(self.state.village_id),
            "commune": commune.name,
            "propagandist": contact.name if contact else "",
            "propagandist_phone": contact.phone if contact else "",
            **place_values(commune.name, commune.places),
        }

    def say(self, text: str, media: Sequence[Media] = ()) -> None:
        """Send a message that waits for nothing."""
        self.messages.append(Outbound(text=text, media=tuple(media)))

    def ask(
        self,
        text: str,
        options: Sequence[tuple[str, str]] = (),
        media: Sequence[Media] = (),
        request: str | None = None,
        request_label: str = "",
        yes_no: tuple[str, str] | None = None,
    ) -> None:
        """Send a question; its options become buttons whose payloads name this prompt.

        `yes_no` marks a question whose options are an affirmative and a negative: the keys a
        yes-word ("có", "ok") and a no-word ("không", "thôi") choose ("" for neither).
        """
        seq = self.state.prompt.seq + 1
        self.state.prompt = Prompt(seq, list(options), yes_no)
        buttons = tuple(Button(label, f"{seq}.{i}") for i, (label, _) in enumerate(options))
        self.messages.append(Outbound(text, buttons, tuple(media), request, request_label))

    def add_option(self, label: str, key: str) -> None:
        """One more option on the question just asked (a button on its message)."""
        last = self.messages[-1]
        button = Button(label, f"{self.state.prompt.seq}.{len(self.state.prompt.options)}")
        self.state.prompt.options.append((label, key))
        self.messages[-1] = replace(last, buttons=(*last.buttons, button))

    def event(self, kind: str, **fields: Any) -> None:
        """Log a line of progress, marked with the run it belongs to."""
        if "run" not in fields and self.state.run is not None:
            fields["run"] = self.state.run.number
        self.events.append(Event(kind, **fields))

    def effect(self, kind: str, **fields: Any) -> None:
        """Ask the store for a change."""
        self.effects.append(Effect(kind, **fields))

    def result(self) -> Result:
        """The engine's answer."""
        return Result(self.state, tuple(self.messages), tuple(self.events), tuple(self.effects))
