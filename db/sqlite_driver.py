"""aiosqlite connections whose statements cost one trip to the connection's thread.

aiosqlite runs sqlite3 on a thread of its own, and SQLAlchemy's adapter drives a statement in
four trips to it (create a cursor, execute, fetch, close), each a thread wake-up and an event
loop wake-up: about 0.15 ms each, against 0.02 ms for SQLite itself. Here a statement is
executed, fetched and closed in one trip and the cursor is a snapshot of the result. It is an
aiosqlite ``Connection`` in every other respect, handed to SQLAlchemy's aiosqlite dialect
through ``create_async_engine(async_creator=...)``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiosqlite
from sqlalchemy.engine import URL

# (description, rowcount, lastrowid, rows) of an executed statement.
_Result = tuple[Any, int, int | None, list[Any]]


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, many: bool) -> _Result:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        # Rows before rowcount: an INSERT ... RETURNING counts its rows as they are fetched.
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor:
    """The DB-API cursor SQLAlchemy's adapter drives, holding the last result in memory."""

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        return await self._run(sql, () if parameters is None else parameters, False)

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneTripCursor:
        return await self._run(sql, parameters, True)

    async def _run(self, sql: str, parameters: Any, many: bool) -> OneTripCursor:
        result = await self._connection.run_in_thread(
            _run, self._connection.sqlite, sql, parameters, many
        )
        self.description, self.rowcount, self.lastrowid, self._rows = result
        return self

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        size = self.arraysize if size is None else size
        taken, self._rows = self._rows[:size], self._rows[size:]
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *_: object) -> None:
        return None


class OneTripConnection(aiosqlite.Connection):
    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    @property
    def sqlite(self) -> sqlite3.Connection:
        return self._conn

    def run_in_thread(self, fn: Callable[..., _Result], *args: Any) -> Awaitable[_Result]:
        # aiosqlite's own queue: the statement runs in order with commits and rollbacks.
        return self._execute(fn, *args)  # type: ignore[no-untyped-call]


def async_creator(url: URL) -> Callable[[], Awaitable[OneTripConnection]]:
    """The ``async_creator`` for an aiosqlite URL: the same file and options SQLAlchemy's
    dialect would open."""
    args, options = url.get_dialect()().create_connect_args(url)
    (database,) = args
    settings: dict[str, Any] = dict(options)

    def connector() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(database, **settings)
        return connection

    async def create() -> OneTripConnection:
        connection = OneTripConnection(connector, iter_chunk_size=64)
        # As SQLAlchemy does for the connections it opens: never keep the process alive.
        connection._thread.daemon = True
        await connection
        return connection

    return create
