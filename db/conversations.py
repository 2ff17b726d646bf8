"""Conversation state rows, one per (channel, chat), with optimistic concurrency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, cast, insert
from sqlmodel import col, delete, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import dialect, one_of
from db.models import Conversation


class StaleConversation(Exception):
    """Another worker saved this conversation first; the caller retries from fresh state."""


@dataclass
class ChatState:
    """A detached copy of a conversation row that flows read and change freely."""

    channel: str
    chat_id: str
    # None until the first save writes the row.
    id: int | None = None
    version: int = 0
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    offered: list[str] = field(default_factory=list)


_TABLE = Conversation.__table__  # type: ignore[attr-defined]


def _load(dialect: str, lock: bool) -> Any:
    query = (
        _TABLE.select()
        .with_only_columns(
            _TABLE.c.id,
            _TABLE.c.chat_id,
            _TABLE.c.version,
            _TABLE.c.flow,
            _TABLE.c.step,
            _TABLE.c.data,
            _TABLE.c.offered,
        )
        .where(
            _TABLE.c.channel == bindparam("of_channel"),
            one_of(_TABLE.c.chat_id, "chat_ids")[dialect],
        )
    )
    # In id order, so two transactions locking overlapping chats cannot deadlock.
    return query.order_by(_TABLE.c.id).with_for_update() if lock else query


# Built once: (dialect, lock) -> statement.
_LOAD = {
    (name, lock): _load(name, lock) for name in ("postgresql", "sqlite") for lock in (False, True)
}


async def load(session: AsyncSession, channel: str, chat_id: str) -> ChatState:
    """The state of a chat; a fresh one (written by its first save) on first contact."""
    return (await load_many(session, channel, [chat_id]))[chat_id]


async def load_many(
    session: AsyncSession, channel: str, chat_ids: list[str], *, lock: bool = False
) -> dict[str, ChatState]:
    """The states of several chats of one channel, in one query. With ``lock`` the rows are
    the transaction's until it ends (PostgreSQL: FOR UPDATE; SQLite's write transaction
    already excludes every other writer), so ``save_many`` needs no version check."""
    rows = await session.exec(
        _LOAD[(dialect(session), lock)],
        params={"of_channel": channel, "chat_ids": list(set(chat_ids))},
    )
    found = {
        chat: ChatState(channel, chat, state_id, version, flow, step, dict(data), list(offered))
        for state_id, chat, version, flow, step, data, offered in rows.all()
    }
    return {chat: found.get(chat) or ChatState(channel, chat) for chat in chat_ids}


def _written(state: ChatState, now: datetime) -> dict[str, Any]:
    """What a save writes, new row or not."""
    return {
        "flow": state.flow,
        "step": state.step,
        "data": state.data,
        "offered": state.offered,
        "updated_at": now,
    }


async def save(session: AsyncSession, state: ChatState, now: datetime) -> None:
    """Write the state back, failing if someone else changed the row since it was loaded."""
    if state.id is None:
        # A concurrent first message of the same chat makes this fail on the unique key;
        # the caller retries the whole update and then finds the row.
        await save_many(session, [state], now)
        return
    result = await session.exec(
        update(Conversation)
        .where(col(Conversation.id) == state.id, col(Conversation.version) == state.version)
        .values(**_written(state, now), version=state.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleConversation(f"conversation {state.id}")
    state.version += 1


# Matched back by chat, which is unique within the channel: no order to keep.
_INSERT = insert(_TABLE).returning(_TABLE.c.chat_id, _TABLE.c.id)
_UPDATE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("state_id"))
    .values(
        flow=bindparam("flow"),
        step=bindparam("step"),
        data=bindparam("data"),
        offered=bindparam("offered"),
        version=_TABLE.c.version + 1,
        updated_at=bindparam("updated_at"),
    )
)


async def save_many(session: AsyncSession, states: list[ChatState], now: datetime) -> None:
    """Write back states loaded with ``lock``: one statement for the new chats, one for the
    others. A concurrent first message of a new chat makes this fail on the unique key."""
    fresh = [state for state in states if state.id is None]
    known = [state for state in states if state.id is not None]
    if fresh:
        rows = [
            {"channel": state.channel, "chat_id": state.chat_id, "version": 1}
            | _written(state, now)
            for state in fresh
        ]
        ids = dict((await session.exec(_INSERT, params=rows)).all())
        for state in fresh:
            state.id, state.version = ids[state.chat_id], 1
    if known:
        await session.exec(
            _UPDATE,
            params=[{"state_id": state.id} | _written(state, now) for state in known],
        )
        for state in known:
            state.version += 1


async def forget_idle_forms(session: AsyncSession, cutoff: datetime) -> int:
    """Clear the flow, step and gathered answers of chats idle since ``cutoff``: what a person
    typed into a form they never sent is not kept. The version moves, so a turn racing this
    starts again from the cleared state."""
    holds_answers = cast(col(Conversation.data), String) != "{}"
    result = await session.exec(
        update(Conversation)
        .where(
            col(Conversation.updated_at) < cutoff,
            col(Conversation.flow).is_not(None)
            | col(Conversation.step).is_not(None)
            | holds_answers,
        )
        .values(flow=None, step=None, data={}, version=col(Conversation.version) + 1)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)


async def delete_idle(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.exec(
        delete(Conversation)
        .where(col(Conversation.updated_at) < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)
