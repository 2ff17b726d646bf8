"""SQLModel tables. Schema changes go through Alembic (db/migrations), never create_all."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, TypeDecorator, UniqueConstraint
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
    group_name: str = Field(default="Khác", max_length=80)
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


class InboxItem(SQLModel, table=True):
    """A channel update, stored before it is acknowledged and recorded once by its channel id.

    ``payload`` holds the update until it is processed, then is cleared (it may hold a
    denouncer's words); ``replies`` keeps what was answered, sent again on a redelivery. An
    update that keeps failing is set aside as ``failed`` with its payload, for an admin.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_key", name="uq_inbox_update"),
        # A chat's recent turns, for the conversation shown back on reload.
        Index("ix_inbox_chat", "channel", "chat_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    update_key: str = Field(max_length=128)
    chat_id: str = Field(default="", max_length=128)
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    status: str = Field(default="pending", max_length=16, index=True)
    replies: list[dict[str, Any]] = _json()
    attempts: int = 0
    claimed_until: datetime | None = _when(nullable=True)
    created_at: datetime = _when()
    processed_at: datetime | None = _when(nullable=True)
    # The last failure's exception type, kept for the admin when the update is set aside.
    error: str | None = Field(default=None, max_length=200)
    # What the person typed or pressed, for a channel that shows the conversation back (the
    # web page restores it on reload): {"text": ...} or {"button": payload}; masked in a tố cáo.
    said: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class WebSession(SQLModel, table=True):
    """A web chat visitor, known by the hash of a random server-issued cookie."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()


class DeskSession(SQLModel, table=True):
    """A staff member signed in to the desk (bot/desk), known by the hash of a random cookie.
    Ends on logout or after the idle timeout; roles are read again on every request."""

    __tablename__ = "desk_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()
    ended_at: datetime | None = _when(nullable=True)


class WebPush(SQLModel, table=True):
    """A message pushed to a web chat session, waiting for the page to poll it."""

    __tablename__ = "web_push"

    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(foreign_key="web_session.token_hash", index=True, max_length=64)
    reply: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _when()
    delivered_at: datetime | None = _when(nullable=True)


class Unit(SQLModel, table=True):
    """A commune/ward or an office, with its parent (a province, or the commune of an office)."""

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    # Code from the 2025 list of administrative units, where the unit has one.
    code: str | None = Field(default=None, unique=True, max_length=16)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # Former names (communes merged on 01/7/2025 are still called by their old names).
    aliases: list[str] = _json()
    # Address, phone, opening hours, leaders: free-form, shown to citizens.
    profile: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _when()


class Person(SQLModel, table=True):
    """Someone who talks to the assistant, on one or several channels."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str | None = Field(default=None, max_length=200)
    # The commune a citizen of a multi-commune deployment chose.
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # Where this person wants reminders (an official's choice); otherwise where they last wrote.
    notify_channel: str | None = Field(default=None, max_length=16)
    created_at: datetime = _when()


class Identity(SQLModel, table=True):
    """A person's address on one channel (web session, Telegram chat, Zalo user)."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    # Set when the channel says the person blocked the assistant; cleared when they write again.
    unreachable_at: datetime | None = _when(nullable=True)
    # The person's last message on this channel: Zalo OA may only push within 7 days of it.
    last_seen_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when()


class RoleGrant(SQLModel, table=True):
    """An official or admin role a person holds for a unit (and its children)."""

    __tablename__ = "role_grant"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=16)
    unit_id: int = Field(foreign_key="unit.id")
    # The unit's Chủ tịch or Phó Chủ tịch: never sees, takes or assigns a tố cáo naming them.
    leader: bool = False
    granted_at: datetime = _when()
    revoked_at: datetime | None = _when(nullable=True)


class OneTimeCode(SQLModel, table=True):
    """A one-time code: an invite to a role, or a code linking a second channel to a person."""

    __tablename__ = "one_time_code"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, max_length=64)
    purpose: str = Field(max_length=16)
    role: str | None = Field(default=None, max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _when()
    expires_at: datetime = _when()
    claimed_at: datetime | None = _when(nullable=True)
    claimed_by: int | None = Field(default=None, foreign_key="person.id")
    # The name an admin gave the invited official (`dccs users invite --name`), set on the
    # person who redeems it: desk screens and history lines show names, not account numbers.
    name: str | None = Field(default=None, max_length=200)


class AuditLog(SQLModel, table=True):
    """Who did what, when, and what changed: every official and admin action."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when()
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)
    target: str | None = Field(default=None, max_length=128)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Outbox(SQLModel, table=True):
    """A push waiting to be delivered: a row before it is sent, claimed atomically to send."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    reply: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Makes an enqueue idempotent: (item, occurrence, recipient, lead time) for reminders.
    dedupe_key: str | None = Field(default=None, unique=True, max_length=200)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    available_at: datetime = _when()
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_until: datetime | None = _when(nullable=True)
    sent_at: datetime | None = _when(nullable=True)
    # Sent well after it fell due (nothing was running, or the channel held it back).
    late: bool = False
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _when()


class KbRevision(SQLModel, table=True):
    """Every change to a knowledge-base entry: who, when, what it was and what it became."""

    __tablename__ = "kb_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=64, index=True)
    at: datetime = _when()
    actor: str = Field(max_length=128)
    action: str = Field(max_length=32)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class UnansweredQuestion(SQLModel, table=True):
    """A question the assistant declined or was unsure of, masked and counted, for admins."""

    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    # Folded and masked, so "Thoi tiet?" and "thời tiết" count as one.
    key: str = Field(unique=True, max_length=300)
    # One example as typed, with phone numbers, ID numbers and names masked.
    sample: str = Field(max_length=500)
    count: int = 1
    best_entry_id: str | None = Field(default=None, max_length=64)
    best_score: float = 0.0
    first_seen: datetime = _when()
    last_seen: datetime = _when()
    # Set when an admin turns the question into an entry; a later asking reopens it.
    resolved_at: datetime | None = _when(nullable=True)
    # Set when an admin dismisses it as not for the knowledge base ("thời tiết hôm nay"): asked
    # again, it is counted but not listed.
    dismissed_at: datetime | None = _when(nullable=True)


class ChannelToken(SQLModel, table=True):
    """A channel's rotating credentials (Zalo OA access + single-use refresh token).

    The pair is replaced in one transaction right after a refresh, before the new access token
    is used: the old refresh token is already dead by then.
    """

    __tablename__ = "channel_token"

    name: str = Field(primary_key=True, max_length=32)
    access_token: str = Field(max_length=2000)
    refresh_token: str = Field(max_length=2000)
    expires_at: datetime = _when()
    updated_at: datetime = _when()


class ReceptionSchedule(SQLModel, table=True):
    """A recurring reception: every given weekday, sessions are generated a few weeks ahead."""

    __tablename__ = "reception_schedule"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=16)
    weekday: int  # 0 = Monday
    start_time: str = Field(max_length=5)  # "07:30"
    end_time: str = Field(max_length=5)
    place: str = Field(max_length=300)
    receiver_name: str = Field(max_length=200)
    receiver_title: str = Field(max_length=200)
    # The staff account that receives: the only one who sees a tố cáo booking's identity.
    receiver_person_id: int | None = Field(default=None, foreign_key="person.id")
    capacity: int
    active: bool = True
    created_at: datetime = _when()


class ReceptionSession(SQLModel, table=True):
    """One reception session citizens can book a place in."""

    __tablename__ = "reception_session"
    __table_args__ = (UniqueConstraint("schedule_id", "starts_at", name="uq_session_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    schedule_id: int | None = Field(default=None, foreign_key="reception_schedule.id")
    kind: str = Field(max_length=16)
    starts_at: datetime = _when()
    ends_at: datetime = _when()
    place: str = Field(max_length=300)
    receiver_name: str = Field(max_length=200)
    receiver_title: str = Field(max_length=200)
    receiver_person_id: int | None = Field(default=None, foreign_key="person.id")
    capacity: int
    # Places taken, and the last queue number given: both moved by one atomic UPDATE.
    booked: int = 0
    last_queue: int = 0
    status: str = Field(default="open", max_length=16)
    published_at: datetime = _when()
    created_at: datetime = _when()


class Booking(SQLModel, table=True):
    """A citizen's place in a reception session (and the Sổ tiếp công dân line it becomes)."""

    __tablename__ = "booking"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    session_id: int = Field(foreign_key="reception_session.id", index=True)
    # None for a citizen received at the desk without booking (recorded by an official).
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    queue_number: int
    full_name: str = Field(max_length=200)
    phone: str = Field(max_length=20)
    address: str = Field(max_length=300)
    matter_kind: str = Field(max_length=16)
    summary: str = Field(max_length=1000)
    group_size: int = 1
    consent_at: datetime = _when()
    consent_version: str = Field(max_length=16)
    status: str = Field(default="booked", max_length=16, index=True)
    outcome: str | None = Field(default=None, max_length=1000)
    # The đơn an official created from this reception ("Tạo đơn từ lượt tiếp"): one at most.
    petition_id: int | None = Field(default=None, foreign_key="petition.id")
    # The official who wrote a walk-in line: they heard the citizen, so they see who it is.
    recorded_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _when()
    updated_at: datetime = _when()


class Deadline(SQLModel, table=True):
    """Something officials must deliver by a date, once or on a recurrence."""

    __tablename__ = "deadline"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    # The legal or plan basis ("Kế hoạch 45/KH-UBND, mục III.2").
    basis: str = Field(default="", max_length=300)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    # Reminders go to this person, or to whoever holds ``owner_role`` for the unit.
    owner_person_id: int | None = Field(default=None, foreign_key="person.id")
    owner_role: str | None = Field(default=None, max_length=16)
    due_date: date | None = None
    # "monthly:15", "quarterly:3:10" (10th of each quarter's 3rd month), "yearly:05/05,05/11",
    # or "RRULE:FREQ=…" (RFC 5545).
    recurrence: str | None = Field(default=None, max_length=300)
    lead_days: list[int] = Field(
        default_factory=lambda: [7, 3, 1, 0], sa_column=Column(JSON, nullable=False)
    )
    remind_at: str = Field(default="07:30", max_length=5)
    # Days overdue after which the owner unit's supervisors are told (None: never).
    escalate_after_days: int | None = None
    # A due date on a day off moves to the working day before ("before"), after, or stays.
    day_off_rule: str = Field(default="before", max_length=8)
    active: bool = True
    created_at: datetime = _when()


class DeadlineDone(SQLModel, table=True):
    """An occurrence marked "Đã nộp / Đã xong": no more reminders for it."""

    __tablename__ = "deadline_done"
    __table_args__ = (UniqueConstraint("deadline_id", "occurrence", name="uq_deadline_done"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    occurrence: date
    done_by: str = Field(max_length=64)
    done_at: datetime = _when()


class DeadlineFired(SQLModel, table=True):
    """A lead time of an occurrence whose reminders are queued: later ticks skip it."""

    __tablename__ = "deadline_fired"
    __table_args__ = (
        UniqueConstraint("deadline_id", "occurrence", "lead", name="uq_deadline_fired"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    occurrence: date
    lead: str = Field(max_length=8)
    fired_at: datetime = _when()


class Petition(SQLModel, table=True):
    """A đơn: khiếu nại, tố cáo, kiến nghị or phản ánh, from a chat or entered by an official.

    The filer's identity is not here (``PetitionParty``): lists, exports and briefings read this
    table only, so they cannot leak a denouncer's name.
    """

    __tablename__ = "petition"
    __table_args__ = (Index("ix_petition_unit_office_number", "unit_id", "office_number"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    # The office's own số đến of a đơn entered from its paper book (imports are keyed on it).
    office_number: str | None = Field(default=None, max_length=40)
    kind: str = Field(max_length=16, index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    # chat, paper, post, desk, forwarded
    source: str = Field(max_length=16)
    source_note: str = Field(default="", max_length=300)
    channel: str | None = Field(default=None, max_length=16)
    chat_id: str | None = Field(default=None, max_length=128)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    anonymous: bool = False
    status: str = Field(max_length=24, index=True)
    summary: str = Field(max_length=2000)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    second_round: bool = False
    complex_case: bool = False
    remote_area: bool = False
    extensions: int = 0
    # Facts an official records that change the legal periods (handlers/data/petition_rules.yaml):
    # a khiếu nại against a disciplinary decision (Luật Khiếu nại Điều 47-51), buộc thôi việc, a
    # particularly complex tố cáo (Luật Tố cáo Điều 30 khoản 3), verification at several places
    # or delegated (Điều 24 khoản 1).
    disciplinary: bool = False
    dismissal: bool = False
    very_complex: bool = False
    several_places: bool = False
    # A suspended tố cáo's clock stops (Luật Tố cáo Điều 34 khoản 2): since when, and the days
    # of earlier suspensions.
    suspended_at: datetime | None = _when(nullable=True)
    suspended_days: int = 0
    # The day the citizen received or learned of the decision or act complained of (thời hiệu).
    decision_day: date | None = None
    # A tố cáo naming the commune's chairman or vice-chairman, and the commune it came from if
    # it was routed to the parent unit.
    against_leader: bool = False
    routed_from_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    registered_at: datetime = _when()
    # The legal clocks start here: an official records the đơn as received (signed at the desk,
    # or complete under its type's rules). Before that, dates shown are "dự kiến".
    received_at: datetime | None = _when(nullable=True)
    accepted_at: datetime | None = _when(nullable=True)
    due_date: date | None = None
    due_estimated: bool = True
    handler_person_id: int | None = Field(default=None, foreign_key="person.id")
    result: str | None = Field(default=None, max_length=2000)
    closed_at: datetime | None = _when(nullable=True)
    satisfied: bool | None = None
    # Lĩnh vực (handlers/data/petition_fields.yaml key) and, once resolved, whether the khiếu nại
    # or tố cáo was right: dung, sai, dung_mot_phan. Both feed the quarterly report.
    field: str | None = Field(default=None, max_length=32)
    verdict: str | None = Field(default=None, max_length=16)
    # The last four digits of the phone given, for "Tra cứu đơn" by code.
    phone_last4: str = Field(default="", max_length=4)
    created_at: datetime = _when()
    updated_at: datetime = _when()


class PetitionParty(SQLModel, table=True):
    """Who filed a đơn, kept apart from the case (Luật Tố cáo 25/2018, Điều 8, 9, 47, 56)."""

    __tablename__ = "petition_party"

    petition_id: int = Field(foreign_key="petition.id", primary_key=True)
    full_name: str = Field(max_length=200)
    phone: str = Field(max_length=20)
    address: str = Field(max_length=300)
    consent_at: datetime | None = _when(nullable=True)
    consent_version: str | None = Field(default=None, max_length=16)


class PetitionEvent(SQLModel, table=True):
    """One step of a đơn's history: when, by whom, what, and the note (reason, body, result)."""

    __tablename__ = "petition_event"

    id: int | None = Field(default=None, primary_key=True)
    petition_id: int = Field(foreign_key="petition.id", index=True)
    at: datetime = _when()
    actor: str = Field(max_length=64)
    status: str = Field(max_length=24)
    note: str = Field(default="", max_length=1000)


class FaqUse(SQLModel, table=True):
    """How many questions were answered with each entry (or declined: entry ""), per day."""

    __tablename__ = "faq_use"
    __table_args__ = (UniqueConstraint("day", "entry_id", name="uq_faq_use"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date
    entry_id: str = Field(default="", max_length=64)
    count: int = 0


class Accused(SQLModel, table=True):
    """A staff account named in a tố cáo (a đơn or a booking): it never sees the case, its
    filer or its search hits, and cannot take or assign it."""

    __tablename__ = "accused"
    __table_args__ = (
        UniqueConstraint("kind", "target_id", "person_id", name="uq_accused"),
        Index("ix_accused_target", "kind", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "petition" or "booking"
    target_id: int
    person_id: int = Field(foreign_key="person.id")
    marked_by: str = Field(max_length=128)
    marked_at: datetime = _when()


class Throttle(SQLModel, table=True):
    """Wrong guesses at something secret (a đơn's code, an invite code), by what was guessed
    or by who guessed: touched only when a guess fails."""

    __tablename__ = "throttle"

    key: str = Field(primary_key=True, max_length=160)
    failures: int = 0
    last_at: datetime = _when()
    blocked_until: datetime | None = _when(nullable=True)
