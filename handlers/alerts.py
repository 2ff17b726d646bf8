"""Telling the admins something went wrong that only a person can fix (a Zalo OA whose consent
must be granted again), on a channel other than the broken one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db.models import Identity, RoleGrant
from handlers import texts
from handlers.access import ADMIN
from handlers.contract import Reply
from handlers.recipients import PUSH_CHANNELS


async def alert_admins(
    session: AsyncSession, text: str, now: datetime, key: str, *, avoid: str
) -> int:
    """Queue ``text`` to every admin on each push channel except ``avoid``; ``key`` makes a
    repeated alert (one per failed refresh) a no-op. Returns how many were queued."""
    query = (
        select(Identity)
        .join(RoleGrant, col(RoleGrant.person_id) == Identity.person_id)
        .where(
            RoleGrant.role == ADMIN,
            col(RoleGrant.revoked_at).is_(None),
            col(Identity.channel).in_([c for c in PUSH_CHANNELS if c != avoid]),
            col(Identity.unreachable_at).is_(None),
        )
        .distinct()
    )
    queued = 0
    for identity in (await session.exec(query)).all():
        dedupe = f"alert:{key}:{identity.channel}:{identity.external_id}"
        if await outbox.enqueue(
            session, identity.channel, identity.external_id, Reply(text).to_json(), now, dedupe
        ):
            queued += 1
    return queued


async def guessing_alert(session: AsyncSession, channel: str, now: datetime) -> None:
    """Admins hear, at most once an hour, that someone keeps guessing codes."""
    text = texts.CODE_GUESSING_ALERT.format(channel=texts.CHANNEL_NAMES.get(channel, channel))
    await alert_admins(session, text, now, f"guessing:{now:%Y%m%d%H}", avoid="")
