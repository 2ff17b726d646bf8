"""Knowledge-base rows and the version counter. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import KbEntryRow, KbState


async def version(session: AsyncSession) -> int:
    result = await session.exec(select(KbState.version).where(KbState.id == 1))
    return result.one_or_none() or 0


async def bump_version(session: AsyncSession) -> None:
    # One UPDATE, so concurrent writers each add their own increment.
    await session.exec(
        update(KbState).where(col(KbState.id) == 1).values(version=col(KbState.version) + 1)
    )


async def count(session: AsyncSession) -> int:
    result = await session.exec(select(func.count()).select_from(KbEntryRow))
    return result.one()


async def all_rows(session: AsyncSession) -> Sequence[KbEntryRow]:
    result = await session.exec(select(KbEntryRow).order_by(col(KbEntryRow.id)))
    return result.all()


async def get(session: AsyncSession, entry_id: str) -> KbEntryRow | None:
    return await session.get(KbEntryRow, entry_id)
