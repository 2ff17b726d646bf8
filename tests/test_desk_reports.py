"""The desk's Báo cáo page: an official picks a period and a unit, reads the report module's
figures and chart, downloads the workbook and the document; other units, no session and
impossible periods are refused in Vietnamese; a denouncer's name is in none of it; the chat
links to the page instead of serving files."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from docx import Document
from openpyxl import load_workbook
from sqlmodel import col, func, select

from bot.server import create_app
from bot.settings import Settings
from db import audit, people
from db.engine import SessionFactory
from db.models import Booking, Petition
from handlers import access
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.desk import login
from handlers.faq.knowledge import KnowledgeBase
from handlers.report_files import tables
from handlers.reports import Period, build, paragraphs
from tests.test_access import setup_units
from tests.test_petitions import DENUNCIATION, Chat, file
from tests.test_reports import petitions, receptions

PUBLIC = "https://troly.xaminhhoa.example"
Client = TestClient[web.Request, web.Application]
# Quý IV/2026 is still running on the suite's day (25/11/2026): figures as of that day.
QUARTER = Period(date(2026, 10, 1), date(2026, 12, 31))
PICK_QUARTER = "/desk/bao-cao?ky=quy&quy=4&nam=2026"


@pytest.fixture
async def desk(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Client]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0, public_url=PUBLIC
    )
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as client:
        yield client


async def unit_of(sessions: SessionFactory, name: str) -> int:
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, name)
    assert unit is not None and unit.id is not None
    return unit.id


async def official(
    sessions: SessionFactory,
    clock: FixedClock,
    unit: str = "Xã Minh Hòa",
    role: str = access.OFFICIAL,
    chat: str = "officer",
) -> str:
    """A staff member of ``unit`` who took their invite in the chat and pressed the desk's
    login button: their desk cookie."""
    now = clock.now()
    async with sessions() as session, session.begin():
        found = await people.unit_by_code_or_name(session, unit)
        assert found is not None
        code = await access.issue(
            session, purpose=access.INVITE, now=now, actor="test", role=role, unit_id=found.id
        )
        actor = (await access.actors_for(session, "web", {chat: None}, now))[chat]
        assert (await access.redeem(session, actor, code, now)).outcome == "granted"
        url = await login.issue_link(session, actor.person_id, now, "test", "test", PUBLIC)
        assert url is not None
        cookie = await login.spend(session, url.split("?t=")[1], now, None)
    assert cookie is not None
    return cookie


def jar(cookie: str) -> dict[str, str]:
    return {"Cookie": f"dccs_desk={cookie}"}


class Tables(HTMLParser):
    """The page's tables as the official reads them: caption -> rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.cell: list[str] | None = None
        self.row: list[str] = []
        self.in_caption = False
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
            assert self.caption is not None
            self.found[self.caption] = []
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.in_body and self.caption is not None:
            self.found[self.caption].append(self.row)

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption = (self.caption or "") + data
        elif self.cell is not None:
            self.cell.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.found


async def a_quarter_of_work(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> int:
    """Xã Minh Hòa's Quý IV: two receptions held, khiếu nại and kiến nghị on paper, one
    resolved, and a tố cáo filed in the chat by a named citizen. Its unit id."""
    await setup_units(sessions, clock)
    unit = await unit_of(sessions, "Xã Minh Hòa")
    await receptions(sessions, unit, "dinh_ky", date(2026, 10, 14), [3, 1], "attended")
    await receptions(sessions, unit, "thuong_xuyen", date(2026, 11, 4), [1], "attended")
    await petitions(sessions, unit, date(2026, 10, 5), [], ["khieu_nai"] * 2)
    await petitions(
        sessions, unit, date(2026, 10, 6), [(date(2026, 11, 2), "da_giai_quyet")], ["kien_nghi"]
    )
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    return unit


async def receive_the_denunciation(desk: Client, sessions: SessionFactory, cookie: str) -> None:
    """The official receives the tố cáo filed in the chat, on the desk, as a handler does."""
    async with sessions() as session:
        petition = (await session.exec(select(Petition).where(Petition.kind == "to_cao"))).one()
    data = {"buoc": "recv", "csrf": login.csrf_token(cookie)}
    response = await desk.post(f"/desk/don/{petition.id}/buoc", data=data, headers=jar(cookie))
    assert response.status == 200


async def received(sessions: SessionFactory, kind: str) -> int:
    """Đơn of this kind the database holds as received."""
    async with sessions() as session:
        query = (
            select(func.count())
            .select_from(Petition)
            .where(Petition.kind == kind, col(Petition.received_at).is_not(None))
        )
        return int((await session.exec(query)).one())


async def test_an_official_picks_a_quarter_and_reads_the_figures_the_database_holds(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    unit = await a_quarter_of_work(assistant, sessions, clock)
    cookie = await official(sessions, clock)
    await receive_the_denunciation(desk, sessions, cookie)

    opened = await desk.get("/desk/bao-cao", headers=jar(cookie))
    html = await opened.text()
    assert opened.status == 200
    assert '<a href="/desk/bao-cao">Báo cáo</a>' in html  # in the desk's menu
    for choice in ("Tháng", "Quý", "6 tháng", "Cả năm", "Từ ngày"):
        assert f">{choice}" in html

    response = await desk.get(PICK_QUARTER, headers=jar(cookie))
    html = await response.text()
    assert response.status == 200
    assert "Xã Minh Hòa: từ ngày 01/10/2026 đến ngày 25/11/2026" in html
    assert "Kỳ báo cáo từ ngày 01/10/2026 đến ngày 31/12/2026 chưa kết thúc" in html
    # The page's figures are the rows in the database.
    found = tables_of(html)
    by_kind = {row[0]: row for row in found["Bảng 2. Tiếp nhận, xử lý đơn thư theo loại đơn"]}
    assert by_kind["Khiếu nại"][2] == str(await received(sessions, "khieu_nai")) == "2"
    assert by_kind["Tố cáo"][2] == str(await received(sessions, "to_cao")) == "1"
    assert by_kind["Kiến nghị"][2:5] == ["1", "1", "1"]  # received, total, resolved
    async with sessions() as session:
        people_received = (await session.exec(select(func.sum(Booking.group_size)))).one()
    reception = {row[0]: row for row in found["Bảng 1. Kết quả tiếp công dân"]}
    assert reception["Tổng số"][1:3] == ["3", str(people_received)]
    months = found["Bảng 9. Diễn biến theo tháng"]
    assert months == [["10/2026", "2", "3"], ["11/2026", "1", "1"], ["Tổng số", "3", "4"]]
    # The same figures the reports module computes, paragraph for paragraph.
    async with sessions() as session:
        report = await build(session, unit, QUARTER, date(2026, 11, 25))
    for paragraph in paragraphs(report):
        assert paragraph in html
    assert len(found) == len(tables(report))

    chart = await desk.get(f"/desk/bao-cao/{unit}/20261001-20261231.png", headers=jar(cookie))
    assert chart.status == 200 and chart.content_type == "image/png"
    assert (await chart.read()).startswith(b"\x89PNG\r\n\x1a\n")
    assert f'src="/desk/bao-cao/{unit}/20261001-20261231.png"' in html

    workbook_link = f"/desk/bao-cao/{unit}/20261001-20261231.xlsx"
    document_link = f"/desk/bao-cao/{unit}/20261001-20261231.docx"
    assert workbook_link in html and document_link in html
    got = await desk.get(workbook_link, headers=jar(cookie))
    assert got.status == 200
    assert 'filename="bao-cao-20261001-20261231.xlsx"' in got.headers["Content-Disposition"]
    book = load_workbook(BytesIO(await got.read()))
    sheet = book["Đơn thư theo loại"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["Khiếu nại"][2] == 2 and rows["Tố cáo"][2] == 1 and rows["Kiến nghị"][4] == 1
    assert book["Tiếp công dân"].cell(1, 1).value == "Xã Minh Hòa: Kết quả tiếp công dân"

    got = await desk.get(document_link, headers=jar(cookie))
    assert got.status == 200
    document = Document(BytesIO(await got.read()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert paragraphs(report)[1] in text
    assert any(shape.type is not None for shape in document.inline_shapes)  # the chart
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Khiếu nại" in cells

    async with sessions() as session:
        downloads = await audit.entries(session, "report.download")
    assert [(entry.target, (entry.after or {})["file"]) for entry in downloads] == [
        (f"unit:{unit}", "xlsx"),
        (f"unit:{unit}", "docx"),
    ]
    assert {(entry.after or {})["from"] for entry in downloads} == {"2026-10-01"}


async def test_a_denouncers_name_is_on_no_report_page_or_file(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    unit = await a_quarter_of_work(assistant, sessions, clock)
    for who in ("Xã Minh Hòa", "Tỉnh mẫu"):
        role = access.ADMIN if who == "Tỉnh mẫu" else access.OFFICIAL
        cookie = await official(sessions, clock, who, role, chat=who)
        html = await (await desk.get(PICK_QUARTER + f"&don_vi={unit}", headers=jar(cookie))).text()
        assert "Xã Minh Hòa: từ ngày 01/10/2026" in html
        name, phone = DENUNCIATION[0], DENUNCIATION[1]
        for leak in (name, phone, phone.replace(" ", "")):
            assert leak not in html
        for extension in ("xlsx", "docx"):
            got = await desk.get(
                f"/desk/bao-cao/{unit}/20261001-20261231.{extension}", headers=jar(cookie)
            )
            assert got.status == 200
            if extension == "xlsx":
                book = load_workbook(BytesIO(await got.read()))
                texts_in = [
                    str(value)
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for value in row
                    if value is not None
                ]
            else:
                document = Document(BytesIO(await got.read()))
                texts_in = [p.text for p in document.paragraphs] + [
                    cell.text
                    for table in document.tables
                    for row in table.rows
                    for cell in row.cells
                ]
            everything = "\n".join(texts_in)
            assert "Tố cáo" in everything
            assert name not in everything and phone.replace(" ", "") not in everything


async def test_another_units_official_is_refused_and_no_session_gets_the_login_page(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    unit = await a_quarter_of_work(assistant, sessions, clock)
    elsewhere = await official(sessions, clock, "Xã Minh Hải", chat="hai")
    own = await desk.get("/desk/bao-cao", headers=jar(elsewhere))
    own_html = await own.text()
    assert own.status == 200 and "Xã Minh Hải: từ ngày" in own_html
    # Minh Hòa is not in the Minh Hải official's unit picker.
    assert "Xã Minh Hòa" not in own_html
    addresses = [
        f"{PICK_QUARTER}&don_vi={unit}",
        *(f"/desk/bao-cao/{unit}/20261001-20261231.{ext}" for ext in ("xlsx", "docx", "png")),
    ]
    for address in addresses:
        refused = await desk.get(address, headers=jar(elsewhere))
        assert refused.status == 403, address
        assert "Không có quyền xem trang này" in await refused.text()
        nobody = await desk.get(address)
        assert nobody.status == 401 and "/dangnhap" in await nobody.text()
        citizen = await desk.get(address, headers={"Cookie": "dccs_session=citizen"})
        assert citizen.status == 401
    # Typed bytes in the address are refused, never written to the audit log (PostgreSQL
    # refuses a NUL in text).
    forged = await desk.get(f"/desk/bao-cao/{unit}/%00.xlsx", headers=jar(elsewhere))
    assert forged.status == 403
    typed = await desk.get("/desk/bao-cao?don_vi=%00", headers=jar(elsewhere))
    assert typed.status == 404 and "Không có trang này" in await typed.text()
    async with sessions() as session:
        denied = await audit.entries(session, "access.denied")
        downloads = await audit.entries(session, "report.download")
    assert len(denied) == len(addresses) + 1 and downloads == []
    assert all("bao-cao" in (entry.target or "") for entry in denied)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("?ky=khoang&tu=2026-11-20&den=2026-10-01", "Ngày bắt đầu (20/11/2026) đang sau ngày"),
        ("?ky=quy&quy=1&nam=2027", "Kỳ báo cáo bắt đầu từ 01/01/2027, chưa tới"),
        ("?ky=thang&thang=12&nam=2026", "Kỳ báo cáo bắt đầu từ 01/12/2026, chưa tới"),
        ("?ky=khoang&tu=2001-01-01&den=2026-11-01", "Kỳ báo cáo dài quá"),
        ("?ky=khoang&tu=hôm qua&den=", "Ngày không hợp lệ"),
        ("?ky=khoang&tu=31/02/2026&den=01/03/2026", "Ngày không hợp lệ"),
        ("?ky=tuan", "Kỳ báo cáo không hợp lệ"),
        ("?ky=quy&quy=5&nam=2026", "Kỳ báo cáo không hợp lệ"),
        ("?ky=nam&nam=1999", "Năm báo cáo phải từ 2000 đến 2026"),
        ("?ky=nam&nam=%C2%B2", "Năm báo cáo phải từ 2000 đến 2026"),
        ("/2/20261201-20261231.xlsx", "Kỳ báo cáo bắt đầu từ 01/12/2026, chưa tới"),
        ("/2/20261130-20261001.docx", "Ngày bắt đầu (30/11/2026) đang sau ngày"),
        ("/2/00010101-99991231.png", "Kỳ báo cáo dài quá"),
        ("/2/2026-11.xlsx", "Ngày không hợp lệ"),
    ],
)
async def test_an_impossible_period_gets_a_vietnamese_message_never_an_error(
    desk: Client, sessions: SessionFactory, clock: FixedClock, address: str, message: str
) -> None:
    await setup_units(sessions, clock)
    cookie = await official(sessions, clock, "Tỉnh mẫu", access.ADMIN)
    unit = await unit_of(sessions, "Xã Minh Hòa")
    response = await desk.get(
        f"/desk/bao-cao{address.replace('/2/', f'/{unit}/')}", headers=jar(cookie)
    )
    html = await response.text()
    assert response.status == 400, html
    assert message in html and 'role="alert"' in html
    assert "Tải bảng số liệu" not in html  # no figures for a period that cannot be reported


async def test_the_chat_answers_with_the_figures_and_a_link_to_the_desk_page(
    desk: Client, sessions: SessionFactory, clock: FixedClock, seeded: None
) -> None:
    await setup_units(sessions, clock)
    settings = AssistantSettings(public_url=PUBLIC)
    assistant = Assistant(sessions, KnowledgeBase(refresh_seconds=0), clock, settings)
    unit = await unit_of(sessions, "Xã Minh Hòa")
    await receptions(sessions, unit, "dinh_ky", date(2026, 7, 8), [2], "attended")
    chat = Chat(assistant, "officer")
    async with sessions() as session, session.begin():
        code = await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="test",
            role=access.OFFICIAL,
            unit_id=unit,
        )
    await chat.say(code)
    answer = await chat.press("staff:rp:quy-truoc")
    assert answer.text.startswith("Từ ngày 01/07/2026 đến ngày 30/09/2026, tổng số lượt tiếp")
    link = f"{PUBLIC}/desk/bao-cao?don_vi={unit}&ky=khoang&tu=2026-07-01&den=2026-09-30"
    assert link in answer.text and "/dangnhap" in answer.text
    assert answer.no_preview and answer.attachments == ()
    assert "/api/reports" not in answer.text
    # The link opens the same report on the desk, for the official signed in there.
    async with sessions() as session:
        identity = await people.identity(session, "web", "officer")
        assert identity is not None
        [role] = await people.active_roles(session, identity.person_id)
    assert role.unit_id == unit
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, identity.person_id, clock.now(), "t", "t", PUBLIC)
        assert url is not None
        cookie = await login.spend(session, url.split("?t=")[1], clock.now(), None)
    assert cookie is not None
    page = await desk.get(link.removeprefix(PUBLIC), headers=jar(cookie))
    html = await page.text()
    assert page.status == 200 and "Xã Minh Hòa: từ ngày 01/07/2026 đến ngày 30/09/2026" in html
    assert answer.text.split("\n\n")[0] in html
    # The old cookie download address is gone.
    gone = await desk.get(f"/api/reports/{unit}/20260701-20260930.xlsx")
    assert gone.status == 404


async def test_an_admin_picks_any_unit_and_an_official_only_their_own_and_those_below(
    desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await official(sessions, clock, "Xã Minh Hải", access.ADMIN, chat="admin")
    province = await official(sessions, clock, "Tỉnh mẫu", chat="province")
    commune = await official(sessions, clock, "Xã Minh Hòa", chat="commune")

    async def picker(cookie: str) -> list[str]:
        html = await (await desk.get("/desk/bao-cao", headers=jar(cookie))).text()
        start = html.index('id="don_vi"')
        options = html[start : html.index("</select>", start)]
        return re.findall(r'<option value="\d+"(?: selected)?>([^<]+)</option>', options)

    async with sessions() as session:
        every = [unit.name for unit in await people.units(session)]
    assert sorted(await picker(admin)) == sorted(every)
    assert (await picker(admin))[0] == "Xã Minh Hải"  # their own unit first
    assert (await picker(province))[0] == "Tỉnh mẫu" and set(await picker(province)) == set(every)
    assert await picker(commune) == ["Xã Minh Hòa"]
