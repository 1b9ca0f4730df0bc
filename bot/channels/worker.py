"""Sends a channel's outbox: in order per chat, within the messenger's limits, retrying safely."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

from bot.channels.delivery import Rejected, RetryLater, Sender, Unreachable
from bot.channels.ratelimit import Limits, TokenBucket
from bot.store import outbox
from bot.store.db import Database
from bot.store.pressure import store_trouble
from bot.store.writes import Delivery

log = logging.getLogger(__name__)
BACKOFF_MAX = 60.0
STOP_GRACE = 10.0


class OutboxWorker:
    """One per channel. A chat's messages go one at a time, in order; chats go in parallel.

    A 429 pauses every send for the time the messenger asks; a 5xx or a timeout retries that
    chat with backoff; a blocked resident is marked unreachable and their queue dropped; a
    refused message is marked failed. Each part of a message is recorded once sent, so a retry
    or a restart never sends a part twice.
    """

    def __init__(
        self,
        db: Database,
        channel: str,
        sender: Sender,
        limits: Limits,
        now: Callable[[], str],
    ) -> None:
        self.db = db
        self.channel = channel
        self.sender = sender
        self.limits = limits
        self.now = now
        self._queues: OrderedDict[str, deque[Delivery]] = OrderedDict()
        self._parts: dict[int, int] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._overall = limits.overall()
        self._window = limits.window()
        self._cost: dict[int, int] = {}  # calls each queued message takes
        self._not_before: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self._paused_until = 0.0
        self._busy: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Queue what an earlier run left unsent, then start sending."""
        self.add(await outbox.unsent(self.db, self.channel))
        self._loop_task = asyncio.create_task(self._loop())

    def add(self, deliveries: Iterable[Delivery]) -> None:
        """Queue messages the conversation decided to send."""
        for delivery in deliveries:
            self._queues.setdefault(delivery.external_id, deque()).append(delivery)
            self._parts[delivery.id] = delivery.parts_sent
            self._cost[delivery.id] = max(1, self.sender.parts(delivery) - delivery.parts_sent)
        self._wake.set()

    @property
    def pending(self) -> int:
        """Messages queued or being sent."""
        return sum(len(q) for q in self._queues.values())

    async def stop(self) -> None:
        """Stop taking new sends, let those under way finish; the rest stay in the outbox."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            await self._loop_task
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=STOP_GRACE)

    async def drained(self) -> None:
        """Wait until nothing is queued or under way."""
        while self.pending or self._tasks:
            await asyncio.sleep(0.01)

    # --- choosing what to send next --------------------------------------------------------

    async def _loop(self) -> None:
        while not self._stopping:
            now = time.monotonic()
            chat, wait = self._next_chat(now)
            cost = self._cost.get(self._queues[chat][0].id, 1) if chat is not None else 1
            overall = max(self._overall.wait(now, cost), self._window.wait(now, cost))
            wait = max(wait, overall, self._paused_until - now)
            if wait > 0:
                await self._sleep(wait)
                continue
            if chat is None or len(self._tasks) >= self.limits.in_flight:
                await self._sleep(None)  # until a message is added or a send ends
                continue
            self._overall.take(now, cost)
            self._window.take(now, cost)
            self._bucket(chat).take(now, cost)
            self._busy.add(chat)
            self._queues.move_to_end(chat)
            task = asyncio.create_task(self._send_head(chat))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _next_chat(self, now: float) -> tuple[str | None, float]:
        """The first chat that may send a reply now, else the first that may send a broadcast
        message now, else None and how long until one may."""
        soonest = float("inf")
        bulk: str | None = None
        for chat, queue in self._queues.items():
            if not queue or chat in self._busy:
                continue
            cost = self._cost.get(queue[0].id, 1)
            wait = max(self._bucket(chat).wait(now, cost), self._not_before.get(chat, 0.0) - now)
            if wait > 0:
                soonest = min(soonest, wait)
            elif not queue[0].bulk:
                return chat, 0.0
            elif bulk is None:
                bulk = chat
        if bulk is not None:
            return bulk, 0.0
        return None, (soonest if soonest != float("inf") else 0.0)

    def _bucket(self, chat: str) -> TokenBucket:
        bucket = self._buckets.get(chat)
        if bucket is None:
            bucket = self._buckets[chat] = self.limits.chat()
        return bucket

    async def _sleep(self, seconds: float | None) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    # --- sending ---------------------------------------------------------------------------

    async def _send_head(self, chat: str) -> None:
        delivery = self._queues[chat][0]
        try:
            if not await outbox.waiting(self.db, delivery.id):
                self._done(chat, delivery)  # deleted meanwhile (the resident was forgotten)
                return
            await self._send(delivery)
            await outbox.mark_sent(self.db, delivery.id, self.now())
            self._done(chat, delivery)
        except RetryLater as exc:
            self._retry(chat, exc)
        except Unreachable as exc:
            await self._unreachable(chat, str(exc))
        except Rejected as exc:
            log.warning("message %s refused by %s: %s", delivery.id, self.channel, exc)
            await outbox.mark_failed(self.db, delivery.id, str(exc), self.now())
            self._done(chat, delivery)
        except Exception as exc:
            if store_trouble(exc) is not None:  # sent, not yet recorded: recorded on the retry
                self._retry(chat, RetryLater(2.0, "the database cannot write"))
                return
            log.exception("sending message %s on %s failed; will retry", delivery.id, self.channel)
            self._retry(chat, RetryLater(1.0, "unexpected error"))
        finally:
            self._busy.discard(chat)
            self._wake.set()

    async def _send(self, delivery: Delivery) -> None:
        async def part_sent(parts: int) -> None:
            self._parts[delivery.id] = parts
            await outbox.mark_part_sent(self.db, delivery.id, parts)

        await self.sender.send(delivery, self._parts.get(delivery.id, 0), part_sent)

    def _done(self, chat: str, delivery: Delivery) -> None:
        queue = self._queues[chat]
        queue.popleft()
        self._parts.pop(delivery.id, None)
        self._cost.pop(delivery.id, None)
        self._failures.pop(chat, None)
        self._not_before.pop(chat, None)
        if not queue:
            del self._queues[chat]

    def _retry(self, chat: str, exc: RetryLater) -> None:
        failures = self._failures.get(chat, 0) + 1
        self._failures[chat] = failures
        log.info("%s: %s; retrying in %.1f s", self.channel, exc.reason, exc.after)
        if exc.everyone:
            self._paused_until = time.monotonic() + exc.after
            return
        backoff = min(BACKOFF_MAX, max(exc.after, 0.5 * 2 ** (failures - 1)))
        self._not_before[chat] = time.monotonic() + backoff

    async def _unreachable(self, chat: str, why: str) -> None:
        log.info(
            "%s: a resident cannot be reached (%s); their messages are dropped", self.channel, why
        )
        now = self.now()
        await outbox.mark_unreachable(self.db, self.channel, chat, now)
        for delivery in self._queues.pop(chat, deque()):
            await outbox.mark_failed(self.db, delivery.id, "unreachable", now)
            self._parts.pop(delivery.id, None)
            self._cost.pop(delivery.id, None)
