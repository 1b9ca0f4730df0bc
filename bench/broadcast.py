"""Benchmarks a broadcast to 10,000 residents on the local Telegram server with its limits on,
while 50 residents talk to the bot: rate, 429s, confirm to first send, reply latency, memory."""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(1, str(ROOT))

import argparse
import asyncio
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import time as day_time

from telegram_channel import BASIC_FLOWS, busiest, percentile, settings_for, verdict

from bot.app import App, open_app, tune_garbage_collector
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import Content
from bot.broadcasts.settings import BroadcastSettings
from bot.channels.telegram.channel import LIMITS, TelegramChannel
from bot.config import Config, load_config
from bot.engine.types import State
from bot.store.batch import Batch
from bot.store.codec import dump_state
from bot.store.writes import INSERT_IDENTITY
from tests.fakes.telegram_server import Call, FakeTelegram

FIRST = 200_001  # the broadcast's residents' chat ids
TALKER = 100_001  # the talking residents' chat ids
OVERALL = 30  # the fake refuses more sends than this in any 1-second window
TEXT = "Sáng mai 8 giờ, bà con mang căn cước đến nhà văn hoá thôn để được hướng dẫn làm VNeID."
OFFICIAL = "cfg:nong_van_thanh"
# What each talking resident types, over and over: the sample flow from the menu to its end.
WALK = ("menu", "Thử nghiệm", "Bắt đầu", "0912345678", "008203001234", "Tại xã", "Có")
QUIET = 0.3  # seconds without a message that end a reply
THINK = 15.0  # seconds a resident takes to read an answer and type the next (on a phone)
ALWAYS = BroadcastSettings(day_time(0, 0), day_time(0, 0), ("gov.vn",), 1_000_000)  # no quiet


@dataclass
class Figures:
    """What the run measured."""

    residents: int
    first_send: float = 0.0  # seconds from the confirm call to the first broadcast send
    times: list[float] = field(default_factory=list)  # each broadcast send's arrival
    all_times: list[float] = field(default_factory=list)  # every send's arrival
    refused: list[float] = field(default_factory=list)  # each 429's time after the confirm
    latencies: list[float] = field(default_factory=list)  # talkers: push to the whole reply
    per_chat: dict[int, int] = field(default_factory=dict)
    peak_mb: float = 0.0


async def seed(app: App, residents: int, talkers: int) -> None:
    """Residents who consented, each with a Telegram chat, in one transaction; the talkers
    at the menu, the others never wrote after onboarding."""
    now = app.conversation.clock().isoformat()
    ready = dump_state(
        State("ready", consent=True, name="Lan", address="bác", village_id="ban_cay")
    )
    batch, identities = Batch(), Batch()  # identities' statement is ordered before residents'
    rows = [(TALKER + n, "ban_cay", ready) for n in range(talkers)]
    rows += [(FIRST + n, "na_khau", "{}") for n in range(residents)]
    for rid, (chat, village, state) in enumerate(rows, 1_000_000):
        batch.add(
            "INSERT INTO residents (id, name, village_id, lang, consent_at, created_at,"
            " updated_at, state) VALUES (?, 'Lan', ?, 'vi', ?, ?, ?, ?)",
            (rid, village, now, now, now, state),
        )
        identities.add(INSERT_IDENTITY, ("telegram", str(chat), rid, now))
    await app.db.commit(batch)
    await app.db.commit(identities)


class Replies:
    """When each chat last received a message, as the fake reports each send."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.loop = asyncio.get_running_loop()
        self.last: dict[int, float] = {}
        fake.on_sent(lambda call: self.loop.call_soon_threadsafe(self._arrived, call))

    def _arrived(self, call: Call) -> None:
        if call.chat_id is not None:
            self.last[int(call.chat_id)] = call.at

    async def reply(self, fake: FakeTelegram, chat: int, text: str) -> float:
        """Type `text`; the seconds until the first message of the answer reached the fake,
        once the answer is over (QUIET seconds without another message)."""
        pushed = time.monotonic()
        fake.push_text(chat, text)
        while self.last.get(chat, 0.0) < pushed:
            await asyncio.sleep(0.01)
        first = self.last[chat]
        while time.monotonic() - self.last[chat] < QUIET:
            await asyncio.sleep(0.05)
        return first - pushed


async def talk(
    replies: Replies, fake: FakeTelegram, chat: int, stop: asyncio.Event, out: Figures
) -> None:
    """Walk the sample flow over and over, each step once the last was answered."""
    turn = 0
    pace = random.Random(chat)  # residents are not in step: each starts and reads at their pace
    await asyncio.sleep(pace.uniform(0, THINK))
    while not stop.is_set():
        out.latencies.append(await replies.reply(fake, chat, WALK[turn % len(WALK)]))
        turn += 1
        await asyncio.sleep(pace.uniform(0.5, 1.5) * THINK)


async def bench(config: Config, residents: int, talkers: int) -> Figures:
    """The whole run."""
    out = Figures(residents)
    with FakeTelegram() as fake, tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        fake.enforce_limits(OVERALL, 1.0, 1.0, 3)
        app = await open_app(replace(config, db_path=Path(tmp) / "b.db", broadcasts=ALWAYS))
        tune_garbage_collector()
        channel = TelegramChannel(app, settings_for(fake), LIMITS)
        await channel.start()
        try:
            await _run(app, channel, fake, out, talkers)
        finally:
            await app.ticker.stop()
            await channel.stop()
            await app.close()
    out.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


async def _run(
    app: App, channel: TelegramChannel, fake: FakeTelegram, out: Figures, talkers: int
) -> None:
    await seed(app, out.residents, talkers)
    replies = Replies(fake)
    app.ticker.start()
    stop = asyncio.Event()
    chats = range(TALKER, TALKER + talkers)
    talking = [asyncio.create_task(talk(replies, fake, c, stop, out)) for c in chats]
    await asyncio.sleep(THINK)  # the talkers are at it before the broadcast starts
    out.latencies.clear()
    fake.clear_calls()
    start = time.monotonic()
    now = app.conversation.clock()
    drafted = await app.broadcasts.draft(
        OFFICIAL, Content({"vi": TEXT}), Audience(villages=("na_khau",)), now, now
    )
    assert await app.broadcasts.confirm(drafted.number, OFFICIAL, now) == "scheduled"
    await _until_done(app, drafted.number)
    stop.set()
    await asyncio.gather(*talking)
    _collect(fake, out, start)


async def _until_done(app: App, number: int) -> None:
    while True:
        row = await app.db.one("SELECT status FROM broadcasts WHERE id = ?", (number,))
        if row is not None and row[0] == "done":
            return
        await asyncio.sleep(0.5)


def _collect(fake: FakeTelegram, out: Figures, start: float) -> None:
    for call in fake.calls:
        chat = int(call.chat_id) if call.chat_id is not None else 0
        if call.status == 429:
            out.refused.append(call.at - start)
        elif call.ok and call.method.startswith(("send", "edit")):
            out.all_times.append(call.at)
            if chat >= FIRST:
                out.times.append(call.at)
                out.per_chat[chat] = out.per_chat.get(chat, 0) + 1
    out.first_send = min(out.times) - start


def report(f: Figures, talkers: int) -> None:
    """Print the figures next to their targets."""
    span = max(f.times) - min(f.times)
    bulk = (len(f.times) - 1) / span
    total = len([t for t in f.all_times if min(f.times) <= t <= max(f.times)]) / span
    steady = [t for t in f.refused if t >= f.first_send + 1.0]
    lat = sorted(f.latencies)
    p50, p99 = percentile(lat, 0.5), percentile(lat, 0.99)
    once = len(f.per_chat) == f.residents and set(f.per_chat.values()) == {1}
    print(f"broadcast to {f.residents:,} residents, {talkers} residents talking meanwhile;"
          f" danvan's limits: overall {LIMITS.overall_rate:g}/s burst {LIMITS.overall_burst:g};"
          f" the fake refuses > {OVERALL} sends in any 1 s")  # fmt: skip
    print(f"sustained rate, every send: {total:.2f} messages/s (target >= 28.5:"
          f" {verdict(total >= 28.5)}); the broadcast's own: {bulk:.2f}/s,"
          f" in {span:.1f} s")  # fmt: skip
    print(f"most sends in any 1 s: {busiest(f.all_times)} (Telegram allows {OVERALL})")
    print(f"429s: {len(f.refused)}, in steady state {len(steady)} (target 0:"
          f" {verdict(not steady)})")  # fmt: skip
    print(f"confirm -> first send: {f.first_send * 1e3:.0f} ms (target < 1 s:"
          f" {verdict(f.first_send < 1)})")  # fmt: skip
    print(f"replies to talkers during the broadcast: {len(lat)}, p50 {p50 * 1e3:.0f} ms,"
          f" p99 {p99 * 1e3:.0f} ms (target < 2 s: {verdict(p99 < 2)})")  # fmt: skip
    print(f"every resident got it exactly once: {'yes' if once else 'NO'}")
    print(f"peak memory (bot, fake server, SQLite): {f.peak_mb:.0f} MB (target < 150:"
          f" {verdict(f.peak_mb < 150)})")  # fmt: skip


def main() -> None:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--talkers", type=int, default=50)
    args = parser.parse_args()
    config = load_config(ROOT / "danvan.yaml", env={}, flows=BASIC_FLOWS)
    report(asyncio.run(bench(config, args.residents, args.talkers)), args.talkers)


if __name__ == "__main__":
    main()
