"""Files sent with a đơn, once the clock has fetched them: which đơn still wait for files, and
what is recorded and told once they are fetched (the fetching itself is delivery, in
``bot/attachments.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db.models import Petition
from handlers import texts
from handlers.contract import Reply

# Only đơn filed recently can still have files waiting.
LOOK_BACK = timedelta(days=7)
# Why a file was not kept, as the citizen is told.
TOO_BIG, WRONG_TYPE, UNREACHABLE = texts.FILE_TOO_BIG, texts.FILE_WRONG_TYPE, texts.FILE_UNREACHABLE


async def waiting(session: AsyncSession, now: datetime) -> list[Petition]:
    """Recent đơn with file references not fetched yet."""
    query = select(Petition).where(col(Petition.created_at) > now - LOOK_BACK)
    return [p for p in (await session.exec(query)).all() if p.details.get("files")]


async def record(
    session: AsyncSession,
    petition_id: int,
    kept: list[dict[str, object]],
    problems: list[tuple[int, str]],
    now: datetime,
) -> bool:
    """The files kept go into the đơn's record; the citizen is told of each one refused, on
    the channel they filed from. False if the đơn is gone."""
    row = await session.get(Petition, petition_id)
    if row is None:
        return False
    details = dict(row.details)
    details.pop("files", None)
    details["stored"] = kept
    row.details = details
    row.updated_at = now
    session.add(row)
    if row.channel and row.chat_id:
        for number, reason in problems:
            text = texts.PETITION_FILE_REJECTED.format(number=number, code=row.code, reason=reason)
            await outbox.enqueue(
                session,
                row.channel,
                row.chat_id,
                Reply(text).to_json(),
                now,
                f"petition:{row.id}:file:{number}",
            )
    return True
