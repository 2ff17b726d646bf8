"""The record of channel updates already handled, so a redelivery has no second effect."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import ProcessedUpdate


async def find(session: AsyncSession, channel: str, update_key: str) -> ProcessedUpdate | None:
    query = select(ProcessedUpdate).where(
        ProcessedUpdate.channel == channel, ProcessedUpdate.update_key == update_key
    )
    return (await session.exec(query)).one_or_none()


def record(
    session: AsyncSession,
    channel: str,
    update_key: str,
    replies: list[dict[str, Any]],
    now: datetime,
) -> None:
    """Add the record to the unit of work; the unique key rejects a concurrent duplicate."""
    session.add(
        ProcessedUpdate(channel=channel, update_key=update_key, replies=replies, created_at=now)
    )
