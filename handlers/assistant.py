"""dispatch: one incoming message in, the replies out, exactly once per channel update.

Each update runs in one transaction: the processed-update record, the conversation state and
whatever the flow writes commit together or not at all. A redelivered update finds its
record and gets the same replies back with no second effect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import conversations, updates
from db.conversations import ChatState, StaleConversation
from db.engine import SessionFactory
from handlers import texts
from handlers.clock import Clock
from handlers.contract import Incoming, Reply
from handlers.faq import FAQ_NONE, FAQ_PREFIX, answer_reply, intent_reply, understand
from handlers.knowledge_base import KnowledgeBase
from handlers.menu import (
    MENU,
    MENU_ASK,
    MENU_PETITION,
    MENU_RECEPTION,
    MENU_STATUS,
    greeting,
    is_global,
    with_menu,
)
from knowledge.intents import Intent
from knowledge.normalize import clean

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Payloads and commands longer than this are not ours.
MAX_PAYLOAD = 128


@dataclass(frozen=True)
class AssistantSettings:
    max_message_chars: int = 2000
    unit_name: str | None = None


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

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        for _ in range(MAX_ATTEMPTS):
            try:
                return await self._dispatch_once(incoming)
            except StaleConversation:
                # Two messages of one chat raced; replay this one on the fresh state.
                continue
            except IntegrityError:
                # The same update, or the same chat's first message, committed concurrently.
                stored = await self._stored_replies(incoming)
                if stored is not None:
                    return stored
                continue
        raise RuntimeError(f"conversation kept changing under {incoming.channel} update")

    async def _stored_replies(self, incoming: Incoming) -> list[Reply] | None:
        if incoming.update_id is None:
            return None
        async with self._sessions() as session:
            found = await updates.find(session, incoming.channel, incoming.update_id)
        return [Reply.from_json(item) for item in found.replies] if found else None

    async def _dispatch_once(self, incoming: Incoming) -> list[Reply]:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            if incoming.update_id is not None:
                found = await updates.find(session, incoming.channel, incoming.update_id)
                if found is not None:
                    return [Reply.from_json(item) for item in found.replies]
            state = await conversations.load(session, incoming.channel, incoming.chat_id, now)
            replies = await self._route(session, state, incoming)
            state.offered = [button.payload for reply in replies for button in reply.buttons]
            await conversations.save(session, state, now)
            if incoming.update_id is not None:
                updates.record(
                    session,
                    incoming.channel,
                    incoming.update_id,
                    [reply.to_json() for reply in replies],
                    now,
                )
        return replies

    async def _route(
        self, session: AsyncSession, state: ChatState, incoming: Incoming
    ) -> list[Reply]:
        if incoming.button is not None:
            return await self._press(session, state, incoming.button)
        text = clean(incoming.text or "")
        if len(text) > self._settings.max_message_chars:
            return [with_menu(texts.TOO_LONG.format(limit=self._settings.max_message_chars))]
        if not any(ch.isalnum() for ch in text):
            return [with_menu(texts.UNCLEAR)]
        if text.isdigit() and 1 <= int(text) <= len(state.offered):
            # A numbered menu on a text-only channel: the number stands for the button.
            return await self._press(session, state, state.offered[int(text) - 1])
        if text.startswith("/"):
            return self._command(text)
        index = await self._knowledge.index(session)
        return list(understand(index, text, self._settings.unit_name).replies)

    def _command(self, text: str) -> list[Reply]:
        command = text.split()[0].split("@")[0].lower()
        if command in ("/start", "/menu", "/help", "/batdau"):
            return [greeting(self._settings.unit_name)]
        return [with_menu(texts.UNKNOWN_COMMAND)]

    async def _press(self, session: AsyncSession, state: ChatState, payload: str) -> list[Reply]:
        # A payload carries no authority: it must be a menu item or one the last reply offered.
        if len(payload) > MAX_PAYLOAD or not (is_global(payload) or payload in state.offered):
            return [with_menu(texts.STALE_BUTTON)]
        index = await self._knowledge.index(session)
        if payload == MENU:
            return [with_menu(texts.MENU_PROMPT)]
        if payload == MENU_ASK:
            return [with_menu(texts.ASK_PROMPT)]
        intents = {
            MENU_RECEPTION: Intent.reception,
            MENU_PETITION: Intent.petition,
            MENU_STATUS: Intent.petition_status,
        }
        if payload in intents:
            return [intent_reply(index, intents[payload])]
        if payload == FAQ_NONE:
            return [with_menu(texts.READBACK_REPHRASE)]
        if payload.startswith(FAQ_PREFIX):
            entry = await self._knowledge.entry(session, payload.removeprefix(FAQ_PREFIX))
            return [answer_reply(entry)] if entry else [with_menu(texts.ENTRY_GONE)]
        log.warning("offered payload without a handler: %s", payload)
        return [with_menu(texts.STALE_BUTTON)]
