"""`/households`: a propagandist's villages' households, those most in need of a visit first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.engine import texts
from bot.engine.types import Outbound
from bot.followups.cards import ago
from bot.followups.commands import BOTH, Parts
from bot.staff.desk import StaffMessage, StaffReply

HOUSEHOLDS = """
SELECT h.code, h.village_id, v.name,
  (SELECT group_concat(r.name, ', ') FROM residents r WHERE r.household_id = h.id),
  (SELECT count(*) FROM identities i JOIN residents r ON r.id = i.resident_id
     WHERE r.household_id = h.id AND i.unreachable_at IS NULL),
  (SELECT group_concat(m.name || CASE WHEN m.helped_by IS NULL THEN '' ELSE '+' END, ',')
     FROM milestones m WHERE m.household_id = h.id),
  (SELECT count(*) FROM followups f WHERE f.household_id = h.id AND f.status = 'open'),
  (SELECT max(r.updated_at) FROM residents r WHERE r.household_id = h.id)
FROM households h LEFT JOIN villages v ON v.id = h.village_id
"""
SHOWN = 30  # households listed in one message


class Households:
    """Where each household of the member's villages stands."""

    name: str = "households"
    words: tuple[str, ...] = ("/households", "hộ gia đình", "ho gia dinh")
    roles: frozenset[str] = BOTH
    label: str = texts.HH_LABEL

    def __init__(self, parts: Parts) -> None:
        self.p = parts

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        rows = [r for r in await self.p.db.all(HOUSEHOLDS) if msg.member.covers(r[1])]
        if not rows:
            return StaffReply([Outbound(self.p.say(texts.HH_NONE, name=msg.member.name))])
        rows.sort(key=_need)
        lines = [self.p.say(texts.HH_HEAD, name=msg.member.name)]
        lines += [self._line(row, msg.now) for row in rows[:SHOWN]]
        return StaffReply([Outbound("\n".join(lines))])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        return await self.start(msg, "")

    def _line(self, row: Sequence[Any], now: datetime) -> str:
        code, _, village, members, reachable, milestones, open_count, last = row
        reach = texts.HH_REACHABLE if reachable else texts.HH_UNREACHABLE
        done = self._done(str(milestones or ""))
        opened = self.p.say(texts.HH_OPEN, n=open_count) if open_count else ""
        return " ".join(
            self.p.say(
                texts.HH_LINE, code=code, village=village or "?", members=members or "?",
                reach=self.p.say(reach), done=done, open=opened,
                last=ago(self.p.tr, str(last), now),
            ).split()
        )  # fmt: skip

    def _done(self, milestones: str) -> str:
        if not milestones:
            return self.p.say(texts.HH_NOTHING_DONE)
        helped = self.p.say(texts.HH_HELPED)
        named = []
        for item in milestones.split(","):
            shown = self.p.milestone_label(item.rstrip("+"))
            named.append(f"{shown} ({helped})" if item.endswith("+") else shown)
        return self.p.say(texts.HH_DONE, milestones="; ".join(named))


def _need(row: Sequence[Any]) -> tuple[int, int, str]:
    milestones = str(row[5] or "")
    return (-int(row[6] or 0), len(milestones.split(",")) if milestones else 0, str(row[7] or ""))
