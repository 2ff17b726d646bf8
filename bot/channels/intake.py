"""The inbound half every push-style channel shares: store first, acknowledge, then process.

A channel turns its updates into ``Received`` items and hands them to ``Intake.submit``: they
are stored in the inbox in one transaction (that is what makes acknowledging safe), then
processed per chat in order, different chats in parallel; the replies become outbox rows in
the processing transaction and are sent at once by the delivery loop (the clock also sends
what is left). Updates already handled are dropped here, so a redelivery does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.delivery import Deliverer
from handlers.assistant import Assistant
from handlers.contract import Incoming

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 20.0


@dataclass(frozen=True)
class Received:
    incoming: Incoming
    # Something the channel must acknowledge before answering (a Telegram button press).
    ack_id: str | None = None
    inbox_id: int | None = None


class Intake:
    def __init__(
        self,
        name: str,
        assistant: Assistant,
        deliverer: Deliverer,
        acknowledge: Callable[[str], Awaitable[None]] | None = None,
        concurrency: int = 16,
    ) -> None:
        self._name = name
        self._assistant = assistant
        self._deliverer = deliverer
        self._acknowledge = acknowledge
        self._tasks: set[asyncio.Task[None]] = set()
        self._outbound = asyncio.Event()
        self._delivering: asyncio.Task[None] | None = None
        self._stopping = False
        # Enough to overlap network and database waits; more only queues on the database.
        self._concurrency = asyncio.Semaphore(concurrency)

    def start(self) -> None:
        self._delivering = asyncio.create_task(self._deliver())

    async def stop(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._delivering is not None:
            # Let a batch being sent record its outcomes; cancel only if it hangs.
            self._stopping = True
            self._outbound.set()
            await asyncio.wait([self._delivering], timeout=STOP_GRACE_SECONDS)
            self._delivering.cancel()
            await asyncio.gather(self._delivering, return_exceptions=True)

    async def submit(self, received: Sequence[Received]) -> None:
        """Store the batch (committed when this returns), then process it in the background."""
        stored = await self.store(received)
        if stored:
            self._spawn(self._process(stored))

    async def store(self, received: Sequence[Received]) -> list[Received]:
        if not received:
            return []
        stored = await self._assistant.store_many([r.incoming for r in received])
        return [
            replace(r, inbox_id=item_id)
            for r, (_, item_id, done) in zip(received, stored, strict=True)
            if not done
        ]

    def wake_delivery(self) -> None:
        self._outbound.set()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, received: list[Received]) -> None:
        by_chat: dict[str, list[Received]] = defaultdict(list)
        for item in received:
            by_chat[item.incoming.chat_id].append(item)
        await asyncio.gather(*(self._chat(items) for items in by_chat.values()))

    async def _chat(self, items: list[Received]) -> None:
        async with self._concurrency:
            for item in items:
                try:
                    await self._handle(item)
                except Exception:  # one bad update must not stop the others; the clock retries
                    log.exception("%s update failed", self._name)

    async def _handle(self, received: Received) -> None:
        if received.ack_id is not None and self._acknowledge is not None:
            await self._acknowledge(received.ack_id)
        assert received.inbox_id is not None
        # The replies become outbox rows in the same transaction that marks the update done.
        await self._assistant.handle_stored(received.incoming, received.inbox_id)
        self._outbound.set()

    async def _deliver(self) -> None:
        """Send replies as soon as they are queued."""
        while not self._stopping:
            await self._outbound.wait()
            self._outbound.clear()
            if self._stopping:
                return
            try:
                await self._deliverer.deliver_due()
            except Exception:  # logged; the next signal or the clock tries again
                log.exception("%s delivery failed", self._name)
