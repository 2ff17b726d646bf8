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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from textwrap import shorten
from typing import Any

from dateutil.parser import parse as parse_date
from dateutil.rrule import rrule, rrulestr
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, outbox, people
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
KIND_PREFIX = "staff:dl:kind:"
log = logging.getLogger(__name__)
DAY_OFF_RULES = ("before", "after", "keep")
# Occurrences further back than this are not looked at (escalation has long fired by then).
LOOK_BACK = timedelta(days=120)
# How far ahead "the next open occurrence" is looked for (a yearly report).
LOOK_AHEAD = timedelta(days=400)
# After the due date the owner is reminded again on these days, then left to the escalation.
LATE = "late"
LATE_DAYS = (1, 3, 7)
ESCALATION = "esc"
# An overdue notice whose moment is further back than this is not sent at all (a clock down
# for a month must not send a month of them at once); the digest and the list still show it.
STALE_AFTER = timedelta(days=3)
# The chat list shows this many occurrences, each with its own button.
LIST_ITEMS = 10
BUTTON_CHARS = 48
KIND_PROMPTS = {
    "once": texts.ASK_DEADLINE_ONCE,
    "monthly": texts.ASK_DEADLINE_MONTHLY,
    "quarterly": texts.ASK_DEADLINE_QUARTERLY,
    "yearly": texts.ASK_DEADLINE_YEARLY,
}


# A reporting duty recurs at most daily: these parts of an RFC 5545 rule would make a rule
# fire many times a day (a minutely rule once held the event loop for 28 s).
_RRULE_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_RRULE_REFUSED = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART")
# No deadline expands into more occurrences than this in one look (a daily rule over the
# reminder window is about 220).
MAX_OCCURRENCES = 400
# A rule must come due at least once in this long after it is entered.
FIRST_WITHIN = timedelta(days=2 * 366)


class DeadlineError(ValueError):
    """A deadline that cannot be used; the message is Vietnamese, for the official."""


def check_recurrence(text: str, anchor: date) -> None:
    """Raise DeadlineError unless ``text`` is a recurrence this module understands, at most
    daily, that comes due at least once in the two years from ``anchor``."""
    if not occurrences_between(text, anchor, anchor + FIRST_WITHIN, anchor):
        raise DeadlineError(texts.RECURRENCE_NEVER_DUE.format(value=text))


def _clamp(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def _rrule_dates(rule: str, start: date, end: date, anchor: date) -> set[date]:
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        key, sign, value = part.partition("=")
        if not sign or "\n" in part or ":" in part:
            raise ValueError
        parts[key.strip().upper()] = value.strip()
    if parts.get("FREQ", "").upper() not in _RRULE_FREQS or set(parts) & set(_RRULE_REFUSED):
        raise ValueError
    count = ascii_int(parts.pop("COUNT")) if "COUNT" in parts else None
    until = parse_date(parts.pop("UNTIL")).date() if "UNTIL" in parts else end
    # The rule is anchored on the day the deadline was entered, so an INTERVAL or a YEARLY
    # rule without BYMONTH means the same dates on every tick.
    parsed = rrulestr(
        ";".join(f"{key}={value}" for key, value in parts.items()),
        dtstart=datetime.combine(anchor, time()),
    )
    if not isinstance(parsed, rrule):
        raise ValueError
    # An explicit end keeps a rule that never matches (30 February) from searching to 9999.
    bounded = parsed.replace(until=datetime.combine(min(until, end), time(23, 59)))
    found: set[date] = set()
    for index, moment in enumerate(bounded):
        if (count is not None and index >= count) or len(found) >= MAX_OCCURRENCES:
            break
        if moment.date() >= start:
            found.add(moment.date())
    return found


def occurrences_between(recurrence: str, start: date, end: date, anchor: date) -> list[date]:
    """The nominal dates of a recurrence in [start, end]; an RRULE counts from ``anchor``."""
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
            found = list(_rrule_dates(rule, start, end, anchor))
        else:
            raise ValueError
    except (ValueError, TypeError, OverflowError):
        raise DeadlineError(texts.BAD_RECURRENCE.format(value=recurrence)) from None
    return sorted(d for d in set(found) if start <= d <= end)[:MAX_OCCURRENCES]


def describe(recurrence: str) -> str:
    """A recurrence in words, as the detail view shows it ("ngày 18 tháng cuối quý")."""
    kind, _, rule = recurrence.partition(":")
    if kind == "monthly":
        return texts.RULE_MONTHLY.format(day=rule)
    if kind == "quarterly":
        offset, _, day = rule.partition(":")
        return texts.RULE_QUARTERLY.format(day=day, month=texts.QUARTER_MONTHS.get(offset, offset))
    if kind in ("yearly", "half_yearly"):
        days = [item.strip() for item in rule.split(",")]
        return texts.RULE_YEARLY.format(days=texts.joined(days))
    freq = next(
        (p.partition("=")[2].upper() for p in rule.split(";") if p.upper().startswith("FREQ=")), ""
    )
    return texts.RULE_RRULE.format(every=texts.RRULE_FREQ_NAMES.get(freq, ""), rule=recurrence)


def adjusted(day: date, rule: str, calendar: WorkingCalendar) -> date:
    """The due date after the day-off rule: reports due "trước ngày 05/5" move earlier."""
    if rule == "keep" or calendar.is_working_day(day):
        return day
    step = timedelta(days=-1 if rule == "before" else 1)
    while not calendar.is_working_day(day):
        day += step
    return day


def created_on(deadline: Deadline) -> date:
    return deadline.created_at.astimezone(VN_TZ).date()


def occurrences(deadline: Deadline, start: date, end: date) -> list[date]:
    """The nominal dates in [start, end], none before the deadline was entered: a plan
    imported in November owes nothing for the months before it existed."""
    start = max(start, created_on(deadline))
    if start > end:
        return []
    if deadline.recurrence:
        try:
            return occurrences_between(deadline.recurrence, start, end, created_on(deadline))
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


async def _done(session: AsyncSession, deadline_id: int) -> set[date]:
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
    done = await _done(session, deadline.id)
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
        done = await _done(session, deadline.id)
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


def _key(deadline_id: int, nominal: date, person_id: int | str, lead: str) -> str:
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


def _find(deadline: Deadline, typed: date, today: date, calendar: WorkingCalendar) -> date | None:
    """The occurrence an official means by a date: its nominal date or the due date the
    reminder showed (20/12 on a Sunday is shown, and typed, as 18/12)."""
    window_start = min(typed, today) - LOOK_BACK
    for nominal in occurrences(deadline, window_start, max(typed, today) + LOOK_AHEAD):
        if typed in (nominal, adjusted(nominal, deadline.day_off_rule, calendar)):
            return nominal
    return None


async def mark_done(
    session: AsyncSession, actor: Actor, deadline_id: int, typed: date | None, now: datetime
) -> Reply:
    """Mark an occurrence done: the one whose date (nominal or due) was given, or without a
    date the next open one."""
    deadline = await _in_scope(session, actor, deadline_id)
    if deadline is None:
        return Reply(texts.DEADLINE_UNKNOWN.format(number=deadline_id), (BACK,))
    calendar = working_calendar()
    today = now.astimezone(VN_TZ).date()
    if typed is None:
        pending = await open_occurrences(session, deadline, today, calendar)
        if not pending:
            return Reply(texts.DEADLINE_NOTHING_OPEN.format(title=deadline.title), (BACK,))
        nominal = pending[0].nominal
    else:
        found = _find(deadline, typed, today, calendar)
        if found is None:
            return Reply(
                texts.DEADLINE_NO_SUCH_DATE.format(title=deadline.title, due=f"{typed:%d/%m/%Y}"),
                (BACK,),
            )
        nominal = found
    due = adjusted(nominal, deadline.day_off_rule, calendar)
    try:
        async with session.begin_nested():
            session.add(
                DeadlineDone(
                    deadline_id=deadline_id, occurrence=nominal, done_by=actor.label, done_at=now
                )
            )
    except IntegrityError:
        return Reply(
            texts.DEADLINE_ALREADY_DONE.format(title=deadline.title, due=f"{due:%d/%m/%Y}"),
            (BACK,),
        )
    # The remaining reminders of this occurrence, queued but not sent yet, are dropped.
    await outbox.withdraw_prefix(session, f"dl:{deadline_id}:{nominal:%Y%m%d}:")
    audit_by(session, actor, "deadline.done", now, target=f"{deadline_id}:{nominal:%d/%m/%Y}")
    return Reply(
        texts.DEADLINE_MARKED_DONE.format(title=deadline.title, due=f"{due:%d/%m/%Y}"),
        (Button(texts.STAFF_DEADLINES, LIST), BACK),
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
    if payload.startswith(KIND_PREFIX):
        return _chosen_kind(state, actor, payload.removeprefix(KIND_PREFIX))
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
    return await _detail(session, deadline, nominal, now)


def leads_in_words(leads: list[int], remind_at: str) -> str:
    before = sorted({d for d in leads if d > 0}, reverse=True)
    if not before:
        return texts.LEADS_ON_DAY.format(at=remind_at)
    return texts.LEADS_BEFORE.format(days=texts.joined([str(d) for d in before]), at=remind_at)


async def _detail(
    session: AsyncSession, deadline: Deadline, nominal: date | None, now: datetime
) -> Reply:
    """One deadline: its rule in words, the occurrence asked about (or the next open one) and
    a button to mark that occurrence submitted."""
    assert deadline.id is not None
    calendar = working_calendar()
    today = now.astimezone(VN_TZ).date()
    lines = [
        deadline.title,
        texts.DEADLINE_BASIS.format(basis=deadline.basis or "—"),
        _when(deadline),
        leads_in_words(deadline.lead_days, deadline.remind_at) + ".",
    ]
    buttons: list[Button] = []
    done = await _done(session, deadline.id)
    if nominal is None:
        pending = await open_occurrences(session, deadline, today, calendar)
        nominal = pending[0].nominal if pending else None
    if nominal is not None:
        due = adjusted(nominal, deadline.day_off_rule, calendar)
        if nominal in done:
            lines.append(texts.DEADLINE_OCCURRENCE_DONE.format(due=f"{due:%d/%m/%Y}"))
        else:
            lines.append(texts.DEADLINE_OCCURRENCE_OPEN.format(due=f"{due:%d/%m/%Y}"))
            buttons.append(
                Button(texts.DEADLINE_DONE, f"{DONE_PREFIX}{deadline.id}:{nominal:%Y%m%d}")
            )
    return Reply("\n".join(lines), (*buttons, Button(texts.STAFF_DEADLINES, LIST), BACK))


def label(text: str, width: int = BUTTON_CHARS) -> str:
    """A button label cut at a word, never in the middle of one."""
    return shorten(text, width=width, placeholder="…")


async def upcoming(session: AsyncSession, actor: Actor, now: datetime) -> Reply:
    """Overdue occurrences still open, then the next 90 days; each with its own button, the
    ones already submitted marked so."""
    today = now.astimezone(VN_TZ).date()
    units = await scope(session, actor)
    rows = (
        await session.exec(
            select(Deadline).where(col(Deadline.active), col(Deadline.unit_id).in_(units))
        )
    ).all()
    calendar = working_calendar()
    items: list[Occurrence] = []
    for deadline in rows:
        assert deadline.id is not None
        done = await _done(session, deadline.id)
        for nominal in occurrences(deadline, today - LOOK_BACK, today + timedelta(days=90)):
            due = adjusted(nominal, deadline.day_off_rule, calendar)
            if due >= today or nominal not in done:
                items.append(Occurrence(deadline, nominal, due, nominal in done))
    items.sort(key=lambda item: (item.due, item.deadline.id or 0))
    add = Button(texts.DEADLINE_ADD, NEW)
    if not items:
        return Reply(texts.NO_DEADLINES, (add, BACK))
    shown = items[:LIST_ITEMS]
    lines = [texts.DEADLINES_HEAD]
    buttons = []
    for number, item in enumerate(shown, start=1):
        if item.done:
            state = texts.DEADLINE_STATE_DONE
        elif item.due < today:
            state = texts.DEADLINE_STATE_LATE.format(days=(today - item.due).days)
        else:
            state = ""
        lines.append(f"{number}. {item.due:%d/%m/%Y}: {item.deadline.title}{state}")
        mark = "✓ " if item.done else ""
        buttons.append(
            Button(
                label(f"{number}. {mark}{item.due:%d/%m} {item.deadline.title}"),
                f"{VIEW_PREFIX}{item.deadline.id}:{item.nominal:%Y%m%d}",
            )
        )
    if len(items) > len(shown):
        lines.append(texts.DEADLINES_MORE.format(count=len(items) - len(shown)))
    return Reply("\n".join(lines), (*buttons, add, BACK))


def _chosen_kind(state: ChatState, actor: Actor, kind: str) -> Reply:
    if state.flow != FLOW or state.step != "kind" or kind not in KIND_PROMPTS or not actor.roles:
        return Reply(texts.STALE_BUTTON, (BACK,))
    state.step, state.data["kind"] = "due", kind
    return Reply(KIND_PROMPTS[kind], (BACK,))


def _kind_buttons() -> tuple[Button, ...]:
    return (*(Button(name, f"{KIND_PREFIX}{kind}") for kind, name in texts.DEADLINE_KINDS), BACK)


def _rule_from_typed(kind: str, typed: str) -> dict[str, Any]:
    """What an official typed at the chosen kind, as a plan row's fields."""
    if kind == "once":
        return {"due": typed}
    if kind == "yearly":
        days = [d.strip() for d in typed.replace(";", ",").replace(" và ", ",").split(",")]
        return {"recurrence": "yearly:" + ",".join(d for d in days if d)}
    day = ascii_int(typed)
    if day is None or not 1 <= day <= 31:
        raise DeadlineError(texts.BAD_DEADLINE_DAY)
    return {"recurrence": f"monthly:{day}" if kind == "monthly" else f"quarterly:3:{day}"}


async def text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """An official adding a deadline for themself: the title, how it recurs, then the date."""
    if not actor.is_staff or not actor.roles:
        state.flow = state.step = None
        return Reply(texts.FORBIDDEN, (BACK,))
    typed = " ".join(typed.split())
    if state.step == "title":
        if not 5 <= len(typed) <= 300:
            return Reply(texts.ASK_DEADLINE_TITLE, (BACK,))
        state.data["title"] = typed
        state.step = "kind"
        return Reply(texts.ASK_DEADLINE_KIND, _kind_buttons())
    if state.step == "kind":
        # A date typed straight away is a one-off deadline.
        state.data["kind"] = "once"
    kind = str(state.data.get("kind") or "once")
    unit = await session.get(Unit, actor.roles[0][1])
    row: dict[str, Any] = {
        "title": state.data.get("title", ""),
        "unit": unit.code if unit and unit.code else (unit.name if unit else ""),
    }
    try:
        row.update(_rule_from_typed(kind, typed))
        deadline = await _deadline_from_row(session, row, 1, now)
    except DeadlineError:
        return Reply(texts.BAD_DEADLINE_DUE + " " + KIND_PROMPTS[kind], (BACK,))
    deadline.owner_person_id = actor.person_id
    session.add(deadline)
    await session.flush()
    audit_by(session, actor, "deadline.added", now, target=str(deadline.id))
    state.flow = state.step = None
    state.data = {}
    when = (
        f"{deadline.due_date:%d/%m/%Y}"
        if deadline.due_date
        else describe(deadline.recurrence or "")
    )
    return Reply(
        texts.DEADLINE_ADDED.format(
            title=deadline.title,
            when=when,
            leads=leads_in_words(deadline.lead_days, deadline.remind_at),
        ),
        (Button(texts.STAFF_DEADLINES, LIST), BACK),
    )


# -- plan files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


async def import_plan(
    session: AsyncSession, rows: list[dict[str, Any]], now: datetime
) -> ImportReport:
    """Add or update a plan's deadlines; the first bad row raises DeadlineError (nothing is
    kept). A deadline of the same unit and title is the same deadline: importing the plan
    again (YAML, then the XLSX) updates its rule and lead times instead of doubling every
    reminder."""
    added = updated = 0
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise DeadlineError(texts.PLAN_ROW_NOT_MAPPING.format(number=number))
        fresh = await _deadline_from_row(session, row, number, now)
        existing = next(
            (
                d
                for d in (
                    await session.exec(select(Deadline).where(Deadline.unit_id == fresh.unit_id))
                ).all()
                if _same_title(d.title, fresh.title)
            ),
            None,
        )
        if existing is None:
            session.add(fresh)
            added += 1
        else:
            for field in PLAN_FIELDS:
                setattr(existing, field, getattr(fresh, field))
            existing.active = True
            session.add(existing)
            updated += 1
        await session.flush()
    return ImportReport(added, updated)


# What a plan row sets; the owner person, creation date and done marks stay.
PLAN_FIELDS = (
    "title",
    "basis",
    "owner_role",
    "due_date",
    "recurrence",
    "lead_days",
    "remind_at",
    "escalate_after_days",
    "day_off_rule",
)


def _field(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise DeadlineError(texts.PLAN_FIELD_TYPE.format(field=name))
    return str(value).strip()


async def _deadline_from_row(
    session: AsyncSession, row: dict[str, Any], number: int, now: datetime
) -> Deadline:
    where = f"Hạn thứ {number}"

    def fail(message: str) -> DeadlineError:
        return DeadlineError(f"{where}: {message}")

    try:
        title = " ".join(_field(row, "title").split())
        unit_key = _field(row, "unit")
        due_text = _field(row, "due")
        recurrence = _field(row, "recurrence") or None
    except DeadlineError as exc:
        raise fail(str(exc)) from None
    if not title:
        raise fail("thiếu 'title' (tên việc).")
    unit = await people.unit_by_code_or_name(session, unit_key)
    if unit is None or unit.id is None:
        raise fail(f"không có đơn vị '{unit_key}'.")
    owner_role = str(row.get("owner_role") or OFFICIAL)
    if owner_role not in ROLES:
        raise fail("'owner_role' phải là official hoặc admin.")
    due_date = None
    if due_text:
        try:
            due_date = datetime.strptime(due_text, "%d/%m/%Y").date()
        except ValueError:
            raise fail("'due' phải có dạng ngày/tháng/năm, ví dụ 05/11/2026.") from None
    if (due_date is None) == (recurrence is None):
        raise fail("cần đúng một trong hai trường 'due' (một lần) hoặc 'recurrence' (lặp lại).")
    if recurrence:
        try:
            check_recurrence(recurrence, now.astimezone(VN_TZ).date())
        except DeadlineError as exc:
            raise fail(str(exc)) from None
    leads = row.get("lead_days", [7, 3, 1, 0])
    if not isinstance(leads, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 90 for d in leads
    ):
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
    if escalate is not None and (
        not isinstance(escalate, int) or isinstance(escalate, bool) or escalate < 0
    ):
        raise fail("'escalate_after_days' phải là số ngày không âm.")
    return Deadline(
        title=title[:300],
        basis=_field(row, "basis")[:300],
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


# -- the command line (dccs deadlines list|show|edit|delete) ------------------------------


def _as_row(deadline: Deadline, unit: Unit) -> dict[str, Any]:
    return {
        "title": deadline.title,
        "basis": deadline.basis,
        "unit": unit.code or unit.name,
        "owner_role": deadline.owner_role,
        "due": f"{deadline.due_date:%d/%m/%Y}" if deadline.due_date else None,
        "recurrence": deadline.recurrence,
        "lead_days": list(deadline.lead_days),
        "remind_at": deadline.remind_at,
        "escalate_after_days": deadline.escalate_after_days,
        "day_off_rule": deadline.day_off_rule,
    }


async def _active(session: AsyncSession, deadline_id: int) -> Deadline:
    deadline = await session.get(Deadline, deadline_id)
    if deadline is None or not deadline.active:
        raise DeadlineError(texts.DEADLINE_NOT_FOUND.format(number=deadline_id))
    return deadline


async def edit(
    session: AsyncSession, deadline_id: int, changes: dict[str, Any], now: datetime, actor: str
) -> Deadline:
    """Change some fields of a deadline, validated like a plan row."""
    deadline = await _active(session, deadline_id)
    unit = await session.get(Unit, deadline.unit_id)
    assert unit is not None
    before = _as_row(deadline, unit)
    row = {**before, **changes}
    if "due" in changes:
        row["recurrence"] = None
    if "recurrence" in changes:
        row["due"] = None
    fresh = await _deadline_from_row(session, row, 1, now)
    others = (
        await session.exec(
            select(Deadline).where(
                Deadline.unit_id == deadline.unit_id,
                Deadline.id != deadline_id,
                col(Deadline.active),
            )
        )
    ).all()
    if any(_same_title(other.title, fresh.title) for other in others):
        raise DeadlineError(texts.DEADLINE_TITLE_TAKEN.format(title=fresh.title))
    for field in PLAN_FIELDS:
        setattr(deadline, field, getattr(fresh, field))
    session.add(deadline)
    # Reminders queued under the old rule are not sent; the next tick queues the new ones.
    await outbox.withdraw_prefix(session, f"dl:{deadline_id}:")
    audit.record(
        session,
        at=now,
        actor=actor,
        action="deadline.edited",
        target=str(deadline_id),
        before=before,
        after=_as_row(deadline, unit),
    )
    return deadline


async def delete(session: AsyncSession, deadline_id: int, now: datetime, actor: str) -> Deadline:
    """Stop a deadline: no more reminders; its done marks stay for the record."""
    deadline = await _active(session, deadline_id)
    deadline.active = False
    session.add(deadline)
    await outbox.withdraw_prefix(session, f"dl:{deadline_id}:")
    audit.record(session, at=now, actor=actor, action="deadline.deleted", target=str(deadline_id))
    return deadline


async def listing(session: AsyncSession, now: datetime) -> list[str]:
    """One line per active deadline: number, unit, title, rule in words, next open due date."""
    today = now.astimezone(VN_TZ).date()
    calendar = working_calendar()
    lines = []
    rows = (
        await session.exec(select(Deadline).where(col(Deadline.active)).order_by(col(Deadline.id)))
    ).all()
    for deadline in rows:
        unit = await session.get(Unit, deadline.unit_id)
        pending = await open_occurrences(session, deadline, today, calendar)
        upcoming_due = f"{pending[0].due:%d/%m/%Y}" if pending else "—"
        lines.append(
            texts.DEADLINE_LINE.format(
                number=deadline.id,
                unit=unit.name if unit else "?",
                title=deadline.title,
                rule=_when(deadline),
                due=upcoming_due,
            )
        )
    return lines


def _when(deadline: Deadline) -> str:
    if deadline.due_date:
        return texts.DEADLINE_ONCE.format(due=f"{deadline.due_date:%d/%m/%Y}")
    return texts.DEADLINE_RECURRING.format(rule=describe(deadline.recurrence or ""))


async def details(session: AsyncSession, deadline_id: int, now: datetime) -> list[str]:
    """Everything about one deadline, for `dccs deadlines show`."""
    deadline = await _active(session, deadline_id)
    assert deadline.id is not None
    unit = await session.get(Unit, deadline.unit_id)
    today = now.astimezone(VN_TZ).date()
    calendar = working_calendar()
    pending = await open_occurrences(session, deadline, today, calendar)
    done = sorted(await _done(session, deadline.id), reverse=True)
    escalate = (
        texts.DEADLINE_ESCALATE_AFTER.format(days=deadline.escalate_after_days)
        if deadline.escalate_after_days is not None
        else texts.DEADLINE_NO_ESCALATION
    )
    return [
        f"{deadline.id}. {deadline.title}",
        texts.DEADLINE_UNIT.format(unit=unit.name if unit else "?"),
        texts.DEADLINE_BASIS.format(basis=deadline.basis or "—"),
        _when(deadline),
        texts.DAY_OFF_RULE_NAMES[deadline.day_off_rule],
        leads_in_words(deadline.lead_days, deadline.remind_at) + ".",
        escalate,
        texts.DEADLINE_OPEN_DATES.format(
            dates=", ".join(f"{item.due:%d/%m/%Y}" for item in pending[:5]) or "—"
        ),
        texts.DEADLINE_DONE_DATES.format(
            dates=", ".join(f"{day:%d/%m/%Y}" for day in done[:5]) or "—"
        ),
    ]


async def queue_reminders(sessions: SessionFactory, clock: Clock) -> int:
    """The clock's job: queue what has come due (the deliverer sends it)."""
    async with sessions() as session, session.begin():
        return len(await plan_reminders(session, clock.now(), working_calendar()))
