"""Conversation state rows, one per (channel, chat), with optimistic concurrency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Conversation


class StaleConversation(Exception):
    """Another worker saved this conversation first; the caller retries from fresh state."""


@dataclass
class ChatState:
    """A detached copy of a conversation row that flows read and change freely."""

    id: int
    version: int
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    offered: list[str] = field(default_factory=list)


def _state(row: Conversation) -> ChatState:
    assert row.id is not None
    return ChatState(
        id=row.id,
        version=row.version,
        flow=row.flow,
        step=row.step,
        data=dict(row.data),
        offered=list(row.offered),
    )


async def load(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> ChatState:
    """The state of a chat, created empty on first contact."""
    query = select(Conversation).where(
        Conversation.channel == channel, Conversation.chat_id == chat_id
    )
    found = (await session.exec(query)).one_or_none()
    if found is not None:
        return _state(found)
    fresh = Conversation(channel=channel, chat_id=chat_id, updated_at=now)
    session.add(fresh)
    # A concurrent first message of the same chat makes this flush fail on the unique key;
    # the caller retries the whole update and then finds the row.
    await session.flush()
    return _state(fresh)


async def save(session: AsyncSession, state: ChatState, now: datetime) -> None:
    """Write the state back, failing if someone else changed the row since it was loaded."""
    result = await session.exec(
        update(Conversation)
        .where(col(Conversation.id) == state.id, col(Conversation.version) == state.version)
        .values(
            flow=state.flow,
            step=state.step,
            data=state.data,
            offered=state.offered,
            version=state.version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleConversation(f"conversation {state.id}")
    state.version += 1
