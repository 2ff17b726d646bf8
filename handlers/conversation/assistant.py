"""The assistant every channel talks to: the turn engine running the router."""

from __future__ import annotations

from db.engine import SessionFactory
from handlers.clock import Clock
from handlers.conversation.engine import Engine
from handlers.conversation.router import Router
from handlers.conversation.turn import AssistantSettings
from handlers.faq.knowledge import KnowledgeBase


class Assistant(Engine):
    def __init__(
        self,
        sessions: SessionFactory,
        knowledge: KnowledgeBase,
        clock: Clock,
        settings: AssistantSettings | None = None,
    ) -> None:
        super().__init__(sessions, clock, settings or AssistantSettings(), Router(knowledge).turn)
