"""Plan files (YAML, XLSX) imported idempotently, and the command line's list, show, edit and
delete."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, outbox, people
from db.models import (
    Deadline,
    Unit,
)
from handlers import texts
from handlers.access import OFFICIAL, ROLES
from handlers.clock import VN_TZ
from handlers.deadlines.reminders import done_dates, open_occurrences
from handlers.deadlines.rules import (
    DAY_OFF_RULES,
    DeadlineError,
    check_recurrence,
    leads_in_words,
    when_words,
)
from handlers.working_days import working_calendar


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    # The rows left out (only when the import keeps the good rows), one message each.
    problems: tuple[str, ...] = ()


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


async def import_plan(
    session: AsyncSession,
    rows: list[dict[str, Any]],
    now: datetime,
    *,
    units: Collection[int] | None = None,
    keep_good: bool = False,
) -> ImportReport:
    """Add or update a plan's deadlines; any bad row raises DeadlineError naming every bad
    row at once (nothing is kept: the caller rolls back), unless ``keep_good``: then the good
    rows land and the report names the others (the desk's upload, where the official fixes
    the few rows said and uploads again). ``units`` limits the rows to an official's units.
    A deadline of the same unit and title is the same deadline: importing the plan again
    (YAML, then the XLSX) updates its rule and lead times instead of doubling every
    reminder."""
    added = updated = 0
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(texts.PLAN_ROW_NOT_MAPPING.format(number=number))
            continue
        try:
            fresh = await deadline_from_row(session, row, number, now)
        except DeadlineError as exc:
            problems.append(str(exc))
            continue
        if units is not None and fresh.unit_id not in units:
            problems.append(texts.PLAN_UNIT_OUT_OF_SCOPE.format(number=number))
            continue
        if problems and not keep_good:
            continue  # nothing is written once a row is wrong; the rest are only checked
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
    if problems and not keep_good:
        raise DeadlineError("\n".join(problems))
    return ImportReport(added, updated, tuple(problems))


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


async def deadline_from_row(
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
    fresh = await deadline_from_row(session, row, 1, now)
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
                rule=when_words(deadline),
                due=upcoming_due,
            )
        )
    return lines


async def details(session: AsyncSession, deadline_id: int, now: datetime) -> list[str]:
    """Everything about one deadline, for `dccs deadlines show`."""
    deadline = await _active(session, deadline_id)
    assert deadline.id is not None
    unit = await session.get(Unit, deadline.unit_id)
    today = now.astimezone(VN_TZ).date()
    calendar = working_calendar()
    pending = await open_occurrences(session, deadline, today, calendar)
    done = sorted(await done_dates(session, deadline.id), reverse=True)
    escalate = (
        texts.DEADLINE_ESCALATE_AFTER.format(days=deadline.escalate_after_days)
        if deadline.escalate_after_days is not None
        else texts.DEADLINE_NO_ESCALATION
    )
    return [
        f"{deadline.id}. {deadline.title}",
        texts.DEADLINE_UNIT.format(unit=unit.name if unit else "?"),
        texts.DEADLINE_BASIS.format(basis=deadline.basis or "—"),
        when_words(deadline),
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
