"""Who a broadcast reaches, as SQL over residents who consented: villages, a segment, a language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.channels.zalo_oa.window import WINDOW

SEGMENT = re.compile(r"(not_reached|open_run|silent_days):([a-z0-9_]{1,40})", re.ASCII)
MESSENGERS = ("telegram", "zalo", "zalo_oa")  # the terminal chat is no way to reach anyone


@dataclass(frozen=True)
class Audience:
    """Everyone who consented, narrowed by villages (any of), a segment and a language.

    segment: `not_reached:<milestone>`, `open_run:<flow id>` or `silent_days:<N>`.
    """

    villages: tuple[str, ...] = ()
    segment: str | None = None
    lang: str | None = None

    def dump(self) -> str:
        """The audience as stored JSON."""
        data = {"villages": list(self.villages), "segment": self.segment, "lang": self.lang}
        return json.dumps(data)

    @classmethod
    def load(cls, text: str) -> Audience:
        """The audience from its stored JSON."""
        data = json.loads(text)
        return cls(tuple(data["villages"]), data["segment"], data["lang"])


def parse_segment(text: str) -> str | None:
    """A segment as given on the command line or in the chat, None when it is not one."""
    found = SEGMENT.fullmatch(text.strip())
    if found is None or (found[1] == "silent_days" and not found[2].isdigit()):
        return None
    return found[0]


def where(audience: Audience, now: datetime) -> tuple[str, list[object]]:
    """The condition on residents `r` the audience asks for, and its parameters."""
    clauses = ["r.consent_at IS NOT NULL"]
    params: list[object] = []
    if audience.villages:
        clauses.append(f"r.village_id IN ({', '.join('?' * len(audience.villages))})")
        params += audience.villages
    if audience.lang:
        clauses.append("COALESCE(r.lang, 'vi') = ?")
        params.append(audience.lang)
    if audience.segment:
        kind, _, arg = audience.segment.partition(":")
        if kind == "not_reached":
            clauses.append("NOT EXISTS (SELECT 1 FROM milestones m WHERE m.resident_id = r.id"
                           " AND m.name = ?)")  # fmt: skip
            params.append(arg)
        elif kind == "open_run":
            clauses.append("EXISTS (SELECT 1 FROM runs u WHERE u.resident_id = r.id"
                           " AND u.flow_id = ? AND u.ended_at IS NULL)")  # fmt: skip
            params.append(arg)
        else:
            clauses.append("r.updated_at < ?")
            params.append((now - timedelta(days=int(arg))).isoformat())
    return " AND ".join(clauses), params


def chosen(audience: Audience, now: datetime) -> tuple[str, list[object]]:
    """One row per resident of the audience: the identity to reach them on (a reachable one
    first, the newest first) and whether it is reachable without asking the messenger.

    Columns: resident_id, household_id, channel, external_id, village_id, lang, reachable.
    """
    cond, params = where(audience, now)
    cutoff = (now - WINDOW).astimezone(UTC).isoformat()
    channels = ", ".join(f"'{c}'" for c in MESSENGERS)
    reachable = (
        f"(i.unreachable_at IS NULL AND i.channel IN ({channels}) AND NOT (i.channel = 'zalo_oa'"
        " AND (o.unfollowed_at IS NOT NULL OR COALESCE(o.last_message_at, ?) < ?)))"
    )
    sql = (
        "SELECT resident_id, household_id, channel, external_id, village_id, lang, reachable"
        f" FROM (SELECT r.id AS resident_id, r.household_id, i.channel, i.external_id,"
        f" r.village_id, COALESCE(r.lang, 'vi') AS lang, {reachable} AS reachable,"
        f" ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY {reachable} DESC, i.created_at DESC)"
        " AS n FROM residents r JOIN identities i ON i.resident_id = r.id"
        " LEFT JOIN zalo_oa_users o ON i.channel = 'zalo_oa' AND o.user_id = i.external_id"
        f" WHERE {cond}) WHERE n = 1"
    )
    window = [cutoff, cutoff]
    return sql, [*window, *window, *params]


def count_sql(audience: Audience, now: datetime) -> tuple[str, list[object]]:
    """The preview: how many residents per village and channel, and how many reachable."""
    sql, params = chosen(audience, now)
    return (
        "SELECT village_id, channel, COUNT(*), SUM(reachable) FROM (" + sql + ")"
        " GROUP BY village_id, channel ORDER BY village_id, channel",
        params,
    )
