"""One delivery path for every push: outbox rows, claimed and sent by channel senders.

A push is written to the outbox in the sender's transaction (``OutboxNotifier``), so it
survives a crash. ``Deliverer.deliver_once`` claims due rows, paces each channel, and records
the outcome: sent; retried later with exponential backoff, or after the channel's own
"retry after"; or marked unreachable when the person blocked the assistant. Delivery is
at-least-once: a process killed between sending and recording sends that row again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox, web_sessions
from db.engine import SessionFactory
from db.models import Identity
from db.outbox import Claimed
from handlers.clock import Clock
from handlers.contract import Reply
from handlers.held_pushes import hold_or_reroute

log = logging.getLogger(__name__)


class RetryAfter(Exception):
    """The channel asked us to wait (Telegram 429, Zalo -32) before sending again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


# A web chat is read only while its page is open: no good for a push that must reach someone.
NOT_PUSHED = frozenset({"web"})


class Unreachable(Exception):
    """The person blocked the assistant or left the channel; retrying will not help."""


class OutsideWindow(Exception):
    """The channel only delivers within a window after the person's last message (Zalo OA: 7
    days, given as ``days`` so the person is told the channel's own rule). The push goes
    through another linked channel, or waits until the person writes."""

    def __init__(self, message: str = "", days: int | None = None) -> None:
        super().__init__(message)
        self.days = days


class ChannelSender(Protocol):
    async def send(self, chat_id: str, reply: Reply) -> None: ...


@dataclass(frozen=True)
class Pace:
    """Minimum seconds between two messages: on the whole channel, to one private chat, and to
    one group chat (Telegram group ids are negative)."""

    overall: float = 0.0
    per_chat: float = 0.0
    per_group: float = 0.0


class Pacer:
    """Spaces sends out so a channel's flood limits are never hit in the first place.

    Each send reserves its slot under a lock and sleeps outside it, so a chat waiting for its
    per-chat gap does not hold up messages to other chats.
    """

    def __init__(self, pace: Pace) -> None:
        self._pace = pace
        self._next_overall = 0.0
        self._next_chat: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: str) -> None:
        gap = self._pace.per_group if chat_id.startswith("-") else self._pace.per_chat
        async with self._lock:
            now = time.monotonic()
            overall_slot = max(now, self._next_overall)
            slot = max(overall_slot, self._next_chat.get(chat_id, 0.0))
            self._next_overall = overall_slot + self._pace.overall
            self._next_chat[chat_id] = slot + gap
        if slot > now:
            await asyncio.sleep(slot - now)


@dataclass(frozen=True)
class Outcome:
    row: Claimed
    status: str
    available_at: datetime | None = None
    error: str | None = None
    # For a push refused outside the channel's window: how many days the window is.
    window_days: int | None = None


class OutboxNotifier:
    """``Notifier`` for the core: a push is an outbox row first."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def notify(
        self, channel: str, chat_id: str, reply: Reply, dedupe_key: str | None = None
    ) -> bool:
        async with self._sessions() as session, session.begin():
            return await outbox.enqueue(
                session, channel, chat_id, reply.to_json(), self._clock.now(), dedupe_key
            )


class WebSender:
    """The web chat has no push channel: messages wait for the page's next poll."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def send(self, chat_id: str, reply: Reply) -> None:
        async with self._sessions() as session, session.begin():
            web_sessions.push(session, chat_id, reply.to_json(), self._clock.now())


class Deliverer:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        senders: Mapping[str, ChannelSender],
        paces: Mapping[str, Pace] | None = None,
        *,
        lease: timedelta = timedelta(seconds=60),
        batch: int = 50,
        max_attempts: int = 8,
        backoff: timedelta = timedelta(seconds=5),
        on_outcome: Callable[[str, str], None] | None = None,
        late_after: timedelta = timedelta(minutes=5),
        record_every: int = 10,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._senders = dict(senders)
        self._pacers = {name: Pacer((paces or {}).get(name, Pace())) for name in senders}
        self._lease = lease
        self._batch = batch
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._on_outcome = on_outcome
        self._late_after = late_after
        self._record_every = record_every

    def add_senders(self, senders: Mapping[str, ChannelSender], paces: Mapping[str, Pace]) -> None:
        for name, sender in senders.items():
            if name not in self._senders:
                self._senders[name] = sender
                self._pacers[name] = Pacer(paces.get(name, Pace()))

    async def deliver_due(self, max_batches: int = 20) -> int:
        """Send batches until nothing is due (or ``max_batches``); returns how many were sent."""
        sent = 0
        for _ in range(max_batches):
            claimed, delivered = await self._deliver_batch()
            sent += delivered
            if claimed == 0:
                break
        return sent

    async def deliver_once(self) -> int:
        """Claim and send one batch of due rows; returns how many were sent."""
        return (await self._deliver_batch())[1]

    async def _deliver_batch(self) -> tuple[int, int]:
        async with self._sessions() as session, session.begin():
            rows = await outbox.claim(session, self._clock.now(), self._lease, self._batch)
        return len(rows), await self.send_claimed(rows)

    async def send_claimed(self, rows: Sequence[Claimed]) -> int:
        """Send rows this process holds the claim on and record the outcomes; returns how
        many were sent. Different chats are sent in parallel (the pacer spaces them), one
        chat's rows in order."""
        return len(await self._send_all(rows, defer_sent=False))

    async def send_deferring(self, rows: Sequence[Claimed]) -> list[Outcome]:
        """``send_claimed``, except that the sent outcomes are returned unrecorded, for the
        caller to record in a transaction it runs anyway (``record_in``) or with ``record``.
        Other outcomes (retry, unreachable, held) are recorded as they come."""
        return await self._send_all(rows, defer_sent=True)

    async def _send_all(self, rows: Sequence[Claimed], *, defer_sent: bool) -> list[Outcome]:
        if not rows:
            return []
        by_chat: dict[tuple[str, str], list[Claimed]] = defaultdict(list)
        for row in rows:
            by_chat[(row.channel, row.chat_id)].append(row)
        sent: list[Outcome] = []
        unrecorded: list[Outcome] = []
        recording = asyncio.Lock()

        async def record(everything: bool) -> None:
            # Outcomes are written every few sends, not once per batch: a process killed in the
            # middle of a fan-out has at most that many sent-but-unrecorded pushes to repeat.
            async with recording:
                while unrecorded and (everything or len(unrecorded) >= self._record_every):
                    chunk = unrecorded[: self._record_every]
                    del unrecorded[: len(chunk)]
                    await self.record(chunk)

        async def send_chat(chat_rows: list[Claimed]) -> None:
            for row in chat_rows:
                outcome = await self._send(row)
                if outcome.status == outbox.SENT:
                    sent.append(outcome)
                    if defer_sent:
                        continue
                unrecorded.append(outcome)
                if len(unrecorded) >= self._record_every:
                    await record(everything=False)

        await asyncio.gather(*(send_chat(chat_rows) for chat_rows in by_chat.values()))
        await record(everything=True)
        return sent

    async def _send(self, row: Claimed) -> Outcome:
        sender = self._senders.get(row.channel)
        if sender is None:
            return Outcome(row, outbox.FAILED, error=f"no sender for channel {row.channel}")
        try:
            await self._pacers[row.channel].wait(row.chat_id)
            await sender.send(row.chat_id, Reply.from_json(row.reply))
        except RetryAfter as wait:
            later = self._clock.now() + timedelta(seconds=wait.seconds)
            return Outcome(row, outbox.PENDING, available_at=later, error=str(wait))
        except Unreachable as gone:
            return Outcome(row, outbox.UNREACHABLE, error=str(gone) or "unreachable")
        except OutsideWindow as closed:
            error = str(closed) or "outside the channel's window"
            return Outcome(row, outbox.HELD, error=error, window_days=closed.days)
        except Exception as exc:  # any other failure: back off and try again later
            log.warning(
                "send failed on %s (attempt %d): %s", row.channel, row.attempts, type(exc).__name__
            )
            error = f"{type(exc).__name__}: {exc}"[:500]
            if row.attempts >= self._max_attempts:
                return Outcome(row, outbox.FAILED, error=error)
            later = self._clock.now() + self._backoff * 2 ** (row.attempts - 1)
            return Outcome(row, outbox.PENDING, available_at=later, error=error)
        return Outcome(row, outbox.SENT)

    async def record(self, outcomes: Sequence[Outcome]) -> None:
        """Several outcomes in one transaction."""
        if not outcomes:
            return
        async with self._sessions() as session, session.begin():
            await self.record_in(session, outcomes)

    async def record_in(self, session: AsyncSession, outcomes: Sequence[Outcome]) -> None:
        """Record outcomes in the caller's transaction. (Counted in the metrics here: a
        transaction rolled back and recorded again counts them twice.)"""
        now = self._clock.now()
        # The common case, sent, is one statement per claim (and lateness).
        sent: dict[tuple[str, bool], list[int]] = defaultdict(list)
        for outcome in outcomes:
            row = outcome.row
            if outcome.status == outbox.SENT:
                late = now - row.available_at > self._late_after
                sent[(row.claim_token, late)].append(row.id)
                continue
            status = outcome.status
            if status == outbox.HELD:
                pushable = [c for c in self._senders if c not in NOT_PUSHED]
                status = await hold_or_reroute(session, row, now, pushable, outcome.window_days)
            await outbox.finish(
                session,
                row.id,
                row.claim_token,
                status,
                available_at=outcome.available_at,
                error=outcome.error,
            )
            if outcome.status == outbox.UNREACHABLE:
                await session.exec(
                    update(Identity)
                    .where(
                        col(Identity.channel) == row.channel,
                        col(Identity.external_id) == row.chat_id,
                    )
                    .values(unreachable_at=now)
                    .execution_options(synchronize_session=False)
                )
        for (token, late), row_ids in sent.items():
            await outbox.finish_sent(session, row_ids, token, now, late=late)
        if self._on_outcome is not None:
            for outcome in outcomes:
                self._on_outcome(outcome.row.channel, outcome.status)
