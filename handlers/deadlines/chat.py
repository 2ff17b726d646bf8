"""Officials' deadlines in the chat: the list, a deadline's detail, done and snooze, /xong, and
adding one with plain choices."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from textwrap import shorten
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db.conversations import ChatState
from db.models import (
    Deadline,
    DeadlineDone,
    Unit,
)
from handlers import texts
from handlers.access import Actor, audit_by, scope
from handlers.clock import VN_TZ
from handlers.contract import Button, Reply
from handlers.deadlines.plans import deadline_from_row
from handlers.deadlines.reminders import (
    Occurrence,
    done_dates,
    open_occurrences,
    reminder,
    reminder_key,
)
from handlers.deadlines.rules import (
    BUTTON_CHARS,
    DONE_PREFIX,
    FLOW,
    KIND_PREFIX,
    KIND_PROMPTS,
    LIST,
    LIST_ITEMS,
    LOOK_AHEAD,
    LOOK_BACK,
    NEW,
    PREFIX,
    SNOOZE_PREFIX,
    VIEW_PREFIX,
    DeadlineError,
    adjusted,
    describe,
    leads_in_words,
    occurrences,
    when_words,
)
from handlers.forms import Choice, Field, Form, Invalid, text_between
from handlers.menu import BACK
from handlers.spoken_dates import read_coming_day
from handlers.working_days import WorkingCalendar, working_calendar
from knowledge.normalize import ascii_int, fold

_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def _not_a_kind(typed: str, today: date) -> Invalid:
    # Only a kind's button or name answers; a date typed here is read by ``text`` as a one-off.
    return Invalid(texts.ASK_DEADLINE_KIND)


def _coming_day(typed: str, today: date) -> str | Invalid:
    """A one-off deadline's day: "15/12/2026", "18/12", "ngày 18 tháng 12"; never a past day
    (it would never be reminded of nor listed)."""
    day = read_coming_day(typed, today)
    return f"{day:%d/%m/%Y}" if day is not None else Invalid(texts.BAD_DEADLINE_ONCE)


def _yearly_days(typed: str, today: date) -> str:
    # "15/6 và 15/12", "15/6; 15/12": the plan row takes them separated by commas.
    return ",".join(part.strip() for part in re.split(r"[,;]|\bva\b", fold(typed)) if part.strip())


def _day_of_month(typed: str, today: date) -> str | Invalid:
    # "20", "ngày 20", "ngay 20 hang thang": the number said.
    found = _NUMBER.search(fold(typed))
    day = ascii_int(found.group(0)) if found else None
    return str(day) if day is not None and 1 <= day <= 31 else Invalid(texts.BAD_DEADLINE_DAY)


FORM = Form(
    PREFIX,
    {
        asked.key: asked
        for asked in (
            Field(
                "title",
                texts.DEADLINE_FIELDS["title"],
                texts.ASK_DEADLINE_TITLE,
                text_between(5, 300, texts.ASK_DEADLINE_TITLE),
            ),
            Field(
                "kind",
                texts.DEADLINE_FIELDS["kind"],
                texts.ASK_DEADLINE_KIND,
                _not_a_kind,
                tuple(
                    Choice(name, f"{KIND_PREFIX}{kind}", kind)
                    for kind, name in texts.DEADLINE_KINDS
                ),
            ),
            Field("once", texts.DEADLINE_FIELDS["due"], KIND_PROMPTS["once"], _coming_day),
            Field("monthly", texts.DEADLINE_FIELDS["due"], KIND_PROMPTS["monthly"], _day_of_month),
            Field(
                "quarterly", texts.DEADLINE_FIELDS["due"], KIND_PROMPTS["quarterly"], _day_of_month
            ),
            Field("yearly", texts.DEADLINE_FIELDS["due"], KIND_PROMPTS["yearly"], _yearly_days),
        )
    },
)


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
        state.flow, state.data = FLOW, {}
        return FORM.ask(state, "title")
    if state.flow == FLOW and payload in (FORM.back, FORM.quit):
        return await _step_back(session, state, actor, payload, now)
    if payload.startswith(KIND_PREFIX):
        return _chosen_kind(state, actor, FORM.chosen(state, payload))
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
            reminder_key(deadline_id, nominal, actor.person_id, f"snooze{later:%Y%m%d}"),
            due=later,
        )
        return Reply(texts.DEADLINE_SNOOZED.format(when=f"{later:%H:%M ngày %d/%m}"), (BACK,))
    return await _detail(session, deadline, nominal, now)


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
        when_words(deadline),
        leads_in_words(deadline.lead_days, deadline.remind_at) + ".",
    ]
    buttons: list[Button] = []
    done = await done_dates(session, deadline.id)
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


async def scheduled(session: AsyncSession, actor: Actor, today: date) -> list[Occurrence]:
    """The occurrences of the deadlines in the actor's scope: those still open from the
    look-back, then everything of the next 90 days, by due date (the chat's list, the desk's
    page)."""
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
        done = await done_dates(session, deadline.id)
        for nominal in occurrences(deadline, today - LOOK_BACK, today + timedelta(days=90)):
            due = adjusted(nominal, deadline.day_off_rule, calendar)
            if due >= today or nominal not in done:
                items.append(Occurrence(deadline, nominal, due, nominal in done))
    items.sort(key=lambda item: (item.due, item.deadline.id or 0))
    return items


async def upcoming(session: AsyncSession, actor: Actor, now: datetime) -> Reply:
    """Overdue occurrences still open, then the next 90 days; each with its own button, the
    ones already submitted marked so."""
    today = now.astimezone(VN_TZ).date()
    items = await scheduled(session, actor, today)
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


def _chosen_kind(state: ChatState, actor: Actor, kind: str | None) -> Reply:
    if state.flow != FLOW or kind is None or not actor.roles:
        return Reply(texts.STALE_BUTTON, (BACK,))
    FORM.store(state, "kind", kind, ("title", "kind", kind))
    return FORM.ask(state, kind)


async def _step_back(
    session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
) -> Reply:
    """ "Quay lại" one step, or out of the form to the list ("Huỷ", or back from the title)."""
    kind = str(state.data.get("kind", ""))
    earlier = FORM.previous(state, ("title", "kind", kind)) if payload == FORM.back else None
    if earlier is not None:
        return FORM.ask(state, earlier)
    state.flow = state.step = None
    state.data = {}
    return await upcoming(session, actor, now)


def _rule_from_typed(kind: str, typed: str) -> dict[str, Any]:
    """What an official typed at the chosen kind, as a plan row's fields."""
    if kind == "once":
        return {"due": typed}
    if kind == "yearly":
        return {"recurrence": f"yearly:{typed}"}
    return {"recurrence": f"{kind}:{typed}" if kind == "monthly" else f"quarterly:3:{typed}"}


async def text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """An official adding a deadline for themself: the title, how it recurs, then the date."""
    if not actor.is_staff or not actor.roles:
        state.flow = state.step = None
        return Reply(texts.FORBIDDEN, (BACK,))
    today = now.astimezone(VN_TZ).date()
    step = state.step if state.step and state.step in FORM.fields else "title"
    if step == "kind":
        chosen = FORM.read(step, typed, today)
        if isinstance(chosen, str):
            return _chosen_kind(state, actor, chosen)
        # A date typed straight away is a one-off deadline.
        state.data["kind"] = step = "once"
    value = FORM.read(step, typed, today)
    if isinstance(value, Invalid):
        return FORM.retry(step, value)
    if step == "title":
        FORM.store(state, step, value, ("title", "kind"))
        return FORM.ask(state, "kind")
    kind = step
    unit = await session.get(Unit, actor.roles[0][1])
    row: dict[str, Any] = {
        "title": state.data.get("title", ""),
        "unit": unit.code if unit and unit.code else (unit.name if unit else ""),
    }
    try:
        row.update(_rule_from_typed(kind, str(value)))
        deadline = await deadline_from_row(session, row, 1, now)
    except DeadlineError:
        return FORM.retry(kind, Invalid(texts.BAD_DEADLINE_DUE + " " + KIND_PROMPTS[kind]))
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
