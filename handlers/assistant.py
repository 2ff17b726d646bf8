"""The assistant every channel talks to: the turn engine running the router."""

from __future__ import annotations

from db.engine import SessionFactory
from handlers.clock import Clock
from handlers.engine import Engine
from handlers.knowledge_base import KnowledgeBase
from handlers.router import Router
from handlers.turn import AssistantSettings


class Assistant(Engine):
    def __init__(
        self,
        sessions: SessionFactory,
        knowledge: KnowledgeBase,
        clock: Clock,
        settings: AssistantSettings | None = None,
    ) -> None:
        super().__init__(sessions, clock, settings or AssistantSettings(), Router(knowledge).turn)
