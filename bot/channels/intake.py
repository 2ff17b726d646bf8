"""The inbound half every push-style channel shares: store first, acknowledge, then process.

A channel turns its updates into ``Received`` items and hands them to ``Intake.submit``: they
are stored in the inbox in one transaction (that is what makes acknowledging safe), then
queued. One worker takes everything queued so far and processes it, in order, in one
transaction whose replies become outbox rows already claimed for this process; the delivery
loop sends them as soon as it commits (the clock sends whatever a dead process left). That
they were sent is written by the next batch's transaction, or after a quiet moment by a
transaction of its own. Under load the batches grow, so the database's per-transaction cost
is shared by more updates. Updates already handled are dropped here, so a redelivery does
nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery import Deliverer, Outcome
from db.outbox import Claimed
from handlers.contract import Incoming
from handlers.conversation.assistant import Assistant
from handlers.conversation.engine import Also, Handled

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 20.0
# Sent replies no batch came to record within this long (and as long again) are recorded on
# their own; until then a killed process would send them again.
RECORD_IDLE_SECONDS = 0.1


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
        max_batch: int = 100,
        *,
        holds_pushes: bool = False,
    ) -> None:
        self._name = name
        self._assistant = assistant
        self._deliverer = deliverer
        self._acknowledge = acknowledge
        self._max_batch = max_batch
        # Whether the channel's sender may hold pushes back (Zalo OA's window): then each
        # batch releases what was held for its senders.
        self._holds = holds_pushes
        self._queue: asyncio.Queue[Received] = asyncio.Queue()
        self._claimed: list[Claimed] = []
        # Sent, not yet recorded: the next batch's transaction writes them.
        self._sent: list[Outcome] = []
        self._batches = 0
        self._due = False
        self._outbound = asyncio.Event()
        self._working: asyncio.Task[None] | None = None
        self._delivering: asyncio.Task[None] | None = None
        self._recording: asyncio.Task[None] | None = None
        self._stopped_recording = asyncio.Event()
        self._stopping = False

    def start(self) -> None:
        self._working = asyncio.create_task(self._work())
        self._delivering = asyncio.create_task(self._deliver())
        self._recording = asyncio.create_task(self._record_when_idle())

    async def stop(self) -> None:
        """Finish what was stored, send what it answered; cancel only what hangs."""
        if self._working is not None:
            drained = asyncio.create_task(self._queue.join())
            await asyncio.wait([drained], timeout=STOP_GRACE_SECONDS)
            drained.cancel()
            self._working.cancel()
            await asyncio.gather(self._working, return_exceptions=True)
        if self._delivering is not None:
            self._stopping = True
            self._outbound.set()
            await asyncio.wait([self._delivering], timeout=STOP_GRACE_SECONDS)
            self._delivering.cancel()
            await asyncio.gather(self._delivering, return_exceptions=True)
        if self._recording is not None:
            # Not cancelled: it may be inside a transaction.
            self._stopped_recording.set()
            await asyncio.gather(self._recording, return_exceptions=True)
        await self._record_sent()

    async def submit(self, received: Sequence[Received]) -> None:
        """Store the batch (committed when this returns), then queue it for processing."""
        for item in await self.store(received):
            self._queue.put_nowait(item)

    async def store(self, received: Sequence[Received]) -> list[Received]:
        if not received:
            return []
        stored = await self._assistant.store_many([r.incoming for r in received])
        return [
            replace(r, inbox_id=item_id)
            for r, (_, item_id, done) in zip(received, stored, strict=True)
            if not done
        ]

    async def _work(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._handle(batch)
            except Exception:  # logged; the clock replays what was left unprocessed
                log.exception("%s batch failed", self._name)
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def handle_now(self, received: Sequence[Received]) -> None:
        """Store and process a batch in one transaction, committed when this returns: for a
        channel that confirms updates only afterwards (Telegram's polling offset)."""
        if not received:
            return
        await self._acknowledge_all(received)
        incoming = [r.incoming for r in received]
        with self._recorded_by_batch() as also:
            handled = await self._assistant.handle_new(
                incoming, release_held=self._holds, also=also
            )
        self._queue_sends(handled)

    async def _handle(self, batch: list[Received]) -> None:
        await self._acknowledge_all(batch)
        items = []
        for received in batch:
            assert received.inbox_id is not None
            items.append((received.incoming, received.inbox_id))
        with self._recorded_by_batch() as also:
            handled = await self._assistant.handle_batch(items, release_held=self._holds, also=also)
        self._queue_sends(handled)

    @contextmanager
    def _recorded_by_batch(self) -> Iterator[Also | None]:
        """The sent outcomes waiting so far, for the batch's transaction to write; kept
        waiting if the batch fails altogether."""
        self._batches += 1
        sent, self._sent = self._sent, []
        deliverer = self._deliverer

        async def record(session: AsyncSession) -> None:
            await deliverer.record_in(session, sent)

        try:
            yield record if sent else None
        except BaseException:
            self._sent[:0] = sent
            raise

    async def _record_when_idle(self) -> None:
        seen = -1
        while not self._stopped_recording.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stopped_recording.wait(), RECORD_IDLE_SECONDS)
            if self._batches == seen:
                await self._record_sent()
            seen = self._batches

    async def _record_sent(self) -> None:
        sent, self._sent = self._sent, []
        try:
            await self._deliverer.record(sent)
        except Exception:  # logged; kept for the next batch or the next quiet moment
            log.exception("%s: recording sent replies failed", self._name)
            self._sent[:0] = sent

    async def _acknowledge_all(self, batch: Sequence[Received]) -> None:
        if self._acknowledge is not None:
            acknowledge = self._acknowledge
            await asyncio.gather(*(acknowledge(r.ack_id) for r in batch if r.ack_id is not None))

    def _queue_sends(self, rows: Handled) -> None:
        if rows is None:  # processed one by one, replies queued as pushes
            self._due = True
        else:
            self._claimed.extend(rows)
        self._outbound.set()

    async def _deliver(self) -> None:
        """Send replies as soon as they are committed."""
        while True:
            await self._outbound.wait()
            self._outbound.clear()
            try:
                # Pushes queued by a batch that fell back were committed before the replies
                # claimed since: sent first, each chat keeps its order.
                if self._due:
                    self._due = False
                    await self._deliverer.deliver_due()
                claimed, self._claimed = self._claimed, []
                sent = await self._deliverer.send_deferring(claimed)
                # Not `self._sent += await ...`: a batch may take the list while this sends.
                self._sent += sent
            except Exception:  # logged; the clock sends them when the claim runs out
                log.exception("%s delivery failed", self._name)
            if self._stopping and not self._claimed:
                return
