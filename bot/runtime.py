"""The composition root: settings in, a running assistant out; closed on shutdown.

Nothing is created at import time. Migrations run before the event loop starts because
Alembic's async environment runs its own loop.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

import httpx
from aiohttp import web
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.attachments import WEB_REF, AttachmentStore, Fetch, HttpFiles, WebUploads
from bot.channels import zalo_bot, zalo_oa
from bot.channels.intake import Intake
from bot.channels.plugin import ChannelParts, WebhookChannel
from bot.channels.zalo_bot import ZaloBotChannel, ZaloBotClient, ZaloBotSender
from bot.channels.zalo_oa import OaTokens, ZaloOaChannel, ZaloOaClient, ZaloOaSender
from bot.delivery import ChannelSender, Deliverer, OutboxNotifier, Pace, WebSender
from bot.metrics import Metrics
from bot.retention import Retention
from bot.sealing import Sealer
from bot.settings import Settings
from bot.ticker import Ticker, at_most_every
from db import kb as kb_rows
from db.engine import SessionFactory, create_engine, session_factory
from db.migrate import upgrade
from handlers import texts
from handlers.alerts import alert_admins
from handlers.clock import Clock
from handlers.contract import Incoming, Reply
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.conversation.web_turns import WebTurns
from handlers.deadlines.reminders import queue_reminders
from handlers.faq.knowledge import KnowledgeBase, import_entries
from handlers.petitions.alerts import queue_due_alerts
from handlers.reception.schedule import generate_sessions
from handlers.staff.digest import queue_digests
from knowledge.entries import load_entries

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


class Channel(Protocol):
    """A push-style channel: started and stopped with the server, webhooks routed to it."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def webhook(self, request: web.Request) -> web.Response: ...


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
    channels: dict[str, Channel] = field(default_factory=dict)
    http: httpx.AsyncClient | None = None
    # How to download a file a citizen sent, by the start of its reference.
    file_fetchers: dict[str, Fetch] = field(default_factory=dict)
    # Files the web page uploads at a đơn's files step (set up with the runtime).
    uploads: WebUploads | None = None
    # Web chat turns answered in group transactions (set up with the runtime).
    web_turns: WebTurns | None = None

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        """The core's dispatch, counted and timed for /metrics."""
        started = time.perf_counter()
        try:
            return await self.assistant.dispatch(incoming)
        finally:
            self.counted(incoming.channel, started)

    def counted(self, channel: str, started: float) -> None:
        """One update of ``channel`` handled, begun at ``started`` (perf_counter)."""
        self.metrics.updates.labels(channel).inc()
        self.metrics.latency.labels(channel).observe(time.perf_counter() - started)

    async def start_channels(self) -> None:
        for channel in self.channels.values():
            await channel.start()

    async def add_channel(self, parts: ChannelParts, pace: Pace | None = None) -> None:
        """A channel made of its three parts (see ``bot.channels.plugin``), started now; its
        webhook is served at /hooks/<name>."""
        self.deliverer.add_senders({parts.name: parts.sender}, {parts.name: pace or Pace()})
        channel = WebhookChannel(parts, Intake(parts.name, self.assistant, self.deliverer))
        self.channels[parts.name] = channel
        await channel.start()

    async def close(self) -> None:
        await self.ticker.stop()
        for channel in self.channels.values():
            await channel.stop()
        if self.http is not None:
            await self.http.aclose()
        await self.engine.dispose()


async def start_runtime(
    settings: Settings, clock: Clock | None = None, *, seed: bool = True
) -> Runtime:
    clock = clock or settings.clock()
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
            max_message_chars=settings.max_message_chars,
            unit_name=settings.unit_name,
            report_cutoff_day=settings.report_cutoff_day,
            public_url=settings.public_url,
            outbox_lease=timedelta(seconds=settings.outbox_lease_seconds),
        ),
    )
    # Build the index now so the first citizen does not wait for it.
    async with sessions() as session:
        await knowledge.index(session)
    metrics = Metrics()
    senders: dict[str, ChannelSender] = {"web": WebSender(sessions, clock)}
    paces: dict[str, Pace] = {}
    deliverer = Deliverer(
        sessions,
        clock,
        senders,
        paces,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        on_outcome=lambda channel, outcome: metrics.pushes.labels(channel, outcome).inc(),
    )
    retention = Retention(
        sessions,
        clock,
        timedelta(days=settings.retention_days),
        timedelta(days=settings.form_idle_days),
    )
    runtime = Runtime(
        settings,
        engine,
        sessions,
        clock,
        knowledge,
        assistant,
        OutboxNotifier(sessions, clock),
        deliverer,
        Ticker(
            assistant,
            deliverer,
            retention,
            settings.tick_seconds,
            jobs=[
                # Sessions are generated four weeks ahead: once an hour keeps the window full
                # (imports generate at once).
                at_most_every(3600, lambda: generate_sessions(sessions, clock)),
                lambda: queue_reminders(sessions, clock),
                lambda: queue_due_alerts(sessions, clock),
                lambda: queue_digests(sessions, clock),
            ],
        ),
        metrics,
    )
    if settings.telegram_bot_token is not None:
        _add_telegram(runtime, senders, paces)
    if settings.zalo_oa_enabled or settings.zalo_bot_token is not None:
        runtime.http = httpx.AsyncClient(timeout=15.0)
        _add_zalo(runtime, runtime.http, senders, paces)
    # The deliverer reads these maps when it sends; channels added above are all in them.
    deliverer.add_senders(senders, paces)
    runtime.web_turns = WebTurns(
        sessions,
        clock,
        assistant.settings,
        assistant.route,
        # SQLite has one writer: a second group would only wait for the first.
        parallel=1 if engine.dialect.name == "sqlite" else settings.web_parallel_groups,
    )
    runtime.uploads = WebUploads(settings.data_dir / "uploads", clock)
    runtime.file_fetchers[WEB_REF] = runtime.uploads.fetch
    runtime.ticker.add_job(at_most_every(3600, runtime.uploads.purge))
    files = AttachmentStore(sessions, clock, settings.data_dir / "files", runtime.file_fetchers)
    runtime.ticker.add_job(files.run)
    return runtime


def _add_telegram(
    runtime: Runtime, senders: dict[str, ChannelSender], paces: dict[str, Pace]
) -> None:
    settings = runtime.settings
    assert settings.telegram_bot_token is not None
    # aiogram takes seconds to import; only a deployment with a token pays for it.
    from bot.channels.telegram import (
        FILE_REF,
        TelegramChannel,
        TelegramFiles,
        TelegramSender,
        TelegramSettings,
        make_bot,
    )

    bot = make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base)
    senders["telegram"] = TelegramSender(bot)
    runtime.file_fetchers[FILE_REF] = TelegramFiles(bot).fetch
    paces["telegram"] = Pace(
        overall=1.0 / settings.telegram_rate_per_second,
        per_chat=settings.telegram_chat_gap_seconds,
        per_group=settings.telegram_group_gap_seconds,
    )
    secret = settings.telegram_webhook_secret
    runtime.channels["telegram"] = TelegramChannel(
        TelegramSettings(
            mode=settings.telegram_mode,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=secret.get_secret_value() if secret else None,
        ),
        bot,
        runtime.assistant,
        runtime.deliverer,
    )


def _add_zalo(
    runtime: Runtime,
    http: httpx.AsyncClient,
    senders: dict[str, ChannelSender],
    paces: dict[str, Pace],
) -> None:
    settings = runtime.settings
    pace = Pace(overall=1.0 / settings.zalo_rate_per_second)
    # Zalo hands over image and file URLs.
    runtime.file_fetchers["http"] = HttpFiles(http).fetch
    if settings.zalo_oa_enabled:
        assert settings.zalo_oa_app_id and settings.zalo_oa_secret_key
        assert settings.zalo_app_secret and settings.zalo_oa_access_token
        assert settings.zalo_oa_refresh_token
        client = ZaloOaClient(
            http,
            settings.zalo_oa_api_base,
            settings.zalo_oauth_base,
            settings.zalo_oa_app_id,
            settings.zalo_app_secret.get_secret_value(),
        )

        async def refresh_failed(error: str) -> None:
            now = runtime.clock.now()
            async with runtime.sessions() as session, session.begin():
                await alert_admins(
                    session,
                    texts.ZALO_OA_REFRESH_FAILED.format(error=error),
                    now,
                    f"zalo-oa-refresh:{now:%Y%m%d%H}",
                    avoid=zalo_oa.CHANNEL,
                )

        tokens = OaTokens(
            runtime.sessions,
            runtime.clock,
            client,
            (
                settings.zalo_oa_access_token.get_secret_value(),
                settings.zalo_oa_refresh_token.get_secret_value(),
            ),
            refresh_failed,
            Sealer(settings.token_key.get_secret_value() if settings.token_key else None),
        )
        senders[zalo_oa.CHANNEL] = ZaloOaSender(client, tokens, runtime.sessions, runtime.clock)
        paces[zalo_oa.CHANNEL] = pace
        runtime.channels[zalo_oa.CHANNEL] = ZaloOaChannel(
            settings.zalo_oa_app_id,
            settings.zalo_oa_secret_key.get_secret_value(),
            Intake(zalo_oa.CHANNEL, runtime.assistant, runtime.deliverer, holds_pushes=True),
            runtime.clock,
        )
    if settings.zalo_bot_token is not None:
        bot = ZaloBotClient(
            http, settings.zalo_bot_api_base, settings.zalo_bot_token.get_secret_value()
        )
        senders[zalo_bot.CHANNEL] = ZaloBotSender(bot)
        paces[zalo_bot.CHANNEL] = pace
        secret = settings.zalo_bot_webhook_secret
        runtime.channels[zalo_bot.CHANNEL] = ZaloBotChannel(
            bot,
            Intake(zalo_bot.CHANNEL, runtime.assistant, runtime.deliverer),
            settings.zalo_bot_mode,
            settings.zalo_bot_webhook_url,
            secret.get_secret_value() if secret else None,
        )
