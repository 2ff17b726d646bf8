"""Officials' reports reproduce the seeds' figures from the register and the đơn history."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from docx import Document
from openpyxl import load_workbook

from db import people
from db.engine import SessionFactory
from db.models import Booking, Petition, PetitionEvent, ReceptionSession
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.petitions.paper import enter_paper
from handlers.report_files import document, workbook
from handlers.reports import Period, build, paragraphs, quick_period
from tests.test_access import invite, msg, setup_units
from tests.test_cli import run

_codes = itertools.count(1)


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=VN_TZ) + timedelta(hours=9)


async def unit_id(sessions: SessionFactory) -> int:
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None and unit.id is not None
    return unit.id


async def receptions(
    sessions: SessionFactory, unit: int, kind: str, day: date, sizes: list[int], status: str
) -> None:
    async with sessions() as session, session.begin():
        item = ReceptionSession(
            unit_id=unit,
            kind=kind,
            starts_at=at(day),
            ends_at=at(day) + timedelta(hours=3),
            place="Trụ sở",
            receiver_name="",
            receiver_title="",
            capacity=500,
            published_at=at(day),
            created_at=at(day),
        )
        session.add(item)
        await session.flush()
        assert item.id is not None
        for queue, size in enumerate(sizes, start=1):
            session.add(
                Booking(
                    code=f"T-{next(_codes)}",
                    session_id=item.id,
                    channel="desk",
                    chat_id="",
                    queue_number=queue,
                    full_name="Công dân",
                    phone="",
                    address="",
                    matter_kind="khac",
                    summary="",
                    group_size=size,
                    consent_at=at(day),
                    consent_version="desk",
                    status=status,
                    created_at=at(day),
                    updated_at=at(day),
                )
            )


async def petitions(
    sessions: SessionFactory,
    unit: int,
    received: date,
    steps: list[tuple[date, str]],
    kinds: list[str],
    due: date | None = None,
) -> None:
    async with sessions() as session, session.begin():
        for kind in kinds:
            petition = Petition(
                code=f"P-{next(_codes)}",
                kind=kind,
                unit_id=unit,
                source="paper",
                status=steps[-1][1] if steps else "tiep_nhan",
                summary="Nội dung",
                registered_at=at(received),
                received_at=at(received),
                due_date=due,
                due_estimated=False,
                created_at=at(received),
                updated_at=at(received),
            )
            session.add(petition)
            await session.flush()
            assert petition.id is not None
            session.add(
                PetitionEvent(
                    petition_id=petition.id, at=at(received), actor="t", status="tiep_nhan"
                )
            )
            for day, status in steps:
                session.add(
                    PetitionEvent(petition_id=petition.id, at=at(day), actor="t", status=status)
                )


async def test_the_report_reproduces_seed_001_six_months(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    # 42 lượt / 48 người / 42 vụ việc: 28 lượt/31 người regular, 14 lượt/17 người by leaders.
    await receptions(
        sessions, unit, "thuong_xuyen", date(2026, 3, 10), [2] * 3 + [1] * 25, "attended"
    )
    await receptions(sessions, unit, "dinh_ky", date(2026, 3, 11), [2] * 3 + [1] * 11, "attended")
    await receptions(sessions, unit, "dinh_ky", date(2026, 3, 18), [1, 1], "absent")
    await receptions(sessions, unit, "dinh_ky", date(2026, 7, 8), [1], "attended")  # after
    # 73 đơn = 18 carried over + 55 received; 5 transferred (68 within competence); 44 resolved;
    # 14 open (01 khiếu nại, 13 kiến nghị phản ánh); 10 in neither group: 6 withdrawn, 4 suspended.
    late_2025, spring = date(2025, 12, 10), date(2026, 2, 10)
    later = [(date(2026, 4, 1), "da_giai_quyet")]
    open_ = [(date(2026, 2, 20), "dang_giai_quyet")]
    await petitions(sessions, unit, late_2025, later, ["kien_nghi"] * 10)
    await petitions(
        sessions,
        unit,
        late_2025,
        [(date(2025, 12, 20), "dang_giai_quyet")],
        ["khieu_nai"] + ["phan_anh"] * 2,
        due=date(2026, 8, 1),
    )
    await petitions(sessions, unit, late_2025, [(date(2026, 3, 1), "rut_don")], ["kien_nghi"] * 2)
    await petitions(
        sessions, unit, late_2025, [(date(2026, 3, 1), "tam_dinh_chi")], ["phan_anh"] * 3
    )
    await petitions(sessions, unit, spring, later, ["phan_anh"] * 34)
    await petitions(sessions, unit, spring, open_, ["kien_nghi"] * 11, due=date(2026, 7, 15))
    await petitions(sessions, unit, spring, [(date(2026, 3, 1), "rut_don")], ["kien_nghi"] * 4)
    await petitions(sessions, unit, spring, [(date(2026, 3, 1), "tam_dinh_chi")], ["kien_nghi"])
    await petitions(sessions, unit, spring, [(date(2026, 2, 15), "chuyen")], ["phan_anh"] * 5)
    # Not part of it: finished before the period, received after it.
    await petitions(
        sessions, unit, date(2025, 11, 1), [(date(2025, 12, 1), "da_giai_quyet")], ["kien_nghi"] * 2
    )
    await petitions(sessions, unit, date(2026, 7, 2), [], ["kien_nghi"])

    period = quick_period("6-thang", date(2026, 7, 10))
    assert period == Period(date(2026, 1, 1), date(2026, 6, 30))
    async with sessions() as session:
        report = await build(session, unit, period)
    r, p = report.reception, report.petitions
    assert (r.visits, r.people, r.cases, r.groups) == (42, 48, 42, 0)
    assert (p.total, p.carried_over, p.received) == (73, 18, 55)
    assert (p.within_competence, p.resolved, p.open_in_time + p.overdue) == (68, 44, 14)
    assert dict(p.other) == {"rut_don": 6, "tam_dinh_chi": 4, "chuyen": 5}
    reception_text, petition_text = paragraphs(report)[:2]
    assert (
        "tổng số lượt tiếp công dân là 42 lượt, số người được tiếp là 48 người; số vụ việc: 42 "
        "vụ; không có đoàn đông người." in reception_text
    )
    assert "Tiếp công dân thường xuyên 28 lượt/31 người" in reception_text
    assert "Lãnh đạo tiếp công dân định kỳ 14 lượt/17 người" in reception_text
    assert (
        "đã tiếp nhận 73 đơn, trong đó: 18 đơn kỳ trước chuyển qua; 55 đơn tiếp nhận trong kỳ; "
        "tổng số đơn thuộc thẩm quyền giải quyết là 68 đơn, đã giải quyết dứt điểm 44 đơn, còn 14 "
        "đơn (01 khiếu nại, 13 phản ánh kiến nghị)" in petition_text
    )
    assert "10 đơn ở trạng thái khác: 06 đã rút đơn, 04 tạm đình chỉ" in petition_text
    sheets = load_workbook(BytesIO(workbook(report)))
    assert sheets.sheetnames == [
        "Tiếp công dân",
        "Đơn thư theo loại",
        "Trạng thái khác",
        "Lĩnh vực",
        "Điều kiện xử lý",
        "Thẩm quyền",
        "Kết quả giải quyết",
        "Hỏi đáp",
        "Theo tháng",
        "So với cùng kỳ",
    ]
    assert [row for row in sheets["Theo tháng"].iter_rows(values_only=True)][5] == (
        "03/2026",
        42,
        0,
    )
    by_kind = list(sheets["Đơn thư theo loại"].iter_rows(values_only=True))
    assert by_kind[0] == ("Xã Minh Hòa: Tiếp nhận, xử lý đơn thư theo loại đơn",) + (None,) * 7
    assert by_kind[-1] == ("Tổng số", 18, 55, 73, 44, 14, 0, 15)


async def test_the_report_reproduces_seed_000_ten_months(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    # 126 vụ việc / 128 công dân: 69/70 regular, 57/58 by leaders.
    await receptions(sessions, unit, "thuong_xuyen", date(2026, 5, 4), [2] + [1] * 68, "attended")
    await receptions(sessions, unit, "dinh_ky", date(2026, 5, 6), [2] + [1] * 56, "attended")
    # 142 đơn: 132 resolved, 10 open of which 06 within the deadline and 04 overdue.
    await petitions(
        sessions, unit, date(2026, 2, 2), [(date(2026, 3, 2), "da_giai_quyet")], ["kien_nghi"] * 132
    )
    await petitions(
        sessions,
        unit,
        date(2026, 9, 1),
        [(date(2026, 9, 5), "dang_giai_quyet")],
        ["phan_anh"] * 6,
        due=date(2026, 11, 20),
    )
    await petitions(
        sessions,
        unit,
        date(2026, 8, 1),
        [(date(2026, 8, 5), "dang_giai_quyet")],
        ["khieu_nai"] * 4,
        due=date(2026, 9, 30),
    )
    async with sessions() as session:
        report = await build(session, unit, Period(date(2026, 1, 1), date(2026, 10, 31)))
    r, p = report.reception, report.petitions
    assert (r.cases, r.people) == (126, 128)
    assert (r.by_kind["thuong_xuyen"], r.people_by_kind["thuong_xuyen"]) == (69, 70)
    assert (r.by_kind["dinh_ky"], r.people_by_kind["dinh_ky"]) == (57, 58)
    assert (p.total, p.resolved, p.open_in_time, p.overdue) == (142, 132, 6, 4)
    assert (
        "còn 10 đơn (04 khiếu nại, 06 phản ánh kiến nghị) đang tiếp tục xem xét giải quyết (06 "
        "đơn trong hạn, 04 đơn quá hạn)" in paragraphs(report)[1]
    )


def test_quick_periods_follow_the_offices_cut_off_day() -> None:
    today = date(2026, 11, 25)
    assert quick_period("quy-nay", today) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert quick_period("quy-truoc", today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert quick_period("6-thang", today, cutoff=15) == Period(
        date(2025, 12, 16), date(2026, 6, 15)
    )
    assert quick_period("nam-truoc", today, cutoff=15) == Period(
        date(2024, 12, 16), date(2025, 12, 15)
    )
    assert quick_period("quy-truoc", date(2026, 2, 1)) == Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )


async def test_an_official_asks_for_the_six_months_report_in_the_web_chat_and_gets_both_files(
    client: TestClient[web.Request, web.Application],
    sessions: SessionFactory,
    clock: FixedClock,
) -> None:
    await setup_units(sessions, clock)
    unit = await unit_id(sessions)
    await receptions(sessions, unit, "dinh_ky", date(2026, 3, 11), [7, 1], "attended")
    code = await invite(sessions, clock)

    async def say(body: dict[str, str], number: int) -> dict[str, Any]:
        response = await client.post("/api/chat", json={**body, "client_id": f"r{number}"})
        replies: list[dict[str, Any]] = (await response.json())["replies"]
        return replies[-1]

    await say({"text": code}, 1)
    menu = await say({"button": "staff:reports"}, 2)
    assert "staff:rp:6-thang" in [b["payload"] for b in menu["buttons"]]
    answer = await say({"button": "staff:rp:6-thang"}, 3)
    assert answer["text"].startswith(
        "Từ ngày 01/01/2026 đến ngày 30/06/2026, tổng số lượt tiếp công dân là 02 lượt, số người "
        "được tiếp là 08 người; số vụ việc: 02 vụ; 01 đoàn đông người."
    )
    # The files are on the staff desk, behind its session: the chat's cookie opens nothing.
    # (The desk's story module reuses this one's helpers, hence imported here.)
    from tests.test_desk_reports import jar as desk_jar
    from tests.test_desk_reports import official as desk_official

    assert not answer.get("attachments")
    files = f"/desk/bao-cao/{unit}/20260101-20260630"
    chat_only = await client.get(f"{files}.xlsx")
    assert chat_only.status == 401 and "/dangnhap" in await chat_only.text()
    cookie = await desk_official(sessions, clock)
    for extension, signature in (("xlsx", b"PK"), ("docx", b"PK")):
        download = await client.get(f"{files}.{extension}", headers=desk_jar(cookie))
        assert download.status == 200
        assert (await download.read()).startswith(signature)


def test_the_report_command_prints_the_paragraph_and_writes_the_files(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Xã Minh Hòa, kind: xa}\n", encoding="utf-8")
    run(["units", "import", str(units)], cli_env)
    out = run(
        [
            "report",
            "--from",
            "01/01/2026",
            "--to",
            "30/06/2026",
            "--unit",
            "Xã Minh Hòa",
            "--xlsx",
            str(tmp_path / "a.xlsx"),
            "--docx",
            str(tmp_path / "a.docx"),
        ],
        cli_env,
    ).stdout
    assert "Từ ngày 01/01/2026 đến ngày 30/06/2026, tổng số lượt tiếp công dân là 00 lượt" in out
    assert "Xã Minh Hòa đã tiếp nhận 00 đơn" in out
    assert (tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"
    wrong = run(["report", "--from", "1/1"], cli_env, check=False)
    assert wrong.returncode == 2


async def test_the_report_counts_questions_answered_and_declined_and_charts_the_months(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    for question in (
        "thoi hieu khieu nai la bao lau",
        "thoi han giai quyet khieu nai lan dau",
        "gia vang hom nay bao nhieu",
    ):
        await assistant.dispatch(msg(question, chat="c1"))
    unit = await unit_id(sessions)
    await petitions(sessions, unit, date(2026, 11, 2), [], ["kien_nghi"] * 3)
    async with sessions() as session:
        report = await build(session, unit, quick_period("quy-nay", date(2026, 11, 25)))
    assert (report.faq.answered, report.faq.declined) == (2, 1)
    assert report.faq.top_groups[0][1] == 2
    [faq_line] = [line for line in paragraphs(report) if line.startswith("Trợ lý trực tuyến")]
    assert faq_line.startswith("Trợ lý trực tuyến đã trả lời 02 câu hỏi")
    assert "01 câu hỏi chưa có câu trả lời" in faq_line
    assert [month for month, _, _ in report.trend] == ["10/2026", "11/2026", "12/2026"]
    filed = Document(BytesIO(document(report)))
    # The trend is a chart image (a PNG), and its figures are a real table with a header row.
    [chart] = [part for part in filed.part.package.parts if part.partname.endswith(".png")]
    assert chart.blob.startswith(b"\x89PNG")
    [trend] = [t for t in filed.tables if t.rows[0].cells[0].text == "Tháng"]
    assert [[c.text for c in row.cells] for row in trend.rows] == [
        ["Tháng", "Lượt tiếp công dân", "Đơn tiếp nhận"],
        ["10/2026", "0", "0"],
        ["11/2026", "0", "3"],
        ["12/2026", "0", "0"],
        ["Tổng số", "0", "3"],
    ]
    assert "█" not in "".join(p.text for p in filed.paragraphs)


async def test_a_quarter_that_has_not_ended_is_counted_as_of_today_and_says_so(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        petition = await enter_paper(
            session,
            {
                "kind": "kien_nghi",
                "unit": "Xã Minh Hòa",
                "source": "post",
                "received": f"{clock.now():%d/%m/%Y}",
                "name": "Người gửi",
                "summary": "Đường thôn hư hỏng",
            },
            1,
            clock.now(),
            "test",
        )
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert unit is not None and unit.id is not None
        today = clock.now().date()
        quarter = quick_period("quy-nay", today)
        # The story needs a đơn due after today but before the quarter ends.
        assert petition.due_date is not None and today < petition.due_date <= quarter.last
        report = await build(session, unit.id, quarter, today)
    assert report.petitions.overdue == 0 and report.petitions.open_in_time == 1
    assert paragraphs(report)[0] == (
        f"Kỳ báo cáo {quarter.label()} chưa kết thúc: số liệu tính đến hết ngày {today:%d/%m/%Y}."
    )
    assert "(01 đơn trong hạn, 00 đơn quá hạn)" in paragraphs(report)[2]


def test_the_report_command_asks_which_unit_and_finds_one_typed_without_diacritics(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "- {name: Tỉnh mẫu, kind: tinh}\n- {name: Xã Minh Hòa, kind: xa, parent: Tỉnh mẫu}\n",
        encoding="utf-8",
    )
    run(["units", "import", str(units)], cli_env)
    asked = run(["report", "--period", "quy-nay"], cli_env, check=False)
    assert asked.returncode == 1 and "có nhiều đơn vị" in asked.stderr
    assert "- Tỉnh mẫu" in asked.stderr and "- Xã Minh Hòa" in asked.stderr
    found = run(["report", "--period", "quy-truoc", "--unit", "minh hoa"], cli_env).stdout
    assert "Xã Minh Hòa đã tiếp nhận 00 đơn" in found
    inverted = run(["report", "--from", "31/12/2026", "--to", "01/10/2026"], cli_env, check=False)
    assert inverted.returncode == 2 and "Lỗi" in inverted.stderr
