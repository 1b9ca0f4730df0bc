"""`/report` on the staff desk: an official gets the commune's summary, a propagandist their
villages', as of today."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from bot.engine import texts
from bot.engine.types import Outbound
from bot.reports.figures import summary_only
from bot.reports.scope import Scope
from bot.reports.tables import Table
from bot.staff.commands import BOTH, StaffTexts
from bot.staff.desk import StaffMessage, StaffReply
from bot.staff.directory import OFFICIAL


class ReportCommand:
    """`/report`: the summary by village, one line each, read beside the bot's writer."""

    name = "report"
    words: tuple[str, ...] = ("/report", "báo cáo", "bao cao", "báo cáo tiến độ")
    roles = BOTH
    label = texts.STAFF_REPORT_LABEL

    def __init__(self, words: StaffTexts) -> None:
        self.texts = words

    def scope(self, msg: StaffMessage) -> Scope:
        """The whole commune for an official (or a member without villages), else theirs."""
        villages = self.texts.config.villages
        mine = msg.member.villages
        if msg.member.role != OFFICIAL and mine:
            villages = tuple(v for v in villages if v.id in mine)
        elif msg.member.role != OFFICIAL:
            villages = ()
        return Scope(tuple((v.id, v.name) for v in villages), msg.now.date())

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """The summary as of the member's today."""
        scope = self.scope(msg)
        if not scope.villages:
            return StaffReply([Outbound(self.texts.ui(msg, texts.STAFF_REPORT_NONE))])
        table = await asyncio.to_thread(summary_only, self.texts.config.db_path, scope)
        return StaffReply([Outbound(self.text(msg, scope, table))])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """Nothing to go on with."""
        return await self.start(msg, "")

    def text(self, msg: StaffMessage, scope: Scope, table: Table) -> str:
        """A head line and one line per village, then the commune's when there are several."""
        commune = self.texts.config.commune
        if len(scope.villages) == 1:
            place = f"{scope.villages[0][1]}, {commune}"
        elif msg.member.role == OFFICIAL:
            place = commune
        else:
            place = self.texts.village_names(msg, scope.ids)
        day = scope.as_of.strftime("%d/%m/%Y")
        lines = [self.texts.ui(msg, texts.STAFF_REPORT_HEAD, place=place, day=day)]
        rows = table.rows if len(table.rows) > 2 else table.rows[:1]
        total = (
            texts.STAFF_REPORT_COMMUNE if msg.member.role == OFFICIAL else texts.STAFF_REPORT_TOTAL
        )
        for at, row in enumerate(rows):
            figures = dict(zip(table.columns, row, strict=True))
            if at == len(table.rows) - 1:
                figures["name"] = self.texts.ui(msg, total)
            lines.append(self.texts.ui(msg, texts.STAFF_REPORT_LINE, **_line(figures)))
        return "\n".join(lines)


def _line(figures: Mapping[str, object]) -> dict[str, str]:
    keys = {"village": "name", "on_bot": "people_on_bot", "people": "people",
            "households": "households_on_bot", "level2": "vneid_level2", "portal": "portal_login",
            "submitted": "submitted_people", "submitted_hh": "submitted_households"}  # fmt: skip
    return {k: str(figures[v]) for k, v in keys.items()}
