"""Who is reminded of a deadline when, queued by the clock.

The clock calls ``plan_reminders`` on every tick. For each occurrence not marked done it finds
the latest lead time whose moment has come and queues one outbox row per recipient with the
unique key (deadline, occurrence, person, lead): two clock processes, or a tick repeated after
a crash, cannot queue it twice. Recipients are resolved when a lead time fires, so a reminder
follows whoever holds the owner role at that moment. A clock that was down sends only the most
recent lead time it missed, once, and the deliverer marks it late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db.engine import SessionFactory
from db.models import (
    Deadline,
    DeadlineDone,
    DeadlineFired,
    RoleGrant,
    Unit,
)
from handlers import texts
from handlers.access import ADMIN, OFFICIAL, ROLES
from handlers.clock import VN_TZ, Clock
from handlers.contract import Button, Reply
from handlers.deadlines.rules import (
    DONE_COMMAND,
    DONE_PREFIX,
    ESCALATION,
    LATE,
    LATE_DAYS,
    LOOK_AHEAD,
    LOOK_BACK,
    SNOOZE_PREFIX,
    STALE_AFTER,
    VIEW_PREFIX,
    adjusted,
    occurrences,
)
from handlers.recipients import addresses
from handlers.working_days import WorkingCalendar, working_calendar


@dataclass(frozen=True)
class Planned:
    deadline: Deadline
    occurrence: date
    due: date
    lead: str  # days before as text, "late<days>" (the owner, after the due date), or "esc"
    person_id: int
    channel: str
    chat_id: str
    at: datetime


async def _holders(session: AsyncSession, unit_id: int, roles: tuple[str, ...]) -> list[int]:
    query = (
        select(RoleGrant.person_id)
        .where(
            RoleGrant.unit_id == unit_id,
            col(RoleGrant.role).in_(roles),
            col(RoleGrant.revoked_at).is_(None),
        )
        .distinct()
    )
    return sorted(int(p) for p in (await session.exec(query)).all())


async def owners(session: AsyncSession, deadline: Deadline) -> list[int]:
    if deadline.owner_person_id is not None:
        return [deadline.owner_person_id]
    role = deadline.owner_role or OFFICIAL
    # Admins of the unit also hold its official duties.
    return await _holders(session, deadline.unit_id, (role, ADMIN) if role == OFFICIAL else (role,))


async def supervisors(session: AsyncSession, deadline: Deadline) -> list[int]:
    """Who is told of an overdue deadline: the parent unit's officials, else the unit's admins."""
    unit = await session.get(Unit, deadline.unit_id)
    if unit is not None and unit.parent_id is not None:
        found = await _holders(session, unit.parent_id, ROLES)
        if found:
            return found
    return await _holders(session, deadline.unit_id, (ADMIN,))


def _moment(day: date, remind_at: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(remind_at), tzinfo=VN_TZ)


async def done_dates(session: AsyncSession, deadline_id: int) -> set[date]:
    marked = await session.exec(select(DeadlineDone).where(DeadlineDone.deadline_id == deadline_id))
    return {row.occurrence for row in marked.all()}


@dataclass(frozen=True)
class Occurrence:
    deadline: Deadline
    nominal: date
    due: date
    done: bool


async def open_occurrences(
    session: AsyncSession, deadline: Deadline, today: date, calendar: WorkingCalendar
) -> list[Occurrence]:
    """Occurrences not marked done, overdue ones (within the look-back) first."""
    assert deadline.id is not None
    done = await done_dates(session, deadline.id)
    return [
        Occurrence(deadline, nominal, adjusted(nominal, deadline.day_off_rule, calendar), False)
        for nominal in occurrences(deadline, today - LOOK_BACK, today + LOOK_AHEAD)
        if nominal not in done
    ]


async def plan_reminders(
    session: AsyncSession, now: datetime, calendar: WorkingCalendar, *, dry_run: bool = False
) -> list[Planned]:
    """Queue (or, dry, only list) every reminder due by ``now`` and not queued before."""
    today = now.astimezone(VN_TZ).date()
    planned: list[Planned] = []
    deadlines = (await session.exec(select(Deadline).where(col(Deadline.active)))).all()
    for deadline in deadlines:
        assert deadline.id is not None
        horizon = today + timedelta(days=max(deadline.lead_days or [0]) + 7)
        done = await done_dates(session, deadline.id)
        fired_rows = await session.exec(
            select(DeadlineFired).where(DeadlineFired.deadline_id == deadline.id)
        )
        fired = {(row.occurrence, row.lead) for row in fired_rows.all()}
        for nominal in occurrences(deadline, today - LOOK_BACK, horizon):
            if nominal in done:
                continue
            due = adjusted(nominal, deadline.day_off_rule, calendar)
            planned += await _plan_occurrence(session, deadline, nominal, due, now, today, fired)
    if not dry_run:
        await _queue(session, planned, now)
    return planned


def _latest(
    nominal: date,
    candidates: list[tuple[datetime, str]],
    now: datetime,
    fired: set[tuple[date, str]],
) -> tuple[datetime, str] | None:
    """The most recent of the moments that have come, unless it was queued already: a clock
    that was down sends only the latest reminder it missed."""
    arrived = [item for item in candidates if item[0] <= now]
    if not arrived:
        return None
    latest = max(arrived)
    return None if (nominal, latest[1]) in fired else latest


async def _plan_occurrence(
    session: AsyncSession,
    deadline: Deadline,
    nominal: date,
    due: date,
    now: datetime,
    today: date,
    fired: set[tuple[date, str]],
) -> list[Planned]:
    result: list[Planned] = []
    # The owner is always told on the due day, whatever lead times the plan lists.
    leads = sorted(set(deadline.lead_days or []) | {0})
    if due >= today:
        moments = [
            (_moment(due - timedelta(days=lead), deadline.remind_at), str(lead)) for lead in leads
        ]
    else:
        # After the due date the owner is chased a bounded number of times, even where there
        # is nobody above to escalate to.
        moments = [
            (_moment(due + timedelta(days=days), deadline.remind_at), f"{LATE}{days}")
            for days in LATE_DAYS
        ]
    chosen = _latest(nominal, moments, now, fired)
    if chosen is not None and (due >= today or chosen[0] > now - STALE_AFTER):
        at, lead = chosen
        people_ = await owners(session, deadline)
        result += await _for_people(session, deadline, nominal, due, lead, people_, at)
    if deadline.escalate_after_days is not None:
        at = _moment(due + timedelta(days=deadline.escalate_after_days), deadline.remind_at)
        if now - STALE_AFTER < at <= now and (nominal, ESCALATION) not in fired:
            result += await _for_people(
                session,
                deadline,
                nominal,
                due,
                ESCALATION,
                await supervisors(session, deadline),
                at,
            )
    return result


async def _for_people(
    session: AsyncSession,
    deadline: Deadline,
    nominal: date,
    due: date,
    lead: str,
    person_ids: list[int],
    at: datetime,
) -> list[Planned]:
    found = await addresses(session, person_ids)
    return [
        Planned(deadline, nominal, due, lead, person_id, address.channel, address.external_id, at)
        for person_id, address in sorted(found.items())
    ]


def reminder_key(deadline_id: int, nominal: date, person_id: int | str, lead: str) -> str:
    return f"dl:{deadline_id}:{nominal:%Y%m%d}:{person_id}:{lead}"


def reminder(deadline: Deadline, nominal: date, due: date, lead: str, today: date) -> Reply:
    """The push: one date (the due date, after the day-off rule) in the text and the command."""
    assert deadline.id is not None
    if lead == ESCALATION or lead.startswith(LATE):
        when = texts.DEADLINE_OVERDUE.format(days=(today - due).days)
        template = texts.DEADLINE_ESCALATION if lead == ESCALATION else texts.DEADLINE_LATE
    else:
        days = (due - today).days
        when = texts.DEADLINE_TODAY if days <= 0 else texts.DEADLINE_IN.format(days=days)
        template = texts.DEADLINE_REMINDER
    text = template.format(
        title=deadline.title,
        due=f"{due:%d/%m/%Y}",
        when=when,
        basis=deadline.basis or "—",
        command=f"{DONE_COMMAND} {deadline.id} {due:%d/%m/%Y}",
    )
    occurrence = f"{deadline.id}:{nominal:%Y%m%d}"
    return Reply(
        text,
        (
            Button(texts.DEADLINE_DONE, f"{DONE_PREFIX}{occurrence}"),
            Button(texts.DEADLINE_SNOOZE, f"{SNOOZE_PREFIX}{occurrence}"),
            Button(texts.DEADLINE_VIEW, f"{VIEW_PREFIX}{occurrence}"),
        ),
    )


async def _queue(session: AsyncSession, planned: list[Planned], now: datetime) -> None:
    today = now.astimezone(VN_TZ).date()
    rows = []
    for item in planned:
        assert item.deadline.id is not None
        message = reminder(item.deadline, item.occurrence, item.due, item.lead, today)
        rows.append(
            {
                "channel": item.channel,
                "chat_id": item.chat_id,
                "reply": message.to_json(),
                "dedupe_key": reminder_key(
                    item.deadline.id, item.occurrence, item.person_id, item.lead
                ),
                # The moment it was due, so one sent well after (the clock was down) is late.
                "due": min(item.at, now),
            }
        )
    await outbox.enqueue_many(session, rows, now)
    fired = {(item.deadline.id, item.occurrence, item.lead) for item in planned}
    for deadline_id, occurrence, lead in sorted(fired, key=str):
        assert deadline_id is not None
        try:
            async with session.begin_nested():
                session.add(
                    DeadlineFired(
                        deadline_id=deadline_id, occurrence=occurrence, lead=lead, fired_at=now
                    )
                )
        except IntegrityError:  # another clock process fired it at the same moment
            pass


async def queue_reminders(sessions: SessionFactory, clock: Clock) -> int:
    """The clock's job: queue what has come due (the deliverer sends it)."""
    async with sessions() as session, session.begin():
        return len(await plan_reminders(session, clock.now(), working_calendar()))
