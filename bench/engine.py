"""Benchmarks the pure engine and the whole conversation path, with many scripted residents."""

from __future__ import annotations

import argparse
import asyncio
import functools
import math
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pinning import pin

from bot.app import App, commune_of, open_app, tune_garbage_collector
from bot.config import Config, load_config
from bot.engine import texts
from bot.engine.conversation import handle
from bot.engine.textnorm import fold
from bot.engine.types import Button, Context, Facts, Inbound, Outbound, Result, State
from bot.flows.folder import load_folder
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import LANGUAGE_NAMES, Catalogs

ROOT = Path(__file__).resolve().parents[1]
TARGET_STEPS = 20_000  # engine steps per second
TARGET_RATE = 1_500  # resident messages per second, with durable commits
TARGET_P99_MS = 10.0
CLOCK = datetime(2025, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SEED = 20250401
CHANNEL = "bench"
PREFER_FIRST = 0.6  # how often a resident taps the first suitable button
AVOID = ("giup", "de sau", "menu", "khong lam duoc", "khong dong y", "tam dung", "quay lai")
SAME_PROMPT_MAX = 6  # the same question this many times in a row: stuck
FLOW_MESSAGES_MAX = 80  # messages since the menu last showed: stuck
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


# --- a scripted resident -------------------------------------------------------------------


@dataclass
class Walker:
    """One resident's script: answers the last message, restarts from the menu when stuck."""

    rng: random.Random
    last: Outbound | None = None
    same: int = 0
    since_menu: int = 0
    restarts: int = 0

    def next(self) -> Inbound:
        """The resident's next message."""
        if self.last is None:
            return Inbound("start")
        if self.same >= SAME_PROMPT_MAX or self.since_menu >= FLOW_MESSAGES_MAX:
            self.restarts += 1
            self.same = self.since_menu = 0
            return Inbound("word", payload="menu")
        return answer_to(self.last, self.rng)

    def heard(self, messages: Sequence[Outbound]) -> None:
        """Remember the last message the bot sent."""
        if not messages:
            return
        last = messages[-1]
        repeated = self.last is not None and last.text == self.last.text
        self.same = self.same + 1 if repeated else 0
        self.since_menu = 0 if last.text == texts.MENU else self.since_menu + 1
        self.last = last


def answer_to(message: Outbound, rng: random.Random) -> Inbound:
    """Tap a button when there are some, else type what the question asks for."""
    if message.buttons:
        return Inbound("button", payload=pick(message.buttons, rng).payload)
    return Inbound("text", text=typed_answer(message))


def pick(buttons: Sequence[Button], rng: random.Random) -> Button:
    """The first button, or a random one, among those that do not ask for help or the menu."""
    good = [b for b in buttons if suitable(b.label)] or list(buttons)
    return good[0] if rng.random() < PREFER_FIRST else rng.choice(good)


@functools.cache
def suitable(label: str) -> bool:
    """Whether a button label does not look like help, later or the menu."""
    folded = fold(label)
    return not any(word in folded for word in AVOID)


def typed_answer(message: Outbound) -> str:
    """A plausible typed answer to a question without buttons."""
    folded = fold(message.text)
    words = folded.split()
    if message.request == "phone" or "dien thoai" in folded:
        return "0912345678"
    if "ngay thang nam" in folded or "ngay nao" in folded:
        return "15/03/2025"
    if "ten" in words:
        return "Lan"
    if "bao nhieu" in folded or "so" in words:
        return "3"
    return "ok"


# --- 1. the pure engine --------------------------------------------------------------------


@dataclass
class EngineFigures:
    """What the engine bench counted."""

    messages: int = 0
    steps: int = 0
    busy: float = 0.0  # seconds spent inside handle()
    completed: int = 0
    cancelled: int = 0
    restarts: int = 0


def engine_context(config: Config) -> Context:
    """A context with the bundled flows, the sample commune and a fixed clock."""
    registry = FlowRegistry()
    registry.replace(load_folder(config.flows_dir, config.languages).flows)
    return Context(
        now=CLOCK,
        flows=registry,
        commune=commune_of(config),
        tr=Catalogs(config.languages),
        language_names=LANGUAGE_NAMES,
    )


def bench_engine(config: Config, residents: int, seconds: float) -> EngineFigures:
    """Walk residents round-robin through the engine alone for `seconds` of engine time."""
    ctx = engine_context(config)
    states = [State() for _ in range(residents)]
    walkers = [Walker(random.Random(SEED + i)) for i in range(residents)]
    figures = EngineFigures()
    while figures.busy < seconds:
        for i, walker in enumerate(walkers):
            states[i] = engine_message(states[i], walker, with_facts(ctx, states[i], i), figures)
    figures.restarts = sum(w.restarts for w in walkers)
    return figures


def with_facts(ctx: Context, state: State, i: int) -> Context:
    """What the service would have looked up: a fresh household code where one is needed."""
    if state.stage not in ("household", "code"):
        return ctx
    return replace(ctx, facts=Facts(new_household_code=f"{100000 + i}"))


def engine_message(state: State, walker: Walker, ctx: Context, figures: EngineFigures) -> State:
    """One message through handle(), timed and counted."""
    inbound = walker.next()
    start = time.perf_counter()
    result = handle(state, inbound, ctx)
    figures.busy += time.perf_counter() - start
    count(result, figures)
    walker.heard(result.messages)
    return result.state


def count(result: Result, figures: EngineFigures) -> None:
    """Count the message, the steps it entered and the runs it ended."""
    figures.messages += 1
    figures.steps += 1
    for event in result.events:
        if event.kind == "step":
            figures.steps += 1
        elif event.kind == "run_ended":
            figures.completed += event.detail == "completed"
            figures.cancelled += event.detail != "completed"


# --- 2. the whole conversation path --------------------------------------------------------


@dataclass
class Timings:
    """The latency of each message of a phase, and the phase's wall and CPU time."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_loop: float = 0.0  # CPU seconds of the event-loop thread
    cpu_all: float = 0.0  # CPU seconds of the whole process (with SQLite's thread)


@dataclass
class ServiceFigures:
    """What the service bench measured."""

    pragmas: str
    first: Timings  # every resident's first contact, all at once
    walking: Timings  # then residents walking flows
    restarts: int = 0


@dataclass
class Budget:
    """When the residents stop: a deadline and, optionally, a number of messages."""

    deadline: float
    messages: int  # 0: no limit
    sent: int = 0

    def take(self) -> bool:
        """Whether one more message may be sent (and count it)."""
        if time.perf_counter() >= self.deadline or (self.messages and self.sent >= self.messages):
            return False
        self.sent += 1
        return True

    def cap(self, pause: float) -> float:
        """A pause cut short at the deadline."""
        return max(0.0, min(pause, self.deadline - time.perf_counter()))


async def pragmas(app: App) -> str:
    """The journal mode and synchronous setting of the bench database."""
    journal = await app.db.one("PRAGMA journal_mode")
    sync = await app.db.one("PRAGMA synchronous")
    level = int(sync[0]) if sync else -1
    return f"journal_mode={journal[0] if journal else '?'} synchronous={SYNCHRONOUS.get(level)}"


async def send(app: App, who: str, walker: Walker, out: list[float]) -> None:
    """One message through ConversationService.handle, timed from call to return."""
    inbound = walker.next()
    start = time.perf_counter()
    deliveries = await app.conversation.handle(CHANNEL, who, inbound)
    out.append(time.perf_counter() - start)
    walker.heard([d.message for d in deliveries])


async def walk(
    app: App, who: str, walker: Walker, budget: Budget, out: list[float], think: float
) -> None:
    """Send the next message as soon as the reply arrived (or after a think time)."""
    pause = random.Random(who)
    if think:  # residents do not all answer at the same moment
        await asyncio.sleep(budget.cap(pause.uniform(0, 2 * think)))
    while budget.take():
        await send(app, who, walker, out)
        if think:
            await asyncio.sleep(budget.cap(pause.expovariate(1 / think)))


async def timed(work: Callable[[list[float]], Sequence[Awaitable[None]]]) -> Timings:
    """Run the residents' tasks together; their latencies, wall time and CPU time."""
    timings = Timings()
    cpu_loop, cpu_all, start = time.thread_time(), time.process_time(), time.perf_counter()
    await asyncio.gather(*work(timings.latencies))
    timings.elapsed = time.perf_counter() - start
    timings.cpu_loop = time.thread_time() - cpu_loop
    timings.cpu_all = time.process_time() - cpu_all
    return timings


async def bench_service(config: Config, args: argparse.Namespace) -> ServiceFigures:
    """Residents walking concurrently through open_app's conversation service."""
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        app = await open_app(replace(config, db_path=Path(tmp) / "bench.db"))
        tune_garbage_collector()  # as `danvan run` does
        try:
            return await run_residents(app, args)
        finally:
            await app.close()


async def run_residents(app: App, args: argparse.Namespace) -> ServiceFigures:
    """First contact for all residents at once, then walking until the budget is spent."""
    app.conversation.clock = lambda: CLOCK
    walkers = {f"r{i}": Walker(random.Random(SEED + i)) for i in range(args.residents)}
    first = await timed(lambda out: [send(app, who, w, out) for who, w in walkers.items()])
    budget = Budget(time.perf_counter() + args.seconds, args.messages)
    walking = await timed(
        lambda out: [walk(app, who, w, budget, out, args.think) for who, w in walkers.items()]
    )
    restarts = sum(w.restarts for w in walkers.values())
    return ServiceFigures(await pragmas(app), first, walking, restarts)


# --- output --------------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def verdict(ok: bool) -> str:
    """How a figure compares with its target."""
    return "ok" if ok else "MISSED"


def report_engine(f: EngineFigures) -> None:
    """Print the engine figures next to their targets."""
    steps_rate = f.steps / f.busy
    print(
        f"engine: {f.steps:,} steps in {f.busy:.2f} s inside handle() -> {steps_rate:,.0f} steps/s"
        f" (target >= {TARGET_STEPS:,}: {verdict(steps_rate >= TARGET_STEPS)})"
    )
    print(
        f"engine: {f.messages:,} messages -> {f.messages / f.busy:,.0f} messages/s;"
        f" {f.steps / f.messages:.2f} steps/message; runs ended: {f.completed:,} completed,"
        f" {f.cancelled:,} cancelled; {f.restarts:,} restarts from the menu"
    )


@dataclass(frozen=True)
class Summary:
    """A phase's rate and latency percentiles, in messages/s and milliseconds."""

    count: int
    rate: float
    p50: float
    p99: float
    worst: float

    @classmethod
    def of(cls, t: Timings) -> Summary:
        """Summarise a phase's timings."""
        done = sorted(t.latencies)
        ms = [percentile(done, p) * 1e3 for p in (0.50, 0.99, 1.0)]
        return cls(len(done), len(done) / t.elapsed, *ms)

    def latency(self) -> str:
        """The latency percentiles as text."""
        return f"latency p50 {self.p50:.2f} ms, p99 {self.p99:.2f} ms, max {self.worst:.2f} ms"


def report_service(f: ServiceFigures, args: argparse.Namespace) -> None:
    """Print the service figures next to their targets."""
    first, walking = Summary.of(f.first), Summary.of(f.walking)
    print(f"sqlite: {f.pragmas}")
    print(
        f"first contact: {first.count:,} residents at once in {f.first.elapsed:.2f} s"
        f" -> {first.rate:,.0f} messages/s; {first.latency()}"
    )
    think = f", think time {args.think:g} s" if args.think else ", no think time"
    print(
        f"service: {walking.count:,} messages in {f.walking.elapsed:.2f} s ({args.residents:,}"
        f" residents{think}) -> {walking.rate:,.0f} messages/s"
        f" (target >= {TARGET_RATE:,}: {verdict(walking.rate >= TARGET_RATE)})"
    )
    ok = walking.p99 < TARGET_P99_MS
    print(f"service: {walking.latency()} (target p99 < {TARGET_P99_MS:g} ms: {verdict(ok)})")
    loop, rest = f.walking.cpu_loop, f.walking.cpu_all - f.walking.cpu_loop
    print(
        f"service: CPU per message {loop / walking.count * 1e6:.0f} us event-loop thread"
        f" + {rest / walking.count * 1e6:.0f} us SQLite thread; {f.restarts:,} restarts"
    )
    if not args.think:
        print(
            f"service: {args.residents:,} residents always waiting: mean latency = residents / rate"
            f" = {args.residents / walking.rate * 1e3:,.1f} ms (Little's law)"
        )


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=1000, help="residents (default 1000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per bench (10)")
    parser.add_argument("--messages", type=int, default=0, help="cap the service bench's messages")
    parser.add_argument(
        "--think",
        type=float,
        default=None,
        help="mean seconds a resident waits before answering (default: run twice, with none"
        " and with the pause that offers 3%% over the target rate)",
    )
    return parser.parse_args()


def main() -> None:
    """Run both benches and print their figures."""
    args = arguments()
    pinned = pin("event loop and SQLite thread")
    config = load_config(ROOT / "danvan.yaml", env={}, flows=ROOT / "flows")
    version = sys.version.split()[0]
    print(f"danvan bench: {args.residents:,} residents, Python {version}, {pinned}")
    report_engine(bench_engine(config, args.residents, args.seconds))
    thinks = [args.think] if args.think is not None else [0.0, args.residents / TARGET_RATE / 1.03]
    for think in thinks:
        args.think = round(think, 3)
        report_service(asyncio.run(bench_service(config, args)), args)


if __name__ == "__main__":
    main()
