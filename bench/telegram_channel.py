"""Benchmarks the Telegram channel against a local Bot API server: chats, then a broadcast."""

# ruff: noqa: E402  (the imports must come after the sys.path fix below)
from __future__ import annotations

import sys
from pathlib import Path

# The fake Bot API server lives in tests/fakes: make the project root importable.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(1, str(ROOT))

import argparse
import asyncio
import json
import math
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import telegram
from pinning import pin
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import App, open_app, tune_garbage_collector
from bot.channels.ratelimit import Limits
from bot.channels.telegram.channel import CHANNEL, LIMITS, TelegramChannel, TelegramSettings
from bot.config import Config, load_config
from bot.engine.types import Outbound
from bot.store.batch import Batch
from bot.store.writes import INSERT_OUTBOX, Delivery, encode_outbound
from tests.fakes.telegram_server import Call, FakeTelegram

BASIC_FLOWS = ROOT / "tests" / "data" / "flows_basic"
LIFTED = Limits(overall_rate=1e6, overall_burst=1e6, chat_rate=1e6, chat_burst=1e6)
TARGET_RATIO = 0.5  # danvan's messages/s over the echo bot's
FIRST_CHAT = 100_001
REPLY_TIMEOUT = 60.0  # seconds a resident waits for a reply before the bench gives up
BROADCAST_CHATS = 1_000
TELEGRAM_OVERALL = 30  # sends in any 1-second window, enforced by the fake in the broadcast
TELEGRAM_CHAT_RATE, TELEGRAM_CHAT_BURST = 1.0, 3
BROADCAST_TEXT = (
    "Thông báo của UBND xã: từ thứ Hai, bà con mang căn cước đến nhà văn hoá thôn để được hướng"
    " dẫn làm thủ tục trên mạng. Gõ menu để bắt đầu."
)


# --- what a resident does ------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing a resident does: `start`, type a `text`, or `tap` the button with a label."""

    kind: str
    value: str = ""


ONBOARDING = (
    Step("start"),
    Step("tap", "Đồng ý"),
    Step("text", "Lan"),
    Step("tap", "Nà Khau"),
    Step("tap", "Hộ mới"),
)
# The basic `sample` flow from the menu to its end and back to the menu.
SAMPLE_WALK = (
    Step("tap", "Thử nghiệm"),
    Step("tap", "Bắt đầu"),
    Step("text", "0912345678"),
    Step("text", "012345678901"),
    Step("tap", "Tại xã"),
    Step("tap", "Có"),
)
# The echo bot gets the same words, all typed (it answers text only).
ECHO_WALK = tuple(Step("text", s.value) for s in SAMPLE_WALK)
Script = Sequence[tuple[Step, int]]  # each step with the number of messages that answer it


class Inbox:
    """What each chat received, as the fake reports each send from its own thread."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.loop = asyncio.get_running_loop()
        self.counts: defaultdict[int, int] = defaultdict(int)
        self.keyboards: dict[int, tuple[int, dict[str, str]]] = {}
        self._waiters: dict[int, tuple[int, asyncio.Future[float]]] = {}
        fake.on_sent(self._sent)

    def push(self, chat: int, step: Step) -> None:
        """The resident sends the step's update to the fake."""
        if step.kind == "start":
            self.fake.push_command(chat, "start")
        elif step.kind == "tap":
            message_id, buttons = self.keyboards[chat]
            self.fake.push_callback(chat, buttons[step.value], message_id)
        else:
            self.fake.push_text(chat, step.value)

    async def say(self, chat: int, step: Step, replies: int) -> float:
        """Push a step, wait for its `replies` messages; seconds from the push to the last."""
        future = self.loop.create_future()
        self._waiters[chat] = (self.counts[chat] + replies, future)
        pushed = time.monotonic()
        self.push(chat, step)
        try:
            arrived: float = await asyncio.wait_for(future, REPLY_TIMEOUT)
        except TimeoutError:
            raise RuntimeError(f"chat {chat}: no reply to {step} in {REPLY_TIMEOUT:g} s") from None
        return arrived - pushed

    def _sent(self, call: Call) -> None:
        """In the fake's thread: hand the send to the event loop."""
        self.loop.call_soon_threadsafe(self._arrived, call)

    def _arrived(self, call: Call) -> None:
        chat = int(call.chat_id)
        self.counts[chat] += 1
        markup = call.params.get("reply_markup") or {}
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            buttons = {b["text"]: b["callback_data"] for row in rows for b in row}
            self.keyboards[chat] = (int(call.result["message_id"]), buttons)
        waiter = self._waiters.get(chat)
        if waiter is not None and self.counts[chat] >= waiter[0]:
            del self._waiters[chat]
            waiter[1].set_result(call.at)


# --- 1. chats in a closed loop -------------------------------------------------------------


@dataclass
class Load:
    """The replies' latencies (push to last message at the fake), wall and CPU time."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_loop: float = 0.0  # CPU seconds of the event-loop thread: the bot and the residents
    cpu_all: float = 0.0  # CPU seconds of the whole process: with the fake server and SQLite


@dataclass
class DanvanRun:
    """danvan's closed-loop run, and how its chats got there."""

    load: Load
    onboarding: float  # seconds to onboard every chat but the first, all at once
    walk: Script


async def resident(inbox: Inbox, chat: int, script: Script, deadline: float, out: Load) -> None:
    """Send the script's steps in turn, each as soon as the last was answered."""
    turn = 0
    while time.monotonic() < deadline:
        step, replies = script[turn % len(script)]
        out.latencies.append(await inbox.say(chat, step, replies))
        turn += 1


async def closed_loop(inbox: Inbox, chats: Sequence[int], script: Script, seconds: float) -> Load:
    """Every chat walks the script for `seconds`; then the replies under way are awaited."""
    load = Load()
    cpu_loop, cpu_all, start = time.thread_time(), time.process_time(), time.monotonic()
    deadline = start + seconds
    await asyncio.gather(*(resident(inbox, c, script, deadline, load) for c in chats))
    load.elapsed = time.monotonic() - start
    load.cpu_loop = time.thread_time() - cpu_loop
    load.cpu_all = time.process_time() - cpu_all
    return load


async def learn(inbox: Inbox, channel: TelegramChannel, chat: int, steps: Sequence[Step]) -> Script:
    """Walk one chat through the steps alone, counting the messages that answer each."""
    script = []
    for step in steps:
        before = inbox.counts[chat]
        inbox.push(chat, step)
        while inbox.counts[chat] == before or channel.worker.pending:
            await asyncio.sleep(0.005)
        script.append((step, inbox.counts[chat] - before))
    return script


async def walk_once(inbox: Inbox, chats: Sequence[int], script: Script) -> float:
    """Every chat walks the script once, all at the same time; the seconds it took."""
    start = time.monotonic()

    async def one(chat: int) -> None:
        for step, replies in script:
            await inbox.say(chat, step, replies)

    await asyncio.gather(*(one(c) for c in chats))
    return time.monotonic() - start


def settings_for(fake: FakeTelegram) -> TelegramSettings:
    """Settings that point danvan at the fake server."""
    return TelegramSettings(fake.token, fake.base_url.removesuffix("/bot"), poll_timeout=1)


async def bench_danvan(config: Config, chats: int, seconds: float) -> DanvanRun:
    """Onboard the chats, then have them walk the sample flow, with the limits lifted."""
    ids = range(FIRST_CHAT, FIRST_CHAT + chats)
    with FakeTelegram() as fake, tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        app = await open_app(replace(config, db_path=Path(tmp) / "bench.db"))
        tune_garbage_collector()  # as `danvan run` does
        channel = TelegramChannel(app, settings_for(fake), LIFTED)
        await channel.start()
        try:
            inbox = Inbox(fake)
            onboarding = await learn(inbox, channel, ids[0], ONBOARDING)
            walk = await learn(inbox, channel, ids[0], SAMPLE_WALK)
            onboarded = await walk_once(inbox, ids[1:], onboarding)
            return DanvanRun(await closed_loop(inbox, ids, walk, seconds), onboarded, walk)
        finally:
            await channel.stop()
            await app.close()


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def bench_echo(chats: int, seconds: float) -> Load:
    """A bare python-telegram-bot echo bot, its own Updater polling, under the same load."""
    ids = range(FIRST_CHAT, FIRST_CHAT + chats)
    with FakeTelegram() as fake:
        builder = ApplicationBuilder().token(fake.token).base_url(fake.base_url)
        application = builder.concurrent_updates(True).build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        async with application:
            updater = application.updater
            assert updater is not None
            await updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                return await closed_loop(Inbox(fake), ids, [(s, 1) for s in ECHO_WALK], seconds)
            finally:
                await updater.stop()
                await application.stop()


# --- 2. a broadcast under Telegram's limits ------------------------------------------------


@dataclass
class Broadcast:
    """What the broadcast bench measured."""

    queued: int
    elapsed: float  # from queueing to the last send's arrival at the fake
    max_rate: int  # most sends within any 1-second window
    steady_max: int  # the same, among the sends after the first second
    refused: list[float]  # when (seconds after queueing) each 429 was answered
    per_chat: Counter[Any]
    unsent: int  # outbox rows not marked sent afterwards


async def queue_rows(app: App, chats: Sequence[int]) -> list[Delivery]:
    """One outbox row per chat, written as the conversation writes them; their deliveries."""
    message = Outbound(BROADCAST_TEXT)
    body = json.dumps(encode_outbound(message), ensure_ascii=False)
    now = app.conversation.clock().isoformat()
    batch, deliveries = Batch(), []
    for chat in chats:
        delivery = Delivery(app.conversation.outbox_ids.take(), CHANNEL, str(chat), message)
        batch.add(INSERT_OUTBOX, (delivery.id, CHANNEL, delivery.external_id, body, now))
        deliveries.append(delivery)
    await app.db.commit(batch)
    return deliveries


async def bench_broadcast(config: Config, chats: int) -> Broadcast:
    """Queue one message to each chat at once, with danvan's real limits and the fake's."""
    ids = list(range(FIRST_CHAT, FIRST_CHAT + chats))
    with FakeTelegram() as fake, tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        fake.enforce_limits(TELEGRAM_OVERALL, 1.0, TELEGRAM_CHAT_RATE, TELEGRAM_CHAT_BURST)
        app = await open_app(replace(config, db_path=Path(tmp) / "bench.db"))
        tune_garbage_collector()  # as `danvan run` does
        channel = TelegramChannel(app, settings_for(fake), LIMITS)
        await channel.start(polling=False)
        try:
            deliveries = await queue_rows(app, ids)
            start = time.monotonic()
            channel.worker.add(deliveries)
            await channel.worker.drained()
            row = await app.db.one("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        finally:
            await channel.stop()
            await app.close()
        sends = fake.sent()
        return Broadcast(
            queued=len(deliveries),
            elapsed=max(c.at for c in sends) - start,
            max_rate=fake.max_rate(),
            steady_max=busiest([c.at for c in sends if c.at >= start + 1.0]),
            refused=[c.at - start for c in fake.calls if c.status == 429],
            per_chat=Counter(c.chat_id for c in sends),
            unsent=int(row[0]) if row else -1,
        )


def busiest(times: Sequence[float], window: float = 1.0) -> int:
    """The most times within any `window`-second span (as FakeTelegram.max_rate counts)."""
    ordered, best, end = sorted(times), 0, 0
    for start, t in enumerate(ordered):
        while end < len(ordered) and ordered[end] - t < window:
            end += 1
        best = max(best, end - start)
    return best


# --- output --------------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def verdict(ok: bool) -> str:
    """How a figure compares with its target."""
    return "ok" if ok else "MISSED"


def rate(load: Load) -> float:
    """Messages answered per second of wall time."""
    return len(load.latencies) / load.elapsed


def figures(name: str, load: Load) -> Iterator[str]:
    """A run's rate, CPU and latency lines."""
    done = sorted(load.latencies)
    p50, p99, worst = (percentile(done, p) * 1e3 for p in (0.50, 0.99, 1.0))
    loop, rest = (cpu / len(done) * 1e6 for cpu in (load.cpu_loop, load.cpu_all - load.cpu_loop))
    yield f"{name}: {len(done):,} messages in {load.elapsed:.2f} s -> {rate(load):,.0f} messages/s"
    yield (
        f"{name}: CPU per message {loop:,.0f} us event-loop thread + {rest:,.0f} us other threads"
        f" (fake server, SQLite); {load.cpu_all / load.elapsed:.0%} of a core"
    )
    yield (
        f"{name}: update at the fake -> last message of its reply at the fake:"
        f" p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms"
    )


def report_chats(danvan: DanvanRun, echoed: Load, chats: int) -> None:
    """Print both closed-loop runs and their ratio."""
    sends = sum(replies for _, replies in danvan.walk)
    steps = len(danvan.walk)
    print(
        f"danvan: {chats - 1:,} chats onboarded at once ({len(ONBOARDING)} messages each) in"
        f" {danvan.onboarding:.2f} s; then each walks the sample flow ({steps} messages,"
        f" {sends} sends a round), limits lifted"
    )
    for line in (*figures("danvan", danvan.load), *figures("echo bot", echoed)):
        print(line)
    ratio = rate(danvan.load) / rate(echoed)
    print(
        f"danvan / echo bot = {ratio:.2f} (target >= {TARGET_RATIO:g}:"
        f" {verdict(ratio >= TARGET_RATIO)})"
    )


def report_broadcast(b: Broadcast) -> None:
    """Print the broadcast's figures next to Telegram's limits."""
    limits = f"overall {LIMITS.overall_rate:g}/s burst {LIMITS.overall_burst:g}"
    print(
        f"broadcast: {b.queued:,} chats at once, danvan's limits ({limits}, per chat"
        f" {LIMITS.chat_rate:g}/s burst {LIMITS.chat_burst:g}); the fake refuses > "
        f"{TELEGRAM_OVERALL} sends in any 1 s or > {TELEGRAM_CHAT_RATE:g}/s per chat beyond"
        f" {TELEGRAM_CHAT_BURST}"
    )
    sends = sum(b.per_chat.values())
    print(
        f"broadcast: all delivered in {b.elapsed:.2f} s -> {sends / b.elapsed:.1f} messages/s;"
        f" max in any 1 s {b.max_rate}, {b.steady_max} after the first second (Telegram allows"
        f" {TELEGRAM_OVERALL})"
    )
    when = ", ".join(f"{t:.2f}" for t in b.refused[:5])
    at = f" (at {when} s{' ...' if len(b.refused) > 5 else ''})" if b.refused else ""
    print(f"broadcast: 429s {len(b.refused)}{at} (target 0: {verdict(not b.refused)})")
    exactly_one = len(b.per_chat) == b.queued and set(b.per_chat.values()) == {1}
    print(
        f"broadcast: every chat got exactly one message: {'yes' if exactly_one else 'NO'}"
        f" ({len(b.per_chat):,} chats, {sends:,} sends); outbox rows left unsent: {b.unsent}"
    )


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=200, help="chats in the loop (200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per bot (10)")
    return parser.parse_args()


async def run(config: Config, args: argparse.Namespace) -> None:
    """Both closed-loop runs, then the broadcast."""
    danvan = await bench_danvan(config, args.chats, args.seconds)
    report_chats(danvan, await bench_echo(args.chats, args.seconds), args.chats)
    report_broadcast(await bench_broadcast(config, BROADCAST_CHATS))


def main() -> None:
    """Run the benches and print their figures."""
    args = arguments()
    pinned = pin("bot, fake server and SQLite thread")
    config = load_config(ROOT / "danvan.yaml", env={}, flows=BASIC_FLOWS)
    print(
        f"danvan telegram bench: {args.chats:,} chats, {args.seconds:g} s per bot, Python"
        f" {sys.version.split()[0]}, python-telegram-bot {telegram.__version__}, {pinned}"
    )
    asyncio.run(run(config, args))


if __name__ == "__main__":
    main()
