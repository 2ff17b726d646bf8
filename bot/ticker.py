"""The clock: APScheduler only ticks; what is due lives in database rows.

Each tick replays inbox rows a dead process left behind, delivers due outbox rows and deletes
what is past its retention period. Work that
fell due while nothing ran is simply due at the first tick after start. Several clock processes
may tick at once: rows are claimed atomically, so none is handled twice. Each job runs on its
own: one that fails is logged and the others still run, this tick and the next.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Deliverer
from bot.retention import Retention
from handlers.clock import VN_TZ
from handlers.conversation.assistant import Assistant

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 20.0


@dataclass(frozen=True)
class TickReport:
    replayed: int
    sent: int
    # Names of the jobs that raised this tick.
    failed: tuple[str, ...] = ()


def at_most_every(
    seconds: float, job: Callable[[], Awaitable[object]]
) -> Callable[[], Awaitable[object]]:
    """A job for work that need not run on every tick (rolling a calendar window forward)."""
    last: float | None = None

    async def run() -> object:
        nonlocal last
        now = time.monotonic()
        if last is not None and now - last < seconds:
            return None
        last = now
        return await job()

    return run


class Ticker:
    def __init__(
        self,
        assistant: Assistant,
        deliverer: Deliverer,
        retention: Retention,
        interval: float,
        jobs: Sequence[Callable[[], Awaitable[object]]] = (),
    ) -> None:
        self._jobs = list(jobs)
        self._assistant = assistant
        self._deliverer = deliverer
        self._retention = retention
        self._interval = interval
        self._scheduler: AsyncIOScheduler | None = None
        self._running: asyncio.Task[object] | None = None

    def add_job(self, job: Callable[[], Awaitable[object]]) -> None:
        self._jobs.append(job)

    async def tick(self) -> TickReport:
        failed: list[str] = []

        async def run(name: str, job: Callable[[], Awaitable[object]]) -> object:
            try:
                return await job()
            except Exception:
                log.exception("clock job %s failed", name)
                failed.append(name)
                return None

        # Jobs first (they may queue pushes, e.g. sessions generated from schedules).
        for number, job in enumerate(self._jobs, 1):
            await run(f"{number}:{getattr(job, '__qualname__', 'job')}", job)
        replayed = await run("replay", self._assistant.replay_abandoned)
        sent = await run("deliver", self._deliverer.deliver_due)
        await run("retention", self._retention.purge)
        replayed = replayed if isinstance(replayed, int) else 0
        sent = sent if isinstance(sent, int) else 0
        if replayed or sent:
            # DEBUG: with pushes going out, INFO would be a line every tick.
            log.debug("tick: %d updates replayed, %d pushes sent", replayed, sent)
        return TickReport(replayed, sent, tuple(failed))

    async def _safe_tick(self) -> None:
        self._running = asyncio.current_task()
        try:
            await self.tick()
        except Exception:  # jobs are isolated in tick(); this is the last guard
            log.exception("tick failed")
        finally:
            self._running = None

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=VN_TZ)
        scheduler.add_job(
            self._safe_tick,
            "interval",
            seconds=self._interval,
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        """Stop ticking and let a tick in progress finish (cancelling one in the middle of a
        database call would leave its connection half closed)."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        running = self._running
        if running is not None and not running.done():
            await asyncio.wait([running], timeout=STOP_GRACE_SECONDS)
