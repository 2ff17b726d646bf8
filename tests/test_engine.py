"""The database layer's own machinery: SQLite in one trip per statement, ordered inserts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from db import sqlite_driver
from db.engine import SessionFactory, create_engine, insert_ids
from db.models import Person
from handlers.clock import FixedClock

METADATA = MetaData()
NOTES = Table(
    "note",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("body", String, unique=True),
)


async def test_rows_counts_and_errors_come_back_with_one_trip_per_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'one-trip.sqlite3'}")
    trips: list[str] = []
    run = sqlite_driver.OneTripConnection.run_in_thread

    def counted(self: sqlite_driver.OneTripConnection, fn: Any, *args: Any) -> Any:
        trips.append(args[1])
        return run(self, fn, *args)

    monkeypatch.setattr(sqlite_driver.OneTripConnection, "run_in_thread", counted)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(METADATA.create_all)
        trips.clear()
        async with engine.begin() as connection:
            added = await connection.execute(
                insert(NOTES).returning(NOTES.c.id),
                [{"body": "một"}, {"body": "hai"}, {"body": "ba"}],
            )
            assert sorted(added.scalars()) == [1, 2, 3]
            single = await connection.execute(insert(NOTES).values(body="bốn"))
            assert single.inserted_primary_key == (4,)
            changed = await connection.execute(
                update(NOTES).where(NOTES.c.id > 2).values(body=NOTES.c.body + "!")
            )
            assert changed.rowcount == 2
            rows = await connection.execute(select(NOTES.c.body).order_by(NOTES.c.id))
            assert list(rows.scalars()) == ["một", "hai", "ba!", "bốn!"]
        # BEGIN IMMEDIATE and four statements, one trip each (COMMIT is aiosqlite's own).
        assert [" ".join(sql.split()[:2]) for sql in trips] == [
            "BEGIN IMMEDIATE",
            "INSERT INTO",
            "INSERT INTO",
            "UPDATE note",
            "SELECT note.body",
        ]

        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(insert(NOTES).values(body="năm"))
                await connection.execute(insert(NOTES).values(body="một"))
        async with engine.connect() as connection:
            count = await connection.execute(text("SELECT count(*) FROM note"))
            assert count.scalar_one() == 4  # the failed transaction left nothing behind
    finally:
        await engine.dispose()


async def test_inserted_ids_come_back_in_the_order_of_the_rows(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    names = [f"Người {n}" for n in range(120, 0, -1)]
    rows = [{"display_name": name, "created_at": clock.now()} for name in names]
    async with sessions() as session, session.begin():
        ids = await insert_ids(session, Person.__table__, rows)  # type: ignore[attr-defined]
    async with sessions() as session:
        stored = dict((await session.exec(select(Person.id, Person.display_name))).all())
    assert [stored[person_id] for person_id in ids] == names
