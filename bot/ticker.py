"""Work that falls due with time (reminders, scheduled broadcasts), run every few seconds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

log = logging.getLogger(__name__)
Job = Callable[[datetime], Awaitable[None]]
EVERY = 5.0  # seconds between two looks at what is due


class Ticker:
    """Runs each job with the time now, every `every` seconds, in `danvan run`.

    Jobs read what is due from the database, so nothing is lost across a restart: a job must
    do each piece of work once (mark it done in the same transaction that queues its messages).
    A job that fails is logged (its error's type, never its data) and tried at the next tick.
    """

    def __init__(self, clock: Callable[[], datetime], every: float = EVERY) -> None:
        self.clock = clock
        self.every = every
        self._jobs: list[tuple[str, Job]] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, name: str, job: Job) -> None:
        """Run `job` at every tick from now on."""
        self._jobs.append((name, job))

    def start(self) -> None:
        """Start ticking in the background."""
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop ticking; a tick under way is cancelled (its work is done again next start)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def tick(self) -> None:
        """Run every job once, now."""
        now = self.clock()
        for name, job in self._jobs:
            try:
                await job(now)
            except Exception as exc:
                log.error("%s failed (%s); tried again at the next tick", name, type(exc).__name__)

    async def _loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.every)
