"""The quarterly report an office files: a review request after closing, the figures a report on
tiếp công dân and khiếu nại/tố cáo needs, tables that add up, and the files themselves."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import col, select

from db.engine import SessionFactory
from db.models import Outbox, Petition, PetitionEvent
from handlers import texts
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.petitions.figures import tally
from handlers.reception.figures import tally as reception_tally
from handlers.report_files import Table, document, tables, workbook
from handlers.reports import FaqFigures, Period, Report, build, months, paragraphs, quick_period
from tests.test_access import invite, setup_units
from tests.test_cli import run
from tests.test_petitions import COMPLAINT, Chat, code_of, file
from tests.test_reports import petitions, receptions, unit_id


async def _filed_complaint(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> tuple[Chat, str]:
    """A citizen's khiếu nại, filed in the chat; the case number."""
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen", channel="telegram")
    code = code_of(await file(citizen, "khieu_nai", COMPLAINT))
    async with sessions() as session:
        petition = (await session.exec(select(Petition).where(Petition.code == code))).one()
    number = str(petition.id)
    return citizen, number


def _docx_text(data: bytes) -> str:
    filed = Document(BytesIO(data))
    cells = [cell.text for table in filed.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in filed.paragraphs] + cells)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(BytesIO(data))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


async def test_a_review_request_after_closing_is_resolved_labelled_and_alerts_the_office(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    citizen, number = await _filed_complaint(assistant, sessions, clock)
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock))
    for step in ("recv", "acc", "da_giai_quyet"):
        await officer.press(f"staff:pt:{step}:{number}")
    await officer.say("Giữ nguyên một phần quyết định xử phạt")
    asked = await officer.press(f"staff:pt:close:{number}")
    assert asked.text.startswith("Kết quả giải quyết đơn KN-")
    partly = next(b.payload for b in asked.buttons if b.label == "Đúng một phần")
    await officer.press(partly)
    async with sessions() as session:
        rating = (
            await session.exec(
                select(Outbox).where(Outbox.chat_id == "citizen").order_by(col(Outbox.id).desc())
            )
        ).first()
    assert rating is not None
    reopen = next(b["payload"] for b in rating.reply["buttons"] if "reopen" in b["payload"])
    answer = await citizen.press(reopen)
    assert "cán bộ sẽ liên hệ" in answer.text

    unit = await unit_id(sessions)
    async with sessions() as session:
        alerts = (await session.exec(select(Outbox).where(Outbox.chat_id == "officer"))).all()
        petition = await session.get(Petition, int(number))
        quarter = quick_period("quy-nay", clock.now().date())
        report = await build(session, unit, quarter, clock.now().date())
    assert petition is not None and petition.verdict == "dung_mot_phan"
    [alert] = [a for a in alerts if "đề nghị xem xét lại" in a.reply["text"]]
    assert alert.reply["text"] == texts.PT_REOPEN_ALERT.format(code=petition.code)
    opened = await officer.press(alert.reply["buttons"][0]["payload"])
    assert texts.PT_REOPEN_LINE.format(day="25/11/2026") in opened.text
    p = report.petitions
    assert (p.resolved, p.reopen_requested, p.open_in_time + p.overdue, dict(p.other)) == (
        1,
        1,
        0,
        {},
    )
    text = "\n".join(paragraphs(report))
    assert "có 01 đơn người gửi đề nghị xem xét lại sau khi đóng đơn" in text
    assert "Kết quả giải quyết: 00 đơn đúng, 00 đơn sai, 01 đơn đúng một phần" in text
    for shown in (text, _xlsx_text(workbook(report)), _docx_text(document(report))):
        assert "de_nghi_xem_lai" not in shown and "dung_mot_phan" not in shown
    [results] = [t for t in tables(report) if t.sheet == "Kết quả giải quyết"]
    assert ["Đúng một phần", 1, 1] in results.rows and results.total == ["Tổng số", 1, 1]


async def test_the_quarterly_figures_field_eligibility_competence_and_last_year(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    # Last year's same quarter: 02 đơn received, 01 visit.
    last_year = [(date(2025, 10, 20), "da_giai_quyet")]
    await petitions(sessions, unit, date(2025, 10, 6), last_year, ["kien_nghi"] * 2)
    await receptions(sessions, unit, "dinh_ky", date(2025, 10, 15), [1], "attended")
    # This quarter: 03 kiến nghị, one guided elsewhere and one not accepted.
    await petitions(sessions, unit, date(2026, 10, 5), [], ["kien_nghi"] * 3)
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock))
    async with sessions() as session:
        numbers = (
            await session.exec(
                select(Petition.id)
                .where(col(Petition.received_at) >= datetime(2026, 1, 1, tzinfo=VN_TZ))
                .order_by(col(Petition.id))
            )
        ).all()
    first, second, third = (str(n) for n in numbers)
    detail = await officer.press(f"staff:pt:v:{first}")
    assert "Lĩnh vực: chưa ghi" in detail.text
    offered = [b.payload for b in detail.buttons]
    assert f"staff:pt:huong_dan:{first}" in offered
    picker = await officer.press(f"staff:pt:field:{first}")
    land = next(b.payload for b in picker.buttons if b.label == "Đất đai")
    assert (await officer.press(land)).text.endswith(": Đất đai.")
    assert (await officer.press(f"staff:pt:huong_dan:{second}")).text == texts.PT_ASK_NOTE[
        "huong_dan"
    ]
    await officer.say("Tòa án nhân dân khu vực")
    await officer.press(f"staff:pt:khong_thu_ly:{third}")
    await officer.say("Đơn không ghi rõ nội dung, đã hướng dẫn bổ sung")
    async with sessions() as session:
        report = await build(
            session, unit, quick_period("quy-nay", clock.now().date()), clock.now().date()
        )
    p = report.petitions
    assert (p.total, p.eligible, p.not_eligible) == (3, 2, 1)
    assert (p.within_competence, p.guided, p.transferred) == (2, 1, 0)
    assert p.by_field == Counter({"dat_dai": 1, "": 2})
    text = "\n".join(paragraphs(report))
    assert (
        "Về phân loại: 02 đơn đủ điều kiện xử lý, 01 đơn không đủ điều kiện xử lý; 02 đơn thuộc "
        "thẩm quyền, 01 đơn không thuộc thẩm quyền (hướng dẫn 01 đơn, chuyển 00 đơn)."
    ) in text
    assert "Theo lĩnh vực: chưa ghi lĩnh vực 02 đơn; Đất đai 01 đơn." in text
    assert (
        "So với cùng kỳ năm trước: 00 lượt tiếp công dân, giảm 01 (cùng kỳ 01); 03 đơn tiếp "
        "nhận, tăng 01 (cùng kỳ 02)"
    ) in text
    [compared] = [t for t in tables(report) if t.sheet == "So với cùng kỳ"]
    assert compared.rows[2] == ["Đơn tiếp nhận trong kỳ", 3, 2, 1]
    [fields] = [t for t in tables(report) if t.sheet == "Lĩnh vực"]
    assert ["Môi trường", 0] in fields.rows and fields.total == ["Tổng số", 3]


def test_this_month_and_last_month_in_the_command_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert quick_period("thang-nay", date(2026, 11, 29)) == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    assert quick_period("thang-truoc", date(2026, 1, 10)) == Period(
        date(2025, 12, 1), date(2025, 12, 31)
    )
    assert quick_period("thang-truoc", date(2026, 3, 20), cutoff=15) == Period(
        date(2026, 1, 16), date(2026, 2, 15)
    )
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Phường An Lạc, kind: phuong}\n", encoding="utf-8")
    run(["units", "import", str(units)], cli_env)
    out = run(["report", "--period", "thang-truoc", "--unit", "an lac"], cli_env).stdout
    assert "Phường An Lạc đã tiếp nhận 00 đơn" in out
    assert "Về phân loại: 00 đơn đủ điều kiện xử lý" in out


async def test_an_official_over_several_units_picks_one_with_buttons_and_month_is_offered(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    province = Chat(assistant, "province")
    await province.say(await invite(sessions, clock, unit="Tỉnh mẫu"))
    menu = await province.press("staff:reports")
    assert "staff:rp:thang-nay" in [b.payload for b in menu.buttons]
    asked = await province.press("staff:rp:thang-nay")
    assert asked.text == texts.REPORT_UNIT_ASK
    labels = [b.label for b in asked.buttons]
    assert labels[:4] == ["Tỉnh mẫu", "Xã Minh Hòa", "Xã Minh Hải", "Phường An Lạc"]
    ward = next(b.payload for b in asked.buttons if b.label == "Xã Minh Hòa")
    answer = await province.press(ward)
    assert "Xã Minh Hòa đã tiếp nhận 00 đơn" in answer.text
    assert answer.text.startswith("Kỳ báo cáo từ ngày 01/11/2026 đến ngày 30/11/2026 chưa kết thúc")
    commune = Chat(assistant, "commune")
    await commune.say(await invite(sessions, clock))
    direct = await commune.press("staff:rp:thang-nay")
    assert "Xã Minh Hòa đã tiếp nhận" in direct.text
    # A unit outside the official's scope, by a forged button, is refused.
    above = next(b.payload for b in asked.buttons if b.label == "Tỉnh mẫu")
    assert (await commune.press(above)).text == texts.STALE_BUTTON


async def test_every_kind_row_adds_up_with_withdrawn_and_suspended_ones(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    """The walk found "4 received" over "0 + 0 + 3": a withdrawn đơn had no column."""
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    day = date(2026, 10, 5)
    await petitions(sessions, unit, day, [(date(2026, 10, 6), "dang_giai_quyet")], ["to_cao"] * 3)
    await petitions(sessions, unit, day, [(date(2026, 10, 7), "rut_don")], ["to_cao"])
    async with sessions() as session:
        report = await build(session, unit, Period(date(2026, 10, 1), date(2026, 10, 31)))
    [by_kind] = [t for t in tables(report) if t.sheet == "Đơn thư theo loại"]
    assert by_kind.rows[1] == ["Tố cáo", 0, 4, 4, 0, 3, 0, 1]
    assert by_kind.rows[0] == ["Khiếu nại", 0, 0, 0, 0, 0, 0, 0]  # zero rows are kept
    _reconciles(report)


def _reconciles(report: Report) -> None:
    p, r = report.petitions, report.reception
    found = tables(report)
    for table in found:
        if table.total is None:
            continue
        for column in range(1, len(table.headers)):
            assert table.total[column] == sum(int(str(row[column])) for row in table.rows), (
                table.sheet,
                table.headers[column],
            )
    named = {t.sheet: t for t in found}

    def total(sheet: str, column: int = 1) -> object:
        table: Table = named[sheet]
        assert table.total is not None
        return table.total[column]

    for row in named["Đơn thư theo loại"].rows:
        assert row[1] + row[2] == row[3] == row[4] + row[5] + row[6] + row[7]  # type: ignore[operator]
    assert total("Đơn thư theo loại", 3) == p.total
    assert total("Đơn thư theo loại", 4) == p.resolved
    assert total("Đơn thư theo loại", 7) == total("Trạng thái khác") == sum(p.other.values())
    for sheet in ("Lĩnh vực", "Điều kiện xử lý", "Thẩm quyền"):
        assert total(sheet) == p.total
    assert total("Kết quả giải quyết") == p.resolved
    assert total("Kết quả giải quyết", 2) == p.reopen_requested
    assert (total("Tiếp công dân"), total("Tiếp công dân", 2)) == (r.visits, r.people)
    assert (total("Theo tháng"), total("Theo tháng", 2)) == (r.visits, p.received)
    assert total("Hỏi đáp") == report.faq.answered + report.faq.declined


KINDS = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh", "kien_nghi_btnd")
STATUSES = (
    "tiep_nhan",
    "thu_ly",
    "dang_giai_quyet",
    "gia_han",
    "da_giai_quyet",
    "dong",
    "khong_thu_ly",
    "chuyen",
    "cho_chuyen",
    "huong_dan",
    "tam_dinh_chi",
    "dinh_chi",
    "rut_don",
    "de_nghi_xem_lai",
    "de_nghi_rut_don",
)
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def _at(days: int) -> datetime:
    return datetime(2025, 11, 1, 9, tzinfo=VN_TZ) + timedelta(days=days)


case = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 300),  # received, days after 01/11/2025
    st.lists(st.tuples(st.integers(0, 120), st.sampled_from(STATUSES)), max_size=4),
    st.none() | st.integers(0, 400),  # due date
    st.sampled_from((None, "dung", "sai", "dung_mot_phan")),
    st.sampled_from((None, "dat_dai", "moi_truong", "khac", "mot_linh_vuc_da_bo")),
    st.none() | st.booleans(),  # satisfied
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(case, max_size=25),
    st.lists(
        st.tuples(st.integers(1, 9), st.sampled_from(("thuong_xuyen", "dinh_ky", "dot_xuat", "x"))),
        max_size=20,
    ),
    st.lists(st.tuples(st.sampled_from(("Đất đai", "Khiếu nại", "=1+1")), st.integers(0, 9))),
    st.integers(0, 9),
)
def test_every_table_adds_up_on_random_data(
    cases: list[tuple[str, int, list[tuple[int, str]], int | None, str | None, str | None, bool]],
    received: list[tuple[int, str]],
    groups: list[tuple[str, int]],
    declined: int,
) -> None:
    rows, history = [], {}
    for number, (kind, day, steps, due, verdict, field, satisfied) in enumerate(cases, 1):
        rows.append(
            Petition(
                id=number,
                code=f"P-{number}",
                kind=kind,
                unit_id=1,
                source="paper",
                status="tiep_nhan",
                summary="",
                received_at=_at(day),
                due_date=None if due is None else _at(due).date(),
                verdict=verdict,
                field=field,
                satisfied=satisfied,
            )
        )
        events = [PetitionEvent(petition_id=number, at=_at(day), actor="t", status="tiep_nhan")]
        events += [
            PetitionEvent(petition_id=number, at=_at(day + after), actor="t", status=status)
            for after, status in sorted(steps, key=lambda step: step[0])
        ]
        history[number] = events
    by_group: dict[str, int] = {}
    for name, count in groups:
        by_group[name] = by_group.get(name, 0) + count
    trend = []
    for month in months(PERIOD):
        filed = tally(rows, history, month.start, month.end)
        # Receptions are spread over the months by their position, so each month has some.
        held = [r for i, r in enumerate(received) if i % 6 == month.first.month - 1]
        trend.append((f"{month.first:%m/%Y}", reception_tally(held).visits, filed.received))
    report = Report(
        unit="Xã Minh Hòa",
        period=PERIOD,
        reception=reception_tally(received),
        petitions=tally(rows, history, PERIOD.start, PERIOD.end),
        faq=FaqFigures(
            answered=sum(by_group.values()), declined=declined, groups=list(by_group.items())
        ),
        trend=trend,
        previous=(reception_tally([]), tally(rows, history, _at(-400), _at(-200))),
    )
    _reconciles(report)
    sheets = load_workbook(BytesIO(workbook(report)))
    for table in tables(report):
        sheet = sheets[table.sheet]
        if table.total is not None:
            last = [cell.value for cell in sheet[sheet.max_row]]
            assert last == table.total
            assert all(cell.data_type == "n" for cell in sheet[sheet.max_row][1:])
    # A topic name an admin typed as "=1+1" stays text, never a formula.
    for row in sheets["Hỏi đáp"].iter_rows():
        if row[0].value == "=1+1":
            assert row[0].data_type == "s"


async def test_the_files_an_office_can_file(sessions: SessionFactory, clock: FixedClock) -> None:
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    await petitions(sessions, unit, date(2026, 10, 5), [], ["kien_nghi"] * 2)
    await receptions(sessions, unit, "thuong_xuyen", date(2026, 10, 7), [1, 6], "attended")
    async with sessions() as session:
        october = Period(date(2026, 10, 1), date(2026, 10, 31))
        report = await build(session, unit, october, clock.now().date())
    book = load_workbook(BytesIO(workbook(report)))
    sheet = book["Tiếp công dân"]
    assert sheet["A1"].value == "Xã Minh Hòa: Kết quả tiếp công dân"
    assert sheet["A2"].value == "Từ ngày 01/10/2026 đến ngày 31/10/2026"
    assert [c.value for c in sheet[3]] == [
        "Hình thức tiếp",
        "Lượt tiếp",
        "Số người",
        "Vụ việc",
        "Đoàn đông người",
    ]
    assert [c.value for c in sheet[4]] == ["Tiếp thường xuyên", 2, 7, 2, 1]
    assert sheet["B4"].data_type == "n"
    assert [c.value for c in sheet[sheet.max_row]] == ["Tổng số", 2, 7, 2, 1]
    assert sheet.column_dimensions["A"].width >= 40 and sheet.column_dimensions["B"].width >= 12

    filed = Document(BytesIO(document(report)))
    section = filed.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    normal = filed.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    heading = filed.tables[0]
    assert heading.cell(0, 0).text == "XÃ MINH HÒA"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in heading.cell(0, 1).text
    lines = [p.text for p in filed.paragraphs]
    assert "Minh Hòa, ngày 25 tháng 11 năm 2026" in lines
    assert texts.REPORT_DOC_TITLE.upper() in lines
    assert "Từ ngày 01/10/2026 đến ngày 31/10/2026" in lines
    assert "Nơi nhận:" in lines and "- Tỉnh mẫu (để báo cáo);" in lines and "- Lưu: VT." in lines
    assert texts.REPORT_SIGNER.upper() in lines
    reception = next(t for t in filed.tables if t.rows[0].cells[0].text == "Hình thức tiếp")
    header = reception.rows[0]._tr
    assert header.trPr is not None and "tblHeader" in header.trPr.xml
    assert [c.text for c in reception.rows[-1].cells] == ["Tổng số", "2", "7", "2", "1"]
    pictures = [r for r in filed.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 1 and pictures[0].target_part.blob.startswith(b"\x89PNG")


async def test_a_request_to_withdraw_a_received_complaint_reaches_the_office_and_stays_open(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """The citizen was told "Cán bộ xử lý đã được báo tin" and nobody was; the request also
    counted as a status of its own (the raw code) in the figures."""
    citizen, number = await _filed_complaint(assistant, sessions, clock)
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock))
    await officer.press(f"staff:pt:recv:{number}")
    async with sessions() as session:
        petition = await session.get(Petition, int(number))
    assert petition is not None
    await citizen.press("menu:status")
    await citizen.press(f"pt:withdraw:{petition.code}")
    told = await citizen.press(f"pt:withdrawyes:{petition.code}")
    assert told.text.startswith(texts.PT_WITHDRAW_SIGNED.format(code=petition.code))
    unit = await unit_id(sessions)
    async with sessions() as session:
        alerts = (await session.exec(select(Outbox).where(Outbox.chat_id == "officer"))).all()
        report = await build(session, unit, quick_period("quy-nay", clock.now().date()))
    assert [a.reply["text"] for a in alerts if "rút đơn" in a.reply["text"]] == [
        texts.PT_WITHDRAW_ALERT.format(code=petition.code)
    ]
    p = report.petitions
    assert (p.open_in_time + p.overdue, dict(p.other)) == (1, {})
