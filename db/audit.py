"""The audit log of official and admin actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import AuditLog


def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    actor_person_id: int | None = None,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            at=at,
            actor=actor,
            actor_person_id=actor_person_id,
            action=action,
            target=target,
            before=before,
            after=after,
        )
    )


async def entries(session: AsyncSession, action: str | None = None) -> Sequence[AuditLog]:
    query = select(AuditLog).order_by(col(AuditLog.id))
    if action is not None:
        query = query.where(AuditLog.action == action)
    return (await session.exec(query)).all()
