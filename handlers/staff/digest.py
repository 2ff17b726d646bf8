"""The officials' weekly digest (Monday 07:30): this week's deadlines, overdue đơn, and the week's
reception bookings, for the units each official holds a role for and their children.

Queued by the clock once per person and ISO week (the outbox key makes a repeat a no-op); a clock
that was down on Monday morning sends it at its first tick later that week.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, outbox, people
from db import reception as reception_rows
from db.engine import SessionFactory
from db.models import Deadline, Outbox, Petition, RoleGrant
from handlers import texts
from handlers.access import units_under
from handlers.clock import VN_TZ, Clock
from handlers.contract import Reply
from handlers.deadlines.reminders import open_occurrences
from handlers.petitions.figures import OPEN
from handlers.recipients import addresses
from handlers.working_days import WorkingCalendar, working_calendar

SEND_AT = time(7, 30)
SECTION_LINES = 20


def week_of(now: datetime) -> tuple[date, date]:
    today = now.astimezone(VN_TZ).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


async def _scope(session: AsyncSession, person_id: int) -> set[int]:
    grants = await people.active_roles(session, person_id)
    return await units_under(session, [grant.unit_id for grant in grants])


def _capped(lines: list[str]) -> list[str]:
    """A section is a glance, not a ledger: a runaway deadline cannot swell the digest."""
    if len(lines) <= SECTION_LINES:
        return lines
    return [*lines[:SECTION_LINES], texts.DIGEST_MORE.format(count=len(lines) - SECTION_LINES)]


async def _deadline_lines(
    session: AsyncSession, units: set[int], today: date, sunday: date, calendar: WorkingCalendar
) -> tuple[list[str], list[str]]:
    """This week's open deadlines, and those already past their due date and still open."""
    rows = (
        await session.exec(
            select(Deadline).where(col(Deadline.active), col(Deadline.unit_id).in_(units))
        )
    ).all()
    week: list[tuple[date, str]] = []
    late: list[tuple[date, str]] = []
    for deadline in rows:
        for item in await open_occurrences(session, deadline, today, calendar):
            if item.due < today:
                days = (today - item.due).days
                when = texts.DAYS_LATE.format(days=days)
                late.append((item.due, f"- {item.due:%d/%m}: {deadline.title} ({when})"))
            elif item.due <= sunday:
                week.append((item.due, f"- {item.due:%d/%m}: {deadline.title}"))
    return (
        _capped([line for _, line in sorted(week)]),
        _capped([line for _, line in sorted(late)]),
    )


async def digest_for(
    session: AsyncSession, person_id: int, now: datetime, calendar: WorkingCalendar
) -> str | None:
    units = await _scope(session, person_id)
    if not units:
        return None
    monday, sunday = week_of(now)
    today = now.astimezone(VN_TZ).date()
    parts = []
    week, late = await _deadline_lines(session, units, today, sunday, calendar)
    if late:
        parts.append(texts.DIGEST_DEADLINES_LATE + "\n" + "\n".join(late))
    if week:
        parts.append(texts.DIGEST_DEADLINES + "\n" + "\n".join(week))
    # A case naming this official is not theirs to know about, not even by its code.
    hidden = await accused.targets_naming(session, accused.PETITION, person_id)
    overdue = (
        await session.exec(
            select(Petition)
            .where(
                col(Petition.unit_id).in_(units),
                col(Petition.status).in_(OPEN),
                col(Petition.due_date) < today,
                col(Petition.id).not_in(hidden),
            )
            .order_by(col(Petition.due_date))
        )
    ).all()
    if overdue:
        lines = [
            f"- {p.code}: {texts.DAYS_LATE.format(days=(today - p.due_date).days)}"
            for p in overdue
            if p.due_date is not None
        ]
        parts.append(texts.DIGEST_OVERDUE + "\n" + "\n".join(_capped(lines)))
    week_start = datetime.combine(monday, time(), tzinfo=VN_TZ)
    sessions_ = await reception_rows.upcoming(session, units, week_start, limit=50)
    booked = [s for s in sessions_ if s.starts_at.astimezone(VN_TZ).date() <= sunday and s.booked]
    if booked:
        lines = [
            f"- {s.starts_at.astimezone(VN_TZ):%d/%m %H:%M}: {s.booked}/{s.capacity} người đặt"
            for s in booked
        ]
        parts.append(texts.DIGEST_BOOKINGS + "\n" + "\n".join(_capped(lines)))
    if not parts:
        return None
    head = texts.DIGEST_HEAD.format(first=f"{monday:%d/%m}", last=f"{sunday:%d/%m/%Y}")
    return head + "\n\n" + "\n\n".join(parts)


async def weekly_digests(session: AsyncSession, now: datetime, calendar: WorkingCalendar) -> int:
    monday, _ = week_of(now)
    if now < datetime.combine(monday, SEND_AT, tzinfo=VN_TZ):
        return 0
    year, week, _ = monday.isocalendar()
    staff = (
        await session.exec(
            select(RoleGrant.person_id).where(col(RoleGrant.revoked_at).is_(None)).distinct()
        )
    ).all()
    key_of = f"digest:{{}}:{year}-{week:02d}"
    # Digests already queued this week are not computed again (the clock ticks every seconds).
    queued_keys = await session.exec(
        select(Outbox.dedupe_key).where(col(Outbox.dedupe_key).like(key_of.format("%")))
    )
    done = set(queued_keys.all())
    person_ids = sorted(int(p) for p in staff if key_of.format(p) not in done)
    where = await addresses(session, person_ids)
    queued = 0
    for person_id in person_ids:
        address = where.get(person_id)
        if address is None:
            continue
        text = await digest_for(session, person_id, now, calendar)
        if text is None:
            continue
        key = key_of.format(person_id)
        if await outbox.enqueue(
            session, address.channel, address.external_id, Reply(text).to_json(), now, key
        ):
            queued += 1
    return queued


async def queue_digests(sessions: SessionFactory, clock: Clock) -> int:
    """The clock's job."""
    async with sessions() as session, session.begin():
        return await weekly_digests(session, clock.now(), working_calendar())
