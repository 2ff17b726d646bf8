"""Officials' periodic reports: the figures, the paragraphs in the seeds' style, and the files.

Figures come from the reception register and the đơn history as they stood at the end of the
period, for a unit and its child units, whatever the source. Numbers are written as the seeds
write them: two digits below ten ("06 đơn"), "không có" for none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import faq_use, people
from db.models import KbEntryRow, Unit
from handlers import texts
from handlers.clock import VN_TZ
from handlers.petitions import fields
from handlers.petitions.figures import PetitionFigures
from handlers.petitions.figures import figures as petition_figures
from handlers.reception.figures import ReceptionFigures
from handlers.reception.figures import figures as reception_figures
from knowledge.normalize import fold

QUICK_PERIODS = (
    "thang-nay",
    "thang-truoc",
    "quy-nay",
    "quy-truoc",
    "6-thang",
    "6-thang-truoc",
    "nam",
    "nam-truoc",
)


# A report counts month by month: a longer period is not a report anyone files, and a span of
# centuries once held the event loop for 20 s.
LONGEST_PERIOD = timedelta(days=3660)
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    def __post_init__(self) -> None:
        if self.first.year not in YEARS or self.last.year not in YEARS:
            raise ValueError("report years are 2000-2100")
        if not timedelta(0) <= self.last - self.first <= LONGEST_PERIOD:
            raise ValueError("a report covers from 1 day to 10 years, first day first")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=VN_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=VN_TZ)

    def label(self) -> str:
        return f"từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"

    def year_before(self) -> Period | None:
        """The same days a year earlier ("cùng kỳ năm trước"); 29/02 becomes 28/02."""

        def back(day: date) -> date:
            return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else 31))

        if self.first.year - 1 not in YEARS:
            return None
        return Period(back(self.first), back(self.last))


def _month_end(year: int, month: int, cutoff: int | None) -> date:
    if cutoff is not None:
        return date(year, month, cutoff)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_span(year: int, first_month: int, last_month: int, cutoff: int | None = None) -> Period:
    """Months ``first_month``..``last_month`` of ``year``, cut on the office's cut-off day."""
    last = _month_end(year, last_month, cutoff)
    if cutoff is None:
        return Period(date(year, first_month, 1), last)
    # Figures cut on a fixed day: the period starts the day after the previous cut-off.
    previous_month = first_month - 1 or 12
    previous_year = year - (first_month == 1)
    return Period(date(previous_year, previous_month, cutoff) + timedelta(days=1), last)


def quick_period(name: str, today: date, cutoff: int | None = None) -> Period:
    """This month, this quarter, the first six months of the year, the year, or the previous
    one of each."""
    quarter = (today.month - 1) // 3
    if name in ("thang-nay", "thang-truoc"):
        year, month = today.year, today.month
        if name == "thang-truoc":
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return month_span(year, month, month, cutoff)
    if name in ("quy-nay", "quy-truoc"):
        year = today.year
        if name == "quy-truoc":
            quarter -= 1
            if quarter < 0:
                quarter, year = 3, year - 1
        return month_span(year, quarter * 3 + 1, quarter * 3 + 3, cutoff)
    if name in ("6-thang", "6-thang-truoc"):
        # "6 tháng đầu năm": the first half of this year, or of last year.
        return month_span(today.year - (name == "6-thang-truoc"), 1, 6, cutoff)
    if name in ("nam", "nam-truoc"):
        year = today.year - (name == "nam-truoc")
        return month_span(year, 1, 12, cutoff)
    raise ValueError(name)


# Words an office leaves off when it names its unit ("Minh Hòa" for "Xã Minh Hòa").
UNIT_KINDS = ("xa", "phuong", "thi tran", "dac khu", "tinh", "thanh pho", "huyen")


def _bare(name: str) -> str:
    folded = " ".join(fold(name).split())
    for kind in UNIT_KINDS:
        if folded.startswith(kind + " "):
            return folded.removeprefix(kind + " ")
    return folded


async def find_unit(session: AsyncSession, units: list[Unit], key: str | None) -> Unit | None:
    """The unit a report is for: by code or name, without diacritics or "Xã"/"Phường" too; with
    no key, the only unit there is (several: None, and the caller asks which)."""
    if not key:
        return units[0] if len(units) == 1 else None
    exact = await people.unit_by_code_or_name(session, key)
    if exact is not None:
        return exact
    matches = [u for u in units if _bare(u.name) == _bare(key) or fold(u.code or "") == fold(key)]
    return matches[0] if len(matches) == 1 else None


def number(value: int) -> str:
    """The seeds' way: "06", "42"."""
    return f"{value:02d}"


@dataclass
class FaqFigures:
    answered: int = 0
    declined: int = 0
    # (topic group, questions answered), most asked first: every group, and the first three.
    groups: list[tuple[str, int]] = field(default_factory=list)

    @property
    def top_groups(self) -> list[tuple[str, int]]:
        return self.groups[:3]


@dataclass
class Report:
    unit: str
    period: Period
    reception: ReceptionFigures
    petitions: PetitionFigures
    faq: FaqFigures = field(default_factory=FaqFigures)
    # (month "MM/YYYY", receptions held, đơn received) across the period, for the trend chart.
    trend: list[tuple[str, int, int]] = field(default_factory=list)
    # The period asked for when it has not ended yet (``period`` then stops at today).
    asked: Period | None = None
    # The same period a year earlier, for the comparison ("so với cùng kỳ năm trước").
    previous: tuple[ReceptionFigures, PetitionFigures] | None = None
    parent: str = ""  # the unit above, to whom the report goes (nơi nhận)
    made_on: date | None = None


async def faq_figures(session: AsyncSession, period: Period) -> FaqFigures:
    """Questions the assistant answered and declined (deployment-wide: the FAQ is not per unit)."""
    result = FaqFigures()
    by_group: dict[str, int] = {}
    totals = await faq_use.totals(session, period.first, period.last)
    ids = [entry for entry, _ in totals if entry]
    groups = {}
    if ids:
        rows = await session.exec(select(KbEntryRow).where(col(KbEntryRow.id).in_(ids)))
        groups = {row.id: row.group_name for row in rows.all()}
    for entry, total in totals:
        if not entry:
            result.declined += total
            continue
        result.answered += total
        group = groups.get(entry, "Khác")
        by_group[group] = by_group.get(group, 0) + total
    result.groups = sorted(by_group.items(), key=lambda item: (-item[1], item[0]))
    return result


def months(period: Period) -> list[Period]:
    found = []
    first = period.first
    while first <= period.last:
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        found.append(Period(first, min(following - timedelta(days=1), period.last)))
        first = following
    return found


async def build(
    session: AsyncSession, unit_id: int, period: Period, today: date | None = None
) -> Report:
    """The figures of ``period``; one that has not ended by ``today`` is computed as of the end
    of today (a đơn due on 10/12 is not "quá hạn" on 29/11) and says so."""
    asked = None
    if today is not None and period.first <= today < period.last:
        asked, period = period, Period(period.first, today)
    unit = await session.get(Unit, unit_id)
    parent = await session.get(Unit, unit.parent_id) if unit and unit.parent_id else None
    units = await people.subtree_ids(session, unit_id)
    trend = []
    for month in months(period):
        held = await reception_figures(session, units, month.start, month.end)
        filed = await petition_figures(session, units, month.start, month.end)
        trend.append((f"{month.first:%m/%Y}", held.visits, filed.received))
    earlier = period.year_before()
    previous = None
    if earlier is not None:
        previous = (
            await reception_figures(session, units, earlier.start, earlier.end),
            await petition_figures(session, units, earlier.start, earlier.end),
        )
    return Report(
        unit=unit.name if unit else "",
        period=period,
        reception=await reception_figures(session, units, period.start, period.end),
        petitions=await petition_figures(session, units, period.start, period.end),
        faq=await faq_figures(session, period),
        trend=trend,
        asked=asked,
        previous=previous,
        parent=parent.name if parent else "",
        made_on=today,
    )


OUTSIDE_COMPETENCE = frozenset({"chuyen", "cho_chuyen", "huong_dan"})


def _classification(report: Report) -> str:
    """Đủ / không đủ điều kiện xử lý, thẩm quyền, lĩnh vực and results: the quarterly figures."""
    p = report.petitions
    line = texts.REPORT_CLASSIFIED.format(
        eligible=number(p.eligible),
        not_eligible=number(p.not_eligible),
        within=number(p.within_competence),
        outside=number(p.guided + p.transferred),
        guided=number(p.guided),
        transferred=number(p.transferred),
    )
    named = fields.field_list()
    by_field = [
        f"{fields.label(key, named) if key else texts.REPORT_NO_FIELD.lower()} {number(count)} đơn"
        for key, count in sorted(p.by_field.items(), key=lambda item: (-item[1], item[0]))
        if count
    ]
    if by_field:
        line += " " + texts.REPORT_BY_FIELD.format(fields="; ".join(by_field))
    if any(p.verdicts.get(key) for key in ("dung", "sai", "dung_mot_phan")):
        line += " " + texts.REPORT_VERDICTS.format(
            right=number(p.verdicts.get("dung", 0)),
            wrong=number(p.verdicts.get("sai", 0)),
            partly=number(p.verdicts.get("dung_mot_phan", 0)),
            unknown=number(p.verdicts.get("", 0)),
        )
    return line


def _change(now: int, then: int, unit: str) -> str:
    if now == then:
        return texts.REPORT_SAME.format(now=number(now), unit=unit)
    word = "tăng" if now > then else "giảm"
    return texts.REPORT_CHANGE.format(
        now=number(now), unit=unit, word=word, by=number(abs(now - then)), then=number(then)
    )


def _compared(report: Report) -> str:
    assert report.previous is not None
    before_r, before_p = report.previous
    r, p = report.reception, report.petitions
    return texts.REPORT_COMPARED.format(
        visits=_change(r.visits, before_r.visits, "lượt tiếp công dân"),
        received=_change(p.received, before_p.received, "đơn tiếp nhận"),
        resolved=_change(p.resolved, before_p.resolved, "đơn đã giải quyết"),
    )


def paragraphs(report: Report) -> list[str]:
    r, p = report.reception, report.petitions
    groups = f"{number(r.groups)} đoàn đông người" if r.groups else "không có đoàn đông người"
    kinds = []
    for kind, label in (
        ("thuong_xuyen", "Tiếp công dân thường xuyên"),
        ("dinh_ky", "Lãnh đạo tiếp công dân định kỳ"),
        ("dot_xuat", "Tiếp đột xuất"),
    ):
        visits, people_ = r.by_kind.get(kind, 0), r.people_by_kind.get(kind, 0)
        if visits:
            kinds.append(f"{label} {number(visits)} lượt/{number(people_)} người")
    reception = (
        f"{report.period.label().capitalize()}, tổng số lượt tiếp công dân là "
        f"{number(r.visits)} lượt, số người được tiếp là {number(r.people)} người; số vụ việc: "
        f"{number(r.cases)} vụ; {groups}."
    )
    if kinds:
        reception += " Trong đó: " + "; ".join(kinds) + "."

    def still_open_of(kind: str) -> int:
        counts = p.by_kind.get(kind)
        return counts["open_in_time"] + counts["overdue"] if counts else 0

    open_kinds = []
    for kind, label in (("khieu_nai", "khiếu nại"), ("to_cao", "tố cáo")):
        if still_open_of(kind):
            open_kinds.append(f"{number(still_open_of(kind))} {label}")
    petitions_open = still_open_of("kien_nghi") + still_open_of("phan_anh")
    if petitions_open:
        open_kinds.append(f"{number(petitions_open)} phản ánh kiến nghị")
    still_open = p.open_in_time + p.overdue
    petition = (
        f"{report.unit} đã tiếp nhận {number(p.total)} đơn, trong đó: {number(p.carried_over)} "
        f"đơn kỳ trước chuyển qua; {number(p.received)} đơn tiếp nhận trong kỳ; tổng số đơn thuộc "
        f"thẩm quyền giải quyết là {number(p.within_competence)} đơn, đã giải quyết dứt điểm "
        f"{number(p.resolved)} đơn, còn {number(still_open)} đơn"
    )
    if open_kinds:
        petition += f" ({', '.join(open_kinds)})"
    petition += (
        f" đang tiếp tục xem xét giải quyết ({number(p.open_in_time)} đơn trong hạn, "
        f"{number(p.overdue)} đơn quá hạn)."
    )
    if p.reopen_requested:
        petition += " " + texts.REPORT_REOPENED.format(count=number(p.reopen_requested))
    # Transferred and guided đơn are told in the next paragraph (thẩm quyền).
    other = {k: v for k, v in p.other.items() if k not in OUTSIDE_COMPETENCE and v}
    if other:
        described = ", ".join(
            f"{number(v)} {texts.PETITION_STATUS_NAMES.get(k, k)}" for k, v in sorted(other.items())
        )
        petition += (
            f" Ngoài ra có {number(sum(other.values()))} đơn ở trạng thái khác: {described}."
        )
    result = [reception, petition, _classification(report)]
    if report.previous is not None:
        result.append(_compared(report))
    if report.asked is not None:
        result.insert(
            0,
            texts.REPORT_AS_OF.format(
                period=report.asked.label(), day=f"{report.period.last:%d/%m/%Y}"
            ),
        )
    faq = report.faq
    if faq.answered or faq.declined:
        topics = "; ".join(f"{name} ({number(count)} câu)" for name, count in faq.top_groups)
        line = (
            f"Trợ lý trực tuyến đã trả lời {number(faq.answered)} câu hỏi của người dân về dân chủ "
            f"ở cơ sở, tiếp công dân, khiếu nại, tố cáo; {number(faq.declined)} câu hỏi chưa có "
            "câu trả lời được chuyển cán bộ bổ sung."
        )
        if topics:
            line += f" Nhóm nội dung được hỏi nhiều nhất: {topics}."
        result.append(line)
    if p.satisfied or p.unsatisfied:
        rated = p.satisfied + p.unsatisfied
        share = f"{100 * p.satisfied / rated:.1f}".replace(".", ",")
        result.append(
            f"Có {number(rated)} phiếu đánh giá sau khi giải quyết đơn, trong đó "
            f"{number(p.satisfied)} phiếu hài lòng (tỷ lệ {share}%)."
        )
    return result
