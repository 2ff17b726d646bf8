"""Counters of wrong guesses, by key ("lookup:KN-2026-ABC123", "sender:web:…", "addr:…").
Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import upsert_insert
from db.models import Throttle


async def find(session: AsyncSession, keys: Sequence[str]) -> dict[str, Throttle]:
    query = select(Throttle).where(col(Throttle.key).in_(list(keys))).with_for_update()
    return {row.key: row for row in (await session.exec(query)).all()}


async def save(
    session: AsyncSession, key: str, failures: int, now: datetime, blocked_until: datetime | None
) -> None:
    values = {"key": key, "failures": failures, "last_at": now, "blocked_until": blocked_until}
    table = Throttle.__table__  # type: ignore[attr-defined]
    statement = upsert_insert(session)(table).values(**values)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["key"],
            set_={name: value for name, value in values.items() if name != "key"},
        )
    )


async def clear(session: AsyncSession, key: str) -> None:
    await session.exec(delete(Throttle).where(col(Throttle.key) == key))


async def forget_before(session: AsyncSession, cutoff: datetime) -> None:
    """Drop counters idle since before ``cutoff`` (retention)."""
    await session.exec(delete(Throttle).where(col(Throttle.last_at) < cutoff))
