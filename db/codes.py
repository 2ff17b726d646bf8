"""One-time codes (role invites, channel links) and the failures that lock a sender out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import CodeFailure, OneTimeCode


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


def record_failure(session: AsyncSession, channel: str, external_id: str, now: datetime) -> None:
    session.add(CodeFailure(channel=channel, external_id=external_id, at=now))


async def recent_failures(
    session: AsyncSession, channel: str, external_id: str, now: datetime, window: timedelta
) -> int:
    query = (
        select(func.count())
        .select_from(CodeFailure)
        .where(
            CodeFailure.channel == channel,
            CodeFailure.external_id == external_id,
            col(CodeFailure.at) > now - window,
        )
    )
    return (await session.exec(query)).one()
