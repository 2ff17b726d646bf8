"""Counting FAQ answers and declines per day (no question text: that lives, masked, in
unanswered_question for the gaps an admin fills). Repositories never commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import upsert_insert
from db.models import FaqUse

DECLINED = ""


# Answers (entry id) and declines (DECLINED) counted per day while a batch is answered,
# written once at its end.
Tally = Counter[tuple[date, str]]


def count(uses: Tally, day: date, entry_id: str | None) -> None:
    uses[(day, entry_id or DECLINED)] += 1


@cache
def _add_uses(insert: Any) -> Any:
    """The dialect's upsert of day counts, built once (``excluded`` alone costs more than
    the round trip)."""
    table = FaqUse.__table__  # type: ignore[attr-defined]
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=["day", "entry_id"],
        set_={"count": table.c.count + statement.excluded.count},
    )


async def record(session: AsyncSession, uses: Tally) -> None:
    """Add the tallied uses to the day's counts, in one statement."""
    if not uses:
        return
    # In key order: two transactions counting the same entries lock their rows in the same
    # order, so they queue instead of deadlocking.
    rows = [{"day": day, "entry_id": entry, "count": n} for (day, entry), n in sorted(uses.items())]
    await session.exec(_add_uses(upsert_insert(session)), params=rows)


async def totals(session: AsyncSession, first: date, last: date) -> Sequence[tuple[str, int]]:
    """(entry id or "" for declined, count) over [first, last], most used first."""
    query = (
        select(FaqUse.entry_id, func.sum(FaqUse.count))
        .where(col(FaqUse.day) >= first, col(FaqUse.day) <= last)
        .group_by(col(FaqUse.entry_id))
        .order_by(func.sum(FaqUse.count).desc())
    )
    return [(str(entry), int(total)) for entry, total in (await session.exec(query)).all()]
