"""The inbox: every channel update stored before it is acknowledged, processed once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import upsert_insert
from db.models import InboxItem

PENDING, PROCESSING, DONE, FAILED = "pending", "processing", "done", "failed"


async def find(session: AsyncSession, channel: str, update_key: str) -> InboxItem | None:
    query = select(InboxItem).where(
        InboxItem.channel == channel, InboxItem.update_key == update_key
    )
    return (await session.exec(query)).one_or_none()


async def find_many(
    session: AsyncSession, channel: str, update_keys: Sequence[str]
) -> dict[str, InboxItem]:
    query = select(InboxItem).where(
        InboxItem.channel == channel, col(InboxItem.update_key).in_(set(update_keys))
    )
    return {item.update_key: item for item in (await session.exec(query)).all()}


def add(
    session: AsyncSession,
    channel: str,
    update_key: str,
    chat_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> InboxItem:
    item = InboxItem(
        channel=channel, update_key=update_key, chat_id=chat_id, payload=payload, created_at=now
    )
    session.add(item)
    return item


async def add_new(
    session: AsyncSession,
    channel: str,
    updates: Sequence[tuple[str, str, dict[str, Any]]],
    now: datetime,
) -> dict[str, int]:
    """Store (update key, chat, payload) rows in one statement, skipping keys already stored;
    returns the ids of the rows added, by key."""
    return await _add(
        session,
        [
            _row(channel, key, chat_id, now, payload=payload, status=PENDING)
            for key, chat_id, payload in updates
        ],
    )


async def add_done(
    session: AsyncSession,
    channel: str,
    updates: Sequence[tuple[str, str, list[dict[str, Any]], dict[str, Any] | None]],
    now: datetime,
) -> dict[str, int]:
    """Store (update key, chat, replies, said) rows handled in the caller's transaction, in one
    statement, skipping keys already stored; returns the ids of the rows added, by key."""
    return await _add(
        session,
        [
            _row(channel, key, chat_id, now, status=DONE, replies=replies, said=said)
            for key, chat_id, replies, said in updates
        ],
    )


async def add_answered(
    session: AsyncSession,
    channel: str,
    updates: Sequence[tuple[str, str, list[dict[str, Any]], dict[str, Any] | None]],
    now: datetime,
) -> None:
    """Store (update key, chat, replies, said) rows handled in the caller's transaction, as
    one executemany of one statement text. A key stored before (a redelivery) raises
    IntegrityError: the caller's transaction is undone and it takes the long way."""
    rows = [
        _row(channel, key, chat_id, now, status=DONE, replies=replies, said=said)
        for key, chat_id, replies, said in updates
    ]
    await session.exec(_PLAIN_INSERT, params=rows)


_PLAIN_INSERT = insert(InboxItem.__table__)  # type: ignore[attr-defined]


def _row(
    channel: str,
    key: str,
    chat_id: str,
    now: datetime,
    *,
    status: str,
    payload: dict[str, Any] | None = None,
    replies: list[dict[str, Any]] | None = None,
    said: dict[str, Any] | None = None,
) -> dict[str, Any]:
    done = status == DONE
    return {
        "channel": channel,
        "update_key": key,
        "chat_id": chat_id,
        "payload": payload,
        "status": status,
        "replies": replies or [],
        "said": said,
        "attempts": 1 if done else 0,
        "claimed_until": None,
        "created_at": now,
        "processed_at": now if done else None,
    }


async def _add(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[str, int]:
    added = await session.exec(_insert(upsert_insert(session)), params=rows)
    return {key: item_id for key, item_id in added.all()}


@cache
def _insert(insert: Any) -> Any:
    # Core, not the ORM's bulk insert: the same statement for any batch size, no model objects.
    table = InboxItem.__table__  # type: ignore[attr-defined]
    return insert(table).on_conflict_do_nothing().returning(table.c.update_key, table.c.id)


def _claimable(now: datetime) -> Any:
    return or_(
        col(InboxItem.status) == PENDING,
        (col(InboxItem.status) == PROCESSING) & (col(InboxItem.claimed_until) < now),
    )


async def claim(session: AsyncSession, item_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the item for processing; False if another worker holds it or it is done."""
    return await claim_all(session, [item_id], now, lease)


async def claim_all(
    session: AsyncSession, item_ids: Sequence[int], now: datetime, lease: timedelta
) -> bool:
    """Take all the items for processing, or (False) learn that another worker holds or
    finished one of them; the caller then rolls back."""
    result = await session.exec(
        update(InboxItem)
        .where(col(InboxItem.id).in_(item_ids), _claimable(now))
        .values(status=PROCESSING, claimed_until=now + lease, attempts=col(InboxItem.attempts) + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == len(set(item_ids))


async def complete(
    session: AsyncSession,
    item_id: int,
    replies: list[dict[str, Any]],
    now: datetime,
    said: dict[str, Any] | None = None,
) -> None:
    """Mark done, keep the replies for redeliveries, and drop the raw payload (keeping only
    ``said`` where the channel shows the conversation back)."""
    await complete_all(session, {item_id: replies}, now, {item_id: said})


async def complete_all(
    session: AsyncSession,
    replies: dict[int, list[dict[str, Any]]],
    now: datetime,
    said: dict[int, dict[str, Any] | None] | None = None,
) -> None:
    """``complete`` for several items in one round trip (an executemany by primary key)."""
    await session.exec(
        update(InboxItem),
        params=[
            {
                "id": item_id,
                "status": DONE,
                "replies": item_replies,
                "payload": None,
                "said": (said or {}).get(item_id),
                "processed_at": now,
                "claimed_until": None,
            }
            for item_id, item_replies in replies.items()
        ],
    )


async def hide_chat(
    session: AsyncSession, channel: str, chat_id: str, said: dict[str, Any]
) -> None:
    """Replace what was kept of every earlier message of a chat by ``said`` (the replies stay,
    for redeliveries)."""
    # A JSON column keeps "nothing" as JSON null, which SQL's IS NULL does not see.
    query = select(InboxItem.id, InboxItem.said).where(
        InboxItem.channel == channel, InboxItem.chat_id == chat_id
    )
    kept = [item_id for item_id, before in (await session.exec(query)).all() if before]
    if kept:
        await session.exec(update(InboxItem).where(col(InboxItem.id).in_(kept)).values(said=said))


async def recent_done(
    session: AsyncSession, channel: str, chat_id: str, limit: int
) -> Sequence[InboxItem]:
    """A chat's last handled updates, oldest first."""
    query = (
        select(InboxItem)
        .where(
            InboxItem.channel == channel,
            InboxItem.chat_id == chat_id,
            InboxItem.status == DONE,
        )
        .order_by(col(InboxItem.id).desc())
        .limit(limit)
    )
    return list(reversed((await session.exec(query)).all()))


async def record_failure(
    session: AsyncSession,
    item_id: int,
    error: str,
    now: datetime,
    retry_in: timedelta,
    give_up_after: int,
) -> InboxItem | None:
    """Count a failed attempt at an item (the attempt's own transaction was rolled back, claim
    included). It is tried again after ``retry_in`` times the failures so far, and set aside
    as failed after ``give_up_after`` failures. Returns the item, or None if it is no longer
    waiting (done meanwhile, or already set aside)."""
    item = await session.get(InboxItem, item_id, with_for_update=True)
    if item is None or item.status in (DONE, FAILED):
        return None
    item.attempts += 1
    item.error = error[:200]
    if item.attempts >= give_up_after:
        item.status, item.claimed_until = FAILED, None
    else:
        item.status, item.claimed_until = PROCESSING, now + retry_in * item.attempts
    session.add(item)
    return item


async def failed(session: AsyncSession, limit: int = 100) -> Sequence[InboxItem]:
    query = (
        select(InboxItem)
        .where(col(InboxItem.status) == FAILED)
        .order_by(col(InboxItem.id).desc())
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def retry(session: AsyncSession, item_id: int) -> bool:
    """Put a failed item back in the queue (after a fix), with its failures forgotten."""
    result = await session.exec(
        update(InboxItem)
        .where(col(InboxItem.id) == item_id, col(InboxItem.status) == FAILED)
        .values(status=PENDING, attempts=0, error=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def abandoned(
    session: AsyncSession, now: datetime, older_than: timedelta, limit: int = 50
) -> Sequence[InboxItem]:
    """Items whose process died before finishing them (still pending, or lease expired)."""
    query = (
        select(InboxItem)
        .where(_claimable(now), col(InboxItem.created_at) < now - older_than)
        .order_by(col(InboxItem.id))
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def pending_count(session: AsyncSession) -> int:
    query = (
        select(func.count())
        .select_from(InboxItem)
        .where(col(InboxItem.status).in_((PENDING, PROCESSING)))
    )
    return (await session.exec(query)).one()


async def failed_count(session: AsyncSession) -> int:
    query = select(func.count()).select_from(InboxItem).where(col(InboxItem.status) == FAILED)
    return (await session.exec(query)).one()
