"""Benchmarks the pure engine and the whole conversation path (SQLite commits) with many residents."""

from __future__ import annotations

import argparse
import asyncio
import functools
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App, commune_of, open_app
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
class ServiceFigures:
    """What the service bench measured."""

    pragmas: str = ""
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
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


async def pragmas(app: App) -> str:
    """The journal mode and synchronous setting of the bench database."""
    journal = await app.db.one("PRAGMA journal_mode")
    sync = await app.db.one("PRAGMA synchronous")
    level = int(sync[0]) if sync else -1
    return f"journal_mode={journal[0] if journal else '?'} synchronous={SYNCHRONOUS.get(level)}"


async def resident(app: App, who: str, walker: Walker, budget: Budget, out: list[float]) -> None:
    """Send the next message as soon as the reply to the previous one arrived."""
    while budget.take():
        inbound = walker.next()
        start = time.perf_counter()
        deliveries = await app.conversation.handle(CHANNEL, who, inbound)
        out.append(time.perf_counter() - start)
        walker.heard([d.message for d in deliveries])


async def bench_service(config: Config, residents: int, seconds: float, cap: int) -> ServiceFigures:
    """Residents walking concurrently through open_app's conversation service."""
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        app = await open_app(replace(config, db_path=Path(tmp) / "bench.db"))
        app.conversation.clock = lambda: CLOCK
        figures = ServiceFigures(pragmas=await pragmas(app))
        walkers = [Walker(random.Random(SEED + i)) for i in range(residents)]
        start = time.perf_counter()
        budget = Budget(start + seconds, cap)
        try:
            await asyncio.gather(
                *(resident(app, f"r{i}", w, budget, figures.latencies) for i, w in enumerate(walkers))
            )
            figures.elapsed = time.perf_counter() - start
        finally:
            await app.close()
    figures.restarts = sum(w.restarts for w in walkers)
    return figures


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


def report_service(f: ServiceFigures, residents: int) -> None:
    """Print the service figures next to their targets."""
    done = sorted(f.latencies)
    rate = len(done) / f.elapsed
    p50, p99 = percentile(done, 0.50) * 1e3, percentile(done, 0.99) * 1e3
    print(f"sqlite: {f.pragmas}")
    print(
        f"service: {len(done):,} messages in {f.elapsed:.2f} s -> {rate:,.0f} messages/s"
        f" (target >= {TARGET_RATE:,}: {verdict(rate >= TARGET_RATE)})"
    )
    print(
        f"service: latency p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {done[-1] * 1e3:.2f} ms"
        f" (target p99 < {TARGET_P99_MS:g} ms: {verdict(p99 < TARGET_P99_MS)})"
    )
    print(
        f"service: {residents:,} residents always waiting: mean latency = residents / rate"
        f" = {residents / rate * 1e3:,.1f} ms (Little's law); {f.restarts:,} restarts"
    )


def pin() -> str:
    """Pin this process (and the threads it starts later) to CPU 0, where possible."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    try:
        os.sched_setaffinity(0, {0})
    except OSError as exc:
        return f"not pinned ({exc})"
    return "pinned to CPU 0 (event loop and SQLite thread share it)"


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=1000, help="residents (default 1000)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per bench (5)")
    parser.add_argument("--messages", type=int, default=0, help="stop the service bench after")
    return parser.parse_args()


def main() -> None:
    """Run both benches and print their figures."""
    args = arguments()
    pinned = pin()
    config = load_config(ROOT / "danvan.yaml", env={}, flows=ROOT / "flows")
    version = sys.version.split()[0]
    print(f"danvan bench: {args.residents:,} residents, Python {version}, {pinned}")
    report_engine(bench_engine(config, args.residents, args.seconds))
    figures = asyncio.run(bench_service(config, args.residents, args.seconds, args.messages))
    report_service(figures, args.residents)


if __name__ == "__main__":
    main()
