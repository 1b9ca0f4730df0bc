"""What the desk's broadcast commands say: safety refusals in plain words, the preview, the
counts, what became of a confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.broadcasts import store
from bot.broadcasts.compose import Composer, Content
from bot.broadcasts.quiet import is_quiet, morning_after
from bot.broadcasts.safety import TEXT_MAX, allowed, link_hosts, problems
from bot.config import Config
from bot.engine import texts
from bot.engine.languages import LANGUAGE_NAMES
from bot.engine.types import Button, Outbound, Translator
from bot.flows.registry import FlowRegistry
from bot.staff.commands import StaffTexts
from bot.staff.desk import StaffMessage, StaffReply
from bot.staff.directory import Directory
from bot.store.db import Database

CHANNELS = {"telegram": "Telegram", "zalo": "Zalo", "zalo_oa": "Zalo OA"}


class BroadcastWords(StaffTexts):
    """The staff texts, with what broadcasts need to say."""

    def __init__(
        self, config: Config, tr: Translator, db: Database, staff: Directory, flows: FlowRegistry
    ) -> None:
        super().__init__(config, tr)
        self.db = db
        self.staff = staff
        self.flows = flows
        self.languages = {code: LANGUAGE_NAMES.get(code, code) for code in config.languages}

    def when(self, moment: datetime) -> str:
        """A moment as officials read it."""
        return f"{moment:%H:%M} {moment:%d/%m/%Y}"

    def unsafe(self, msg: StaffMessage, text: str, domains: Sequence[str]) -> str:
        """Why a text cannot go, in plain words, and what to do."""
        found = problems(text, domains)
        lines = [self.ui(msg, texts.BC_UNSAFE)]
        if any(p.startswith("it mentions") for p in found):
            lines.append(self.ui(msg, texts.BC_UNSAFE_SECRET))
        for host in dict.fromkeys(h for h in link_hosts(text) if not allowed(h, domains)):
            lines.append(self.ui(msg, texts.BC_UNSAFE_LINK, host=host, domains=", ".join(domains)))
        if any(p.startswith("the text") for p in found):
            lines.append(self.ui(msg, texts.BC_UNSAFE_LENGTH, max=str(TEXT_MAX)))
        lines.append(self.ui(msg, texts.BC_RETYPE))
        return "\n".join(lines)

    def preview(
        self,
        msg: StaffMessage,
        number: int,
        content: Content,
        counts: store.Preview,
        when: datetime,
    ) -> list[Outbound]:
        """The head, the message as residents will see it, and the counts."""
        composer = Composer(content, self.config.commune, self.tr, self.flows)
        head = self.ui(msg, texts.BC_PREVIEW, number=str(number))
        return [
            Outbound(head),
            Outbound(self.as_seen(composer)),
            Outbound(self.counts(msg, counts, when)),
        ]

    @staticmethod
    def as_seen(composer: Composer) -> str:
        """The message a resident on Telegram gets, its flow's button drawn under it."""
        shown = composer.message("vi", "telegram")
        return "\n\n".join([shown.text, *(f"[ {b.label} ]" for b in shown.buttons)])

    def flow_titles(self, msg: StaffMessage) -> list[tuple[str, str]]:
        """The flows a broadcast's button may start: the menu's, by id and title."""
        return [(f.id, self.tr.flow(msg.lang, f"{f.id}.title", f.title)) for f in self.flows.menu()]

    def offered(self, flow_id: str) -> bool:
        """Whether a tapped flow is one the official may choose (or none: "")."""
        return not flow_id or any(f.id == flow_id for f in self.flows.menu())

    def counts(self, msg: StaffMessage, counts: store.Preview, when: datetime) -> str:
        """How many it reaches per village and channel, and when it goes."""
        lines = [self._count(msg, *row) for row in counts.rows]
        if not counts.total:
            lines.append(self.ui(msg, texts.BC_COUNT_NONE))
        total = str(counts.total)
        lines.append(self.ui(msg, texts.BC_COUNT_TOTAL, total=total, when=self.when(when)))
        if is_quiet(self.config.broadcasts, when):
            start = morning_after(self.config.broadcasts, when)
            lines.append(self.ui(msg, texts.BC_QUIET, when=self.when(start)))
        return "\n".join(lines)

    def _count(
        self, msg: StaffMessage, village: str | None, channel: str, n: int, reachable: int
    ) -> str:
        return self.ui(
            msg, texts.BC_COUNT_LINE, village=self.village(msg, village),
            channel=CHANNELS.get(channel, channel), count=str(n), reachable=str(reachable),
        )  # fmt: skip

    def village(self, msg: StaffMessage, village: str | None) -> str:
        """A village's name; residents who gave none are said so."""
        return self.villages.get(village or "", self.ui(msg, texts.BC_NO_VILLAGE))

    async def confirmed(self, msg: StaffMessage, number: int, outcome: str) -> StaffReply:
        """What the official is told of their confirmation (and asks of a second official)."""
        item = await store.get(self.db, number)
        if item is None or outcome == "not a draft":
            return StaffReply([Outbound(self.ui(msg, texts.BC_NOT_DRAFT, number=str(number)))])
        total = str((await store.preview(self.db, item.audience, msg.now)).total)
        if outcome == "wait":
            text = self.ui(msg, texts.BC_WAIT, number=str(number), total=total)
            button = Button(self.ui(msg, texts.BC_CONFIRM), "st:broadcast:yes")
            session: dict[str, object] = {"step": "confirm", "number": number}
            return StaffReply([Outbound(text, (button,))], session=session)
        if outcome == "another official":
            return self._second(msg, item, total)
        if item.send_at <= msg.now:
            return StaffReply([Outbound(self.ui(msg, texts.BC_SENDING, number=str(number)))])
        when = self.when(morning_after(self.config.broadcasts, item.send_at))
        said = self.ui(msg, texts.BC_SCHEDULED, number=str(number), when=when)
        return StaffReply([Outbound(said)])

    def _second(self, msg: StaffMessage, item: store.Broadcast, total: str) -> StaffReply:
        """Ask the other officials, each on their first messenger, to confirm."""
        others = [m for m in self.staff.officials() if m.key != msg.member.key and m.identities]
        names = ", ".join(m.name or m.key for m in others)
        number = str(item.id)
        reply = StaffReply([Outbound(self.ui(msg, texts.BC_ASKED_SECOND,
                                             number=number, total=total, who=names))])  # fmt: skip
        composer = Composer(item.content, self.config.commune, self.tr, self.flows)
        shown = self.as_seen(composer)
        button = Button(self.ui(msg, texts.BC_CONFIRM), f"st:broadcast:c.{item.id}")
        for member in others:
            channel, external_id = member.identities[0]
            ask = self.tr.ui(msg.lang, texts.BC_SECOND).replace("{name}", member.name or "")
            ask = ask.replace("{author}", self.name(msg)).replace("{number}", number)
            ask = ask.replace("{total}", total)
            reply.others.append((channel, external_id, Outbound(ask)))
            reply.others.append((channel, external_id, Outbound(shown, (button,))))
        return reply
