"""The turn engine: one incoming message in, the replies out, exactly once per channel update.

An update with a channel id is first stored in the inbox (committed: that is what makes it safe
to acknowledge), then processed in one transaction that claims the inbox row, updates the
person and the conversation, writes whatever the flow writes, and marks the row done with its
replies. A redelivery finds the row and gets the same replies with no second effect; a row left
behind by a crash is processed again by ``replay_abandoned`` and its replies go out as pushes.

A channel that acknowledges only after the answer is committed (Telegram polling confirms its
offset afterwards) skips the first step: ``handle_new`` answers and writes the inbox rows, as
handled, in one transaction; a redelivery among them makes that write fail, and the batch is
done again the long way.

Size (about 450 lines): the two ways in (store-then-process, answer-then-store), retries,
setting aside and replaying share the transaction code and are read together.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import conversations, faq_use, inbox, outbox
from db.conversations import StaleConversation
from db.engine import SessionFactory
from db.models import InboxItem
from handlers import access, texts
from handlers.alerts import alert_admins
from handlers.clock import Clock, format_datetime
from handlers.contract import Incoming, Reply, numbered
from handlers.conversation import history
from handlers.conversation.turn import AssistantSettings, Turn
from handlers.menu import with_menu

log = logging.getLogger(__name__)


def _id(item: InboxItem) -> int:
    assert item.id is not None
    return item.id


MAX_ATTEMPTS = 5


# The router: a turn in, its replies out.
Route = Callable[[Turn], Awaitable[list[Reply]]]


class BatchTaken(Exception):
    """Another worker holds or finished an update of the batch."""


# Replies claimed for the caller to send, or None: processed one by one, queued as pushes.
Handled = list[outbox.Claimed] | None


@dataclass(frozen=True)
class Answered:
    """One update's outcome as its inbox row keeps it."""

    replies: list[dict[str, Any]]
    said: dict[str, Any] | None


class Batch(Protocol):
    """Updates of one channel answered in one transaction: taken at its start, marked
    handled (with their replies) at its end."""

    async def take(self, session: AsyncSession, now: datetime) -> list[Incoming]: ...

    async def finish(
        self, session: AsyncSession, answered: list[Answered], now: datetime
    ) -> None: ...


@dataclass(frozen=True)
class _Stored:
    """Updates already in the inbox: claimed first, so no other worker takes them."""

    updates: list[tuple[Incoming, int]]
    lease: timedelta

    async def take(self, session: AsyncSession, now: datetime) -> list[Incoming]:
        if not await inbox.claim_all(session, self._ids(), now, self.lease):
            raise BatchTaken
        return [incoming for incoming, _ in self.updates]

    async def finish(self, session: AsyncSession, answered: list[Answered], now: datetime) -> None:
        ids = self._ids()
        await inbox.complete_all(
            session,
            {item_id: done.replies for item_id, done in zip(ids, answered, strict=True)},
            now,
            {item_id: done.said for item_id, done in zip(ids, answered, strict=True)},
        )

    def _ids(self) -> list[int]:
        return [item_id for _, item_id in self.updates]


@dataclass(frozen=True)
class _New:
    """Updates not stored yet: written to the inbox at the end, already handled. One that
    was stored before (a redelivery) makes that write fail and the batch fall back."""

    updates: dict[str, Incoming]

    async def take(self, session: AsyncSession, now: datetime) -> list[Incoming]:
        return list(self.updates.values())

    async def finish(self, session: AsyncSession, answered: list[Answered], now: datetime) -> None:
        channel = next(iter(self.updates.values())).channel
        rows = [
            (key, incoming.chat_id, done.replies, done.said)
            for (key, incoming), done in zip(self.updates.items(), answered, strict=True)
        ]
        if len(await inbox.add_done(session, channel, rows, now)) < len(rows):
            raise BatchTaken


# Something the caller wants written in the batch's transaction (the outcomes of the replies
# it sent since the last batch), saving a transaction of its own.
Also = Callable[[AsyncSession], Awaitable[None]]


def _firsts(batch: list[Incoming]) -> dict[str, Incoming]:
    """The batch by update key, in order; a repeated update counts once."""
    firsts: dict[str, Incoming] = {}
    for incoming in batch:
        firsts.setdefault(str(incoming.update_id), incoming)
    return firsts


def _rows(firsts: dict[str, Incoming]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(key, incoming.chat_id, incoming.to_json()) for key, incoming in firsts.items()]


class Engine:
    """Turns run exactly once per channel update: stored, claimed, answered by ``route`` in
    one transaction with the state, the replies and the inbox row; retried, or set aside."""

    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        settings: AssistantSettings,
        route: Route,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._route = route

    @property
    def settings(self) -> AssistantSettings:
        return self._settings

    @property
    def route(self) -> Route:
        return self._route

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        if incoming.update_id is None:
            return await self._process(incoming, None) or []
        item_id, stored = await self.store(incoming)
        if stored is not None:
            return stored
        replies = await self._process(incoming, item_id)
        if replies is None:  # another worker is processing this very update
            return await self._await_replies(incoming)
        return replies

    async def replay_abandoned(self) -> int:
        """Process inbox rows a dead process left behind; their replies go out as pushes."""
        now = self._clock.now()
        async with self._sessions() as session:
            items = await inbox.abandoned(session, now, self._settings.inbox_lease)
        done = 0
        for item in items:
            assert item.id is not None
            try:
                incoming = Incoming.from_json(item.payload or {})
                if await self._attempt(incoming, item.id, push_replies=True) is not None:
                    done += 1
            except Exception as exc:  # one poisoned update must not hold up the others
                await self._failed(item.channel, item.chat_id, item.id, exc, push=True)
        return done

    async def store_many(self, batch: list[Incoming]) -> list[tuple[Incoming, int, bool]]:
        """Record a batch of updates of one channel in the inbox in one transaction, before
        the channel acknowledges them. Returns (update, inbox row id, already handled) for
        each; an update repeated within the batch counts as handled after its first copy."""
        if not batch:
            return []
        firsts = _firsts(batch)
        async with self._sessions() as session, session.begin():
            added = await inbox.add_new(session, batch[0].channel, _rows(firsts), self._clock.now())
            stored = [key for key in firsts if key not in added]
            known = await inbox.find_many(session, batch[0].channel, stored) if stored else {}
        results, seen = [], set()
        for incoming in batch:
            key = str(incoming.update_id)
            if key in added:
                results.append((incoming, added[key], key in seen))
            else:
                item = known[key]
                results.append((incoming, _id(item), key in seen or item.status == inbox.DONE))
            seen.add(key)
        return results

    async def handle_new(
        self, batch: list[Incoming], *, release_held: bool = True, also: Also | None = None
    ) -> Handled:
        """Store and process updates in one transaction: for a channel that confirms updates
        only after this returns (Telegram's polling offset). Updates already handled are
        skipped; see ``handle_batch`` for the rest."""
        if not batch:
            return await self._write_alone(also)
        try:
            return await self._in_batch(_New(_firsts(batch)), release_held, also)
        except Exception as exc:
            log.info("a batch of %d is stored first: %s", len(batch), type(exc).__name__)
        stored = await self.store_many(batch)
        waiting = [(incoming, item_id) for incoming, item_id, done in stored if not done]
        return await self.handle_batch(waiting, release_held=release_held, also=also)

    async def handle_batch(
        self,
        batch: list[tuple[Incoming, int]],
        *,
        release_held: bool = True,
        also: Also | None = None,
    ) -> Handled:
        """Process stored updates of one channel, in order, in one transaction: their replies
        become outbox rows already claimed for the caller to send as soon as this returns.
        If anything fails (another worker holds an update, two first contacts race, a flow
        raises), the batch is undone and each update is processed alone with its replies
        queued as pushes; then None is returned and the caller wakes the deliverer. ``also``
        is written in the batch's transaction, or in one of its own if the batch fails."""
        if not batch:
            return await self._write_alone(also)
        try:
            stored = _Stored(batch, self._settings.inbox_lease)
            return await self._in_batch(stored, release_held, also)
        except Exception as exc:
            log.info("a batch of %d is processed one by one: %s", len(batch), type(exc).__name__)
        await self._write_alone(also)
        for incoming, item_id in batch:
            try:
                await self._process(incoming, item_id, push_replies=True)
            except Exception:  # one bad update must not stop the others; the clock retries
                log.exception("%s update failed", incoming.channel)
        return None

    async def _write_alone(self, also: Also | None) -> list[outbox.Claimed]:
        if also is not None:
            async with self._sessions() as session, session.begin():
                await also(session)
        return []

    async def _in_batch(
        self, updates: Batch, release_held: bool, also: Also | None
    ) -> list[outbox.Claimed]:
        now = self._clock.now()
        claim = (secrets.token_hex(8), now + self._settings.outbox_lease)
        async with self._sessions() as session, session.begin():
            if also is not None:
                await also(session)
            batch = await updates.take(session, now)
            channel = batch[0].channel
            chats = [incoming.chat_id for incoming in batch]
            names = {incoming.user_id: incoming.display_name for incoming in batch}
            actors = await access.actors_for(session, channel, names, now)
            # Pushes held until these people wrote again (Zalo's window) go out now, before
            # this turn's replies (lower ids, same claim).
            released = release_held and await outbox.release_held(
                session, channel, chats, now, claim
            )
            states = await conversations.load_many(session, channel, chats, lock=True)
            answered: list[Answered] = []
            queued: list[tuple[str, str, dict[str, Any]]] = []
            uses = faq_use.Tally()
            for incoming in batch:
                actor = replace(
                    actors[incoming.user_id], private=incoming.private, origin=incoming.origin
                )
                state = states[incoming.chat_id]
                secret = history.secret(state)
                replies = await self._route(
                    Turn(session, state, actor, incoming, now, self._settings, uses)
                )
                said = await history.keep_secret(session, incoming, secret, state)
                if not secret and history.secret(state):
                    # Earlier messages of this chat in the same batch are not stored yet.
                    answered = [
                        Answered(done.replies, {history.SECRET: True})
                        if earlier.chat_id == incoming.chat_id and done.said is not None
                        else done
                        for earlier, done in zip(batch, answered, strict=False)
                    ]
                answered.append(Answered([reply.to_json() for reply in replies], said))
                queued += [(channel, incoming.chat_id, r.to_json()) for r in numbered(replies)]
            await conversations.save_many(session, list(states.values()), now)
            await faq_use.record(session, uses)
            await updates.finish(session, answered, now)
            rows = await outbox.add_claimed(session, queued, now, claim)
            if released:
                rows = await outbox.claimed_by(session, claim[0])
        return rows

    async def store(self, incoming: Incoming) -> tuple[int, list[Reply] | None]:
        """Record an update in the inbox (committed) without processing it. Returns the inbox
        row id, and the stored replies if the update was already handled."""
        now = self._clock.now()
        try:
            async with self._sessions() as session, session.begin():
                item = await self._find_or_add(session, incoming, now)
        except IntegrityError:
            async with self._sessions() as session:
                found = await inbox.find(session, incoming.channel, str(incoming.update_id))
            assert found is not None
            item = found
        if item.status == inbox.DONE:
            return _id(item), [Reply.from_json(reply) for reply in item.replies]
        return _id(item), None

    @staticmethod
    async def _find_or_add(session: AsyncSession, incoming: Incoming, now: datetime) -> InboxItem:
        assert incoming.update_id is not None
        found = await inbox.find(session, incoming.channel, incoming.update_id)
        if found is not None:
            return found
        item = inbox.add(
            session, incoming.channel, incoming.update_id, incoming.chat_id, incoming.to_json(), now
        )
        await session.flush()
        return item

    async def _await_replies(self, incoming: Incoming) -> list[Reply]:
        assert incoming.update_id is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._settings.redelivery_wait_seconds
        while loop.time() < deadline:
            async with self._sessions() as session:
                found = await inbox.find(session, incoming.channel, incoming.update_id)
            if found is not None and found.status == inbox.DONE:
                return [Reply.from_json(item) for item in found.replies]
            await asyncio.sleep(0.05)
        return []

    async def _process(
        self, incoming: Incoming, item_id: int | None, *, push_replies: bool = False
    ) -> list[Reply] | None:
        """The update's replies; None if another worker is processing it; an apology if it
        failed (the failure is counted on its inbox row and the clock tries it again)."""
        try:
            return await self._attempt(incoming, item_id, push_replies)
        except Exception as exc:
            return await self._failed(
                incoming.channel, incoming.chat_id, item_id, exc, push=push_replies
            )

    async def _failed(
        self, channel: str, chat_id: str, item_id: int | None, exc: Exception, *, push: bool
    ) -> list[Reply]:
        """Count a failed update; set it aside (and tell the admins, once an hour at most)
        after ``give_up_after`` failures. The person gets an apology once: in the reply, or
        pushed on the first failure of an update nobody is waiting on."""
        log.error("%s update %s failed: %s", channel, item_id, type(exc).__name__, exc_info=exc)
        apology = with_menu(texts.UPDATE_FAILED)
        if item_id is None:
            return [apology]
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            item = await inbox.record_failure(
                session,
                item_id,
                type(exc).__name__,
                now,
                self._settings.inbox_lease,
                self._settings.give_up_after,
            )
            if item is None:
                return [apology]
            if push and item.attempts == 1:
                await outbox.enqueue(session, channel, chat_id, apology.to_json(), now)
            if item.status == inbox.FAILED:
                alert = texts.UPDATES_SET_ASIDE.format(
                    attempts=item.attempts, when=format_datetime(now), channel=channel
                )
                await alert_admins(session, alert, now, f"inbox-failed:{now:%Y%m%d%H}", avoid="")
        return [apology]

    async def _attempt(
        self, incoming: Incoming, item_id: int | None, push_replies: bool
    ) -> list[Reply] | None:
        for attempt in range(MAX_ATTEMPTS):
            try:
                return await self._process_once(incoming, item_id, push_replies)
            except (StaleConversation, IntegrityError):
                # Two messages of one chat, or two first contacts, raced: replay on fresh state.
                continue
            except OperationalError:
                # SQLite's single writer was busy for longer than busy_timeout: wait, retry.
                await asyncio.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"{incoming.channel} update kept conflicting; giving up")

    async def _process_once(
        self, incoming: Incoming, item_id: int | None, push_replies: bool
    ) -> list[Reply] | None:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            if item_id is not None and not await inbox.claim(
                session, item_id, now, self._settings.inbox_lease
            ):
                return None
            actor = await access.actor_for(
                session,
                incoming.channel,
                incoming.user_id,
                incoming.display_name,
                incoming.private,
                now,
            )
            actor = replace(actor, origin=incoming.origin)
            # Pushes held until this person wrote again (Zalo's window) are due now, before
            # this turn's replies.
            await outbox.release_held(session, incoming.channel, [incoming.chat_id], now)
            state = await conversations.load(session, incoming.channel, incoming.chat_id)
            uses = faq_use.Tally()
            secret = history.secret(state)
            replies = await self._route(
                Turn(session, state, actor, incoming, now, self._settings, uses)
            )
            said = await history.keep_secret(session, incoming, secret, state)
            await conversations.save(session, state, now)
            await faq_use.record(session, uses)
            if item_id is not None:
                await inbox.complete(session, item_id, [r.to_json() for r in replies], now, said)
            if push_replies:
                for reply in numbered(replies):
                    await outbox.enqueue(
                        session, incoming.channel, incoming.chat_id, reply.to_json(), now
                    )
        return replies
