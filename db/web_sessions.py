"""Web chat sessions and the pushes waiting for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import WebPush, WebSession


async def touch(session: AsyncSession, token_hash: str, now: datetime) -> bool:
    """Mark a session as seen; False if no such session exists."""
    result = await session.exec(
        update(WebSession).where(col(WebSession.token_hash) == token_hash).values(last_seen_at=now)
    )
    return result.rowcount == 1


def create(session: AsyncSession, token_hash: str, now: datetime) -> None:
    session.add(WebSession(token_hash=token_hash, created_at=now, last_seen_at=now))


def push(session: AsyncSession, token_hash: str, reply: dict[str, Any], now: datetime) -> None:
    session.add(WebPush(session_hash=token_hash, reply=reply, created_at=now))


async def delivered(session: AsyncSession, token_hash: str, limit: int) -> Sequence[WebPush]:
    """The session's last pushes the page has already shown, oldest first."""
    query = (
        select(WebPush)
        .where(WebPush.session_hash == token_hash, col(WebPush.delivered_at).is_not(None))
        .order_by(col(WebPush.id).desc())
        .limit(limit)
    )
    return list(reversed((await session.exec(query)).all()))


async def take_pending(session: AsyncSession, token_hash: str, now: datetime) -> Sequence[WebPush]:
    """Pushes not yet delivered to this session, marked delivered in the same transaction."""
    query = (
        select(WebPush)
        .where(WebPush.session_hash == token_hash, col(WebPush.delivered_at).is_(None))
        .order_by(col(WebPush.id))
        .with_for_update(skip_locked=True)
    )
    pending = (await session.exec(query)).all()
    for item in pending:
        item.delivered_at = now
    return pending
