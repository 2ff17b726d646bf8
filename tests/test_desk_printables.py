"""The desk prints what a commune office files: a khiếu nại's notice of thụ lý or không thụ lý,
a tố cáo's quyết định thụ lý (for its handler only), a kiến nghị's reply, a phản ánh's transfer
notice and phiếu chuyển đơn, and the Sổ theo dõi đơn and Sổ tiếp công dân of a period, where a
denouncer is never named. Each file is opened with python-docx and read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import docx
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.server import create_app
from bot.settings import Settings
from db import audit, people
from db.engine import SessionFactory
from db.models import Petition
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from tests.test_access import setup_units
from tests.test_desk import (
    PUBLIC,
    Client,
    jar,
    page,
    petition_ids,
    post,
    signed_in,
    staff,
)
from tests.test_petitions import COMPLAINT, DENUNCIATION, Chat, file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TODAY_LINE = "Minh Hòa, ngày 25 tháng 11 năm 2026"


@pytest.fixture
async def desk(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Client]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0, public_url=PUBLIC
    )
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as client:
        yield client


def words_of(data: bytes) -> str:
    """Every paragraph of the document, table cells included, one per line."""
    document = docx.Document(BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def register_rows(data: bytes) -> list[list[str]]:
    """The register's table (the second table: the first is the heading), without its header."""
    table = docx.Document(BytesIO(data)).tables[1]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


async def download(desk: Client, cookie: str, path: str) -> ClientResponse:
    response = await desk.get(path, headers=jar(cookie), allow_redirects=False)
    await response.read()
    return response


def assert_docx(response: ClientResponse, name: str) -> None:
    assert response.status == 200, response.status
    assert response.headers["Content-Type"] == DOCX
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment; ") and f"filename*=UTF-8''{quote(name)}" in disposition
    )
    assert response.headers["Cache-Control"] == "no-store"


async def take_receive_accept(desk: Client, cookie: str, case: str) -> None:
    assert (await post(desk, cookie, f"{case}/buoc", {"buoc": "take"}))[0] == 200
    assert (await post(desk, cookie, f"{case}/buoc", {"buoc": "recv"}))[0] == 200
    status, _ = await post(desk, cookie, f"{case}/buoc", {"buoc": "acc", "xac_nhan": "1"})
    assert status == 200


async def test_a_complaint_prints_its_notice_of_thu_ly_once_accepted_and_not_before(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    number = (await petition_ids(sessions))["khieu_nai"]
    case = f"/desk/don/{number}"
    notice = f"{case}/in?mau=thong-bao-thu-ly"
    # Received but not yet accepted: nothing to print, and the page says so.
    await post(desk, cookie, f"{case}/buoc", {"buoc": "take"})
    await post(desk, cookie, f"{case}/buoc", {"buoc": "recv"})
    status, html = await page(desk, cookie, case)
    assert "Giấy tờ in" not in html
    status, html = await page(desk, cookie, notice)
    assert status == 409 and texts.DESK_NOTHING_TO_PRINT in html
    status, _ = await post(desk, cookie, f"{case}/buoc", {"buoc": "acc", "xac_nhan": "1"})
    status, html = await page(desk, cookie, case)
    assert "Tải thông báo thụ lý (DOCX)" in html and "không thụ lý (DOCX)" not in html
    async with sessions() as session:
        petition = await session.get(Petition, number)
    assert petition is not None and petition.due_date is not None
    response = await download(desk, cookie, notice)
    assert_docx(response, f"Thông báo thụ lý {petition.code}.docx")
    assert (
        f'filename="Thong bao thu ly {petition.code}.docx"'
        in (response.headers["Content-Disposition"])
    )
    text = words_of(await response.read())
    for expected in (
        *HEADING,
        "ỦY BAN NHÂN DÂN\nXÃ MINH HÒA",
        "Số:       /TB-UBND",
        TODAY_LINE,
        "THÔNG BÁO",
        "Về việc thụ lý giải quyết khiếu nại",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        f"đơn khiếu nại (mã đơn {petition.code})",
        "Ngày 25/11/2026, Ủy ban nhân dân xã Minh Hòa nhận được",
        "Chủ tịch Ủy ban nhân dân xã Minh Hòa đã thụ lý giải quyết khiếu nại",
        f"đến hết ngày {petition.due_date:%d/%m/%Y}",
        "\nCHỦ TỊCH\n",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    # No form number: none of these forms is among the legal texts the project holds.
    assert "Mẫu" not in text and "KT." not in text
    # Only at a step where it makes sense; an unknown document is the case page.
    status, html = await page(desk, cookie, f"{case}/in?mau=quyet-dinh-thu-ly")
    assert status == 409 and texts.DESK_NOTHING_TO_PRINT in html
    response = await download(desk, cookie, f"{case}/in?mau=khac")
    assert response.status == 303 and response.headers["Location"] == case
    # Another commune's official and a browser without a session get nothing.
    other = await signed_in(desk, sessions, clock, elsewhere)
    status, html = await page(desk, other, notice)
    assert status == 403 and "Nguyễn Văn An" not in html
    anonymous = await desk.get(notice)
    assert anonymous.status == 401 and anonymous.headers["Content-Type"].startswith("text/html")
    async with sessions() as session:
        denied = await audit.entries(session, "access.denied")
    assert [e.actor_person_id for e in denied] == [elsewhere]


async def test_a_rejected_complaint_prints_the_reason_it_was_not_accepted(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    case = f"/desk/don/{(await petition_ids(sessions))['khieu_nai']}"
    await post(desk, cookie, f"{case}/buoc", {"buoc": "take"})
    await post(desk, cookie, f"{case}/buoc", {"buoc": "recv"})
    reason = "Đơn không có chữ ký hoặc điểm chỉ của người khiếu nại"
    status, html = await post(
        desk, cookie, f"{case}/buoc", {"buoc": "khong_thu_ly", "ghi_chu": reason, "xac_nhan": "1"}
    )
    assert status == 200 and "Tải thông báo không thụ lý (DOCX)" in html
    assert "Tải thông báo thụ lý (DOCX)" not in html
    response = await download(desk, cookie, f"{case}/in?mau=thong-bao-khong-thu-ly")
    async with sessions() as session:
        code = (await session.exec(select(Petition.code))).one()
    assert_docx(response, f"Thông báo không thụ lý {code}.docx")
    text = words_of(await response.read())
    for expected in (
        "Về việc không thụ lý giải quyết khiếu nại",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        f"Khiếu nại không đủ điều kiện thụ lý giải quyết. Lý do: {reason}",
        TODAY_LINE,
        "\nCHỦ TỊCH\n",
    ):
        assert expected in text, expected


async def test_a_notice_and_the_register_write_a_name_typed_in_lower_case_with_capitals(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    typed = ("nguyen van hung", COMPLAINT[1], "thon 3, xa minh hoa", *COMPLAINT[3:])
    await file(Chat(assistant, "citizen"), "khieu_nai", typed)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    case = f"/desk/don/{(await petition_ids(sessions))['khieu_nai']}"
    await take_receive_accept(desk, cookie, case)
    response = await download(desk, cookie, f"{case}/in?mau=thong-bao-thu-ly")
    text = words_of(await response.read())
    # Each part of the summary on its own line, under its label, never joined by " | ".
    for expected in (
        "Kính gửi: Ông/Bà Nguyen Van Hung\nĐịa chỉ: Thon 3, xa Minh Hoa\n",
        "của ông/bà Nguyen Van Hung.",
        "\nNội dung khiếu nại:\n",
        f"\n- Quyết định, hành vi bị khiếu nại: {COMPLAINT[3]}\n",
        f"\n- Nội dung, lý do: {COMPLAINT[5]}\n",
        f"\n- Yêu cầu giải quyết: {COMPLAINT[6]}\n",
    ):
        assert expected in text, expected
    assert " | " not in text and "nguyen van hung" not in text
    response = await download(desk, cookie, "/desk/so-theo-doi-don?tu=2026-11-01&den=2026-11-25")
    [row] = register_rows(await response.read())
    assert row[3] == "Nguyen Van Hung, Thon 3, xa Minh Hoa"
    assert row[4] == (
        f"Quyết định, hành vi bị khiếu nại: {COMPLAINT[3]}. Nội dung, lý do: {COMPLAINT[5]}. "
        f"Yêu cầu giải quyết: {COMPLAINT[6]}."
    )


async def test_a_denunciations_decision_is_printed_by_its_handler_alone_and_names_no_one(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    handler = await staff(assistant, sessions, clock, "handler", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Lê Văn Cường")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    ids = await petition_ids(sessions)
    case = f"/desk/don/{ids['to_cao']}"
    boss = await signed_in(desk, sessions, clock, admin)
    reason = "Đồng chí B được phân công theo dõi đơn tố cáo"
    await post(desk, boss, f"{case}/giao", {"nguoi": str(handler), "ly_do": reason})
    mine = await signed_in(desk, sessions, clock, handler)
    await post(desk, mine, f"{case}/buoc", {"buoc": "recv"})
    await post(desk, mine, f"{case}/buoc", {"buoc": "acc", "xac_nhan": "1"})
    status, html = await page(desk, mine, case)
    assert "Tải quyết định thụ lý tố cáo (DOCX)" in html
    assert "Tải thông báo thụ lý gửi người tố cáo (DOCX)" in html
    async with sessions() as session:
        petition = await session.get(Petition, ids["to_cao"])
    assert petition is not None and petition.due_date is not None
    decision = f"{case}/in?mau=quyet-dinh-thu-ly"
    response = await download(desk, mine, decision)
    assert_docx(response, f"Quyết định thụ lý tố cáo {petition.code}.docx")
    text = words_of(await response.read())
    # Luật Tố cáo Điều 29 khoản 2: its date, its basis, the content accepted, the time limit.
    for expected in (
        *HEADING,
        "Số:       /QĐ-UBND",
        TODAY_LINE,
        "QUYẾT ĐỊNH",
        "Về việc thụ lý tố cáo",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ MINH HÒA",
        "Căn cứ Luật Tố cáo ngày 12 tháng 6 năm 2018, được sửa đổi, bổ sung bởi Luật số "
        "136/2025/QH15;",
        f"Xét đơn tố cáo mã {petition.code} nhận ngày 25/11/2026",
        "Điều 1. Thụ lý tố cáo đối với Ông Lê Văn C, cán bộ địa chính xã.",
        "Nội dung tố cáo được thụ lý: Nhận tiền của người dân để làm nhanh giấy tờ đất",
        f"Điều 2. Thời hạn giải quyết tố cáo: đến hết ngày {petition.due_date:%d/%m/%Y}.",
        "Công chức được giao xử lý đơn (Trần Thị B)",
        "\nCHỦ TỊCH\n",
    ):
        assert expected in text, expected
    # The decision goes to the accused too: it never names the denouncer.
    assert "Trần Thị Bình" not in text and "Xóm Bãi" not in text and "0987" not in text
    async with sessions() as session:
        assert await audit.entries(session, "petition.filer_printed") == []
    # The notice to the denouncer names them, and printing it is audited.
    response = await download(desk, mine, f"{case}/in?mau=thong-bao-thu-ly-to-cao")
    assert_docx(response, f"Thông báo thụ lý tố cáo {petition.code}.docx")
    text = words_of(await response.read())
    assert "Kính gửi: Ông/Bà Trần Thị Bình" in text and "Địa chỉ: Xóm Bãi, xã Minh Hòa" in text
    assert "được giữ bí mật" in text
    async with sessions() as session:
        printed = await audit.entries(session, "petition.filer_printed")
    assert [(e.actor_person_id, e.target) for e in printed] == [(handler, petition.code)]
    # Nobody else prints a tố cáo's papers: not a colleague, not an admin; refusals audited.
    for cookie in (await signed_in(desk, sessions, clock, colleague), boss):
        status, html = await page(desk, cookie, case)
        assert status == 200 and "Giấy tờ in" not in html
        for key in ("quyet-dinh-thu-ly", "thong-bao-thu-ly-to-cao"):
            status, html = await page(desk, cookie, f"{case}/in?mau={key}")
            assert status == 403 and "Trần Thị Bình" not in html
    async with sessions() as session:
        denied = await audit.entries(session, "access.denied")
    assert sorted(e.actor_person_id or 0 for e in denied) == sorted([colleague] * 2 + [admin] * 2)
    # The Sổ theo dõi đơn lists the tố cáo with its filer kept secret, even for its handler.
    complaint = f"/desk/don/{ids['khieu_nai']}"
    await post(desk, mine, f"{complaint}/buoc", {"buoc": "take"})
    await post(desk, mine, f"{complaint}/buoc", {"buoc": "recv"})
    async with sessions() as session:
        found = (await session.exec(select(Petition))).all()
    codes = {p.kind: p.code for p in found}
    complaint_summary = next(p.summary for p in found if p.kind == "khieu_nai")
    assert COMPLAINT[5] in complaint_summary
    status, html = await page(desk, mine, "/desk/don")
    assert 'action="/desk/so-theo-doi-don"' in html and 'value="2026-11-01"' in html
    for cookie in (mine, boss):
        response = await download(
            desk, cookie, "/desk/so-theo-doi-don?tu=2026-11-01&den=2026-11-25"
        )
        assert_docx(response, "Sổ theo dõi đơn 01-11-2026 đến 25-11-2026.docx")
        data = await response.read()
        text = words_of(data)
        for expected in (*HEADING, "SỔ THEO DÕI ĐƠN", "Từ ngày 01/11/2026 đến ngày 25/11/2026"):
            assert expected in text, expected
        assert "NGƯỜI LẬP SỔ" in text
        assert "Trần Thị Bình" not in text and "Xóm Bãi" not in text and "0987" not in text
        rows = {row[2]: row for row in register_rows(data)}
        assert set(rows) == {codes["to_cao"], codes["khieu_nai"]}
        secret, open_case = rows[codes["to_cao"]], rows[codes["khieu_nai"]]
        assert secret[1:2] + secret[3:4] + secret[5:6] == ["25/11/2026", "(giữ bí mật)", "Tố cáo"]
        assert secret[7].startswith("Thụ lý ngày 25/11/2026")
        assert secret[8] == f"{petition.due_date:%d/%m/%Y}" and secret[9] == "Trần Thị B"
        assert open_case[3] == "Nguyễn Văn An, Thôn Đông, xã Minh Hòa"
        assert " | " not in open_case[4] and f"Yêu cầu giải quyết: {COMPLAINT[6]}." in open_case[4]
        assert open_case[5:7] == ["Khiếu nại", "trực tuyến"]
    # A period before both đơn came in has none.
    response = await download(desk, mine, "/desk/so-theo-doi-don?tu=2026-11-01&den=2026-11-24")
    assert "Không có đơn nào được nhận trong kỳ." in words_of(await response.read())


async def test_a_suggestion_is_answered_and_a_report_is_sent_on_with_a_phieu_chuyen_don(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    basic = ("Lê Thị Hoa", "0911222333", "Tổ 3, xã Minh Hòa")
    await file(Chat(assistant, "c1"), "kien_nghi", (*basic, "Đề nghị lắp đèn đường thôn Tây"))
    report = (*basic, "Cống thoát nước quốc lộ bị tắc gây ngập", "Đầu ngõ 5 thôn Tây")
    await file(Chat(assistant, "c2"), "phan_anh", report)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    ids = await petition_ids(sessions)
    suggestion, sent_on = f"/desk/don/{ids['kien_nghi']}", f"/desk/don/{ids['phan_anh']}"
    await take_receive_accept(desk, cookie, suggestion)
    answer = "UBND xã đưa việc lắp đèn đường thôn Tây vào kế hoạch quý I năm 2027"
    status, html = await post(
        desk,
        cookie,
        f"{suggestion}/buoc",
        {"buoc": "da_giai_quyet", "ghi_chu": answer, "xac_nhan": "1"},
    )
    assert status == 200 and "Tải thông báo trả lời (DOCX)" in html
    # A kiến nghị has no thụ lý: no notice of it.
    assert "thụ lý (DOCX)" not in html
    response = await download(desk, cookie, f"{suggestion}/in?mau=tra-loi")
    text = words_of(await response.read())
    for expected in (
        "Về việc trả lời kiến nghị",
        "Kính gửi: Ông/Bà Lê Thị Hoa",
        f"trả lời như sau: {answer}",
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
    ):
        assert expected in text, expected

    office = "Công ty quản lý đường bộ tỉnh"
    await post(desk, cookie, f"{sent_on}/buoc", {"buoc": "take"})
    await post(desk, cookie, f"{sent_on}/buoc", {"buoc": "recv"})
    status, html = await post(
        desk, cookie, f"{sent_on}/buoc", {"buoc": "chuyen", "ghi_chu": office, "xac_nhan": "1"}
    )
    assert status == 200
    assert "Tải thông báo chuyển đơn (DOCX)" in html and "Tải phiếu chuyển đơn (DOCX)" in html
    response = await download(desk, cookie, f"{sent_on}/in?mau=thong-bao-chuyen")
    text = words_of(await response.read())
    assert "Về việc chuyển đơn phản ánh" in text and f"đã chuyển đơn đến {office}" in text
    assert "Kính gửi: Ông/Bà Lê Thị Hoa" in text
    response = await download(desk, cookie, f"{sent_on}/in?mau=phieu-chuyen")
    async with sessions() as session:
        code = (await session.get(Petition, ids["phan_anh"])).code  # type: ignore[union-attr]
    assert_docx(response, f"Phiếu chuyển đơn {code}.docx")
    text = words_of(await response.read())
    for expected in (
        "PHIẾU CHUYỂN ĐƠN",
        "Số:       /PC-UBND",
        f"Kính gửi: {office}",
        "của ông/bà Lê Thị Hoa, địa chỉ: Tổ 3, xã Minh Hòa",
        # The place the phản ánh names is its own line, not joined to its content by " | ".
        "Nội dung: Cống thoát nước quốc lộ bị tắc gây ngập\nĐịa điểm xảy ra sự việc: Đầu ngõ 5",
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        "Người gửi đơn (để biết)",
    ):
        assert expected in text, expected


async def test_the_reception_register_masks_a_denouncer_for_everyone(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan")
    assert 'action="/desk/so-tiep-cong-dan"' in html and 'value="2026-11-01"' in html
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None
    walk_in = {
        "ngay": "2026-11-24",
        "don_vi": str(unit.id),
        "hinh_thuc": "thuong_xuyen",
        "dien_thoai": "",
        "so_nguoi": "2",
        "xac_nhan": "1",
    }
    path = "/desk/tiep-cong-dan/truc-tiep"
    suggestion = {
        "ten": "Nguyễn Thị Hoa",
        "dia_chi": "Thôn Đông, xã Minh Hòa",
        "loai": "kien_nghi",
        "noi_dung": "Đề nghị lắp đèn đường thôn Đông",
    }
    denunciation = {
        "ten": "Hoàng Văn Dũng",
        "dia_chi": "Thôn Tây, xã Minh Hòa",
        "loai": "to_cao",
        "noi_dung": "Cán bộ địa chính nhận tiền của người dân",
        "so_nguoi": "1",
    }
    for typed in (suggestion, denunciation):
        status, html = await post(desk, cookie, path, {**walk_in, **typed})
        assert status == 200 and "Đã ghi vào sổ tiếp công dân" in html, html
    register = "/desk/so-tiep-cong-dan?tu=2026-11-01&den=2026-11-25"
    response = await download(desk, cookie, register)
    assert_docx(response, "Sổ tiếp công dân 01-11-2026 đến 25-11-2026.docx")
    data = await response.read()
    text = words_of(data)
    for expected in (*HEADING, "SỔ TIẾP CÔNG DÂN", "Từ ngày 01/11/2026 đến ngày 25/11/2026"):
        assert expected in text, expected
    assert "NGƯỜI LẬP SỔ" in text and "Trần Thị B" in text
    assert "Hoàng Văn Dũng" not in text and "Thôn Tây" not in text and "nhận tiền" not in text
    rows = register_rows(data)
    assert [row[:3] for row in rows] == [
        ["1", "24/11/2026", "Nguyễn Thị Hoa, Thôn Đông, xã Minh Hòa"],
        ["2", "24/11/2026", "(giữ bí mật)"],
    ]
    assert rows[0][3:6] == ["Đề nghị lắp đèn đường thôn Đông", "Kiến nghị", "2"]
    assert rows[1][4] == "Tố cáo"
    # A period without anyone received, and another commune's register: no line of ours.
    response = await download(desk, cookie, "/desk/so-tiep-cong-dan?tu=2026-11-25&den=2026-11-25")
    assert "Không có lượt tiếp công dân nào trong kỳ." in words_of(await response.read())
    other = await signed_in(desk, sessions, clock, elsewhere)
    response = await download(desk, other, register)
    assert response.status == 200
    text = words_of(await response.read())
    assert "Nguyễn Thị Hoa" not in text and "XÃ MINH HẢI" in text
    assert (await desk.get(register)).status == 401


async def test_a_denouncer_is_told_of_a_refusal_or_a_transfer_and_the_slip_does_not_name_them(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler = await staff(assistant, sessions, clock, "handler", name="Trần Thị B")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    case = f"/desk/don/{(await petition_ids(sessions))['to_cao']}"
    boss = await signed_in(desk, sessions, clock, admin)
    reason = "Đồng chí B được phân công theo dõi đơn tố cáo"
    await post(desk, boss, f"{case}/giao", {"nguoi": str(handler), "ly_do": reason})
    mine = await signed_in(desk, sessions, clock, handler)
    await post(desk, mine, f"{case}/buoc", {"buoc": "recv"})
    office = "Thanh tra tỉnh"
    status, html = await post(desk, mine, f"{case}/buoc", {"buoc": "outside", "xac_nhan": "1"})
    assert status == 200, html
    status, html = await post(
        desk, mine, f"{case}/buoc", {"buoc": "chuyen", "ghi_chu": office, "xac_nhan": "1"}
    )
    assert status == 200 and "Tải phiếu chuyển đơn (DOCX)" in html
    text = words_of(await (await download(desk, mine, f"{case}/in?mau=phieu-chuyen")).read())
    assert f"Kính gửi: {office}" in text and "Nhận tiền của người dân" in text
    assert "thông tin người tố cáo được giữ bí mật" in text
    assert "Trần Thị Bình" not in text and "Xóm Bãi" not in text
    assert "Người gửi đơn (để biết)" not in text
    async with sessions() as session:
        assert await audit.entries(session, "petition.filer_printed") == []
    response = await download(desk, mine, f"{case}/in?mau=thong-bao-chuyen")
    text = words_of(await response.read())
    assert "Về việc chuyển đơn tố cáo" in text and "Kính gửi: Ông/Bà Trần Thị Bình" in text
    assert f"đã chuyển đơn đến {office}" in text and "được giữ bí mật" in text
    async with sessions() as session:
        printed = await audit.entries(session, "petition.filer_printed")
    assert [e.actor_person_id for e in printed] == [handler]
    assert (await page(desk, boss, f"{case}/in?mau=thong-bao-chuyen"))[0] == 403


async def test_a_denunciation_not_accepted_tells_its_denouncer_why(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler = await staff(assistant, sessions, clock, "handler", name="Trần Thị B")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    case = f"/desk/don/{(await petition_ids(sessions))['to_cao']}"
    boss = await signed_in(desk, sessions, clock, admin)
    reason = "Đồng chí B được phân công theo dõi đơn tố cáo"
    await post(desk, boss, f"{case}/giao", {"nguoi": str(handler), "ly_do": reason})
    mine = await signed_in(desk, sessions, clock, handler)
    await post(desk, mine, f"{case}/buoc", {"buoc": "recv"})
    why = "Nội dung tố cáo không có cơ sở để xác định người vi phạm"
    status, html = await post(
        desk, mine, f"{case}/buoc", {"buoc": "khong_thu_ly", "ghi_chu": why, "xac_nhan": "1"}
    )
    assert status == 200 and "Tải thông báo không thụ lý (DOCX)" in html
    assert "quyết định thụ lý" not in html
    response = await download(desk, mine, f"{case}/in?mau=thong-bao-khong-thu-ly")
    text = words_of(await response.read())
    for expected in (
        "Về việc không thụ lý tố cáo",
        "Kính gửi: Ông/Bà Trần Thị Bình",
        f"Tố cáo không đủ điều kiện thụ lý. Lý do: {why}",
        "\nCHỦ TỊCH\n",
    ):
        assert expected in text, expected
    async with sessions() as session:
        printed = await audit.entries(session, "petition.filer_printed")
    assert [e.actor_person_id for e in printed] == [handler]
    status, html = await page(desk, boss, f"{case}/in?mau=thong-bao-khong-thu-ly")
    assert status == 403 and "Trần Thị Bình" not in html
