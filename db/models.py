"""SQLModel tables. Schema changes go through Alembic (db/migrations), never create_all."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend: stored in UTC, read back aware.

    SQLite keeps no zone, so a plain DateTime(timezone=True) would hand back naive values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware one from the clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class KbEntryRow(SQLModel, table=True):
    """A knowledge-base entry as the assistant serves it (seeded from YAML, edited by admins)."""

    __tablename__ = "kb_entry"

    id: str = Field(primary_key=True, max_length=64)
    topic: str
    questions: list[str] = _json()
    keywords: list[str] = _json()
    answer: str
    sources: list[dict[str, Any]] = _json()
    status: str = Field(max_length=16)
    valid_from: date | None = None
    review_after: date | None = None
    amended_note: str | None = None
    # Fingerprint of the YAML entry this row was last seeded from; None if created by an admin.
    seed_hash: str | None = Field(default=None, max_length=32)
    # Set when an admin edits the row, so a later seed import leaves it alone unless forced.
    edited_by_admin: bool = False
    updated_at: datetime = _when()


class KbState(SQLModel, table=True):
    """One row: the knowledge base's version, bumped by every change so processes reindex."""

    __tablename__ = "kb_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0


class Conversation(SQLModel, table=True):
    """Where a chat stands: the flow and step it is in and what it has gathered so far."""

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("channel", "chat_id", name="uq_conversation_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Buttons offered by the last reply; a press or typed number must name one of them.
    offered: list[str] = _json()
    version: int = 0
    updated_at: datetime = _when()


class ProcessedUpdate(SQLModel, table=True):
    """A channel update already handled, with the replies it produced (sent again on retry)."""

    __tablename__ = "processed_update"
    __table_args__ = (UniqueConstraint("channel", "update_key", name="uq_processed_update"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    update_key: str = Field(max_length=128)
    replies: list[dict[str, Any]] = _json()
    created_at: datetime = _when()


class WebSession(SQLModel, table=True):
    """A web chat visitor, known by the hash of a random server-issued cookie."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()


class WebPush(SQLModel, table=True):
    """A message pushed to a web chat session, waiting for the page to poll it."""

    __tablename__ = "web_push"

    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(foreign_key="web_session.token_hash", index=True, max_length=64)
    reply: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _when()
    delivered_at: datetime | None = _when(nullable=True)
