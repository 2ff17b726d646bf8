"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, Column, String, Table, any_, bindparam, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from db import sqlite_driver

SessionFactory = async_sessionmaker[AsyncSession]

# A pooled PostgreSQL connection idle longer than this is pinged before use (see _ping_idle).
PING_IF_IDLE_FOR = 2.0  # seconds
_IDLE_SINCE = "dccs_idle_since"


def async_url(url: str) -> str:
    """Give a plain database URL its async driver: sqlite -> aiosqlite, postgresql -> asyncpg."""
    parsed = make_url(url)
    driver = {
        "sqlite": "sqlite+aiosqlite",
        "postgresql": "postgresql+asyncpg",
        "postgres": "postgresql+asyncpg",
    }.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when a transaction begins (see _begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the web process read while another writes; busy_timeout waits out a writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # A deferred transaction that reads, then writes, fails at once with "database is locked"
    # when another writer committed in between (WAL snapshots); taking the write lock at BEGIN
    # makes concurrent writers queue on busy_timeout instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _ping_idle(engine: AsyncEngine, idle_for: float) -> None:
    """Ping a PostgreSQL connection on checkout only when it sat in the pool longer than
    ``idle_for`` seconds. SQLAlchemy's ``pool_pre_ping`` pings every checkout, and asyncpg's
    ping is three round trips (BEGIN, an empty query, ROLLBACK): a quarter of a web group's.
    A connection handed back moments ago is alive. If the server dropped it in between
    anyway, its first statement fails, SQLAlchemy marks every pooled connection of that
    generation invalid, and the caller's next attempt gets a new one (a web turn goes the
    long way at once: tests/test_web_turns.py)."""

    def fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_IDLE_SINCE, 0.0) <= idle_for:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool closes this one and checks out another (up to three tries).
            raise DisconnectionError("a pooled connection failed its ping") from exc

    event.listen(engine.sync_engine, "connect", fresh)
    event.listen(engine.sync_engine, "checkin", fresh)
    event.listen(engine.sync_engine, "checkout", checkout)


def create_engine(url: str, *, ping_if_idle_for: float = PING_IF_IDLE_FOR) -> AsyncEngine:
    full = async_url(url)
    # A file database never drops a connection; pinging it on checkout only costs a round
    # trip. A PostgreSQL server can restart under us.
    if full.startswith("sqlite"):
        engine = create_async_engine(
            full,
            async_creator=sqlite_driver.async_creator(make_url(full)),
            pool_size=1,
            max_overflow=0,
            pool_timeout=120,
        )
    else:
        # asyncpg prepares each statement text once per connection and keeps this many; the
        # default (100) is too few for the batch statements' shapes.
        engine = create_async_engine(full, connect_args={"prepared_statement_cache_size": 500})
        _ping_idle(engine, ping_if_idle_for)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


async def insert_ids(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (Core, one statement for all); their new ids, in the order of ``rows``."""
    if _dialect(session) == "sqlite":
        # Asked to keep the order, SQLAlchemy sends SQLite one statement per row. One
        # statement inserts its rows in VALUES order, each taking a higher rowid than the
        # last, so sorting the ids restores the order.
        returned = await session.exec(_insert_returning_id(table, False), params=rows)
        return sorted(returned.scalars())
    ordered = await session.exec(_insert_returning_id(table, True), params=rows)
    return list(ordered.scalars())


@cache
def _insert_returning_id(table: Table, keep_order: bool) -> Any:
    return insert(table).returning(table.c.id, sort_by_parameter_order=keep_order)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"


def one_of(column: Column[Any], name: str) -> dict[str, Any]:
    """``column`` among a list given as parameter ``name``, by dialect: on PostgreSQL
    ``= ANY(array)``, one statement text whatever the list's length (asyncpg prepares each
    text once per connection); elsewhere an expanding IN. Pick with ``dialect(session)``."""
    return {
        "postgresql": column == any_(bindparam(name, type_=ARRAY(String))),
        "sqlite": column.in_(bindparam(name, expanding=True)),
    }


def dialect(session: AsyncSession) -> str:
    return _dialect(session)


def upsert_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT (with ON CONFLICT) for this session's database."""
    return postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert


def session_factory(engine: AsyncEngine) -> SessionFactory:
    # expire_on_commit=False: async sessions cannot lazy-load expired attributes afterwards.
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
