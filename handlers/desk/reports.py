"""The desk's Báo cáo page: a period chosen as a month, a quarter, a half year, a year or two
dates, a unit the official may report on, and the report module's own figures, chart and files
(handlers/reports.py, handlers/report_files.py): the desk computes nothing of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from handlers import texts
from handlers.access import ADMIN, Actor, audit_by, record_denied, scope
from handlers.reports import YEARS, Period, Report, build, month_span, paragraphs

if TYPE_CHECKING:
    from handlers.report_files import Table

KINDS = {
    "thang": "Tháng",
    "quy": "Quý",
    "6-thang": "6 tháng",
    "nam": "Năm",
    "khoang": "Từ ngày đến ngày",
}
HALVES = {1: "6 tháng đầu năm", 2: "6 tháng cuối năm"}
# A file's period in its address: 20261001-20261231.
SPAN_FORMAT = "%Y%m%d"


@dataclass(frozen=True)
class Asked:
    """The form as the official filled it in (kept as typed, to show it back)."""

    kind: str
    year: int
    month: int
    quarter: int
    half: int
    first: str
    last: str


@dataclass(frozen=True)
class Shown:
    """What the page shows of a report: the paragraphs and the reconciled tables."""

    report: Report
    paragraphs: list[str]
    tables: list[Table]
    span: str


def _number(typed: str | None, default: int, low: int, high: int) -> int | None:
    if typed is None or typed == "":
        return default
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 4):
        return None
    value = int(typed)
    return value if low <= value <= high else None


def _typed_day(typed: str) -> date | None:
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(typed.strip(), shape).date()
        except ValueError:
            continue
    return None


def asked_from(query: Mapping[str, str], today: date) -> Asked | str:
    """The period fields of the page's address; this quarter when none is given. A message
    when a field is not one the form offers."""
    kind = query.get("ky", "") or ("khoang" if query.get("tu") or query.get("den") else "quy")
    if kind not in KINDS:
        return texts.DESK_REPORT_BAD_KIND
    year = _number(query.get("nam"), today.year, YEARS.start, YEARS.stop - 1)
    month = _number(query.get("thang"), today.month, 1, 12)
    quarter = _number(query.get("quy"), (today.month - 1) // 3 + 1, 1, 4)
    half = _number(query.get("nua"), 1 if today.month <= 6 else 2, 1, 2)
    if year is None:
        return texts.DESK_REPORT_BAD_YEAR.format(first=YEARS.start, last=today.year)
    if month is None or quarter is None or half is None:
        return texts.DESK_REPORT_BAD_KIND
    first, last = query.get("tu", "")[:20], query.get("den", "")[:20]
    return Asked(kind, year, month, quarter, half, first, last)


def default_asked(today: date) -> Asked:
    asked = asked_from({}, today)
    assert isinstance(asked, Asked)
    return asked


def period_of(asked: Asked, today: date, cutoff: int | None) -> Period | str:
    """The period the form names, or why it cannot be reported on (a Vietnamese message)."""
    if asked.kind == "khoang":
        first, last = _typed_day(asked.first), _typed_day(asked.last)
        if first is None or last is None:
            return texts.DESK_REPORT_BAD_DAY
        return checked(first, last, today)
    try:
        if asked.kind == "thang":
            period = month_span(asked.year, asked.month, asked.month, cutoff)
        elif asked.kind == "quy":
            period = month_span(asked.year, asked.quarter * 3 - 2, asked.quarter * 3, cutoff)
        elif asked.kind == "6-thang":
            period = month_span(asked.year, asked.half * 6 - 5, asked.half * 6, cutoff)
        else:
            period = month_span(asked.year, 1, 12, cutoff)
    except ValueError:
        # The first period of 2000 cut on a day would start in 1999.
        return texts.DESK_REPORT_BAD_YEAR.format(first=YEARS.start, last=today.year)
    return checked(period.first, period.last, today)


def checked(first: date, last: date, today: date) -> Period | str:
    """The report module's own limits, and no period that has not begun: its figures would
    all be zero and read as a report."""
    if first > last:
        return texts.DESK_REPORT_INVERTED.format(first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}")
    if first > today:
        return texts.DESK_REPORT_FUTURE.format(first=f"{first:%d/%m/%Y}", today=f"{today:%d/%m/%Y}")
    try:
        return Period(first, last)
    except ValueError:
        return texts.DESK_REPORT_TOO_LONG


def page_url(public_url: str, unit_id: int, period: Period) -> str:
    """The desk's Báo cáo page showing this report (the chat's link to it)."""
    return (
        f"{public_url.rstrip('/')}/desk/bao-cao?don_vi={unit_id}&ky=khoang"
        f"&tu={period.first:%Y-%m-%d}&den={period.last:%Y-%m-%d}"
    )


def span_of(period: Period) -> str:
    return f"{period.first:{SPAN_FORMAT}}-{period.last:{SPAN_FORMAT}}"


def period_from_span(span: str, today: date) -> Period | str:
    """The period of a file's address (``span_of``), held to the same rules as the form."""
    first, dash, last = span.partition("-")
    if not dash or not all(len(part) == 8 and part.isascii() for part in (first, last)):
        return texts.DESK_REPORT_BAD_DAY
    try:
        return checked(
            datetime.strptime(first, SPAN_FORMAT).date(),
            datetime.strptime(last, SPAN_FORMAT).date(),
            today,
        )
    except ValueError:
        return texts.DESK_REPORT_BAD_DAY


async def units(session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """The units a staff member may report on: an official's units and those below them (the
    scope of every desk page), the units they hold a role for first; an admin's, every unit."""
    held = list(dict.fromkeys(unit_id for _, unit_id in actor.roles))
    allowed = None if actor.has(ADMIN) else await scope(session, actor)
    found = [
        (unit.id, unit.name)
        for unit in await people.units(session)
        if unit.id is not None and (allowed is None or unit.id in allowed)
    ]
    found.sort(key=lambda item: (item[0] not in held, item[1]))
    return found


async def unit_for(
    session: AsyncSession, actor: Actor, unit_id: int | None, target: str, now: datetime
) -> int | None:
    """The unit asked for when this staff member may report on it, else None, audited as a
    refused attempt; with no unit asked, the first of theirs."""
    allowed = await units(session, actor)
    if unit_id is None:
        return allowed[0][0] if allowed else None
    if unit_id in {uid for uid, _ in allowed}:
        return unit_id
    record_denied(session, actor, target, now)
    return None


async def shown(session: AsyncSession, unit_id: int, period: Period, today: date) -> Shown:
    # The tables live with the files (and load their spreadsheet library): on first use only.
    from handlers.report_files import tables

    report = await build(session, unit_id, period, today)
    return Shown(report, paragraphs(report), tables(report), span_of(period))


def record_download(
    session: AsyncSession, actor: Actor, unit_id: int, period: Period, kind: str, now: datetime
) -> None:
    audit_by(
        session,
        actor,
        "report.download",
        now,
        target=f"unit:{unit_id}",
        after={"file": kind, "from": period.first.isoformat(), "to": period.last.isoformat()},
    )
