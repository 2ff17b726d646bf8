"""A push a channel will not deliver now (Zalo OA answers only within a window after the
person's last message): sent where else the person can be reached, saying why; otherwise kept,
marked, for when they next write. The deliverer reports the refusal; this decides."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox, people
from db.models import Outbox
from db.outbox import Claimed
from handlers import texts
from handlers.clock import format_datetime
from handlers.contract import Reply


def _window(days: int | None) -> str:
    return texts.WINDOW_DAYS.format(days=days) if days else texts.WINDOW_SOME_TIME


async def hold_or_reroute(
    session: AsyncSession,
    row: Claimed,
    now: datetime,
    pushable: Collection[str],
    window_days: int | None,
) -> str:
    """The row's new status: rerouted through a linked channel in ``pushable``, or held."""
    reply = Reply.from_json(row.reply)
    channel = texts.CHANNEL_NAMES.get(row.channel, row.channel)
    for other in await people.other_identities(session, row.channel, row.chat_id):
        if other.channel in pushable:
            note = texts.REROUTED_NOTE.format(channel=channel, window=_window(window_days))
            await outbox.enqueue(
                session,
                other.channel,
                other.external_id,
                Reply(note + reply.text, reply.buttons).to_json(),
                now,
            )
            return outbox.REROUTED
    note = texts.HELD_NOTE.format(
        when=format_datetime(row.created_at), channel=channel, window=_window(window_days)
    )
    held = Reply(note + reply.text, reply.buttons).to_json()
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id) == row.id)
        .values(reply=held)
        .execution_options(synchronize_session=False)
    )
    return outbox.HELD
