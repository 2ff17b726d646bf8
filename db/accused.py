"""Staff accounts named in a tố cáo (a đơn or a booking). Repositories never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Accused

PETITION, BOOKING = "petition", "booking"


async def of(session: AsyncSession, kind: str, target_id: int) -> set[int]:
    query = select(Accused.person_id).where(Accused.kind == kind, Accused.target_id == target_id)
    return set((await session.exec(query)).all())


async def targets_naming(session: AsyncSession, kind: str, person_id: int) -> set[int]:
    """The đơn or bookings (by kind) in which this person is marked as accused."""
    query = select(Accused.target_id).where(Accused.kind == kind, Accused.person_id == person_id)
    return set((await session.exec(query)).all())


async def mark(
    session: AsyncSession,
    kind: str,
    target_id: int,
    person_ids: Iterable[int],
    marked_by: str,
    now: datetime,
) -> list[int]:
    """Mark people as accused; returns those newly marked."""
    known = await of(session, kind, target_id)
    added = [pid for pid in dict.fromkeys(person_ids) if pid not in known]
    for person_id in added:
        session.add(
            Accused(
                kind=kind,
                target_id=target_id,
                person_id=person_id,
                marked_by=marked_by,
                marked_at=now,
            )
        )
    return added


async def is_marked(session: AsyncSession, kind: str, target_id: int, person_id: int) -> bool:
    query = select(col(Accused.id)).where(
        Accused.kind == kind, Accused.target_id == target_id, Accused.person_id == person_id
    )
    return (await session.exec(query)).first() is not None
