"""Officials' deadlines: occurrences, who is reminded when, done and snooze, plan import.

The clock calls ``plan_reminders`` on every tick. For each occurrence not marked done it finds
the latest lead time whose moment has come and queues one outbox row per recipient with the
unique key (deadline, occurrence, person, lead): two clock processes, or a tick repeated after
a crash, cannot queue it twice. Recipients are resolved when a lead time fires, so a reminder
follows whoever holds the owner role at that moment. A clock that was down sends only the most
recent lead time it missed, once, and the deliverer marks it late.
"""

from __future__ import annotations

import calendar as month_calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox, people
from db.conversations import ChatState
from db.engine import SessionFactory
from db.models import (
    Deadline,
    DeadlineDone,
    DeadlineFired,
    RoleGrant,
    Unit,
)
from handlers import texts
from handlers.access import ADMIN, OFFICIAL, ROLES, Actor, audit_by, scope
from handlers.clock import VN_TZ, Clock
from handlers.contract import Button, Reply
from handlers.menu import BACK
from handlers.recipients import addresses
from handlers.working_days import WorkingCalendar, working_calendar
from knowledge.normalize import ascii_int

PREFIX = "staff:dl:"
LIST = "staff:deadlines"
DONE_PREFIX = "staff:dl:done:"
SNOOZE_PREFIX = "staff:dl:snooze:"
VIEW_PREFIX = "staff:dl:view:"
DONE_COMMAND = "/xong"
NEW = "staff:dl:new"
FLOW = "dl-new"
log = logging.getLogger(__name__)
DAY_OFF_RULES = ("before", "after", "keep")
# Occurrences further back than this are not looked at (escalation has long fired by then).
LOOK_BACK = timedelta(days=120)


_TOO_FREQUENT = re.compile(r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)", re.IGNORECASE)


class DeadlineError(ValueError):
    """A deadline that cannot be used; the message is Vietnamese, for the official."""


def check_recurrence(text: str) -> None:
    """Raise DeadlineError unless ``text`` is a recurrence this module understands."""
    occurrences_between(text, date(2026, 1, 1), date(2026, 12, 31))


def _clamp(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def occurrences_between(recurrence: str, start: date, end: date) -> list[date]:
    """The nominal dates of a recurrence in [start, end]."""
    kind, _, rule = recurrence.partition(":")
    found: list[date] = []
    try:
        if kind == "monthly":
            day = int(rule)
            if not 1 <= day <= 31:
                raise ValueError
            year, month = start.year, start.month
            while date(year, month, 1) <= end:
                found.append(_clamp(year, month, day))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        elif kind == "quarterly":
            offset_text, day_text = rule.split(":")
            offset, day = int(offset_text), int(day_text)
            if not (1 <= offset <= 3 and 1 <= day <= 31):
                raise ValueError
            for year in range(start.year, end.year + 1):
                found += [_clamp(year, q * 3 + offset, day) for q in range(4)]
        elif kind in ("yearly", "half_yearly"):
            days = [datetime.strptime(item.strip(), "%d/%m") for item in rule.split(",")]
            for year in range(start.year, end.year + 1):
                found += [_clamp(year, d.month, d.day) for d in days]
        elif kind.upper() == "RRULE":
            if _TOO_FREQUENT.search(rule):
                # A reporting duty recurs at most daily; expanding a minutely rule over a
                # year once held the event loop for 28 s.
                raise ValueError
            first = datetime.combine(start - timedelta(days=366), time())
            rule_set = rrulestr(rule, dtstart=first)
            found = [
                moment.date()
                for moment in rule_set.between(
                    datetime.combine(start, time()), datetime.combine(end, time(23, 59)), inc=True
                )
            ]
        else:
            raise ValueError
    except (ValueError, TypeError):
        raise DeadlineError(texts.BAD_RECURRENCE.format(value=recurrence)) from None
    return sorted(d for d in found if start <= d <= end)


def adjusted(day: date, rule: str, calendar: WorkingCalendar) -> date:
    """The due date after the day-off rule: reports due "trước ngày 05/5" move earlier."""
    if rule == "keep" or calendar.is_working_day(day):
        return day
    step = timedelta(days=-1 if rule == "before" else 1)
    while not calendar.is_working_day(day):
        day += step
    return day


def occurrences(deadline: Deadline, start: date, end: date) -> list[date]:
    if deadline.recurrence:
        try:
            return occurrences_between(deadline.recurrence, start, end)
        except DeadlineError:
            # A rule stored before it was refused must not stop every other deadline's work.
            log.warning("deadline %s has an unusable recurrence; skipped", deadline.id)
            return []
    due = deadline.due_date
    return [due] if due is not None and start <= due <= end else []


@dataclass(frozen=True)
class Planned:
    deadline: Deadline
    occurrence: date
    due: date
    lead: str  # days before as text, or "esc"
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
        marked = await session.exec(
            select(DeadlineDone).where(DeadlineDone.deadline_id == deadline.id)
        )
        done = {row.occurrence for row in marked.all()}
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
    leads = sorted(set(deadline.lead_days or [0]))
    arrived = [
        lead for lead in leads if _moment(due - timedelta(days=lead), deadline.remind_at) <= now
    ]
    # Lead reminders stop once the due date has passed; overdue is the escalation's business.
    if arrived and due >= today and (nominal, str(min(arrived))) not in fired:
        lead = min(arrived)  # the latest moment among those that have come
        at = _moment(due - timedelta(days=lead), deadline.remind_at)
        result += await _for_people(
            session, deadline, nominal, due, str(lead), await owners(session, deadline), at
        )
    if deadline.escalate_after_days is not None:
        at = _moment(due + timedelta(days=deadline.escalate_after_days), deadline.remind_at)
        if at <= now and (nominal, "esc") not in fired:
            result += await _for_people(
                session, deadline, nominal, due, "esc", await supervisors(session, deadline), at
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


def _key(deadline_id: int, nominal: date, person_id: int | str, lead: str) -> str:
    return f"dl:{deadline_id}:{nominal:%Y%m%d}:{person_id}:{lead}"


def reminder(deadline: Deadline, nominal: date, due: date, lead: str, today: date) -> Reply:
    assert deadline.id is not None
    if lead == "esc":
        when = texts.DEADLINE_OVERDUE.format(days=(today - due).days)
        template = texts.DEADLINE_ESCALATION
    else:
        days = (due - today).days
        when = texts.DEADLINE_TODAY if days <= 0 else texts.DEADLINE_IN.format(days=days)
        template = texts.DEADLINE_REMINDER
    text = template.format(
        title=deadline.title,
        due=f"{due:%d/%m/%Y}",
        when=when,
        basis=deadline.basis or "—",
        command=f"{DONE_COMMAND} {deadline.id} {nominal:%d/%m/%Y}",
    )
    occurrence = f"{deadline.id}:{nominal:%Y%m%d}"
    return Reply(
        text,
        (
            Button(texts.DEADLINE_DONE, f"{DONE_PREFIX}{occurrence}"),
            Button(texts.DEADLINE_SNOOZE, f"{SNOOZE_PREFIX}{occurrence}"),
            Button(texts.DEADLINE_VIEW, f"{VIEW_PREFIX}{deadline.id}"),
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
                "dedupe_key": _key(item.deadline.id, item.occurrence, item.person_id, item.lead),
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


# -- officials in the chat -----------------------------------------------------------------


async def _in_scope(session: AsyncSession, actor: Actor, deadline_id: int) -> Deadline | None:
    deadline = await session.get(Deadline, deadline_id)
    if deadline is None or deadline.unit_id not in await scope(session, actor):
        return None
    return deadline


async def mark_done(
    session: AsyncSession, actor: Actor, deadline_id: int, nominal: date, now: datetime
) -> Reply:
    deadline = await _in_scope(session, actor, deadline_id)
    if deadline is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    try:
        async with session.begin_nested():
            session.add(
                DeadlineDone(
                    deadline_id=deadline_id, occurrence=nominal, done_by=actor.label, done_at=now
                )
            )
    except IntegrityError:
        return Reply(texts.DEADLINE_ALREADY_DONE.format(title=deadline.title), (BACK,))
    # The remaining reminders of this occurrence, queued but not sent yet, are dropped.
    await outbox.withdraw_prefix(session, f"dl:{deadline_id}:{nominal:%Y%m%d}:")
    audit_by(session, actor, "deadline.done", now, target=f"{deadline_id}:{nominal:%d/%m/%Y}")
    return Reply(
        texts.DEADLINE_MARKED_DONE.format(title=deadline.title, due=f"{nominal:%d/%m/%Y}"), (BACK,)
    )


async def press(
    session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
) -> Reply:
    if payload == LIST:
        return await upcoming(session, actor, now)
    if payload == NEW:
        if not actor.roles:
            return Reply(texts.STALE_BUTTON, (BACK,))
        state.flow, state.step, state.data = FLOW, "title", {}
        return Reply(texts.ASK_DEADLINE_TITLE, (BACK,))
    parts = payload.removeprefix(PREFIX).split(":")
    try:
        deadline_id = ascii_int(parts[1])
        nominal = datetime.strptime(parts[2], "%Y%m%d").date() if len(parts) > 2 else None
    except (IndexError, ValueError):
        return Reply(texts.STALE_BUTTON, (BACK,))
    if deadline_id is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if payload.startswith(DONE_PREFIX) and nominal is not None:
        return await mark_done(session, actor, deadline_id, nominal, now)
    deadline = await _in_scope(session, actor, deadline_id)
    if deadline is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if payload.startswith(SNOOZE_PREFIX) and nominal is not None:
        later = now + timedelta(days=1)
        due = adjusted(nominal, deadline.day_off_rule, working_calendar())
        message = reminder(deadline, nominal, due, "0", later.astimezone(VN_TZ).date())
        await outbox.enqueue(
            session,
            actor.channel,
            actor.external_id,
            message.to_json(),
            now,
            _key(deadline_id, nominal, actor.person_id, f"snooze{later:%Y%m%d}"),
            due=later,
        )
        return Reply(texts.DEADLINE_SNOOZED.format(when=f"{later:%H:%M ngày %d/%m}"), (BACK,))
    return _detail(deadline)


def _detail(deadline: Deadline) -> Reply:
    when = (
        texts.DEADLINE_ONCE.format(due=f"{deadline.due_date:%d/%m/%Y}")
        if deadline.due_date
        else texts.DEADLINE_RECURRING.format(rule=deadline.recurrence)
    )
    text = texts.DEADLINE_DETAIL.format(
        title=deadline.title,
        basis=deadline.basis or "—",
        when=when,
        leads=", ".join(str(d) for d in sorted(deadline.lead_days, reverse=True)),
        at=deadline.remind_at,
    )
    return Reply(text, (Button(texts.STAFF_DEADLINES, LIST), BACK))


async def upcoming(session: AsyncSession, actor: Actor, now: datetime) -> Reply:
    today = now.astimezone(VN_TZ).date()
    units = await scope(session, actor)
    rows = (
        await session.exec(
            select(Deadline).where(col(Deadline.active), col(Deadline.unit_id).in_(units))
        )
    ).all()
    calendar = working_calendar()
    items: list[tuple[date, Deadline]] = []
    for deadline in rows:
        for nominal in occurrences(deadline, today, today + timedelta(days=90)):
            items.append((adjusted(nominal, deadline.day_off_rule, calendar), deadline))
    items.sort(key=lambda pair: (pair[0], pair[1].id or 0))
    add = Button(texts.DEADLINE_ADD, NEW)
    if not items:
        return Reply(texts.NO_DEADLINES, (add, BACK))
    lines = [texts.DEADLINES_HEAD] + [
        f"- {due:%d/%m/%Y}: {deadline.title}" for due, deadline in items[:15]
    ]
    buttons = [
        Button(f"{due:%d/%m} {deadline.title[:40]}", f"{VIEW_PREFIX}{deadline.id}")
        for due, deadline in items[:8]
    ]
    return Reply("\n".join(lines), (*buttons, add, BACK))


async def text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """An official adding a deadline for themself: the title, then the date or recurrence."""
    if not actor.is_staff or not actor.roles:
        state.flow = state.step = None
        return Reply(texts.FORBIDDEN, (BACK,))
    typed = " ".join(typed.split())
    if state.step == "title":
        if not 5 <= len(typed) <= 300:
            return Reply(texts.ASK_DEADLINE_TITLE, (BACK,))
        state.data["title"] = typed
        state.step = "due"
        return Reply(texts.ASK_DEADLINE_DUE, (BACK,))
    row: dict[str, Any] = {"title": state.data.get("title", ""), "unit": ""}
    if ":" in typed:
        row["recurrence"] = typed
    else:
        row["due"] = typed
    unit = await session.get(Unit, actor.roles[0][1])
    row["unit"] = unit.code if unit and unit.code else (unit.name if unit else "")
    try:
        deadline = await _deadline_from_row(session, row, 1, now)
    except DeadlineError:
        return Reply(texts.BAD_DEADLINE_DUE, (BACK,))
    deadline.owner_person_id = actor.person_id
    session.add(deadline)
    await session.flush()
    audit_by(session, actor, "deadline.added", now, target=str(deadline.id))
    state.flow = state.step = None
    state.data = {}
    return Reply(
        texts.DEADLINE_ADDED.format(title=deadline.title),
        (Button(texts.STAFF_DEADLINES, LIST), BACK),
    )


# -- plan files ----------------------------------------------------------------------------


async def import_plan(session: AsyncSession, rows: list[dict[str, Any]], now: datetime) -> int:
    """Add a year's deadlines; the first bad row raises DeadlineError (nothing is kept)."""
    for number, row in enumerate(rows, start=1):
        session.add(await _deadline_from_row(session, row, number, now))
    await session.flush()
    return len(rows)


async def _deadline_from_row(
    session: AsyncSession, row: dict[str, Any], number: int, now: datetime
) -> Deadline:
    where = f"Hạn thứ {number}"

    def fail(message: str) -> DeadlineError:
        return DeadlineError(f"{where}: {message}")

    title = str(row.get("title") or "").strip()
    if not title:
        raise fail("thiếu 'title' (tên việc).")
    unit = await people.unit_by_code_or_name(session, str(row.get("unit") or ""))
    if unit is None or unit.id is None:
        raise fail(f"không có đơn vị '{row.get('unit')}'.")
    owner_role = str(row.get("owner_role") or OFFICIAL)
    if owner_role not in ROLES:
        raise fail("'owner_role' phải là official hoặc admin.")
    due_date = None
    if row.get("due"):
        try:
            due_date = datetime.strptime(str(row["due"]), "%d/%m/%Y").date()
        except ValueError:
            raise fail("'due' phải có dạng ngày/tháng/năm, ví dụ 05/11/2026.") from None
    recurrence = str(row["recurrence"]).strip() if row.get("recurrence") else None
    if (due_date is None) == (recurrence is None):
        raise fail("cần đúng một trong hai trường 'due' (một lần) hoặc 'recurrence' (lặp lại).")
    if recurrence:
        try:
            check_recurrence(recurrence)
        except DeadlineError as exc:
            raise fail(str(exc)) from None
    leads = row.get("lead_days", [7, 3, 1, 0])
    if not isinstance(leads, list) or not all(isinstance(d, int) and 0 <= d <= 90 for d in leads):
        raise fail("'lead_days' phải là danh sách số ngày từ 0 đến 90, ví dụ [7, 3, 1, 0].")
    remind_at = str(row.get("remind_at") or "07:30")
    try:
        time.fromisoformat(remind_at)
    except ValueError:
        raise fail("'remind_at' phải có dạng giờ:phút, ví dụ 07:30.") from None
    rule = str(row.get("day_off_rule") or "before")
    if rule not in DAY_OFF_RULES:
        raise fail("'day_off_rule' phải là before, after hoặc keep.")
    escalate = row.get("escalate_after_days")
    if escalate is not None and (not isinstance(escalate, int) or escalate < 0):
        raise fail("'escalate_after_days' phải là số ngày không âm.")
    return Deadline(
        title=title[:300],
        basis=str(row.get("basis") or "")[:300],
        unit_id=unit.id,
        owner_role=owner_role,
        due_date=due_date,
        recurrence=recurrence,
        lead_days=sorted(set(leads), reverse=True),
        remind_at=remind_at,
        escalate_after_days=escalate,
        day_off_rule=rule,
        created_at=now,
    )


async def queue_reminders(sessions: SessionFactory, clock: Clock) -> int:
    """The clock's job: queue what has come due (the deliverer sends it)."""
    async with sessions() as session, session.begin():
        return len(await plan_reminders(session, clock.now(), working_calendar()))
