"""Web chat sessions and the pushes waiting for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import dialect, one_of
from db.models import Identity, RoleGrant, WebPush, WebSession

# The web chat's channel name, as identities and conversations store it.
CHANNEL = "web"


async def touch(session: AsyncSession, token_hash: str, now: datetime) -> bool:
    """Mark a session as seen; False if no such session exists."""
    result = await session.exec(
        update(WebSession).where(col(WebSession.token_hash) == token_hash).values(last_seen_at=now)
    )
    return result.rowcount == 1


async def seen(session: AsyncSession, token_hash: str, now: datetime, every: timedelta) -> bool:
    """Whether the session exists; it is marked seen only if it was last seen ``every`` ago
    or more (a page polling every few seconds would otherwise write its row each time)."""
    query = select(WebSession.last_seen_at).where(col(WebSession.token_hash) == token_hash)
    last = (await session.exec(query)).one_or_none()
    if last is None:
        return False
    if last <= now - every:
        await touch(session, token_hash, now)
    return True


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


@dataclass(frozen=True)
class Seen:
    """A web session as a turn needs it, read in one statement: when it was last seen, the
    person behind it (None before their first turn) and the roles they hold."""

    last_seen_at: datetime
    person_id: int | None
    person_seen_at: datetime | None
    roles: tuple[tuple[str, int], ...]


_SESSIONS = WebSession.__table__  # type: ignore[attr-defined]
_IDENTITIES = Identity.__table__  # type: ignore[attr-defined]
_GRANTS = RoleGrant.__table__  # type: ignore[attr-defined]


def _resolve(dialect: str) -> Any:
    return (
        sa_select(
            _SESSIONS.c.token_hash,
            _SESSIONS.c.last_seen_at,
            _IDENTITIES.c.person_id,
            _IDENTITIES.c.last_seen_at,
            _GRANTS.c.role,
            _GRANTS.c.unit_id,
        )
        .select_from(
            _SESSIONS.outerjoin(
                _IDENTITIES,
                (_IDENTITIES.c.channel == CHANNEL)
                & (_IDENTITIES.c.external_id == _SESSIONS.c.token_hash),
            ).outerjoin(
                _GRANTS,
                (_GRANTS.c.person_id == _IDENTITIES.c.person_id) & _GRANTS.c.revoked_at.is_(None),
            )
        )
        .where(one_of(_SESSIONS.c.token_hash, "hashes")[dialect])
    )


# Session, person and roles of several cookies in one statement, built once per dialect.
_RESOLVE = {name: _resolve(name) for name in ("postgresql", "sqlite")}
_CREATE = sa_insert(_SESSIONS)
_TOUCH = (
    sa_update(_SESSIONS)
    .where(_SESSIONS.c.token_hash.in_(bindparam("hashes", expanding=True)))
    .values(last_seen_at=bindparam("now"))
)


async def resolve(session: AsyncSession, token_hashes: Sequence[str]) -> dict[str, Seen]:
    """The sessions among these hashes that exist, with their people and roles."""
    rows = await session.exec(
        _RESOLVE[dialect(session)], params={"hashes": list(set(token_hashes))}
    )
    found: dict[str, Seen] = {}
    for token_hash, seen_at, person_id, person_seen_at, role, unit_id in rows.all():
        before = found.get(token_hash)
        roles = before.roles if before else ()
        if role is not None:
            roles = (*roles, (role, unit_id))
        found[token_hash] = Seen(seen_at, person_id, person_seen_at, roles)
    return found


async def create_many(session: AsyncSession, token_hashes: Sequence[str], now: datetime) -> None:
    rows = [{"token_hash": h, "created_at": now, "last_seen_at": now} for h in token_hashes]
    await session.exec(_CREATE, params=rows)


async def touch_many(session: AsyncSession, token_hashes: Sequence[str], now: datetime) -> None:
    """Mark sessions as seen (the caller touches only those not seen for a while)."""
    await session.exec(_TOUCH, params={"hashes": list(token_hashes), "now": now})
