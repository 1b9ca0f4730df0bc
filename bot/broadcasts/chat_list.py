"""The desk's "Thông báo đã gửi": the latest broadcasts with their report, and cancelling one
that is not yet done."""

from __future__ import annotations

from bot.broadcasts import store
from bot.broadcasts.chat_words import CHANNELS, BroadcastWords
from bot.broadcasts.report import Report, report
from bot.broadcasts.service import Broadcasts
from bot.engine import texts
from bot.engine.types import Button, Outbound
from bot.staff.desk import StaffMessage, StaffReply
from bot.staff.directory import OFFICIAL
from bot.store.db import Database

SHOWN = 5
STATUS = {
    "draft": texts.BC_STATUS_DRAFT,
    "held": texts.BC_STATUS_HELD,
    "scheduled": texts.BC_STATUS_SCHEDULED,
    "sending": texts.BC_STATUS_SENDING,
    "done": texts.BC_STATUS_DONE,
    "cancelled": texts.BC_STATUS_CANCELLED,
}


class SentList:
    """The latest broadcasts, each with its report and, while not done, a cancel button."""

    name = "broadcasts"
    words: tuple[str, ...] = ("/broadcasts", "thông báo đã gửi", "thong bao da gui")
    roles = frozenset({OFFICIAL})
    label = texts.BC_LIST_LABEL

    def __init__(self, db: Database, service: Broadcasts, say: BroadcastWords) -> None:
        self.db = db
        self.broadcasts = service
        self.say = say

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """The list, or (`x.<number>`) cancel that broadcast."""
        if arg.startswith("x.") and arg[2:].isdigit():
            number = int(arg[2:])
            done = await self.broadcasts.cancel(number, msg.now, msg.member.key)
            text = texts.BC_CANCELLED if done else texts.BC_NOTHING_TO_CANCEL
            return StaffReply([Outbound(self.say.ui(msg, text, number=str(number)))])
        items = await store.recent(self.db, SHOWN)
        if not items:
            return StaffReply([Outbound(self.say.ui(msg, texts.BC_LIST_NONE))])
        return StaffReply([await self._one(msg, item) for item in reversed(items)])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """Nothing to go on with: the buttons carry each step."""
        return await self.start(msg, "")

    async def _one(self, msg: StaffMessage, item: store.Broadcast) -> Outbound:
        text = " ".join(item.content.texts["vi"].split())
        head = self.say.ui(
            msg, texts.BC_LIST_ITEM, number=str(item.id), when=self.say.when(item.send_at),
            status=self.say.ui(msg, STATUS.get(item.status, item.status)),
            words=text if len(text) <= 80 else text[:79] + "…",
        )  # fmt: skip
        lines = [head, *self._lines(msg, await report(self.db, item.id))]
        buttons: tuple[Button, ...] = ()
        if item.status not in ("done", "cancelled"):
            label = self.say.ui(msg, texts.BC_CANCEL_ONE, number=str(item.id))
            buttons = (Button(label, f"st:broadcasts:x.{item.id}"),)
        return Outbound("\n".join(lines), buttons)

    def _lines(self, msg: StaffMessage, found: Report) -> list[str]:
        lines = []
        for (village, channel), counts in sorted(found.counts.items(), key=str):
            lines.append(self.say.ui(
                msg, texts.BC_REPORT_LINE,
                village=self.say.village(msg, village),
                channel=CHANNELS.get(channel, channel),
                queued=str(counts.get("waiting", 0) + counts.get("queued", 0)),
                sent=str(counts.get("sent", 0)), failed=str(counts.get("failed", 0)),
                unreachable=str(counts.get("unreachable", 0)),
            ))  # fmt: skip
        if found.counts:
            lines.append(self.say.ui(msg, texts.BC_REPORT_TAPS, taps=str(found.taps)))
        return lines
