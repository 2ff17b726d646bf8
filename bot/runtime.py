"""The composition root: settings in, a running assistant out; closed on shutdown.

Nothing is created at import time. Migrations run before the event loop starts because
Alembic's async environment runs its own loop.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.delivery import ChannelSender, Deliverer, OutboxNotifier, Pace, WebSender
from bot.metrics import Metrics
from bot.retention import Retention
from bot.settings import Settings
from bot.ticker import Ticker
from db import kb as kb_rows
from db.engine import SessionFactory, create_engine, session_factory
from db.migrate import upgrade
from handlers.assistant import Assistant, AssistantSettings
from handlers.clock import Clock, SystemClock
from handlers.contract import Incoming, Reply
from handlers.knowledge_base import KnowledgeBase, import_entries
from knowledge.entries import load_entries

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> None:
    """Create the data folder and bring the schema up to date. Call outside an event loop."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database())


async def seed_if_empty(sessions: SessionFactory, clock: Clock) -> None:
    """Load the curated YAML into an empty knowledge base; never touch a non-empty one."""
    try:
        async with sessions() as session, session.begin():
            if await kb_rows.count(session) == 0:
                report = await import_entries(session, load_entries(), clock.now())
                log.info("knowledge base seeded with %d entries", len(report.added))
    except IntegrityError:
        # Another process started at the same moment and seeded it first.
        log.info("knowledge base seeded by another process")


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    clock: Clock
    knowledge: KnowledgeBase
    assistant: Assistant
    notifier: OutboxNotifier
    deliverer: Deliverer
    ticker: Ticker
    metrics: Metrics
    telegram: TelegramChannel | None = None

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        """The core's dispatch, counted and timed for /metrics."""
        started = time.perf_counter()
        try:
            return await self.assistant.dispatch(incoming)
        finally:
            self.metrics.updates.labels(incoming.channel).inc()
            self.metrics.latency.labels(incoming.channel).observe(time.perf_counter() - started)

    async def close(self) -> None:
        self.ticker.stop()
        if self.telegram is not None:
            await self.telegram.stop()
        await self.engine.dispose()


async def start_runtime(
    settings: Settings, clock: Clock | None = None, *, seed: bool = True
) -> Runtime:
    clock = clock or SystemClock()
    engine = create_engine(settings.database())
    sessions = session_factory(engine)
    if seed:
        await seed_if_empty(sessions, clock)
    knowledge = KnowledgeBase(settings.kb_refresh_seconds)
    assistant = Assistant(
        sessions,
        knowledge,
        clock,
        AssistantSettings(
            max_message_chars=settings.max_message_chars, unit_name=settings.unit_name
        ),
    )
    # Build the index now so the first citizen does not wait for it.
    async with sessions() as session:
        await knowledge.index(session)
    metrics = Metrics()
    senders: dict[str, ChannelSender] = {"web": WebSender(sessions, clock)}
    paces: dict[str, Pace] = {}
    bot = None
    if settings.telegram_bot_token is not None:
        # aiogram takes seconds to import; only a deployment with a token pays for it.
        from bot.channels.telegram import (
            TelegramChannel,
            TelegramSender,
            TelegramSettings,
            make_bot,
        )

        bot = make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base)
        senders["telegram"] = TelegramSender(bot)
        paces["telegram"] = Pace(
            overall=1.0 / settings.telegram_rate_per_second,
            per_chat=settings.telegram_chat_gap_seconds,
            per_group=settings.telegram_group_gap_seconds,
        )
    deliverer = Deliverer(
        sessions,
        clock,
        senders,
        paces,
        on_outcome=lambda channel, outcome: metrics.pushes.labels(channel, outcome).inc(),
    )
    retention = Retention(sessions, clock, timedelta(days=settings.retention_days))
    ticker = Ticker(assistant, deliverer, retention, settings.tick_seconds)
    notifier = OutboxNotifier(sessions, clock)
    telegram = None
    if bot is not None:
        telegram = TelegramChannel(
            TelegramSettings(
                mode=settings.telegram_mode,
                webhook_url=settings.telegram_webhook_url,
                webhook_secret=(
                    settings.telegram_webhook_secret.get_secret_value()
                    if settings.telegram_webhook_secret
                    else None
                ),
            ),
            bot,
            assistant,
            deliverer,
        )
    return Runtime(
        settings,
        engine,
        sessions,
        clock,
        knowledge,
        assistant,
        notifier,
        deliverer,
        ticker,
        metrics,
        telegram,
    )
