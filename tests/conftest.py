"""Shared fixtures: real databases (SQLite always, PostgreSQL when DCCS_TEST_POSTGRES_URL is
set), a fixed clock, and an assistant seeded with the curated knowledge base.

Each backend is migrated once per run with Alembic; each test starts from empty tables.
A PostgreSQL URL that is set but does not answer fails the tests: it is never skipped.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from bot.server import create_app
from bot.settings import Settings
from db.engine import SessionFactory, create_engine, session_factory
from db.migrate import alembic_config, upgrade
from handlers.clock import TEST_TODAY_ENV, VN_TZ, FixedClock, suite_start
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.faq.knowledge import KnowledgeBase, import_entries
from knowledge.entries import Entry, load_entries

POSTGRES_ENV = "DCCS_TEST_POSTGRES_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One migrated database per backend for the whole run."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    if "postgresql" in BACKENDS:
        urls["postgresql"] = os.environ[POSTGRES_ENV]
        from alembic import command

        # Start from nothing so a previous run's schema cannot hide a missing migration.
        command.downgrade(alembic_config(urls["postgresql"]), "base")
    for url in urls.values():
        upgrade(url)
    return urls


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, migrated_urls: dict[str, str]) -> str:
    return migrated_urls[str(request.param)]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await connection.execute(table.delete())
        await connection.execute(text("INSERT INTO kb_state (id, version) VALUES (1, 0)"))
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    """Wednesday 25/11/2026 09:00, or 09:00 on ``DCCS_TEST_TODAY`` (a Sunday, a Tết day) for
    the tests marked ``any_day``, which .ci/run repeats on such days."""
    start = suite_start(os.environ.get(TEST_TODAY_ENV))
    return FixedClock(start or datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ))


@pytest.fixture(scope="session")
def curated() -> list[Entry]:
    return load_entries()


@pytest.fixture
async def seeded(sessions: SessionFactory, clock: FixedClock, curated: list[Entry]) -> None:
    async with sessions() as session, session.begin():
        await import_entries(session, curated, clock.now())


@pytest.fixture
def assistant(sessions: SessionFactory, clock: FixedClock, seeded: None) -> Assistant:
    return Assistant(sessions, KnowledgeBase(refresh_seconds=0), clock, AssistantSettings())


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture
def cli_env(tmp_path: Path, clock: FixedClock) -> Iterator[dict[str, str]]:
    """Environment for running `dccs` as a subprocess against its own fresh data folder, its
    clocks starting on the test's own day, never the real one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCCS_")}
    env["DCCS_DATA_DIR"] = str(tmp_path / "data")
    env[TEST_TODAY_ENV] = f"{clock.now():%d/%m/%Y}"
    yield env


Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Client]:
    settings = Settings(database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0)
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as test_client:
        yield test_client
