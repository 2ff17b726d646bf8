"""One-time codes (role invites, channel links)."""

from __future__ import annotations

from collections.abc import Sequence
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


async def pending(
    session: AsyncSession, purpose: str, unit_ids: set[int], now: datetime
) -> Sequence[OneTimeCode]:
    """Codes of these units not yet claimed and not expired, oldest first."""
    query = select(OneTimeCode).where(
        col(OneTimeCode.purpose) == purpose,
        col(OneTimeCode.unit_id).in_(unit_ids),
        col(OneTimeCode.claimed_at).is_(None),
        col(OneTimeCode.expires_at) > now,
    )
    return (await session.exec(query.order_by(col(OneTimeCode.id)))).all()


async def cancel(session: AsyncSession, code_id: int, now: datetime) -> bool:
    """Let a pending code expire now; False if it was claimed or expired already."""
    result = await session.exec(
        update(OneTimeCode)
        .where(
            col(OneTimeCode.id) == code_id,
            col(OneTimeCode.claimed_at).is_(None),
            col(OneTimeCode.expires_at) > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)
