"""The desk's deadline forms: adding and editing a deadline with its rule chosen from plain
choices (read by the chat form's own readers, then checked as a plan row by
``deadline_from_row``), deleting it through the command line's code, and a plan file uploaded
as ``dccs deadlines import`` reads it, keeping the good rows."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, datetime
from io import BytesIO
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Deadline, Unit
from handlers import texts
from handlers.access import OFFICIAL, Actor, audit_by, scope
from handlers.clock import VN_TZ
from handlers.deadlines import chat as deadline_chat
from handlers.deadlines import plans as deadline_plans
from handlers.deadlines.plans import deadline_from_row
from handlers.deadlines.rules import DeadlineError, when_words
from handlers.desk.deadlines import next_due
from handlers.forms import Invalid
from handlers.sheets import csv_safe
from knowledge.normalize import ascii_int

# How a deadline recurs, as the form offers it: never a typed code. "keep" appears only when
# editing a deadline whose rule the choices cannot say (an RRULE from a plan file).
KINDS = {
    "once": "Một lần, vào ngày…",
    "monthly": "Hằng tháng, vào ngày…",
    "quarterly": "Hằng quý, vào tháng thứ… của quý, ngày…",
    "half_yearly": "6 tháng một lần, vào tháng thứ… của nửa năm, ngày…",
    "yearly": "Hằng năm, vào ngày/tháng…",
}
KEEP = "keep"
HALF_MONTHS = {str(n): f"Tháng thứ {n} (tháng {n} và tháng {n + 6})" for n in range(1, 7)}
FIELDS = (
    "ten",
    "can_cu",
    "don_vi",
    "kieu",
    "ngay",
    "ngay_thang",
    "thang_quy",
    "ngay_quy",
    "thang_nua_nam",
    "ngay_nua_nam",
    "thang_nam",
    "ngay_nam",
    "ngay_nghi",
)
# A yearly day is checked against a common year: the rule reads "29/02" as no day at all.
_COMMON_YEAR = 2027


def blank_form(unit_id: int | None) -> dict[str, str]:
    return {name: "" for name in FIELDS} | {
        "don_vi": str(unit_id or ""),
        "kieu": "quarterly",
        "thang_quy": "3",
        "thang_nua_nam": "6",
        "thang_nam": "12",
        "ngay_nghi": "before",
    }


def form_of(deadline: Deadline) -> dict[str, str]:
    """A deadline as the form's choices; a rule the choices cannot say is kept as it is."""
    form = blank_form(deadline.unit_id) | {
        "ten": deadline.title,
        "can_cu": deadline.basis,
        "ngay_nghi": deadline.day_off_rule,
    }
    if deadline.due_date is not None:
        return form | {"kieu": "once", "ngay": deadline.due_date.isoformat()}
    kind, _, rule = (deadline.recurrence or "").partition(":")
    numbers = [
        ascii_int(part.strip()) for part in rule.replace(",", "/").replace(":", "/").split("/")
    ]
    if None in numbers:
        return form | {"kieu": KEEP}
    said = [str(number) for number in numbers]
    if kind == "monthly" and len(said) == 1:
        return form | {"kieu": "monthly", "ngay_thang": said[0]}
    if kind == "quarterly" and len(said) == 2:
        return form | {"kieu": "quarterly", "thang_quy": said[0], "ngay_quy": said[1]}
    if kind == "yearly" and len(said) == 2:
        return form | {"kieu": "yearly", "ngay_nam": said[0], "thang_nam": said[1]}
    if kind == "half_yearly" and len(said) == 4 and said[0] == said[2]:
        if numbers[1] is not None and numbers[3] == numbers[1] + 6:
            return form | {"kieu": "half_yearly", "ngay_nua_nam": said[0], "thang_nua_nam": said[1]}
    return form | {"kieu": KEEP}


# A one-off deadline further ahead than this is a typing slip, not a plan.
ONCE_YEARS_AHEAD = 5


def _strict_day(typed: str) -> date | None:
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(typed.strip(), shape).date()
        except ValueError:
            continue
    return None


def _years_ahead(today: date, years: int) -> date:
    # 29 February has no twin in most years: its 28th counts.
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year + years, day=day)


def _day_in(typed: str, today: date, month: int | None = None) -> int | str:
    """A day of the month from the chat form's own reader, checked against ``month``."""
    value = deadline_chat.FORM.read("monthly", typed, today)
    if isinstance(value, Invalid):
        return value.message
    day = int(value)
    if month is not None and day > month_calendar.monthrange(_COMMON_YEAR, month)[1]:
        return texts.DESK_DEADLINE_NO_SUCH_DAY.format(day=day, month=month)
    return day


def _month(typed: str, last: int) -> int | None:
    number = ascii_int(typed.strip())
    return number if number is not None and 1 <= number <= last else None


def _rule(typed: dict[str, str], today: date) -> dict[str, Any] | str:
    """The plan row's "due" or "recurrence" the choices make, or what is wrong in words."""
    kind = typed.get("kieu", "")
    if kind == "once":
        # The date field's YYYY-MM-DD, or dd/mm/yyyy where the browser has no date picker;
        # never the chat's loose reader, which takes "0000-01-01" for the next 1 January.
        once = _strict_day(typed.get("ngay", ""))
        if once is None:
            return texts.DESK_DEADLINE_BAD_ONCE
        if once > _years_ahead(today, ONCE_YEARS_AHEAD):
            return texts.DESK_DEADLINE_TOO_FAR.format(years=ONCE_YEARS_AHEAD)
        # The chat's own check: not before today.
        value = deadline_chat.FORM.read("once", f"{once:%d/%m/%Y}", today)
        return texts.DESK_DEADLINE_BAD_ONCE if isinstance(value, Invalid) else {"due": value}
    if kind == "monthly":
        day = _day_in(typed.get("ngay_thang", ""), today)
        return day if isinstance(day, str) else {"recurrence": f"monthly:{day}"}
    if kind == "quarterly":
        offset = _month(typed.get("thang_quy", ""), 3)
        day = _day_in(typed.get("ngay_quy", ""), today)
        if offset is None:
            return texts.DESK_DEADLINE_PICK_MONTH
        return day if isinstance(day, str) else {"recurrence": f"quarterly:{offset}:{day}"}
    if kind == "half_yearly":
        month = _month(typed.get("thang_nua_nam", ""), 6)
        if month is None:
            return texts.DESK_DEADLINE_PICK_MONTH
        day = _day_in(typed.get("ngay_nua_nam", ""), today, month)
        if isinstance(day, str):
            return day
        later = _day_in(str(day), today, month + 6)
        if isinstance(later, str):
            return later
        return {"recurrence": f"half_yearly:{day:02d}/{month:02d},{day:02d}/{month + 6:02d}"}
    if kind == "yearly":
        month = _month(typed.get("thang_nam", ""), 12)
        if month is None:
            return texts.DESK_DEADLINE_PICK_MONTH
        day = _day_in(typed.get("ngay_nam", ""), today, month)
        return day if isinstance(day, str) else {"recurrence": f"yearly:{day:02d}/{month:02d}"}
    return texts.DESK_DEADLINE_PICK_KIND


async def _plan_row(
    session: AsyncSession, actor: Actor, typed: dict[str, str], today: date, keep: bool
) -> dict[str, Any] | str:
    """The form as a plan row (``deadline_from_row`` then checks it as it checks a file's), or
    what is wrong in words."""
    title = deadline_chat.FORM.read("title", typed.get("ten", ""), today)
    if isinstance(title, Invalid) or "\n" in title:
        return texts.DESK_DEADLINE_BAD_TITLE
    unit_id = ascii_int(typed.get("don_vi", "").strip())
    if unit_id is None or unit_id not in await scope(session, actor):
        return texts.DESK_UNIT_OUT_OF_SCOPE
    unit = await session.get(Unit, unit_id)
    if unit is None:
        return texts.DESK_UNIT_OUT_OF_SCOPE
    rule = typed.get("ngay_nghi", "")
    if rule not in texts.DAY_OFF_RULE_NAMES:
        return texts.DESK_DEADLINE_PICK_DAY_OFF
    row: dict[str, Any] = {
        "title": title,
        "basis": " ".join(typed.get("can_cu", "").split())[:300],
        "unit": unit.code or unit.name,
        "day_off_rule": rule,
    }
    if keep and typed.get("kieu") == KEEP:
        return row
    when = _rule(typed, today)
    return when if isinstance(when, str) else row | when


def _said(problem: DeadlineError) -> str:
    # A form has one "row": the plan's "Hạn thứ 1: " would only puzzle.
    return str(problem).removeprefix("Hạn thứ 1: ")


async def _saved_message(
    session: AsyncSession, template: str, deadline: Deadline, today: date
) -> str:
    return template.format(
        title=deadline.title,
        when=when_words(deadline),
        due=await next_due(session, deadline, today),
    )


async def add(
    session: AsyncSession, actor: Actor, typed: dict[str, str], now: datetime
) -> tuple[bool, str]:
    """A deadline of one of the official's units, from the form's choices (audited)."""
    today = now.astimezone(VN_TZ).date()
    row = await _plan_row(session, actor, typed, today, keep=False)
    if isinstance(row, str):
        return False, row
    try:
        deadline = await deadline_from_row(session, row, 1, now)
    except DeadlineError as problem:
        return False, _said(problem)
    taken = await session.exec(
        select(Deadline).where(Deadline.unit_id == deadline.unit_id, col(Deadline.active))
    )
    if any(
        " ".join(other.title.split()).casefold() == deadline.title.casefold()
        for other in taken.all()
    ):
        return False, texts.DEADLINE_TITLE_TAKEN.format(title=deadline.title)
    session.add(deadline)
    await session.flush()
    audit_by(session, actor, "deadline.added", now, target=str(deadline.id), after=row)
    return True, await _saved_message(session, texts.DESK_DEADLINE_ADDED, deadline, today)


async def update(
    session: AsyncSession, actor: Actor, deadline: Deadline, typed: dict[str, str], now: datetime
) -> tuple[bool, str]:
    """Change a deadline through the command line's ``edit`` (checked as a plan row, the
    queued reminders of the old rule withdrawn, audited)."""
    assert deadline.id is not None
    today = now.astimezone(VN_TZ).date()
    row = await _plan_row(session, actor, typed, today, keep=True)
    if isinstance(row, str):
        return False, row
    try:
        async with session.begin_nested():
            await deadline_plans.edit(session, deadline.id, row, now, actor.label)
    except DeadlineError as problem:
        return False, _said(problem)
    return True, await _saved_message(session, texts.DESK_DEADLINE_SAVED, deadline, today)


async def remove(session: AsyncSession, actor: Actor, deadline: Deadline, now: datetime) -> str:
    assert deadline.id is not None
    await deadline_plans.delete(session, deadline.id, now, actor.label)
    return texts.DESK_DEADLINE_DELETED.format(title=deadline.title)


async def import_rows(
    session: AsyncSession, actor: Actor, rows: list[dict[str, Any]], now: datetime
) -> deadline_plans.ImportReport:
    """A plan file uploaded on the desk: the rows of the official's units that pass the
    command line's checks land; the others are named (audited with the counts)."""
    report = await deadline_plans.import_plan(
        session, rows, now, units=await scope(session, actor), keep_good=True
    )
    audit_by(
        session,
        actor,
        "deadline.imported",
        now,
        after={
            "added": report.added,
            "updated": report.updated,
            "refused": len(report.problems),
        },
    )
    return report


SAMPLE_SHEET = "deadlines"


def _cell(value: Any) -> Any:
    # Numbers stay numbers (the reader wants them so); text is kept from being a formula.
    return csv_safe(value) if isinstance(value, str) else value


def plan_sample(unit: str, today: date) -> bytes:
    """A small plan workbook officials can fill in: the sheet the import reads, the header row
    of ``texts.PLAN_COLUMNS`` and two rows of ``unit`` (a yearly report, a one-off task) that
    import as they are."""
    # Imported here, as the reader does: openpyxl costs start-up time.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SAMPLE_SHEET
    columns = list(texts.PLAN_COLUMNS)
    rows: list[dict[str, Any]] = [
        {
            "title": texts.PLAN_SAMPLE_YEARLY,
            "unit": unit,
            "recurrence": "yearly:05/05,05/11",
            "basis": texts.PLAN_SAMPLE_BASIS,
            "owner_role": OFFICIAL,
            "lead_days": "7, 3, 1, 0",
            "remind_at": "07:30",
            "escalate_after_days": 2,
            "day_off_rule": "before",
        },
        {
            "title": texts.PLAN_SAMPLE_ONCE,
            "unit": unit,
            "due": f"15/01/{today.year + 1}",
            "basis": texts.PLAN_SAMPLE_BASIS,
        },
    ]
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(row.get(key)) for key in columns])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
