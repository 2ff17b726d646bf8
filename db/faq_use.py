"""Counting FAQ answers and declines per day (no question text: that lives, masked, in
unanswered_question for the gaps an admin fills). Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import upsert_insert
from db.models import FaqUse

DECLINED = ""


async def count(session: AsyncSession, day: date, entry_id: str | None) -> None:
    insert = upsert_insert(session)
    statement = insert(FaqUse).values(day=day, entry_id=entry_id or DECLINED, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "entry_id"], set_={"count": col(FaqUse.count) + 1}
    )
    await session.exec(statement)


async def totals(session: AsyncSession, first: date, last: date) -> Sequence[tuple[str, int]]:
    """(entry id or "" for declined, count) over [first, last], most used first."""
    query = (
        select(FaqUse.entry_id, func.sum(FaqUse.count))
        .where(col(FaqUse.day) >= first, col(FaqUse.day) <= last)
        .group_by(col(FaqUse.entry_id))
        .order_by(func.sum(FaqUse.count).desc())
    )
    return [(str(entry), int(total)) for entry, total in (await session.exec(query)).all()]
