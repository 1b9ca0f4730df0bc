"""The staff desk: a staff member's message to the command it names, under their role, in one
transaction with its replies. Other parts register their commands here (`app.desk.register`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import aiosqlite

from bot.engine.textnorm import fold
from bot.engine.types import Inbound, Outbound
from bot.staff.directory import Member
from bot.staff.sessions import Session, load_session, session_writes
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.writes import INSERT_OUTBOX, INSERT_SEEN, Delivery, encode_outbound

PAYLOAD = re.compile(r"st:([a-z][a-z_]{0,19}):([A-Za-z0-9_.\-]{0,40})")
LEAVE = frozenset({"huy", "/huy", "/cancel", "cancel", "thoat"})
MENU = frozenset({"menu", "/menu", "/start", "start", "trang chinh", "danh muc"})


@dataclass(frozen=True)
class StaffMessage:
    """One message from a staff member."""

    member: Member
    channel: str
    external_id: str
    inbound: Inbound
    now: datetime
    lang: str


@dataclass
class StaffReply:
    """What a command answers: to the sender, to others, what to write, what to keep."""

    messages: list[Outbound] = field(default_factory=list)
    others: list[tuple[str, str, Outbound]] = field(default_factory=list)
    writes: Batch = field(default_factory=Batch)
    session: dict[str, object] | None = None  # kept for the next message; None ends it


class StaffCommand(Protocol):
    """A staff command; buttons carry the payload `st:<name>:<arg>`."""

    name: str
    words: tuple[str, ...]
    roles: frozenset[str]
    label: str

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """Begin the command (from its word, its menu entry or a button with `arg`)."""
        ...

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """Go on with the exchange `session` kept, with the member's next message."""
        ...


def parse_payload(payload: str) -> tuple[str, str] | None:
    """(name, arg) of a staff button's payload, or None for anything else (a stale tap)."""
    if len(payload) > 64 or not payload.isascii():
        return None
    match = PAYLOAD.fullmatch(payload)
    return (match.group(1), match.group(2)) if match else None


@dataclass(frozen=True)
class Route:
    """What a message asks the desk for: a command with its argument, or the menu."""

    command: StaffCommand | None
    arg: str = ""
    resume: dict[str, object] | None = None
    refused: bool = False  # a command their role may not use


class Desk:
    """The registered commands, and how one staff message reaches one of them."""

    def __init__(
        self,
        db: Database,
        outbox_id: Callable[[], int],
        menu: Callable[[StaffMessage, list[StaffCommand], bool], StaffReply],
    ) -> None:
        self.db = db
        self.outbox_id = outbox_id
        self.menu = menu
        self.commands: dict[str, StaffCommand] = {}
        self.greeting: Callable[[StaffMessage], list[Outbound]] = lambda msg: []

    def welcome(self, msg: StaffMessage) -> list[Outbound]:
        """What a member who just joined is shown: the greeting and the menu."""
        return self.greeting(msg) + self.menu(msg, self.allowed(msg.member), False).messages

    def register(self, command: StaffCommand) -> None:
        """Offer a command to the staff whose role it lists."""
        self.commands[command.name] = command

    def allowed(self, member: Member) -> list[StaffCommand]:
        """The commands this member's role may use, in the order registered."""
        return [c for c in self.commands.values() if member.role in c.roles]

    def word_of(self, text: str) -> StaffCommand | None:
        """The command a typed text names, whoever typed it."""
        folded = fold(text)
        for command in self.commands.values():
            if folded in (fold(w) for w in command.words):
                return command
        return None

    def is_staff_word(self, text: str) -> bool:
        """Whether a text is one of the staff commands' words (a resident typing one)."""
        return self.word_of(text) is not None

    async def answer(
        self, msg: StaffMessage, key: str | None
    ) -> tuple[list[Delivery], list[Delivery]]:
        """The replies to the member and to others, written with the command's effects."""
        session = await load_session(self.db, msg.member.key)
        route = self._route(msg, session)
        reply = await self._run(msg, route)
        kept = self._kept(route, reply)
        batch = Batch.merge([reply.writes])
        for sql, params in session_writes(msg.member.key, kept, reply, msg.now):
            batch.add(sql, params)
        if key is not None:
            batch.add(INSERT_SEEN, (msg.channel, key, msg.now.isoformat()))
        mine = self._outbox(batch, [(msg.channel, msg.external_id, m) for m in reply.messages], msg)
        others = self._outbox(batch, reply.others, msg)
        await self.db.transaction(lambda conn: _execute(conn, batch))
        return mine, others

    def _route(self, msg: StaffMessage, session: Session) -> Route:
        inbound = msg.inbound
        if inbound.kind == "text" and inbound.text.strip().isdigit():
            inbound = _chosen(inbound.text, session.options) or inbound
        if inbound.kind == "button":
            return self._button(msg.member, inbound.payload)
        text = inbound.text if inbound.kind == "text" else inbound.payload
        folded = fold(text)
        if inbound.kind == "start" or folded in LEAVE or folded in MENU:
            return Route(None)
        named = self.word_of(text)
        if named is not None:
            return self._checked(msg.member, named, "")
        with_arg = self._word_and_number(text)
        if with_arg is not None:
            return self._checked(msg.member, *with_arg)
        current = self.commands.get(session.command or "")
        if current is not None and session.data is not None:
            checked = self._checked(msg.member, current, "")
            return Route(checked.command, resume=session.data, refused=checked.refused)
        return Route(None)

    def _word_and_number(self, text: str) -> tuple[StaffCommand, str] | None:
        """A command's word followed by a number ("/claim 12"), as typed where there are no
        buttons; the number is the command's argument."""
        word, _, number = text.strip().rpartition(" ")
        named = self.word_of(word) if word else None
        if named is None or not (number.isascii() and number.isdigit() and len(number) <= 12):
            return None
        return named, number

    def _button(self, member: Member, payload: str) -> Route:
        parsed = parse_payload(payload)
        command = self.commands.get(parsed[0]) if parsed else None
        if parsed is None or command is None:
            return Route(None)  # a stale or forged tap: the menu again
        return self._checked(member, command, parsed[1])

    def _checked(self, member: Member, command: StaffCommand, arg: str) -> Route:
        """The command if the member's role may use it now (checked at every message)."""
        if member.role not in command.roles:
            return Route(None, refused=True)
        return Route(command, arg)

    async def _run(self, msg: StaffMessage, route: Route) -> StaffReply:
        if route.command is None:
            return self.menu(msg, self.allowed(msg.member), route.refused)
        if route.resume is not None:
            return await route.command.resume(msg, route.resume)
        return await route.command.start(msg, route.arg)

    @staticmethod
    def _kept(route: Route, reply: StaffReply) -> str | None:
        """The command whose exchange goes on, if the reply keeps a session."""
        if reply.session is None or route.command is None:
            return None
        return route.command.name

    def _outbox(
        self, batch: Batch, rows: Iterable[tuple[str, str, Outbound]], msg: StaffMessage
    ) -> list[Delivery]:
        deliveries = []
        for channel, external_id, message in rows:
            delivery = Delivery(self.outbox_id(), channel, external_id, message)
            body = encode_body(message)
            batch.add(INSERT_OUTBOX, (delivery.id, channel, external_id, body, msg.now.isoformat()))
            deliveries.append(delivery)
        return deliveries


def encode_body(message: Outbound) -> str:
    """An outbox row's body."""
    return json.dumps(encode_outbound(message), ensure_ascii=False, separators=(",", ":"))


def _chosen(text: str, options: list[str]) -> Inbound | None:
    """A typed number as the tap of the option it numbers, on channels without buttons."""
    number = int(text.strip())
    if 1 <= number <= len(options):
        return Inbound("button", payload=options[number - 1])
    return None


async def _execute(conn: aiosqlite.Connection, batch: Batch) -> None:
    """Run the statements in the order they were added, in the desk's own transaction."""
    for sql, params in batch.items:
        await conn.execute(sql, params)
