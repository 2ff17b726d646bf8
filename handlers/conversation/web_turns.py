"""Web chat turns answered in group transactions.

The page waits for its answer (the HTTP response is the acknowledgement), so a web turn needs
no inbox row before it is answered: if the process dies first, nothing was committed and the
page sends the same client message id again. A turn is answered, and its inbox row written
as handled, in one transaction; turns that arrive while one is being written wait and go
together in the next (a group commit), so at load a turn shares its BEGIN, COMMIT and
statements with the others: the session, the person and the roles of every cookie in one
statement, the conversations in one, and one statement each for the new states, the inbox
rows and the FAQ counters.

Pushes are never held for the web (its sender has no delivery window), so unlike
``Engine`` a web group releases none.

A turn that cannot go with its group takes the long way alone (``Engine.dispatch``) and the
rest of the group is written again without it: a client id stored before (the long way
answers a retry with the stored replies), a flow that raises (the apology and the retry
counter). The same client id twice in one group is answered once, and both requests get that
answer. Anything else unusual (two first contacts of one chat racing) sends the whole group
the long way.

A message without a cookie starts a session of its own, even when its client id was seen
before: client ids are chosen by the page and easy to guess, so they are matched only within
the session whose cookie came with them, and never give anyone else's replies. The page has
the cookie after its first answer, so only a first message can come again without one (its
answer was lost before the cookie arrived); a first message changes nothing outside its own
session, and the session it made is left unused.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import conversations, faq_use, inbox, people, web_sessions
from db.engine import SessionFactory
from db.web_sessions import CHANNEL
from handlers.access import Actor
from handlers.clock import Clock
from handlers.contract import Incoming, Reply
from handlers.conversation import history
from handlers.conversation.engine import Route
from handlers.conversation.turn import AssistantSettings, Turn

log = logging.getLogger(__name__)

# A session or identity seen less than this long ago is not written again: "last seen" only
# drives retention (days) and needs no per-message precision.
TOUCH_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Asked:
    """One POST: the session its cookie names (a hash, or None), the hash a new session would
    get, and the message, as an Incoming whose chat and user are filled in once the session
    is known."""

    cookie_hash: str | None
    fresh_hash: str
    client_id: str | None
    message: Incoming


@dataclass(frozen=True)
class Answer:
    replies: list[Reply]
    session_hash: str
    # True when the session was created by this turn (the caller sets the cookie).
    created: bool


def update_key(session_hash: str, client_id: str | None) -> str | None:
    # Client ids are only unique per browser, so the key is scoped to the session.
    return f"{session_hash[:32]}:{client_id}" if client_id else None


# A group is written at most this many times, each without the turns that could not go with it.
MOST_TRIES = 4


class _TurnFailed(Exception):
    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


class WebTurns:
    """Group commit for turns whose sender waits for the answer. ``parallel`` groups may be
    written at once (1 on SQLite: it has one writer)."""

    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        settings: AssistantSettings,
        route: Route,
        *,
        parallel: int = 1,
        most: int = 64,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._settings = settings
        self._route = route
        self._parallel = parallel
        self._most = most
        self._waiting: list[tuple[Asked, asyncio.Future[Answer | None]]] = []
        self._running = 0
        # The loop keeps only weak references to tasks: these are ours until they end.
        self._tasks: set[asyncio.Task[None]] = set()

    async def answer(self, asked: Asked) -> Answer | None:
        """The turn's answer, or None if it must be answered alone (the caller's long way)."""
        future: asyncio.Future[Answer | None] = asyncio.get_running_loop().create_future()
        self._waiting.append((asked, future))
        if self._running < self._parallel:
            self._running += 1
            task = asyncio.get_running_loop().create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            # One turn of the event loop first: requests already read reach the queue and
            # join this group rather than wait for the next.
            await asyncio.sleep(0)
            while self._waiting:
                group, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
                try:
                    await self._write(group)
                finally:
                    # Even when cancelled (shutdown), nobody is left waiting.
                    for _, future in group:
                        if not future.done():
                            future.set_result(None)
        finally:
            self._running -= 1

    async def _write(self, group: list[tuple[Asked, asyncio.Future[Answer | None]]]) -> None:
        """Answer the group together; a turn that cannot go with it is left to the long way
        (its future stays unset) and the others are written again without it."""
        group = list(group)  # the caller's list stays whole: it answers what is left unset
        for _ in range(MOST_TRIES):
            if not group:
                return
            try:
                answers = await self._together([asked for asked, _ in group])
            except _TurnFailed as failed:
                log.info("a web turn raised in a group of %d: %s", len(group), failed.reason)
                del group[failed.index]
                continue
            except IntegrityError:
                stored = await self._stored([asked for asked, _ in group])
                if not stored:  # not a retry: each turn of the group alone
                    log.info("a web group of %d falls back: IntegrityError", len(group))
                    return
                group = [turn for n, turn in enumerate(group) if n not in stored]
                continue
            except Exception as exc:  # anything else: each turn of the group alone
                log.info("a web group of %d falls back: %s", len(group), type(exc).__name__)
                return
            for (_, future), answer in zip(group, answers, strict=True):
                if not future.done():
                    future.set_result(answer)
            return

    async def _stored(self, group: list[Asked]) -> set[int]:
        """The turns of the group whose client id is stored already (retries)."""
        keys = {
            n: f"{asked.cookie_hash[:32]}:{asked.client_id}"
            for n, asked in enumerate(group)
            if asked.cookie_hash and asked.client_id
        }
        async with self._sessions() as session:
            found = await inbox.find_many(session, CHANNEL, list(keys.values()))
        return {n for n, key in keys.items() if key in found}

    async def _together(self, group: list[Asked]) -> list[Answer | None]:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            known = await web_sessions.resolve(
                session, [asked.cookie_hash for asked in group if asked.cookie_hash]
            )
            chosen = [
                (asked.cookie_hash, False)
                if asked.cookie_hash and asked.cookie_hash in known
                else (asked.fresh_hash, True)
                for asked in group
            ]
            fresh = [token_hash for token_hash, created in chosen if created]
            if fresh:
                await web_sessions.create_many(session, fresh, now)
            stale = [h for h, seen in known.items() if seen.last_seen_at < now - TOUCH_EVERY]
            if stale:
                await web_sessions.touch_many(session, stale, now)
            actors = await _actors(session, known, [h for h, _ in chosen], now)
            states = await conversations.load_many(
                session, CHANNEL, [h for h, _ in chosen], lock=True
            )
            uses = faq_use.Tally()
            answers: list[Answer | None] = []
            done: list[tuple[str, str, list[dict[str, Any]], dict[str, Any] | None]] = []
            # The same client id twice in the group (the page sent again before its answer
            # came): answered once, both requests get that answer.
            answered: dict[str, Answer] = {}
            for n, (asked, (token_hash, created)) in enumerate(zip(group, chosen, strict=True)):
                key = update_key(token_hash, asked.client_id)
                if key is not None and key in answered:
                    answers.append(answered[key])
                    continue
                incoming = replace(
                    asked.message, chat_id=token_hash, user_id=token_hash, update_id=key
                )
                actor = replace(actors[token_hash], private=True, origin=incoming.origin)
                state = states[token_hash]
                secret = history.secret(state)
                try:
                    replies = await self._route(
                        Turn(session, state, actor, incoming, now, self._settings, uses)
                    )
                except Exception as exc:  # this turn alone, the long way; the others again
                    raise _TurnFailed(n, type(exc).__name__) from exc
                said = await history.keep_secret(session, incoming, secret, state)
                if not secret and history.secret(state):
                    # This chat's earlier turns in the group are not stored yet.
                    hidden = {history.SECRET: True}
                    done = [
                        (k, chat, replies_, hidden if chat == token_hash and kept else kept)
                        for k, chat, replies_, kept in done
                    ]
                if key is not None:
                    done.append((key, token_hash, [reply.to_json() for reply in replies], said))
                answer = Answer(replies, token_hash, created)
                answers.append(answer)
                if key is not None:
                    answered[key] = answer
            await conversations.save_many(session, list(states.values()), now)
            if done:
                # A client id stored before makes this raise: the group is undone and written
                # again without the retries (`_write`).
                await inbox.add_answered(session, CHANNEL, done, now)
            # Last: the day's counter rows are the only ones two groups share.
            await faq_use.record(session, uses)
        return answers


async def _actors(
    session: AsyncSession, known: dict[str, web_sessions.Seen], hashes: list[str], now: datetime
) -> dict[str, Actor]:
    """Actors for the group's sessions: known people straight from the resolved rows; new
    ones created, and people not seen for a while touched, in one call."""
    actors: dict[str, Actor] = {}
    touch: dict[str, str | None] = {}
    for token_hash in hashes:
        seen = known.get(token_hash)
        if seen is None or seen.person_id is None:
            touch[token_hash] = None
            continue
        if seen.person_seen_at is None or seen.person_seen_at < now - TOUCH_EVERY:
            touch[token_hash] = None
        actors[token_hash] = Actor(seen.person_id, CHANNEL, token_hash, True, seen.roles)
    if touch:
        person_ids, _ = await people.resolve_many(session, CHANNEL, touch, now)
        for token_hash, person_id in person_ids.items():
            if token_hash not in actors:
                actors[token_hash] = Actor(person_id, CHANNEL, token_hash, True, ())
    return actors
