"""The desk's "Gửi thông báo": an official writes a broadcast step by step, sees it as residents
will, with the count per village and channel, and confirms or cancels it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.broadcasts.audience import Audience
from bot.broadcasts.chat_list import SentList
from bot.broadcasts.chat_words import BroadcastWords
from bot.broadcasts.compose import Content
from bot.broadcasts.safety import problems
from bot.broadcasts.service import Broadcasts, Unsafe
from bot.broadcasts.when import parse_when
from bot.config import Config
from bot.engine import texts
from bot.engine.types import Button, Outbound
from bot.staff.desk import StaffCommand, StaffMessage, StaffReply
from bot.staff.directory import OFFICIAL, Directory
from bot.staff.sessions import load_session
from bot.store.db import Database

if TYPE_CHECKING:
    from bot.conversation import ConversationService

NAME = "broadcast"


class Compose:
    """Step by step: the text, the audience, when, the preview, then confirm or cancel."""

    name = NAME
    words: tuple[str, ...] = ("/broadcast", "thông báo", "gửi thông báo", "gui thong bao")
    roles = frozenset({OFFICIAL})
    label = texts.BC_LABEL

    def __init__(self, db: Database, service: Broadcasts, say: BroadcastWords) -> None:
        self.db = db
        self.broadcasts = service
        self.say = say

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """Begin, or take the tap of one of this command's buttons (`arg`)."""
        number = arg.removeprefix("c.")
        if number.isdigit():  # a second official's confirmation, tapped or typed
            return await self._confirm(msg, int(number))
        session = await load_session(self.db, msg.member.key)
        data = session.data if session.command == NAME and session.data else None
        if not arg or data is None:
            return self._ask_text(msg)
        return await self._tap(msg, arg, data)

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """A typed answer: the text, or the time."""
        typed = msg.inbound.text if msg.inbound.kind == "text" else ""
        step = session.get("step")
        if step == "text" and typed.strip():
            return self._take_text(msg, typed.strip())
        if step == "when" and typed.strip():
            return await self._take_when(msg, typed, session)
        return self._again(msg, session)

    def _ask_text(self, msg: StaffMessage) -> StaffReply:
        return StaffReply([Outbound(self.say.ui(msg, texts.BC_ASK_TEXT))], session={"step": "text"})

    def _take_text(self, msg: StaffMessage, text: str) -> StaffReply:
        found = problems(text, self.broadcasts.domains)
        if found:
            why = self.say.unsafe(msg, text, self.broadcasts.domains)
            return StaffReply([Outbound(why)], session={"step": "text"})
        return self._ask_audience(msg, {"step": "audience", "text": text, "villages": []})

    def _ask_audience(self, msg: StaffMessage, data: dict[str, object]) -> StaffReply:
        chosen = [str(v) for v in _list(data.get("villages"))]
        buttons = [Button(self.say.ui(msg, texts.BC_EVERYONE), "st:broadcast:all")]
        buttons += [Button(name, f"st:broadcast:v.{vid}")
                    for vid, name in self.say.villages.items() if vid not in chosen]  # fmt: skip
        text = self.say.ui(msg, texts.BC_ASK_AUDIENCE)
        if chosen:
            buttons.append(Button(self.say.ui(msg, texts.BC_VILLAGES_DONE), "st:broadcast:ok"))
            names = self.say.village_names(msg, chosen)
            text = self.say.ui(msg, texts.BC_CHOSEN, villages=names)
        return StaffReply([Outbound(text, tuple(buttons))], session=data)

    async def _tap(self, msg: StaffMessage, arg: str, data: dict[str, object]) -> StaffReply:
        step, number = data.get("step"), data.get("number")
        if step == "audience" and arg.startswith("v.") and arg[2:] in self.say.villages:
            villages = [str(v) for v in _list(data.get("villages"))] + [arg[2:]]
            return self._ask_audience(msg, {**data, "villages": sorted(set(villages))})
        if step == "audience" and arg == "all":
            return self._ask_lang(msg, {**data, "villages": []})
        if step == "audience" and arg == "ok" and data.get("villages"):
            return self._ask_lang(msg, data)
        if step == "lang" and arg.startswith("l.") and arg[2:] in ("", *self.say.languages):
            return self._ask_when(msg, {**data, "lang": arg[2:] or None})
        if step == "when" and arg == "now":
            return self._ask_flow(msg, {**data, "at": msg.now.isoformat()})
        if step == "flow" and arg.startswith("f.") and self.say.offered(arg[2:]):
            return await self._draft(msg, data, arg[2:] or None)
        if step == "confirm" and isinstance(number, int) and arg in ("yes", "no"):
            if arg == "no":
                return await self._cancel(msg, number)
            return await self._confirm(msg, number)
        return self._again(msg, data)

    def _ask_lang(self, msg: StaffMessage, data: dict[str, object]) -> StaffReply:
        """Only residents reading one language? Asked when the commune has several."""
        if len(self.say.languages) < 2:
            return self._ask_when(msg, data)
        buttons = [Button(self.say.ui(msg, texts.BC_ALL_LANGUAGES), "st:broadcast:l.")]
        buttons += [Button(name, f"st:broadcast:l.{code}")
                    for code, name in self.say.languages.items()]  # fmt: skip
        text = self.say.ui(msg, texts.BC_ASK_LANG)
        return StaffReply([Outbound(text, tuple(buttons))], session={**data, "step": "lang"})

    def _ask_when(self, msg: StaffMessage, data: dict[str, object]) -> StaffReply:
        button = Button(self.say.ui(msg, texts.BC_NOW), "st:broadcast:now")
        text = self.say.ui(msg, texts.BC_ASK_WHEN)
        return StaffReply([Outbound(text, (button,))], session={**data, "step": "when"})

    async def _take_when(
        self, msg: StaffMessage, typed: str, data: dict[str, object]
    ) -> StaffReply:
        when = parse_when(typed, msg.now)
        if when is None:
            return StaffReply([Outbound(self.say.ui(msg, texts.BC_BAD_WHEN))], session=data)
        if when < msg.now:
            said = self.say.ui(msg, texts.BC_PAST, when=self.say.when(when))
            return StaffReply([Outbound(said)], session=data)
        return self._ask_flow(msg, {**data, "at": when.isoformat()})

    def _ask_flow(self, msg: StaffMessage, data: dict[str, object]) -> StaffReply:
        buttons = [Button(title, f"st:broadcast:f.{flow_id}")
                   for flow_id, title in self.say.flow_titles(msg)]  # fmt: skip
        buttons.append(Button(self.say.ui(msg, texts.BC_NO_FLOW), "st:broadcast:f."))
        text = self.say.ui(msg, texts.BC_ASK_FLOW)
        return StaffReply([Outbound(text, tuple(buttons))], session={**data, "step": "flow"})

    async def _draft(
        self, msg: StaffMessage, data: dict[str, object], flow_id: str | None
    ) -> StaffReply:
        villages = tuple(str(v) for v in _list(data.get("villages")))
        content = Content({"vi": str(data.get("text", ""))}, flow_id=flow_id)
        when = datetime.fromisoformat(str(data.get("at")))
        try:
            drafted = await self.broadcasts.draft(
                msg.member.key, content, Audience(villages, lang=_lang(data)), when, msg.now
            )
        except Unsafe:  # the text was checked when typed; the rules may have changed since
            return self._ask_text(msg)
        shown = self.say.preview(msg, drafted.number, content, drafted.preview, when)
        buttons = (
            Button(self.say.ui(msg, texts.BC_CONFIRM), "st:broadcast:yes"),
            Button(self.say.ui(msg, texts.BC_CANCEL), "st:broadcast:no"),
        )
        shown[-1] = Outbound(shown[-1].text, buttons)
        return StaffReply(shown, session={"step": "confirm", "number": drafted.number})

    async def _confirm(self, msg: StaffMessage, number: int) -> StaffReply:
        outcome = await self.broadcasts.confirm(number, msg.member.key, msg.now)
        return await self.say.confirmed(msg, number, outcome)

    async def _cancel(self, msg: StaffMessage, number: int) -> StaffReply:
        done = await self.broadcasts.cancel(number, msg.now, msg.member.key)
        text = texts.BC_CANCELLED if done else texts.BC_NOTHING_TO_CANCEL
        return StaffReply([Outbound(self.say.ui(msg, text, number=str(number)))])

    def _again(self, msg: StaffMessage, data: dict[str, object]) -> StaffReply:
        """The question of the step the official is at, asked again."""
        step = data.get("step")
        if step == "audience":
            return self._ask_audience(msg, data)
        if step == "when":
            return self._ask_when(msg, data)
        if step == "flow":
            return self._ask_flow(msg, data)
        if step == "lang":
            return self._ask_lang(msg, data)
        if step == "confirm":
            buttons = (
                Button(self.say.ui(msg, texts.BC_CONFIRM), "st:broadcast:yes"),
                Button(self.say.ui(msg, texts.BC_CANCEL), "st:broadcast:no"),
            )
            ask = self.say.ui(msg, texts.BC_CONFIRM_ASK, number=str(data.get("number")))
            return StaffReply([Outbound(ask, buttons)], session=data)
        return self._ask_text(msg)


def _lang(data: dict[str, object]) -> str | None:
    lang = data.get("lang")
    return lang if isinstance(lang, str) and lang else None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def chat_commands(
    config: Config, db: Database, staff: Directory, service: ConversationService, b: Broadcasts
) -> list[StaffCommand]:
    """The desk's broadcast commands, in menu order."""
    say = BroadcastWords(config, service.tr, db, staff, service.flows)
    return [Compose(db, b, say), SentList(db, b, say)]
