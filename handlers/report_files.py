"""A report's tables and the files officials file: the XLSX workbook and the DOCX document.

Every table that has a total reconciles: each number column of the total row is the sum of the
rows above it, and rows with a zero are kept, so a reader can check the sums by hand
(tests/test_report_tables.py checks them on random data).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from handlers import documents, texts
from handlers.petitions.fields import field_list
from handlers.petitions.figures import REPORTED_KINDS as PETITION_KINDS
from handlers.reception.figures import REPORTED_KINDS as RECEPTION_KINDS
from handlers.reports import Report, paragraphs

TOTAL = "Tổng số"
# Statuses other than resolved or open, always listed in this order (zeros kept).
OTHER_STATUSES = (
    "khong_thu_ly",
    "huong_dan",
    "cho_chuyen",
    "chuyen",
    "tam_dinh_chi",
    "dinh_chi",
    "rut_don",
)
VERDICT_ROWS = (("dung", "Đúng"), ("sai", "Sai"), ("dung_mot_phan", "Đúng một phần"))


@dataclass(frozen=True)
class Table:
    sheet: str  # the XLSX sheet name: Vietnamese, at most 31 characters
    title: str
    headers: tuple[str, ...]
    rows: list[list[object]]  # a label, then numbers
    total: list[object] | None = None  # TOTAL, then the sum of each number column


def _with_total(sheet: str, title: str, headers: Sequence[str], rows: list[list[object]]) -> Table:
    sums: list[object] = [TOTAL]
    for column in range(1, len(headers)):
        sums.append(sum(int(row[column]) for row in rows))  # type: ignore[call-overload]
    return Table(sheet, title, tuple(headers), rows, sums)


def _ordered(known: Sequence[str], found: Iterable[str]) -> list[str]:
    """The kinds a report always lists, then any other found, in a stable order."""
    return list(known) + sorted(k for k in found if k not in known)


def tables(report: Report) -> list[Table]:
    r, p = report.reception, report.petitions
    kinds = texts.RECEPTION_KINDS
    reception = [
        [
            kinds.get(kind, kind),
            r.by_kind.get(kind, 0),
            r.people_by_kind.get(kind, 0),
            r.by_kind.get(kind, 0),  # one vụ việc per lượt tiếp, as the register counts
            r.groups_by_kind.get(kind, 0),
        ]
        for kind in _ordered(RECEPTION_KINDS, r.by_kind)
    ]
    by_kind = []
    for kind in _ordered(PETITION_KINDS, p.by_kind):
        counts: Counter[str] = p.by_kind.get(kind, Counter())
        carried, received = counts.get("carried_over", 0), counts.get("received", 0)
        by_kind.append(
            [
                texts.PETITION_KIND_NAMES.get(kind, kind),
                carried,
                received,
                carried + received,
                counts.get("resolved", 0),
                counts.get("open_in_time", 0),
                counts.get("overdue", 0),
                counts.get("other", 0),
            ]
        )
    other = [
        [texts.PETITION_STATUS_NAMES.get(status, status), p.other.get(status, 0)]
        for status in _ordered(OTHER_STATUSES, list(p.other))
    ]
    known_fields = field_list()
    fields = [
        [known_fields.get(key, key), p.by_field.get(key, 0)]
        for key in _ordered(list(known_fields), [k for k in p.by_field if k])
    ]
    fields.append([texts.REPORT_NO_FIELD, p.by_field.get("", 0)])
    verdicts = [
        [label, p.verdicts.get(key, 0), p.reopened_by_verdict.get(key, 0)]
        for key, label in VERDICT_ROWS
    ]
    verdicts.append(
        [texts.REPORT_NO_VERDICT, p.verdicts.get("", 0), p.reopened_by_verdict.get("", 0)]
    )
    faq = [[name, count] for name, count in report.faq.groups]
    faq.append([texts.REPORT_FAQ_DECLINED, report.faq.declined])
    trend = [[month, held, filed] for month, held, filed in report.trend]
    found = [
        _with_total(
            "Tiếp công dân",
            "Kết quả tiếp công dân",
            ("Hình thức tiếp", "Lượt tiếp", "Số người", "Vụ việc", "Đoàn đông người"),
            reception,
        ),
        _with_total(
            "Đơn thư theo loại",
            "Tiếp nhận, xử lý đơn thư theo loại đơn",
            (
                "Loại đơn",
                "Kỳ trước chuyển qua",
                "Tiếp nhận trong kỳ",
                "Tổng số đơn",
                "Đã giải quyết",
                "Đang giải quyết, trong hạn",
                "Đang giải quyết, quá hạn",
                "Trạng thái khác",
            ),
            by_kind,
        ),
        _with_total("Trạng thái khác", "Đơn ở trạng thái khác", ("Trạng thái", "Số đơn"), other),
        _with_total("Lĩnh vực", "Đơn thư theo lĩnh vực", ("Lĩnh vực", "Số đơn"), fields),
        _with_total(
            "Điều kiện xử lý",
            "Đơn đủ và không đủ điều kiện xử lý",
            ("Chỉ tiêu", "Số đơn"),
            [
                ["Đủ điều kiện xử lý", p.eligible],
                ["Không đủ điều kiện xử lý (không thụ lý)", p.not_eligible],
            ],
        ),
        _with_total(
            "Thẩm quyền",
            "Đơn thuộc và không thuộc thẩm quyền",
            ("Chỉ tiêu", "Số đơn"),
            [
                ["Thuộc thẩm quyền", p.within_competence],
                ["Không thuộc thẩm quyền: đã hướng dẫn", p.guided],
                ["Không thuộc thẩm quyền: đã chuyển đơn", p.transferred],
            ],
        ),
        _with_total(
            "Kết quả giải quyết",
            "Kết quả giải quyết đơn đã giải quyết",
            ("Nội dung đơn", "Số đơn", "Trong đó: đề nghị xem xét lại"),
            verdicts,
        ),
        _with_total("Hỏi đáp", "Câu hỏi người dân gửi Trợ lý", ("Nhóm nội dung", "Số câu"), faq),
        _with_total(
            "Theo tháng",
            "Diễn biến theo tháng",
            ("Tháng", "Lượt tiếp công dân", "Đơn tiếp nhận"),
            trend,
        ),
    ]
    if report.previous is not None:
        found.append(_comparison(report))
    return found


def _comparison(report: Report) -> Table:
    assert report.previous is not None
    before_r, before_p = report.previous
    r, p = report.reception, report.petitions
    rows: list[list[object]] = []
    for label, now, then in (
        ("Lượt tiếp công dân", r.visits, before_r.visits),
        ("Số người được tiếp", r.people, before_r.people),
        ("Đơn tiếp nhận trong kỳ", p.received, before_p.received),
        ("Tổng số đơn", p.total, before_p.total),
        ("Đơn đã giải quyết", p.resolved, before_p.resolved),
    ):
        rows.append([label, now, then, now - then])
    return Table(
        "So với cùng kỳ",
        "So sánh với cùng kỳ năm trước",
        ("Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước", "Tăng (+), giảm (-)"),
        rows,
    )


def _period_line(report: Report) -> str:
    line = report.period.label().capitalize()
    if report.asked is not None:
        line += f" (kỳ {report.asked.label()} chưa kết thúc)"
    return line


def workbook(report: Report) -> bytes:
    """One sheet per table: a title row (unit, table), the period, the header row, the rows and
    the total row; numbers stay numbers, text typed by anyone stays text ("=1+1")."""
    book = Workbook()
    bold = Font(bold=True)
    for index, table in enumerate(tables(report)):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = table.sheet
        sheet.append([f"{report.unit}: {table.title}"])
        sheet.append([_period_line(report)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(list(table.headers))
        for cell in sheet[3]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        lines = [*table.rows, *([table.total] if table.total else [])]
        for row in lines:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # typed text stays text ("=1+1")
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = "B4"
        sheet.column_dimensions["A"].width = 46
        for column in range(2, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def trend_png(report: Report) -> bytes:
    """The months of the period as grouped bars: receptions held and đơn received."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(7.5, 3.2), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    months = [month for month, _, _ in report.trend]
    places = list(range(len(months)))
    held = [value for _, value, _ in report.trend]
    filed = [value for _, _, value in report.trend]
    axes.bar([x - 0.2 for x in places], held, width=0.4, label="Lượt tiếp công dân")
    axes.bar([x + 0.2 for x in places], filed, width=0.4, label="Đơn tiếp nhận")
    axes.set_xticks(places, months, fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=8)
    axes.set_title("Diễn biến theo tháng", fontsize=10)
    figure.tight_layout()
    out = BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


# The địa danh before the date is the unit's name without its kind ("Minh Hòa, ngày …").
UNIT_KIND_WORDS = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Tỉnh ", "Thành phố ")


def _place(unit: str) -> str:
    for word in UNIT_KIND_WORDS:
        if unit.startswith(word):
            return unit.removeprefix(word)
    return unit


def document(report: Report) -> bytes:
    doc = documents.new_document(
        report.unit,
        texts.REPORT_DOC_TITLE,
        _period_line(report),
        place=_place(report.unit),
        day=report.made_on,
    )
    for paragraph in paragraphs(report):
        documents.add_paragraph(doc, paragraph)
    documents.add_heading(doc, "Diễn biến theo tháng")
    documents.add_image(doc, trend_png(report))
    for number, table in enumerate(tables(report), start=1):
        documents.add_heading(doc, f"Bảng {number}. {table.title}")
        documents.add_table(doc, table.headers, table.rows, table.total)
    documents.add_signature(doc, texts.REPORT_SIGNER, "……………………")
    recipients = [f"{report.parent} (để báo cáo)"] if report.parent else []
    documents.add_recipients(doc, [*recipients, "Lưu: VT"])
    return documents.to_bytes(doc)
