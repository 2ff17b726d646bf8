"""The desk's Hạn báo cáo page: the deadlines of the official's units (the chat's list, from
``deadlines.chat.scheduled``), who marked an occurrence done and when, marking one done
through the chat's own ``mark_done`` and taking it back, every deadline with its next due date,
and the one scope check of a deadline's own pages (the forms are in ``deadline_forms``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import desk
from db.models import Deadline
from handlers import texts
from handlers.access import Actor, audit_by, record_denied, scope
from handlers.deadlines import chat as deadline_chat
from handlers.deadlines.reminders import open_occurrences
from handlers.deadlines.rules import when_words
from handlers.desk.names import label_names
from handlers.working_days import working_calendar


@dataclass(frozen=True)
class DeadlineRow:
    id: int
    nominal: date
    due: date
    title: str
    basis: str
    unit: str
    when: str
    state: str
    late: bool
    done_by: str | None
    done_at: datetime | None
    # Who the reminders of this occurrence reached (names), as far as the outbox still keeps.
    reminded: str
    # Why ``due`` is not ``nominal`` ("" when it is).
    moved: str


async def rows(session: AsyncSession, actor: Actor, today: date) -> list[DeadlineRow]:
    items = await deadline_chat.scheduled(session, actor, today)
    ids = {item.deadline.id or 0 for item in items}
    done = {
        (row.deadline_id, row.occurrence): row for row in await desk.deadlines_done(session, ids)
    }
    reminded = await _reminded(session, ids)
    names = await label_names(
        session,
        [row.done_by for row in done.values()]
        + [label for labels in reminded.values() for label in labels],
    )
    units = await desk.unit_names(session, {item.deadline.unit_id for item in items})
    shown = []
    for item in items:
        marked = done.get((item.deadline.id or 0, item.nominal))
        days = (item.due - today).days
        if marked is not None:
            state = "Đã nộp"
        elif days < 0:
            state = texts.DAYS_LATE.format(days=-days).capitalize()
        elif days == 0:
            state = texts.DUE_TODAY.capitalize()
        else:
            state = texts.DAYS_LEFT.format(days=days).capitalize()
        shown.append(
            DeadlineRow(
                id=item.deadline.id or 0,
                nominal=item.nominal,
                due=item.due,
                title=item.deadline.title,
                basis=item.deadline.basis,
                unit=units.get(item.deadline.unit_id, ""),
                when=when_words(item.deadline),
                state=state,
                moved=moved_note(item.nominal, item.due),
                late=marked is None and days < 0,
                done_by=names.get(marked.done_by) if marked else None,
                done_at=marked.done_at if marked else None,
                reminded=", ".join(
                    sorted(
                        {
                            names.get(label, label)
                            for label in reminded.get((item.deadline.id or 0, item.nominal), [])
                        }
                    )
                ),
            )
        )
    return shown


async def _reminded(
    session: AsyncSession, deadline_ids: set[int]
) -> dict[tuple[int, date], list[str]]:
    """Reminder keys ``dl:{deadline}:{YYYYMMDD}:{person}:{lead}`` by occurrence, as labels."""
    found: dict[tuple[int, date], list[str]] = {}
    for key, _ in await desk.reminders_sent(session, deadline_ids):
        parts = key.split(":")
        if len(parts) < 5 or not parts[1].isdigit() or not parts[3].isdigit():
            continue
        try:
            nominal = datetime.strptime(parts[2], "%Y%m%d").date()
        except ValueError:
            continue
        found.setdefault((int(parts[1]), nominal), []).append(f"person:{parts[3]}")
    return found


async def visible(session: AsyncSession, actor: Actor, deadline_id: int, now: datetime) -> bool:
    """Whether the deadline is one of the actor's units'; a refusal is audited."""
    if await deadline_chat._in_scope(session, actor, deadline_id) is None:
        record_denied(session, actor, f"desk:deadline:{deadline_id}", now)
        return False
    return True


async def mark_done(
    session: AsyncSession, actor: Actor, deadline_id: int, nominal: date, now: datetime
) -> tuple[bool, str] | None:
    """(done, message), or None for a deadline outside the actor's scope (audited)."""
    deadline = await session.get(Deadline, deadline_id)
    if deadline is None or await deadline_chat._in_scope(session, actor, deadline_id) is None:
        record_denied(session, actor, f"desk:deadline:{deadline_id}", now)
        return None
    reply = await deadline_chat.mark_done(session, actor, deadline_id, nominal, now)
    return reply.text.startswith(texts.DEADLINE_MARKED_DONE.split("{", 1)[0]), reply.text


async def next_due(session: AsyncSession, deadline: Deadline, today: date) -> str:
    """The next occurrence not marked done, as "18/12/2026" with why it moved, or "—"."""
    pending = await open_occurrences(session, deadline, today, working_calendar())
    if not pending:
        return "—"
    note = moved_note(pending[0].nominal, pending[0].due)
    return f"{pending[0].due:%d/%m/%Y}" + (f" ({note})" if note else "")


def moved_note(nominal: date, due: date) -> str:
    """Why the due date is not the plan's: the plan's day is a weekend day or a day off
    (``rules.adjusted``); "" when it is the plan's own."""
    if due == nominal:
        return ""
    if nominal.weekday() >= 5 and nominal not in working_calendar().extra_working_days:
        why = texts.WEEKDAY_WORDS[nominal.weekday()]
    else:
        why = texts.DEADLINE_HOLIDAY
    way = texts.DEADLINE_MOVED_EARLIER if due < nominal else texts.DEADLINE_MOVED_LATER
    return texts.DEADLINE_MOVED_NOTE.format(day=f"{nominal:%d/%m/%Y}", why=why, way=way)


async def in_scope(
    session: AsyncSession, actor: Actor, deadline_id: int, now: datetime
) -> Deadline | None:
    """An active deadline of the official's units, or None (the refusal audited)."""
    deadline = await deadline_chat._in_scope(session, actor, deadline_id)
    if deadline is None or not deadline.active:
        record_denied(session, actor, f"desk:deadline:{deadline_id}", now)
        return None
    return deadline


async def undo_done(
    session: AsyncSession, actor: Actor, deadline: Deadline, nominal: date, now: datetime
) -> tuple[bool, str]:
    """Take back "đã nộp" of one occurrence (pressed by mistake) of a deadline ``in_scope``
    found: (done, message), audited."""
    assert deadline.id is not None
    deadline_id = deadline.id
    removed = await desk.undo_deadline_done(session, deadline_id, nominal)
    if removed is None:
        return False, texts.DESK_DEADLINE_NOT_DONE.format(title=deadline.title)
    audit_by(
        session,
        actor,
        "deadline.undone",
        now,
        target=f"{deadline_id}:{nominal:%d/%m/%Y}",
        before={"done_by": removed.done_by, "done_at": removed.done_at.isoformat()},
    )
    return True, texts.DESK_DEADLINE_UNDONE.format(title=deadline.title)


@dataclass(frozen=True)
class PlanRow:
    """One deadline of the official's units, whenever it next falls due (a yearly report
    may be months away, beyond the list of occurrences)."""

    id: int
    title: str
    unit: str
    when: str
    # "18/12/2026 (ngày 20/12/2026 là Chủ nhật, …)" or "—".
    next_due: str


async def plan(session: AsyncSession, actor: Actor, today: date) -> list[PlanRow]:
    units = await scope(session, actor)
    found = (
        await session.exec(
            select(Deadline)
            .where(col(Deadline.active), col(Deadline.unit_id).in_(units))
            .order_by(col(Deadline.title))
        )
    ).all()
    names = await desk.unit_names(session, {deadline.unit_id for deadline in found})
    return [
        PlanRow(
            id=deadline.id or 0,
            title=deadline.title,
            unit=names.get(deadline.unit_id, ""),
            when=when_words(deadline),
            next_due=await next_due(session, deadline, today),
        )
        for deadline in found
    ]
