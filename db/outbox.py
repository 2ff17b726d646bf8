"""The outbox: every push is a row before it is sent; rows are claimed atomically to send.

A claim is a lease: the claiming process has until ``claimed_until`` to report the outcome.
If it dies first, the row becomes claimable again, so a push is delivered at least once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, delete, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import insert_ids, upsert_insert
from db.models import Outbox

PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"
# Held: the channel will not deliver now (Zalo OA's 7-day window); sent when the person writes.
# Rerouted: delivered through another channel the person linked instead.
HELD, REROUTED = "held", "rerouted"


@dataclass(frozen=True)
class Claimed:
    """An outbox row this process holds the claim on: what sending it and recording the
    outcome need. A plain value, not a model: a batch's replies are built by the hundred."""

    id: int
    channel: str
    chat_id: str
    reply: dict[str, Any]
    attempts: int
    claim_token: str
    available_at: datetime
    created_at: datetime


_TABLE = Outbox.__table__  # type: ignore[attr-defined]
_CLAIMED_COLUMNS = (
    _TABLE.c.id,
    _TABLE.c.channel,
    _TABLE.c.chat_id,
    _TABLE.c.reply,
    _TABLE.c.attempts,
    _TABLE.c.claim_token,
    _TABLE.c.available_at,
    _TABLE.c.created_at,
)


async def enqueue(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    reply: dict[str, Any],
    now: datetime,
    dedupe_key: str | None = None,
    *,
    due: datetime | None = None,
) -> bool:
    """Add a push, sent from ``due`` (default now); with a ``dedupe_key`` already queued, do
    nothing and return False."""
    values = {
        "channel": channel,
        "chat_id": chat_id,
        "reply": reply,
        "dedupe_key": dedupe_key,
        "status": PENDING,
        "attempts": 0,
        "available_at": due or now,
        "created_at": now,
    }
    insert = upsert_insert(session)
    statement = insert(Outbox).values(**values).on_conflict_do_nothing()
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


def _claimable(now: datetime) -> Any:
    return or_(
        (col(Outbox.status) == PENDING) & (col(Outbox.available_at) <= now),
        (col(Outbox.status) == SENDING) & (col(Outbox.claimed_until) < now),
    )


async def claim(
    session: AsyncSession, now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Take up to ``limit`` due rows for this process. Two processes never get the same row:
    PostgreSQL skips rows another claimer has locked; SQLite has one writer at a time."""
    token = secrets.token_hex(8)
    due = (
        select(Outbox.id)
        .where(_claimable(now))
        .order_by(col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(due.scalar_subquery()), _claimable(now))
        .values(
            status=SENDING,
            claim_token=token,
            claimed_until=now + lease,
            attempts=col(Outbox.attempts) + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return await claimed_by(session, token)


async def finish(
    session: AsyncSession,
    row_id: int,
    token: str,
    status: str,
    *,
    available_at: datetime | None = None,
    error: str | None = None,
) -> None:
    """Record an outcome other than sent (see ``finish_sent``), if this process still holds
    the claim."""
    values: dict[str, Any] = {"status": status, "claimed_until": None, "last_error": error}
    if available_at is not None:
        values["available_at"] = available_at
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id) == row_id, col(Outbox.claim_token) == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def finish_sent(
    session: AsyncSession, row_ids: Sequence[int], token: str, now: datetime, *, late: bool
) -> None:
    """Record that these rows, claimed with ``token``, were sent."""
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id).in_(row_ids), col(Outbox.claim_token) == token)
        .values(status=SENT, claimed_until=None, last_error=None, sent_at=now, late=late)
        .execution_options(synchronize_session=False)
    )


async def release_held(
    session: AsyncSession,
    channel: str,
    chat_ids: Sequence[str],
    now: datetime,
    claim: tuple[str, datetime] | None = None,
) -> int:
    """These people wrote again: what was held for them becomes due now, or, with a
    ``claim`` (token, lease end), is taken at once by the caller that sends their answers."""
    values: dict[str, Any] = {"status": PENDING, "available_at": now}
    if claim is not None:
        token, until = claim
        values = {
            "status": SENDING,
            "available_at": now,
            "claim_token": token,
            "claimed_until": until,
            "attempts": col(Outbox.attempts) + 1,
        }
    result = await session.exec(
        update(Outbox)
        .where(
            col(Outbox.channel) == channel,
            col(Outbox.chat_id).in_(set(chat_ids)),
            col(Outbox.status) == HELD,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def add_claimed(
    session: AsyncSession,
    replies: Sequence[tuple[str, str, dict[str, Any]]],
    now: datetime,
    claim: tuple[str, datetime],
) -> list[Claimed]:
    """Queue (channel, chat, reply) rows already claimed by the caller, who sends them as soon
    as the transaction commits; if it dies first, the lease runs out and the clock sends them."""
    if not replies:
        return []
    token, until = claim
    rows = [
        {
            "channel": channel,
            "chat_id": chat_id,
            "reply": reply,
            "status": SENDING,
            "attempts": 1,
            "available_at": now,
            "claim_token": token,
            "claimed_until": until,
            "created_at": now,
        }
        for channel, chat_id, reply in replies
    ]
    ids = await insert_ids(session, _TABLE, rows)
    return [
        Claimed(row_id, channel, chat_id, reply, 1, token, now, now)
        for row_id, (channel, chat_id, reply) in zip(ids, replies, strict=True)
    ]


async def claimed_by(session: AsyncSession, token: str) -> list[Claimed]:
    query = (
        _TABLE.select()
        .with_only_columns(*_CLAIMED_COLUMNS)
        .where(_TABLE.c.claim_token == token)
        .order_by(_TABLE.c.id)
    )
    return [Claimed(*row) for row in (await session.exec(query)).all()]


async def enqueue_many(session: AsyncSession, rows: list[dict[str, Any]], now: datetime) -> None:
    """Add many pushes in one statement; each row has channel, chat_id, reply, dedupe_key and
    due. Rows whose dedupe_key is already queued are skipped."""
    if not rows:
        return
    values = [
        {
            "channel": row["channel"],
            "chat_id": row["chat_id"],
            "reply": row["reply"],
            "dedupe_key": row["dedupe_key"],
            "status": PENDING,
            "attempts": 0,
            "available_at": row["due"],
            "created_at": now,
        }
        for row in rows
    ]
    insert = upsert_insert(session)
    # SQLite allows 32 766 bound parameters per statement: chunks of 1 000 rows stay well below.
    for start in range(0, len(values), 1000):
        await session.exec(
            insert(Outbox).values(values[start : start + 1000]).on_conflict_do_nothing()
        )


async def withdraw_prefix(session: AsyncSession, prefix: str) -> int:
    """Drop pushes not sent yet whose key starts with ``prefix`` (the reminders of a booking
    that was cancelled or moved, of a deadline occurrence marked done)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    result = await session.exec(
        delete(Outbox).where(
            col(Outbox.dedupe_key).like(f"{escaped}%", escape="\\"),
            col(Outbox.status).in_((PENDING, HELD)),
        )
    )
    return int(result.rowcount or 0)


async def depth(session: AsyncSession, now: datetime) -> tuple[int, float]:
    """Rows waiting to be sent, and the age in seconds of the oldest one."""
    query = select(func.count(), func.min(Outbox.created_at)).where(
        col(Outbox.status).in_((PENDING, SENDING))
    )
    count, oldest = (await session.exec(query)).one()
    if not count or oldest is None:
        return 0, 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), max(0.0, (now - oldest).total_seconds())
