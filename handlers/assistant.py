"""dispatch: one incoming message in, the replies out, exactly once per channel update.

An update with a channel id is first stored in the inbox (committed: that is what makes it safe
to acknowledge), then processed in one transaction that claims the inbox row, updates the
person and the conversation, writes whatever the flow writes, and marks the row done with its
replies. A redelivery finds the row and gets the same replies with no second effect; a row left
behind by a crash is processed again by ``replay_abandoned`` and its replies go out as pushes.

A channel that acknowledges only after the answer is committed (Telegram polling confirms its
offset afterwards) skips the first step: ``handle_new`` answers and writes the inbox rows, as
handled, in one transaction; a redelivery among them makes that write fail, and the batch is
done again the long way.
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
from db.conversations import ChatState, StaleConversation
from db.engine import SessionFactory
from db.models import InboxItem, Unit
from handlers import (
    access,
    deadlines,
    drafts,
    kb_admin,
    kb_chat,
    petitions,
    petitions_staff,
    reception,
    reception_staff,
    staff,
    texts,
)
from handlers.access import Actor
from handlers.alerts import alert_admins, guessing_alert
from handlers.clock import VN_TZ, Clock, format_datetime
from handlers.contract import Incoming, Reply, expand_payload, numbered
from handlers.faq import (
    FAQ_NONE,
    FAQ_PREFIX,
    SCHEDULE_ENTRY,
    TOPIC_PREFIX,
    answer_reply,
    topic_reply,
    topics_reply,
    understand,
)
from handlers.guesses import wait_words
from handlers.kb_chat import KbAdmin
from handlers.knowledge_base import KnowledgeBase
from handlers.menu import (
    MENU,
    MENU_ASK,
    MENU_BOOK,
    MENU_MINE,
    MENU_PETITION,
    MENU_RECEPTION,
    MENU_RECEPTION_INFO,
    MENU_STATUS,
    greeting,
    is_global,
    reads_better_in_place,
    with_menu,
)
from handlers.units import PICK_COMMAND, PICK_FLOW, PICK_PREFIX, ask_unit, choose_unit, confirm_unit
from handlers.words import JUST_ASKING, means
from handlers.words import MENU as MENU_WORDS
from handlers.words import RESUME as RESUME_WORDS
from knowledge.intents import Intent
from knowledge.normalize import ascii_int, clean, fold

log = logging.getLogger(__name__)


def _id(item: InboxItem) -> int:
    assert item.id is not None
    return item.id


MAX_ATTEMPTS = 5
# Payloads and commands longer than this are not ours.
MAX_PAYLOAD = 128
LINK_COMMAND = "/lienket"
BOOK_COMMAND = "/datlich"
BOOK_DEEP_LINK = "datlich"


@dataclass(frozen=True)
class AssistantSettings:
    max_message_chars: int = 2000
    # An update that fails this many times is set aside for an admin instead of retried.
    give_up_after: int = 3
    unit_name: str | None = None
    # How long a process may hold an inbox row before another may take it over.
    inbox_lease: timedelta = timedelta(seconds=60)
    # How long a redelivery waits for the first delivery's replies.
    redelivery_wait_seconds: float = 5.0
    # The day of the closing month offices cut report figures on (None: month ends).
    report_cutoff_day: int | None = None
    # How long replies claimed for sending stay this process's (the deliverer's lease).
    outbox_lease: timedelta = timedelta(seconds=60)


class BatchTaken(Exception):
    """Another worker holds or finished an update of the batch."""


# Replies claimed for the caller to send, or None: processed one by one, queued as pushes.
Handled = list[outbox.Claimed] | None


class Batch(Protocol):
    """Updates of one channel answered in one transaction: taken at its start, marked
    handled (with their replies) at its end."""

    async def take(self, session: AsyncSession, now: datetime) -> list[Incoming]: ...

    async def finish(
        self, session: AsyncSession, replies: list[list[dict[str, Any]]], now: datetime
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

    async def finish(
        self, session: AsyncSession, replies: list[list[dict[str, Any]]], now: datetime
    ) -> None:
        await inbox.complete_all(session, dict(zip(self._ids(), replies, strict=True)), now)

    def _ids(self) -> list[int]:
        return [item_id for _, item_id in self.updates]


@dataclass(frozen=True)
class _New:
    """Updates not stored yet: written to the inbox at the end, already handled. One that
    was stored before (a redelivery) makes that write fail and the batch fall back."""

    updates: dict[str, Incoming]

    async def take(self, session: AsyncSession, now: datetime) -> list[Incoming]:
        return list(self.updates.values())

    async def finish(
        self, session: AsyncSession, replies: list[list[dict[str, Any]]], now: datetime
    ) -> None:
        channel = next(iter(self.updates.values())).channel
        rows = [
            (key, incoming.chat_id, answered)
            for (key, incoming), answered in zip(self.updates.items(), replies, strict=True)
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


class Assistant:
    """The product's behaviour behind every channel."""

    def __init__(
        self,
        sessions: SessionFactory,
        knowledge: KnowledgeBase,
        clock: Clock,
        settings: AssistantSettings | None = None,
    ) -> None:
        self._sessions = sessions
        self._knowledge = knowledge
        self._clock = clock
        self._settings = settings or AssistantSettings()
        self._kb_admin = KbAdmin(knowledge)

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
            answered: list[list[dict[str, Any]]] = []
            queued: list[tuple[str, str, dict[str, Any]]] = []
            uses = faq_use.Tally()
            for incoming in batch:
                actor = replace(
                    actors[incoming.user_id], private=incoming.private, origin=incoming.origin
                )
                state = states[incoming.chat_id]
                replies = await self._turn(session, state, actor, incoming, uses, now)
                answered.append([reply.to_json() for reply in replies])
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
            replies = await self._turn(session, state, actor, incoming, uses, now)
            await conversations.save(session, state, now)
            await faq_use.record(session, uses)
            if item_id is not None:
                await inbox.complete(session, item_id, [r.to_json() for r in replies], now)
            if push_replies:
                for reply in numbered(replies):
                    await outbox.enqueue(
                        session, incoming.channel, incoming.chat_id, reply.to_json(), now
                    )
        return replies

    async def _turn(
        self,
        session: AsyncSession,
        state: ChatState,
        actor: Actor,
        incoming: Incoming,
        uses: faq_use.Tally,
        now: datetime,
    ) -> list[Reply]:
        """One message answered; the caller saves the chat's state and the tallied uses."""
        routed = drafts.noted(state, await self._route(session, state, actor, incoming, uses, now))
        replies = self._decorate(routed, actor)
        if incoming.pressed_message and replies and reads_better_in_place(incoming.button or ""):
            replies[0] = replace(replies[0], replaces=incoming.pressed_message)
        state.offered = [button.payload for reply in replies for button in reply.buttons]
        return replies

    @staticmethod
    def _decorate(replies: list[Reply], actor: Actor) -> list[Reply]:
        """Officials see their own menu entry next to the citizen menu."""
        if not (actor.is_staff and actor.private):
            return replies
        return [
            Reply(r.text, (*r.buttons, staff.MENU_BUTTON), r.attachments)
            if any(b.payload == MENU_ASK for b in r.buttons)
            else r
            for r in replies
        ]

    async def _route(
        self,
        session: AsyncSession,
        state: ChatState,
        actor: Actor,
        incoming: Incoming,
        uses: faq_use.Tally,
        now: datetime,
    ) -> list[Reply]:
        if incoming.button is not None:
            return await self._press(session, state, actor, incoming, incoming.button, uses, now)
        text = clean(incoming.text or "")
        if len(text) > self._settings.max_message_chars:
            too_long = texts.TOO_LONG.format(limit=self._settings.max_message_chars)
            return [await self._reask(session, state, actor, now, too_long)]
        if incoming.attachments and petitions.takes_files(state):
            return [petitions.attach(state, incoming)]
        if incoming.contact_phone and state.flow == reception.FLOW:
            return [await reception.text(session, state, actor, incoming, text, now)]
        if incoming.contact_phone and state.flow == petitions.FLOW:
            return [await petitions.text(session, state, actor, incoming, text, now)]
        if not any(ch.isalnum() for ch in text):
            # No flow takes files yet: say so rather than keep what nobody asked for.
            unclear = texts.ATTACHMENT_NOT_NOW if incoming.attachments else texts.UNCLEAR
            return [await self._reask(session, state, actor, now, unclear)]
        if state.flow in drafts.FORMS and means(text, MENU_WORDS):
            # Typed like the button: the form is kept as a draft, not thrown away.
            drafts.set_aside(state)
            return [with_menu(texts.MENU_PROMPT)]
        if drafts.waiting(state) and means(text, RESUME_WORDS):
            return [await self._resume(session, state, actor, now)]
        choice = ascii_int(text)
        if (
            choice is not None
            and 1 <= choice <= len(state.offered)
            and not reception.takes_numbers(state)
            and not reception_staff.takes_numbers(state)
        ):
            # A numbered menu on a text-only channel: the number stands for the button.
            return await self._press(
                session, state, actor, incoming, state.offered[choice - 1], uses, now
            )
        code = text.removeprefix("/start").strip()
        if access.looks_like_code(code):
            return [await self._redeem(session, actor, code, now)]
        if text.startswith("/"):
            return await self._command(session, state, actor, text, now)
        if state.flow == PICK_FLOW:
            return [await choose_unit(session, state, actor, text)]
        if state.flow in kb_chat.FLOWS:
            return [await self._kb_admin.text(session, state, actor, text, now)]
        if drafts.asks_a_question(state, text):
            mid_form = await self._answer_mid_form(session, text)
            if mid_form is not None:
                return [mid_form]
        if state.flow == reception.FLOW:
            return [await reception.text(session, state, actor, incoming, text, now)]
        if state.flow == reception_staff.FLOW:
            return [await reception_staff.text(session, state, actor, text, now)]
        if state.flow == reception_staff.NEW_FLOW:
            return [await reception_staff.new_session_text(session, state, actor, text, now)]
        if state.flow == deadlines.FLOW:
            return [await deadlines.text(session, state, actor, text, now)]
        if state.flow == petitions_staff.FLOW:
            return [await petitions_staff.text(session, state, actor, text, now)]
        if petitions.suggesting(state):
            # A suggestion ("đây có thể là đơn phản ánh?") never traps: typed text is read
            # as a new message, a question or another request.
            state.flow = state.step = None
            if means(text, JUST_ASKING):
                return [with_menu(texts.PETITION_ASK_AWAY)]
        if state.flow == petitions.FLOW:
            return [await petitions.text(session, state, actor, incoming, text, now)]
        if state.flow is None and means(text, MENU_WORDS):
            return [with_menu(texts.MENU_PROMPT)]
        if petitions.looks_like_lookup(text):
            return [await petitions.lookup(session, actor, text, now)]
        index = await self._knowledge.index(session)
        understood = understand(index, text, self._settings.unit_name)
        if understood.intent is Intent.petition:
            return [petitions.start_from_text(state, text)]
        if understood.intent is Intent.reception and reception.wants_booking(text):
            # "đăng ký gặp chủ tịch xã": straight to the sessions, the chairman's first.
            prefer = "chu tich" if "chu tich" in fold(text) else None
            return [await reception.start(session, state, actor, now, prefer=prefer)]
        if understood.intent is Intent.petition_status:
            return [await petitions.mine(session, actor)]
        if understood.intent is Intent.fallback or (
            understood.intent is Intent.faq and not understood.matched
        ):
            # Kept (masked, counted) so admins see what citizens ask that is not covered.
            await kb_admin.record_unanswered(
                session,
                text,
                understood.entry.id if understood.entry else None,
                understood.score,
                now,
            )
        # Answers and declines are counted for the reports; a read-back (alternatives offered)
        # is counted when the citizen picks one.
        asked = understood.intent in (Intent.faq, Intent.fallback)
        if asked and (understood.matched or not understood.alternatives):
            answered = understood.entry.id if understood.matched and understood.entry else None
            faq_use.count(uses, now.astimezone(VN_TZ).date(), answered)
        return list(understood.replies)

    async def _resume(
        self, session: AsyncSession, state: ChatState, actor: Actor, now: datetime
    ) -> Reply:
        """ "Tiếp tục điền": the draft (or the form in progress) at the step it stood."""
        if not drafts.restore(state):
            return with_menu(texts.NO_DRAFT)
        if state.flow == reception.FLOW:
            return await reception.resume(session, state, actor, now)
        return petitions.resume(state)

    async def _reask(
        self, session: AsyncSession, state: ChatState, actor: Actor, now: datetime, note: str
    ) -> Reply:
        """A message the assistant cannot use: said, and, mid-form, the step's question again
        with its own buttons (so a number typed next answers the form, not the main menu)."""
        if state.flow not in drafts.FORMS or petitions.suggesting(state):
            return with_menu(note)
        step = await self._resume(session, state, actor, now)
        return Reply(note + "\n\n" + step.text, step.buttons, ask_contact=step.ask_contact)

    async def _answer_mid_form(self, session: AsyncSession, text: str) -> Reply | None:
        """A question the knowledge base answers confidently, with the form kept for later."""
        index = await self._knowledge.index(session)
        understood = understand(index, text, self._settings.unit_name)
        if understood.intent is not Intent.faq or not understood.matched or not understood.replies:
            return None
        answer = understood.replies[0]
        return Reply(answer.text, (drafts.resume_button(),), answer.attachments)

    async def _command(
        self, session: AsyncSession, state: ChatState, actor: Actor, text: str, now: datetime
    ) -> list[Reply]:
        words = text.split()
        command = words[0].split("@")[0].lower()[:MAX_PAYLOAD]
        argument = words[1].lower() if len(words) > 1 else ""
        if command == BOOK_COMMAND or (command == "/start" and argument == BOOK_DEEP_LINK):
            # Also Telegram's deep link t.me/<bot>?start=datlich, straight into booking.
            return [await reception.start(session, state, actor, now)]
        if command in ("/start", "/menu", "/help", "/batdau"):
            state.flow = state.step = None
            return [greeting(self._settings.unit_name)]
        if staff.is_staff_payload(command):
            return [
                await staff.press(
                    session, state, actor, command, now, self._settings.report_cutoff_day
                )
            ]
        if kb_chat.is_kb_payload(command):
            return [await self._kb_admin.press(session, state, actor, command, now)]
        if command == deadlines.DONE_COMMAND:
            return [await self._done_command(session, actor, words[1:], now)]
        if command == PICK_COMMAND:
            return [ask_unit(state)]
        if command == LINK_COMMAND:
            if not actor.private:
                return [with_menu(texts.CODE_PRIVATE_ONLY)]
            code = await access.issue(
                session, purpose=access.LINK, now=now, actor=actor.label, person_id=actor.person_id
            )
            return [with_menu(texts.LINK_CODE.format(code=code))]
        return [with_menu(texts.UNKNOWN_COMMAND)]

    @staticmethod
    async def _done_command(
        session: AsyncSession, actor: Actor, args: list[str], now: datetime
    ) -> Reply:
        """`/xong 12 05/11/2026` (the date the reminder showed) or `/xong 12` (the next open
        occurrence): a deadline done, typed (text-only channels have no buttons on pushes)."""
        if not actor.is_staff:
            access.record_denied(session, actor, deadlines.DONE_COMMAND, now)
            return with_menu(texts.FORBIDDEN)
        try:
            deadline_id = ascii_int(args[0])
            typed = datetime.strptime(args[1], "%d/%m/%Y").date() if len(args) > 1 else None
        except (IndexError, ValueError):
            return with_menu(texts.BAD_DONE_COMMAND)
        if deadline_id is None or len(args) > 2:
            return with_menu(texts.BAD_DONE_COMMAND)
        return await deadlines.mark_done(session, actor, deadline_id, typed, now)

    async def _redeem(self, session: AsyncSession, actor: Actor, code: str, now: datetime) -> Reply:
        if not actor.private:
            return with_menu(texts.CODE_PRIVATE_ONLY)
        result = await access.redeem(session, actor, code, now)
        if result.alert:
            await guessing_alert(session, actor.channel, now)
        if result.outcome == "granted":
            unit = await session.get(Unit, result.unit_id)
            role = texts.ROLE_NAMES.get(result.role or "", result.role or "")
            return Reply(
                texts.ROLE_GRANTED.format(role=role, unit=unit.name if unit else ""),
                (staff.MENU_BUTTON,),
            )
        if result.outcome == "linked":
            return with_menu(texts.LINKED)
        if result.outcome == "slowed" and result.wait is not None:
            return with_menu(texts.CODE_SLOWED.format(wait=wait_words(result.wait)))
        return with_menu(texts.CODE_WRONG)

    async def _press(
        self,
        session: AsyncSession,
        state: ChatState,
        actor: Actor,
        incoming: Incoming,
        payload: str,
        uses: faq_use.Tally,
        now: datetime,
    ) -> list[Reply]:
        payload = payload[: MAX_PAYLOAD + 1]
        if payload.startswith("#"):
            payload = expand_payload(payload, state.offered) or payload
        if state.flow in (petitions_staff.FLOW, reception_staff.FLOW):
            # A step waiting for typed text (a reason, an outcome) ends when another button is
            # pressed: later text must never become, say, the reason for seeing a denouncer.
            state.flow = state.step = None
            state.data = {}
        # Staff payloads are checked against the role on the server, whatever was offered.
        if staff.is_staff_payload(payload):
            return [
                await staff.press(
                    session, state, actor, payload, now, self._settings.report_cutoff_day
                )
            ]
        if kb_chat.is_kb_payload(payload):
            return [await self._kb_admin.press(session, state, actor, payload, now)]
        # A citizen's answer on a pushed "hài lòng?" question: checked against the đơn's owner.
        if payload.startswith(petitions_staff.SATISFACTION_PREFIX):
            return [await petitions_staff.satisfaction(session, actor, payload, now)]
        # Any other payload carries no authority: a menu item or one the last reply offered.
        # An answer or a topic list only informs, and a draft is the person's own: a button for
        # one works from any message.
        informational = payload.startswith((FAQ_PREFIX, TOPIC_PREFIX)) or payload == drafts.RESUME
        allowed = is_global(payload) or payload in state.offered or informational
        if len(payload) > MAX_PAYLOAD or not allowed:
            return [await self._reask(session, state, actor, now, texts.STALE_BUTTON)]
        if is_global(payload):
            drafts.set_aside(state)
        index = await self._knowledge.index(session)
        if payload == drafts.RESUME:
            return [await self._resume(session, state, actor, now)]
        if payload == MENU:
            return [with_menu(texts.MENU_PROMPT)]
        if payload == MENU_ASK:
            return [topics_reply(index)]
        if payload == MENU_RECEPTION:
            return [reception.reception_menu()]
        if payload == MENU_BOOK:
            return [await reception.start(session, state, actor, now)]
        if payload == MENU_MINE:
            return [await reception.mine(session, actor, now)]
        if payload == MENU_RECEPTION_INFO:
            entry = await self._knowledge.entry(session, SCHEDULE_ENTRY)
            return [answer_reply(entry, index)] if entry else [reception.reception_menu()]
        if payload.startswith(reception.PREFIX):
            return await reception.press(session, state, actor, incoming, payload, now)
        if payload == MENU_PETITION:
            return [petitions.choose_kind()]
        if payload == MENU_STATUS:
            return [await petitions.mine(session, actor)]
        if payload.startswith(petitions.PREFIX):
            return [await petitions.press(session, state, actor, incoming, payload, now)]
        if payload.startswith(TOPIC_PREFIX):
            listed = topic_reply(index, payload.removeprefix(TOPIC_PREFIX))
            return [listed] if listed else [with_menu(texts.STALE_BUTTON)]
        if payload == FAQ_NONE:
            return [with_menu(texts.READBACK_REPHRASE)]
        if payload.startswith(FAQ_PREFIX):
            entry = await self._knowledge.entry(session, payload.removeprefix(FAQ_PREFIX))
            if entry is None:
                return [with_menu(texts.ENTRY_GONE)]
            faq_use.count(uses, now.astimezone(VN_TZ).date(), entry.id)
            return [answer_reply(entry, index)]
        if payload.startswith(PICK_PREFIX):
            unit_id = ascii_int(payload.removeprefix(PICK_PREFIX))
            unit = await session.get(Unit, unit_id) if unit_id is not None else None
            if unit is not None:
                return [await confirm_unit(session, state, actor, unit)]
        log.warning("offered payload without a handler: %s", payload)
        return [with_menu(texts.STALE_BUTTON)]
