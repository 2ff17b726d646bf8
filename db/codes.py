"""One-time codes (role invites, channel links)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import OneTimeCode


def add(session: AsyncSession, code: OneTimeCode) -> None:
    session.add(code)


async def claim(
    session: AsyncSession, code_hash: str, person_id: int, now: datetime
) -> OneTimeCode | None:
    """Claim an unexpired, unclaimed code; of two concurrent claims exactly one wins."""
    result = await session.exec(
        update(OneTimeCode)
        .where(
            col(OneTimeCode.code_hash) == code_hash,
            col(OneTimeCode.claimed_at).is_(None),
            col(OneTimeCode.expires_at) > now,
        )
        .values(claimed_at=now, claimed_by=person_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    query = select(OneTimeCode).where(OneTimeCode.code_hash == code_hash)
    return (await session.exec(query)).one()
