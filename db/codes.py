"""One-time codes (role invites, channel links)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import OneTimeCode


def add(session: AsyncSession, code: OneTimeCode) -> None:
    session.add(code)


async def claim(
    session: AsyncSession,
    code_hash: str,
    person_id: int | None,
    now: datetime,
    purpose: str | None = None,
) -> OneTimeCode | None:
    """Claim an unexpired, unclaimed code (of one purpose, if given); of two concurrent claims
    exactly one wins."""
    conditions = [
        col(OneTimeCode.code_hash) == code_hash,
        col(OneTimeCode.claimed_at).is_(None),
        col(OneTimeCode.expires_at) > now,
    ]
    if purpose is not None:
        conditions.append(col(OneTimeCode.purpose) == purpose)
    result = await session.exec(
        update(OneTimeCode)
        .where(*conditions)
        .values(claimed_at=now, claimed_by=person_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    query = select(OneTimeCode).where(OneTimeCode.code_hash == code_hash)
    return (await session.exec(query)).one()


async def usable(session: AsyncSession, code_hash: str, now: datetime, purpose: str) -> bool:
    """Whether ``claim`` would take this code now; claims nothing."""
    query = select(OneTimeCode.id).where(
        col(OneTimeCode.code_hash) == code_hash,
        col(OneTimeCode.claimed_at).is_(None),
        col(OneTimeCode.expires_at) > now,
        col(OneTimeCode.purpose) == purpose,
    )
    return (await session.exec(query)).first() is not None
