"""The staff desk: signing in from a chat link, the đơn queue and a case's page, the role
matrix over every desk route, CSRF, and a denouncer kept out of every page and search."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import col, select

from bot.desk.routes import ROUTES
from bot.retention import Retention
from bot.server import create_app
from bot.settings import Settings
from db import audit, people
from db.engine import SessionFactory, create_engine, session_factory
from db.models import (
    Booking,
    Deadline,
    DeskSession,
    KbEntryRow,
    OneTimeCode,
    Outbox,
    Person,
    Petition,
    PetitionEvent,
    ReceptionSchedule,
    ReceptionSession,
)
from handlers import access, texts
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.deadlines.reminders import reminder_key
from handlers.desk import login
from handlers.faq.knowledge import KnowledgeBase
from handlers.reception.schedule import import_calendar
from handlers.staff.menu import desk_link
from tests.test_access import setup_units
from tests.test_cli import add_official_on_telegram, run
from tests.test_petitions import COMPLAINT, DENUNCIATION, Chat, code_of, file
from tests.test_reception import ONE_OFF, add_calendar, the_session
from tests.test_reception import Chat as ReceptionChat

PUBLIC = "https://troly.xaminhhoa.example"
Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def desk(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[Client]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0, public_url=PUBLIC
    )
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as client:
        yield client


async def staff(
    assistant: Assistant,
    sessions: SessionFactory,
    clock: FixedClock,
    chat: str,
    role: str = access.OFFICIAL,
    unit: str = "Xã Minh Hòa",
    name: str | None = None,
) -> int:
    """A staff account that redeemed its invite in a private chat; its person id."""
    async with sessions() as session, session.begin():
        found = await people.unit_by_code_or_name(session, unit)
        assert found is not None
        code = await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="test",
            role=role,
            unit_id=found.id,
            name=name,
        )
    await Chat(assistant, chat).say(code)
    async with sessions() as session:
        identity = await people.identity(session, "web", chat)
    assert identity is not None
    return identity.person_id


def link_token(text: str) -> str:
    found = re.search(r"/desk/dang-nhap\?t=([A-Za-z0-9_-]+)", text)
    assert found, text
    return found.group(1)


async def sign_in(desk: Client, token: str) -> str:
    """Open the link and press "Đăng nhập": the desk cookie."""
    opened = await desk.get(f"/desk/dang-nhap?t={token}")
    assert opened.status == 200 and "Đăng nhập" in await opened.text()
    pressed = await desk.post("/desk/dang-nhap", data={"t": token}, allow_redirects=False)
    assert pressed.status == 303 and pressed.headers["Location"] == "/desk/don"
    cookie = pressed.cookies["dccs_desk"]
    desk.session.cookie_jar.clear()
    return cookie.value


async def signed_in(desk: Client, sessions: SessionFactory, clock: FixedClock, person: int) -> str:
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "test", PUBLIC)
    assert url is not None
    return await sign_in(desk, link_token(url))


def jar(cookie: str) -> dict[str, str]:
    return {"Cookie": f"dccs_desk={cookie}"}


def form_nonce(html: str) -> str:
    """The invite form's one-time number (a reload of its answer makes no second code)."""
    found = re.search(r'name="lan" value="([A-Za-z0-9_-]+)"', html)
    assert found
    return found.group(1)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


async def page(desk: Client, cookie: str, path: str) -> tuple[int, str]:
    response = await desk.get(path, headers=jar(cookie))
    return response.status, await response.text()


async def post(
    desk: Client, cookie: str, path: str, data: dict[str, str], csrf: bool = True
) -> tuple[int, str]:
    if csrf:
        _, html = await page(desk, cookie, "/desk/don")
        data = {**data, "csrf": csrf_of(html)}
    response = await desk.post(path, data=data, headers=jar(cookie), allow_redirects=False)
    return response.status, await response.text()


async def test_an_official_gets_a_one_time_link_in_the_chat_and_signs_in_with_the_button(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    officer = Chat(assistant, "officer")
    menu = await officer.press("staff:menu")
    assert (texts.DESK_OPEN_BUTTON, "staff:desk") in [(b.label, b.payload) for b in menu.buttons]
    # In the chat the link needs the public address the assistant itself does not know.
    reply = await officer.say("/dangnhap")
    assert reply.text == texts.DESK_NO_URL
    async with sessions() as session, session.begin():
        actor = await access.actor_for(session, "web", "officer", None, True, clock.now())
        sent = await desk_link(session, actor, clock.now(), PUBLIC)
    assert sent.no_preview and sent.to_json()["no_preview"] is True
    assert f"{PUBLIC}/desk/dang-nhap?t=" in sent.text and "10 phút" in sent.text
    token = link_token(sent.text)
    # A preview or a crawler opening the link spends nothing: it still works afterwards.
    for _ in range(3):
        assert (await desk.get(f"/desk/dang-nhap?t={token}")).status == 200
    cookie_response = await desk.post("/desk/dang-nhap", data={"t": token}, allow_redirects=False)
    set_cookie = cookie_response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    assert "Secure" not in set_cookie
    cookie = cookie_response.cookies["dccs_desk"].value
    desk.session.cookie_jar.clear()
    status, html = await page(desk, cookie, "/desk/don")
    assert status == 200 and "Trần Thị B" in html and "Đơn thư" in html
    queue = await desk.get("/desk/don", headers=jar(cookie))
    assert "frame-ancestors 'none'" in queue.headers["Content-Security-Policy"]
    # The link is spent: a second press fails, and is audited.
    again = await desk.post("/desk/dang-nhap", data={"t": token}, allow_redirects=False)
    assert again.status == 400 and "đã được dùng" in await again.text()
    async with sessions() as session:
        actions = [entry.action for entry in await audit.entries(session)]
    assert {"desk.link_issued", "desk.login", "desk.link_failed"} <= set(actions)


async def test_a_link_expires_after_10_minutes_and_a_session_after_30_idle_minutes(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    person = await staff(assistant, sessions, clock, "officer")
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
    assert url is not None
    clock.advance(timedelta(minutes=10, seconds=1))
    late = await desk.post("/desk/dang-nhap", data={"t": link_token(url)}, allow_redirects=False)
    assert late.status == 400
    cookie = await signed_in(desk, sessions, clock, person)
    clock.advance(timedelta(minutes=29))
    assert (await page(desk, cookie, "/desk/don"))[0] == 200
    clock.advance(timedelta(minutes=29))
    assert (await page(desk, cookie, "/desk/don"))[0] == 200
    clock.advance(timedelta(minutes=31))
    status, html = await page(desk, cookie, "/desk/don")
    assert status == 401 and "/dangnhap" in html


async def test_logout_ends_the_session_and_a_form_without_its_token_is_refused(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    person = await staff(assistant, sessions, clock, "officer")
    cookie = await signed_in(desk, sessions, clock, person)
    status, _ = await post(desk, cookie, "/desk/dang-xuat", {}, csrf=False)
    assert status == 403
    status, _ = await post(desk, cookie, "/desk/dang-xuat", {"csrf": "0" * 40}, csrf=False)
    assert status == 403
    assert (await page(desk, cookie, "/desk/don"))[0] == 200
    status, html = await post(desk, cookie, "/desk/dang-xuat", {})
    assert status == 200 and "Đã đăng xuất" in html
    assert (await page(desk, cookie, "/desk/don"))[0] == 401
    async with sessions() as session:
        refused = [e.target for e in await audit.entries(session, "access.denied")]
    assert refused == ["csrf desk:POST /desk/dang-xuat"] * 2


async def test_the_command_line_prints_a_link_audited_as_issued_there(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Xã Minh Hòa, kind: xa}\n", encoding="utf-8")
    run(["units", "import", str(units)], cli_env)
    invited = run(
        ["users", "invite", "--role", "official", "--unit", "Xã Minh Hòa", "--name", "Trần Thị B"],
        cli_env,
    )
    assert "Mã mời: " in invited.stdout
    database = Path(cli_env["DCCS_DATA_DIR"]) / "dccs.sqlite3"
    await add_official_on_telegram(database)
    without_address = run(["users", "login-link", "1"], cli_env, check=False)
    assert without_address.returncode == 2 and "DCCS_PUBLIC_URL" in without_address.stderr
    env = {**cli_env, "DCCS_PUBLIC_URL": PUBLIC + "/"}
    printed = run(["users", "login-link", "1"], env).stdout.strip()
    assert printed.startswith(f"{PUBLIC}/desk/dang-nhap?t=") and len(printed) > len(PUBLIC) + 50
    assert run(["users", "login-link", "99"], env, check=False).returncode == 1
    run(["users", "rename", "1", "Lê Văn Cường"], cli_env)
    assert "1\tLê Văn Cường\tofficial\tXã Minh Hòa" in run(["users", "list"], cli_env).stdout
    engine = create_engine(f"sqlite:///{database}")
    async with session_factory(engine)() as session:
        issued = await audit.entries(session, "desk.link_issued")
        renamed = await audit.entries(session, "person.rename")
    await engine.dispose()
    assert [(e.actor, (e.after or {}).get("via")) for e in issued] == [("cli", "cli")]
    assert [(e.actor, (e.after or {}).get("name")) for e in renamed] == [("cli", "Lê Văn Cường")]


async def add_deadline(sessions: SessionFactory, clock: FixedClock) -> int:
    """A one-off report due Fri 04/12/2026 for Xã Minh Hòa."""
    async with sessions() as session, session.begin():
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert unit is not None and unit.id is not None
        deadline = Deadline(
            title="Báo cáo công tác tiếp công dân tháng 11",
            basis="Kế hoạch 45/KH-UBND",
            unit_id=unit.id,
            due_date=date(2026, 12, 4),
            created_at=clock.now(),
        )
        session.add(deadline)
        await session.flush()
        assert deadline.id is not None
        return deadline.id


async def petition_ids(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        rows = (await session.exec(select(Petition.kind, Petition.id))).all()
    return {kind: number for kind, number in rows if number is not None}


async def test_an_official_finds_a_complaint_by_phone_and_closes_it_with_a_result(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen", channel="telegram")
    code = code_of(await file(citizen, "khieu_nai", COMPLAINT))
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, "/desk/don")
    assert status == 200 and code in html and "Nguyễn Văn An" not in html
    for typed in ("0912345678", "0912 345 678", "+84912345678", "nguyen van an", code.lower()):
        status, html = await page(desk, cookie, f"/desk/don?tim={typed}")
        assert code in html, typed
    status, html = await page(desk, cookie, "/desk/don?tim=0999999999")
    assert code not in html and "Không có đơn nào khớp" in html
    number = (await petition_ids(sessions))["khieu_nai"]
    case = f"/desk/don/{number}"
    status, html = await page(desk, cookie, case)
    assert status == 200
    for label in ("Quyết định, hành vi bị khiếu nại", "Yêu cầu giải quyết", "Nguyễn Văn An"):
        assert label in html
    assert (await post(desk, cookie, f"{case}/buoc", {"buoc": "take"}))[0] == 200
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "recv"})
    assert status == 200 and "đã tiếp nhận" in html
    # Thụ lý cannot be undone: the first press asks, the second does it.
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "acc"})
    assert status == 200 and "không hoàn tác được" in html and "Xác nhận: Thụ lý" in html
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "acc", "xac_nhan": "1"})
    assert status == 200 and "25/12/2026" in html
    result = "Huỷ quyết định xử phạt số 12/QĐ-XPHC; hoàn trả tiền phạt"
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "da_giai_quyet"})
    assert status == 400 and "Chưa ghi kết quả giải quyết." in html
    status, html = await post(
        desk, cookie, f"{case}/buoc", {"buoc": "da_giai_quyet", "ghi_chu": result, "xac_nhan": "1"}
    )
    assert status == 200 and "đã giải quyết" in html
    # Closing a khiếu nại records its result for the report.
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "close", "xac_nhan": "1"})
    assert status == 400 and texts.PT_VERDICT_NEEDED in html
    status, html = await post(
        desk, cookie, f"{case}/buoc", {"buoc": "close", "ket_qua": "2", "xac_nhan": "1"}
    )
    assert status == 200 and "đã đóng" in html
    assert "Kết quả giải quyết: Đúng một phần" in html
    # The history names the official and shows the result; no account number.
    assert "Trần Thị B" in html and "hoàn trả tiền phạt" in html and "person:" not in html
    async with sessions() as session:
        history = (await session.exec(select(PetitionEvent.status))).all()
        pushes = (await session.exec(select(Outbox).where(Outbox.chat_id == "citizen"))).all()
    assert list(history) == ["dang_ky", "tiep_nhan", "dang_giai_quyet", "da_giai_quyet", "dong"]
    assert any("hoàn trả tiền phạt" in push.reply["text"] for push in pushes)
    # A finished step pressed again (a reload re-posting the form) changes nothing.
    status, _ = await post(desk, cookie, f"{case}/buoc", {"buoc": "close", "xac_nhan": "1"})
    assert status == 409


def history_rows(html: str) -> list[tuple[str, str]]:
    """(Việc, Ghi chú) of each line of the case's history."""
    found = re.findall(
        r'<td data-label="Việc">([^<]*)</td><td data-label="Ghi chú" class="text">([^<]*)</td>',
        html,
    )
    return [(what, note) for what, note in found]


def due_cell(html: str) -> str:
    found = re.search(r"<dt>Hạn xử lý</dt><dd>(.*?)</dd>", html)
    assert found, html
    return re.sub(r"<[^>]+>", "", found.group(1))


async def test_an_official_records_a_cases_field_and_reads_its_summary_in_parts(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen", channel="telegram"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    # The queue's status filter keeps "UBND" in capitals.
    _, html = await page(desk, cookie, "/desk/don")
    assert "Đã đăng ký trực tuyến, chờ UBND ghi nhận" in html and "chờ ubnd" not in html
    case = f"/desk/don/{(await petition_ids(sessions))['khieu_nai']}"
    # The summary the chat joined with " | " reads as labelled parts.
    _, html = await page(desk, cookie, case)
    assert " | " not in html
    assert f"<strong>Yêu cầu giải quyết:</strong> {COMPLAINT[6]}" in html
    # Lĩnh vực, from the chat's list, audited as the chat's step is.
    assert "<dd>Chưa ghi lĩnh vực</dd>" in html and '<option value="0"' in html
    status, html = await post(desk, cookie, f"{case}/linh-vuc", {"linh_vuc": "99"})
    assert status == 400 and texts.DESK_FIELD_PICK in html
    status, html = await post(desk, cookie, f"{case}/linh-vuc", {"linh_vuc": "1"})
    assert status == 200 and "<dd>Xây dựng, nhà ở</dd>" in html
    assert '<option value="1" selected>' in html
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
        [recorded] = await audit.entries(session, "petition.field")
    assert petition.field == "xay_dung" and recorded.actor_person_id == officer


async def test_a_case_page_says_thu_ly_keeps_what_was_typed_and_shows_the_result_chosen(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen", channel="telegram"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    case = f"/desk/don/{(await petition_ids(sessions))['khieu_nai']}"
    for step in ("take", "recv"):
        await post(desk, cookie, f"{case}/buoc", {"buoc": step})
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "acc", "xac_nhan": "1"})
    # Thụ lý is written as such; the đơn stands "đang giải quyết".
    assert history_rows(html)[-1][0] == "đã thụ lý"
    assert "<dt>Trạng thái</dt><dd>đang giải quyết</dd>" in html
    assert due_cell(html) == "25/12/2026 (còn 30 ngày, dự kiến)"
    # A web form's label, and an empty result says what is missing.
    label = "Kết quả giải quyết (gửi cho người gửi đơn)"
    assert f">{label}</label>" in html and "Gõ " not in html
    status, html = await post(desk, cookie, f"{case}/buoc", {"buoc": "da_giai_quyet"})
    assert status == 400 and "Chưa ghi kết quả giải quyết." in html
    assert texts.PT_ASK_NOTE["da_giai_quyet"] not in html
    # Going back from the confirmation keeps what was typed.
    result = "Huỷ quyết định xử phạt số 12/QĐ-XPHC; hoàn trả tiền phạt"
    typed = {"buoc": "da_giai_quyet", "ghi_chu": result}
    status, html = await post(desk, cookie, f"{case}/buoc", typed)
    assert "Quay lại, không làm gì" in html and 'name="quay_lai" value="1"' in html
    status, html = await post(desk, cookie, f"{case}/buoc", {**typed, "quay_lai": "1"})
    assert status == 200 and f">{result}</textarea>" in html
    status, html = await post(desk, cookie, f"{case}/buoc", {**typed, "xac_nhan": "1"})
    # Resolved: the due date stays, its countdown goes.
    assert status == 200 and due_cell(html) == "25/12/2026"
    # The result chosen at closing is on the confirmation, kept by "Quay lại", and on the case.
    close = {"buoc": "close", "ket_qua": "2"}
    status, html = await post(desk, cookie, f"{case}/buoc", close)
    assert "Kết quả giải quyết: <strong>Đúng một phần</strong>" in html
    status, html = await post(desk, cookie, f"{case}/buoc", {**close, "quay_lai": "1"})
    assert 'value="2" required checked>' in html
    status, html = await post(desk, cookie, f"{case}/buoc", {**close, "xac_nhan": "1"})
    assert status == 200 and due_cell(html) == "25/12/2026"
    assert "<dt>Kết quả giải quyết</dt><dd>Đúng một phần</dd>" in html
    assert history_rows(html)[-1] == ("đã đóng", "Kết quả giải quyết: Đúng một phần")


async def test_the_handler_corrects_the_receipt_date_with_a_reason_never_in_the_future(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Lê Văn C")
    cookie = await signed_in(desk, sessions, clock, officer)
    other = await signed_in(desk, sessions, clock, colleague)
    case = f"/desk/don/{(await petition_ids(sessions))['khieu_nai']}"
    await post(desk, cookie, f"{case}/buoc", {"buoc": "take"})
    await post(desk, cookie, f"{case}/buoc", {"buoc": "recv"})
    reason = "Đơn giấy nhận tại bộ phận một cửa, nhập máy muộn"
    status, html = await post(
        desk, cookie, f"{case}/ngay-nhan", {"ngay": "2026-11-26", "ly_do": reason}
    )
    assert status == 409 and "không được sau hôm nay" in html
    status, html = await post(
        desk, cookie, f"{case}/ngay-nhan", {"ngay": "2026-11-20", "ly_do": "x"}
    )
    assert status == 409 and "Cần ghi lý do" in html
    status, html = await post(
        desk, other, f"{case}/ngay-nhan", {"ngay": "2026-11-20", "ly_do": reason}
    )
    assert status == 409 and "Chỉ người được giao xử lý" in html
    status, html = await post(
        desk, cookie, f"{case}/ngay-nhan", {"ngay": "20/11/2026", "ly_do": reason}
    )
    # Received Fri 20/11/2026: 10 days -> Mon 30/11/2026 (Luật Khiếu nại Điều 27).
    assert status == 200 and "Đã sửa ngày nhận đơn" in html and "30/11/2026" in html
    assert "Sửa ngày nhận đơn thực tế: 20/11/2026 (trước đây 25/11/2026)" in html
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
        [changed] = await audit.entries(session, "petition.received_date")
    assert str(petition.due_date) == "2026-11-30"
    assert changed.after is not None and changed.after["reason"] == reason


async def test_a_colleague_is_given_a_case_and_a_denunciation_only_by_an_admin_with_a_reason(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Lê Văn C")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    ids = await petition_ids(sessions)
    cookie = await signed_in(desk, sessions, clock, officer)
    complaint, denunciation = f"/desk/don/{ids['khieu_nai']}", f"/desk/don/{ids['to_cao']}"
    status, html = await post(desk, cookie, f"{complaint}/giao", {"nguoi": str(colleague)})
    assert status == 200 and "Lê Văn C" in html
    status, html = await post(desk, cookie, f"{denunciation}/giao", {"nguoi": str(colleague)})
    assert status == 409 and texts.PT_TAKE_REFUSED in html
    boss = await signed_in(desk, sessions, clock, admin)
    status, html = await post(desk, boss, f"{denunciation}/giao", {"nguoi": str(colleague)})
    assert status == 409 and "Lý do" in html
    reason = "Đồng chí C phụ trách địa chính, đúng lĩnh vực"
    status, html = await post(
        desk, boss, f"{denunciation}/giao", {"nguoi": str(colleague), "ly_do": reason}
    )
    assert status == 200
    async with sessions() as session:
        assigned = await audit.entries(session, "petition.assigned")
        told = (await session.exec(select(Outbox.chat_id, Outbox.reply))).all()
    assert [(e.after or {}).get("reason") for e in assigned] == [None, reason]
    assert [chat for chat, reply in told if "được giao xử lý đơn" in reply["text"]] == [
        "colleague",
        "colleague",
    ]
    # Never to a person the tố cáo names.
    colleague_cookie = await signed_in(desk, sessions, clock, colleague)
    marking = f"{denunciation}/bi-to-cao"
    status, html = await post(desk, colleague_cookie, marking, {"nguoi": str(officer)})
    assert status == 200 and "Xác nhận: đánh dấu cán bộ bị tố cáo" in html
    assert (await page(desk, cookie, denunciation))[0] == 200
    # A handler cannot shut the admins out of the case (they alone can take it back).
    case_html = (await page(desk, colleague_cookie, denunciation))[1]
    accusable = case_html.split('id="bi-to-cao"')[1].split("</select>")[0]
    assert f'<option value="{officer}">' in accusable
    assert f'<option value="{admin}">' not in accusable
    refused = {"nguoi": str(admin), "xac_nhan": "1"}
    status, html = await post(desk, colleague_cookie, marking, refused)
    assert status == 409 and texts.ACCUSED_ADMIN_ONLY in html
    status, html = await post(
        desk, colleague_cookie, marking, {"nguoi": str(officer), "xac_nhan": "1"}
    )
    assert status == 200
    async with sessions() as session:
        assert len(await audit.entries(session, "petition.accused_refused")) == 1
    status, html = await post(
        desk, boss, f"{denunciation}/giao", {"nguoi": str(officer), "ly_do": reason}
    )
    assert status == 409
    assert (await page(desk, cookie, denunciation))[0] == 403


async def test_a_denouncer_is_on_no_desk_page_or_search_but_the_handlers(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler = await staff(assistant, sessions, clock, "handler", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Lê Văn C")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    number = (await petition_ids(sessions))["to_cao"]
    boss = await signed_in(desk, sessions, clock, admin)
    reason = "Đồng chí B được phân công theo dõi đơn tố cáo"
    await post(desk, boss, f"/desk/don/{number}/giao", {"nguoi": str(handler), "ly_do": reason})
    # The denouncer's account carries their name (as a Telegram account would) and a line of
    # the history is theirs (a "xem xét lại" they pressed).
    async with sessions() as session, session.begin():
        petition = await session.get(Petition, number)
        assert petition is not None and petition.person_id is not None
        person = await session.get(Person, petition.person_id)
        assert person is not None
        person.display_name = "Trần Thị Bình"
        session.add(
            PetitionEvent(
                petition_id=number,
                at=clock.now(),
                actor=f"person:{person.id}",
                status="de_nghi_xem_lai",
            )
        )
    searches = ["0987654321", "0987 654 321", "Trần Thị Bình", "tran thi binh", "binh"]
    for cookie in (await signed_in(desk, sessions, clock, colleague), boss):
        for typed in searches:
            status, html = await page(desk, cookie, f"/desk/don?tim={typed}")
            assert status == 200 and "TC-" not in html, typed
        for path in ("/desk/don", f"/desk/don/{number}", "/desk/don?trang_thai=all"):
            status, html = await page(desk, cookie, path)
            assert status == 200
            assert "Trần Thị Bình" not in html and "0987" not in html and "Xóm Bãi" not in html
            assert f"#{petition.person_id}<" not in html
        assert "Người gửi đơn</td>" in (await page(desk, cookie, f"/desk/don/{number}"))[1]
    mine = await signed_in(desk, sessions, clock, handler)
    for typed in searches:
        assert "TC-" in (await page(desk, mine, f"/desk/don?tim={typed}"))[1], typed
    status, html = await page(desk, mine, f"/desk/don/{number}")
    assert "Trần Thị Bình" in html
    # An admin sees the filer only by stating a reason, which is logged.
    status, html = await post(desk, boss, f"/desk/don/{number}/danh-tinh", {"ly_do": "xem"})
    assert "Trần Thị Bình" not in html
    status, html = await post(
        desk, boss, f"/desk/don/{number}/danh-tinh", {"ly_do": "Thanh tra tỉnh đề nghị xác minh"}
    )
    assert status == 200 and "Trần Thị Bình" in html
    async with sessions() as session:
        viewed = await audit.entries(session, "petition.filer_viewed")
    assert [e.actor_person_id for e in viewed] == [handler, admin]


async def test_a_denunciation_of_the_communes_chairman_is_never_shown_to_the_chairman(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chairman = await staff(assistant, sessions, clock, "chairman", name="Phạm Văn D")
    province = await staff(assistant, sessions, clock, "province", unit="Tỉnh mẫu")
    async with sessions() as session, session.begin():
        [grant] = await people.active_roles(session, chairman)
        assert grant.id is not None
        await access.set_leader(session, grant.id, True, clock.now(), "test")
    chat = Chat(assistant, "c6")
    await chat.say("/xa")
    await chat.say("Minh Hoa")
    answers = (*DENUNCIATION[:3], "Ông Phạm Văn D, Chủ tịch UBND xã Minh Hòa", DENUNCIATION[4])
    code = code_of(await file(chat, "to_cao", answers))
    number = (await petition_ids(sessions))["to_cao"]
    above = await signed_in(desk, sessions, clock, province)
    assert code in (await page(desk, above, "/desk/don"))[1]
    leader = await signed_in(desk, sessions, clock, chairman)
    for path in ("/desk/don", f"/desk/don?tim={code}", "/desk/don?trang_thai=all"):
        assert f">{code}</a>" not in (await page(desk, leader, path))[1]
    assert (await page(desk, leader, f"/desk/don/{number}"))[0] == 403


async def test_a_chairman_flagged_after_a_denunciation_of_him_arrived_never_sees_it(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chairman = await staff(assistant, sessions, clock, "chairman", name="Phạm Văn D")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Lê Thị E")
    await staff(assistant, sessions, clock, "province", unit="Tỉnh mẫu")
    chat = Chat(assistant, "c7")
    await chat.say("/xa")
    await chat.say("Minh Hoa")
    answers = (*DENUNCIATION[:3], "Ông Phạm Văn D, Chủ tịch UBND xã Minh Hòa", DENUNCIATION[4])
    code = code_of(await file(chat, "to_cao", answers))
    number = (await petition_ids(sessions))["to_cao"]
    async with sessions() as session:
        [grant] = await people.active_roles(session, chairman)
    boss = await signed_in(desk, sessions, clock, admin)
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/lanh-dao", {"lanh_dao": "1"})
    assert status == 200 and "Đã đánh dấu Phạm Văn D là lãnh đạo Xã Minh Hòa" in html
    assert "Bỏ đánh dấu lãnh đạo" in html
    leader = await signed_in(desk, sessions, clock, chairman)
    assert f">{code}</a>" not in (await page(desk, leader, "/desk/don?trang_thai=all"))[1]
    assert (await page(desk, leader, f"/desk/don/{number}"))[0] == 403
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/lanh-dao", {"lanh_dao": "0"})
    assert status == 200 and "Đã bỏ đánh dấu lãnh đạo của Phạm Văn D" in html
    # The case named whoever led when it was filed: unflagging does not open it to him.
    assert (await page(desk, leader, f"/desk/don/{number}"))[0] == 403
    async with sessions() as session:
        flagged = await audit.entries(session, "role.leader")
    assert [entry.after for entry in flagged] == [{"leader": True}, {"leader": False}]


async def test_every_desk_route_lets_in_only_the_right_people_and_audits_the_others(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    revoked = await staff(assistant, sessions, clock, "gone")
    number = (await petition_ids(sessions))["khieu_nai"]
    deadline = await add_deadline(sessions, clock)
    weekly = {**ONE_OFF, "weekday": "Thứ 5"}
    async with sessions() as session, session.begin():
        await import_calendar(session, {"sessions": [ONE_OFF], "schedules": [weekly]}, clock.now())
    await ReceptionChat(assistant, "booker").book()
    reception = (await the_session(sessions)).id
    assert reception is not None
    async with sessions() as session:
        booking = (await session.exec(select(Booking.id))).one()
        schedule = (await session.exec(select(ReceptionSchedule.id))).one()
        [grant] = await people.active_roles(session, officer)
        entry_id = (await session.exec(select(KbEntryRow.id))).first()
    assert booking is not None and grant.id is not None and schedule is not None
    officer_grant = grant.id
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None and unit.id is not None
    minh_hoa = unit.id
    this_month = f"{clock.now():%Y%m01}-{clock.now():%Y%m%d}"
    async with sessions() as session, session.begin():
        await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="test",
            role="official",
            unit_id=minh_hoa,
        )
        newest = select(OneTimeCode.id).order_by(col(OneTimeCode.id).desc())
        pending_invite = (await session.exec(newest)).first()
    assert pending_invite is not None
    cookies = {
        "official": await signed_in(desk, sessions, clock, officer),
        "admin": await signed_in(desk, sessions, clock, admin),
        "other unit": await signed_in(desk, sessions, clock, elsewhere),
        "revoked": await signed_in(desk, sessions, clock, revoked),
    }
    async with sessions() as session, session.begin():
        [grant] = await people.active_roles(session, revoked)
        assert grant.id is not None
        await access.revoke(session, grant.id, clock.now(), "test")
    await post(desk, cookies["official"], f"/desk/don/{number}/buoc", {"buoc": "recv"})
    chat = await desk.post("/api/chat", json={"text": "xin chao"})
    citizen = chat.cookies["dccs_session"].value
    desk.session.cookie_jar.clear()
    bodies = {
        "buoc": {"buoc": "take"},
        "linh-vuc": {"linh_vuc": "0"},
        "giao": {"nguoi": str(officer)},
        "ngay-nhan": {"ngay": "24/11/2026", "ly_do": "Đơn giấy nhận hôm trước, nhập muộn"},
        "danh-tinh": {"ly_do": "Kiểm tra quyền truy cập"},
        "bi-to-cao": {"nguoi": str(elsewhere)},
        "ten": {"ten": "Trần Thị Bảy"},
        "xong": {"ngay": "2026-12-04"},
        "bo-xong": {"ngay": "2026-12-04"},
        "moi": {"vai_tro": "official", "don_vi": "999", "ten": "Người Mới"},
        "dang-xuat": {},
    }

    def expected(who: str, path: str, admin_only: bool) -> str:
        # A revoked person's desk session ended with their last role.
        if who in ("no session", "citizen", "revoked"):
            return "login"
        if admin_only and who != "admin":
            return "forbidden"
        if who == "other unit" and "{id}" in path and not admin_only:
            return "forbidden"
        return "allowed"

    refused: dict[str, int] = {}
    for who in ("no session", "citizen", "revoked", "other unit", "official", "admin"):
        for method, path, _, admin_only in ROUTES:
            target: int | str = officer if path.startswith("/desk/nguoi-dung") else number
            if path.startswith("/desk/han-bao-cao"):
                target = deadline
            if path.startswith("/desk/vai-tro"):
                target = officer_grant
            if path.startswith("/desk/kho-cau-hoi"):
                target = entry_id or ""
            if path.startswith("/desk/tiep-cong-dan"):
                target = booking if "/luot/" in path else reception
                target = schedule if "/lich/" in path else target
            if path.startswith("/desk/bao-cao"):
                target = minh_hoa
            if path.startswith("/desk/ma-moi"):
                target = pending_invite
            url = path.format(id=target, ky=this_month)
            headers: dict[str, str] = {}
            data: dict[str, str] = {}
            if who == "citizen":
                headers = {"Cookie": f"dccs_session={citizen}"}
            elif who in cookies:
                headers = jar(cookies[who])
                data = {"csrf": login.csrf_token(cookies[who])}
            data.update(bodies.get(url.rsplit("/", 1)[1], {}))
            response = await desk.request(
                method, url, headers=headers, data=data if method == "POST" else None
            )
            # A report's workbook, document and chart are bytes, not a page.
            html = (await response.read()).decode(errors="replace")
            want = expected(who, path, admin_only)
            if want == "login":
                assert response.status == 401 and "/dangnhap" in html, (who, method, url)
            elif want == "forbidden":
                assert response.status == 403 and "Không có quyền" in html, (who, method, url)
                refused[who] = refused.get(who, 0) + 1
            elif method == "GET":
                assert response.status == 200, (who, method, url)
            else:
                assert response.status not in (401, 403), (who, method, url, response.status)
    async with sessions() as session:
        denied = await audit.entries(session, "access.denied")
    by_person = {officer: "official", elsewhere: "other unit", admin: "admin"}
    counted: dict[str, int] = {}
    for entry in denied:
        who = by_person[entry.actor_person_id or 0]
        counted[who] = counted.get(who, 0) + 1
    assert counted == refused
    admin_routes = sum(1 for *_, admin_only in ROUTES if admin_only)
    unit_routes = sum(1 for _, path, _, admin_only in ROUTES if "{id}" in path and not admin_only)
    assert refused == {
        "other unit": admin_routes + unit_routes,
        "official": admin_routes,
    }


async def test_every_desk_form_is_refused_without_its_token(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN)
    number = (await petition_ids(sessions))["khieu_nai"]
    cookie = await signed_in(desk, sessions, clock, admin)
    urls = [
        path.format(id=number if "/don/" in path else admin)
        for method, path, _, _ in ROUTES
        if method == "POST"
    ]
    for url in urls:
        for token in (None, "", login.csrf_token("another session")):
            data = {"buoc": "take", "nguoi": str(admin), "ten": "Tên mới"}
            if token is not None:
                data["csrf"] = token
            response = await desk.post(url, data=data, headers=jar(cookie))
            assert response.status == 403, url
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
    assert petition.handler_person_id is None
    assert (await page(desk, cookie, "/desk/don"))[0] == 200


async def test_dangnhap_in_a_private_chat_sends_the_link_without_a_preview(
    sessions: SessionFactory, clock: FixedClock, seeded: None
) -> None:
    await setup_units(sessions, clock)
    settings = AssistantSettings(public_url=PUBLIC)
    assistant = Assistant(sessions, KnowledgeBase(refresh_seconds=0), clock, settings)
    officer = await staff(assistant, sessions, clock, "officer")
    reply = await Chat(assistant, "officer").say("/dangnhap")
    assert reply.no_preview and f"{PUBLIC}/desk/dang-nhap?t=" in reply.text
    pressed = await Chat(assistant, "officer").press("staff:desk")
    assert pressed.no_preview and link_token(pressed.text) != link_token(reply.text)
    refused = await Chat(assistant, "citizen").say("/dangnhap")
    assert refused.text == texts.FORBIDDEN and "desk" not in refused.text
    async with sessions() as session:
        issued = await audit.entries(session, "desk.link_issued")
    assert [(e.actor_person_id, (e.after or {})["via"]) for e in issued] == [(None, "chat")] * 2
    assert {e.target for e in issued} == {f"person:{officer}"}


async def test_an_official_marks_a_report_done_and_the_page_says_who_and_when(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    deadline = await add_deadline(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    # The clock reminded the official three days ahead (the outbox row it delivered).
    async with sessions() as session, session.begin():
        session.add(
            Outbox(
                channel="web",
                chat_id="officer",
                reply={"text": "Nhắc hạn"},
                dedupe_key=reminder_key(deadline, date(2026, 12, 4), officer, "3d"),
                status="sent",
                available_at=clock.now(),
                sent_at=clock.now(),
                created_at=clock.now(),
            )
        )
    status, html = await page(desk, cookie, "/desk/han-bao-cao")
    assert status == 200 and "Báo cáo công tác tiếp công dân tháng 11" in html
    assert "04/12/2026" in html and "Còn 9 ngày" in html and "Đã nhắc: Trần Thị B" in html
    other = await signed_in(desk, sessions, clock, elsewhere)
    assert "tháng 11" not in (await page(desk, other, "/desk/han-bao-cao"))[1]
    done = {"ngay": "2026-12-04"}
    assert (await post(desk, other, f"/desk/han-bao-cao/{deadline}/xong", done))[0] == 403
    status, html = await post(desk, cookie, f"/desk/han-bao-cao/{deadline}/xong", done)
    assert status == 200 and "Đã ghi nhận hoàn thành" in html
    assert "Trần Thị B, 09:00 25/11/2026" in html and "Đã nộp" in html
    status, html = await post(desk, cookie, f"/desk/han-bao-cao/{deadline}/xong", done)
    assert status == 409


async def test_an_admin_invites_renames_and_revokes_staff_and_reads_the_audit_log(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    boss = await signed_in(desk, sessions, clock, admin)
    async with sessions() as session:
        minh_hoa = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        [other_grant] = await people.active_roles(session, elsewhere)
        [own_grant] = await people.active_roles(session, admin)
    assert minh_hoa is not None
    status, html = await page(desk, boss, "/desk/nguoi-dung")
    assert status == 200 and "Phạm Thị D" in html and "Xã Minh Hải" not in html
    invite = {"vai_tro": "official", "don_vi": str(minh_hoa.id), "ten": "Trần Thị B"}
    invite["lan"] = form_nonce(html)
    status, html = await post(desk, boss, "/desk/nguoi-dung/moi", invite)
    assert status == 200
    found = re.search(r"Mã mời: ([A-Z2-9]{4}-[A-Z2-9]{4})", html)
    assert found
    await Chat(assistant, "newcomer").say(found.group(1))
    status, html = await page(desk, boss, "/desk/nguoi-dung")
    assert "Trần Thị B" in html
    async with sessions() as session:
        identity = await people.identity(session, "web", "newcomer")
        assert identity is not None
        [grant] = await people.active_roles(session, identity.person_id)
    newcomer = await signed_in(desk, sessions, clock, identity.person_id)
    status, html = await post(
        desk, boss, f"/desk/nguoi-dung/{identity.person_id}/ten", {"ten": "Trần Thị Bé"}
    )
    assert status == 200 and "Đã đổi tên thành Trần Thị Bé" in html
    assert "Trần Thị Bé" in (await page(desk, newcomer, "/desk/don"))[1]
    # Revoking asks first, then closes the desk for that person at once.
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/thu-hoi", {})
    assert status == 200 and "Xác nhận thu hồi" in html
    assert (await page(desk, newcomer, "/desk/don"))[0] == 200
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/thu-hoi", {"xac_nhan": "1"})
    assert status == 200 and "Đã thu hồi vai trò cán bộ của Trần Thị Bé" in html
    assert (await page(desk, newcomer, "/desk/don"))[0] == 401
    yes = {"xac_nhan": "1"}
    assert (await post(desk, boss, f"/desk/vai-tro/{other_grant.id}/thu-hoi", yes))[0] == 403
    status, html = await post(desk, boss, f"/desk/vai-tro/{own_grant.id}/thu-hoi", yes)
    assert status == 409 and "không tự thu hồi" in html
    status, html = await page(desk, boss, "/desk/nhat-ky")
    assert status == 200 and "Thu hồi vai trò" in html and "Đổi tên" in html
    assert "Phạm Thị D" in html and "person:" not in html.split("<tbody>")[1].split("<td")[2]
    status, html = await page(desk, boss, "/desk/nhat-ky?loai=person.")
    assert "Đổi tên" in html and "Thu hồi vai trò" not in html


async def test_an_official_records_attendance_and_sends_the_outcome_from_the_roster(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await ReceptionChat(assistant, "citizen-1").book("Đề nghị sửa đường liên thôn bị sạt lở")
    denouncer = ReceptionChat(assistant, "citizen-2")
    offered = await denouncer.press("menu:book")
    await denouncer.press(next(b.payload for b in offered.buttons if b.payload.startswith("rc:s:")))
    await denouncer.press("rc:m:to_cao")
    for typed in ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa"):
        await denouncer.say(typed)
    await denouncer.say("Cán bộ địa chính nhận tiền của người dân")
    await denouncer.say("1")
    await denouncer.press("rc:yes")
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    item = await the_session(sessions)
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan")
    assert status == 200 and "07:30–11:00 02/12/2026" in html and "2/20" in html
    status, html = await page(desk, cookie, f"/desk/tiep-cong-dan/{item.id}")
    assert status == 200 and "Nguyễn Văn An" in html and "0912345678" in html
    assert texts.HIDDEN_DENUNCIATION in html
    assert "Hoàng Văn Dũng" not in html and "nhận tiền" not in html and "0987000111" not in html
    other = await signed_in(desk, sessions, clock, elsewhere)
    assert (await page(desk, other, f"/desk/tiep-cong-dan/{item.id}"))[0] == 403
    async with sessions() as session:
        first = (await session.exec(select(Booking).where(Booking.queue_number == 1))).one()
    step = f"/desk/tiep-cong-dan/luot/{first.id}"
    outcome = "Đã tiếp, chuyển phòng Kinh tế khảo sát trong tháng 12"
    assert (await post(desk, other, step, {"viec": "co_mat", "ket_qua": outcome}))[0] == 403
    # Attendance is recorded from the session's day on (the reports issue's rule).
    status, html = await post(desk, cookie, step, {"viec": "co_mat", "ket_qua": outcome})
    assert "có mặt" not in html.split("<tbody>")[-1].split("</tbody>")[0]
    clock.advance(datetime(2026, 12, 2, 7, 45, tzinfo=VN_TZ) - clock.now())
    cookie = await signed_in(desk, sessions, clock, officer)  # a week on: a new sign-in
    status, html = await post(desk, cookie, step, {"viec": "co_mat", "ket_qua": outcome})
    assert status == 200 and texts.OUTCOME_SAVED in html and "có mặt" in html
    status, html = await post(desk, cookie, step, {"viec": "gui"})
    assert status == 200 and texts.OUTCOME_SENT in html
    async with sessions() as session:
        notices = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).startswith("outcome:")))
        ).all()
    assert [n.chat_id for n in notices] == ["citizen-1"]
    # Cancelling asks first; then everyone booked is told.
    cancel = f"/desk/tiep-cong-dan/{item.id}/huy"
    status, html = await post(desk, cookie, cancel, {})
    assert status == 200 and "không hoàn tác được" in html
    reason = {"xac_nhan": "1", "ly_do": "Chủ tịch xã họp đột xuất"}
    status, html = await post(desk, cookie, cancel, reason)
    # The citizen already received is not told; the one still waiting is.
    assert status == 200 and "Đã huỷ buổi tiếp; 1 người đã đặt lịch được báo tin." in html


async def test_an_official_records_a_walk_in_of_yesterday_without_a_phone_after_a_read_back(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        other = await people.unit_by_code_or_name(session, "Xã Minh Hải")
    assert unit is not None and other is not None
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan/truc-tiep")
    assert status == 200 and 'max="2026-11-25"' in html
    typed = {
        "ngay": "2026-11-24",
        "don_vi": str(unit.id),
        "hinh_thuc": "thuong_xuyen",
        "ten": "Nguyễn Thị Hoa",
        "dien_thoai": "",
        "dia_chi": "Thôn Đông, xã Minh Hòa",
        "loai": "kien_nghi",
        "noi_dung": "Đề nghị lắp đèn đường thôn Đông",
        "so_nguoi": "2",
    }
    path = "/desk/tiep-cong-dan/truc-tiep"
    status, html = await post(desk, cookie, path, {**typed, "ngay": "2026-11-26"})
    assert status == 400 and "không được sau hôm nay" in html
    status, html = await post(desk, cookie, path, {**typed, "don_vi": str(other.id)})
    assert status == 400 and "phạm vi" in html
    status, html = await post(desk, cookie, path, typed)
    assert status == 200 and "Kiểm tra trước khi lưu" in html and "24/11/2026" in html
    assert "không có" in html
    async with sessions() as session:
        assert (await session.exec(select(Booking))).all() == []
    status, html = await post(desk, cookie, path, {**typed, "xac_nhan": "1"})
    assert status == 200 and "Đã ghi vào sổ tiếp công dân: mã TD-" in html
    # Found in a walk: the same confirmed form sent again (a reload, a double click) wrote a
    # second line in the register.
    first_code = html.split("mã TD-")[1][:6]
    status, html = await post(desk, cookie, path, {**typed, "xac_nhan": "1"})
    assert status == 200 and f"mã TD-{first_code}" in html
    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
        item = await session.get(ReceptionSession, booking.session_id)
    assert booking.phone == "" and booking.group_size == 2 and booking.status == "attended"
    assert item is not None and f"{item.starts_at.astimezone(VN_TZ):%d/%m/%Y}" == "24/11/2026"


async def test_an_admin_edits_an_entry_with_live_checks_and_reverts_it(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    officer = await staff(assistant, sessions, clock, "officer")
    boss = await signed_in(desk, sessions, clock, admin)
    status, html = await page(desk, boss, "/desk/kho-cau-hoi?tim=thoi hieu khieu nai")
    assert status == 200
    found = re.search(r'<td data-label="Chủ đề"><a href="/desk/kho-cau-hoi/([a-z0-9_.-]+)"', html)
    assert found
    path = f"/desk/kho-cau-hoi/{found.group(1)}"
    status, html = await page(desk, boss, path)
    assert status == 200 and "Người dân sẽ thấy" in html and "Căn cứ:" in html
    for label in ("Cách hỏi (mỗi dòng một câu, ít nhất 2)", "Câu trả lời (từ 20 đến 900"):
        assert label in html
    async with sessions() as session:
        row = await session.get(KbEntryRow, found.group(1))
    assert row is not None
    sources = "\n".join(f"{s['law']} | {s['number']} | {s['article']}" for s in row.sources)
    edit = {
        "topic": row.topic,
        "group": row.group_name,
        "questions": "\n".join(row.questions),
        "answer": row.answer,
        "sources": sources,
        "status": "published",
    }
    status, html = await post(desk, boss, path, {**edit, "answer": "Quá ngắn"})
    assert status == 400 and "Chưa lưu" in html
    status, html = await post(desk, boss, path, {**edit, "sources": "Luật Khiếu nại"})
    assert status == 400 and "chưa đúng dạng" in html
    status, html = await post(desk, boss, path, {**edit, "answer": row.answer + " Mới thêm."})
    assert status == 200 and "Đã lưu" in html and "Mới thêm." in html and "Phạm Thị D" in html
    revision = re.search(r'name="ban" value="(\d+)"', html)
    assert revision
    status, html = await post(desk, boss, f"{path}/hoan-tac", {"ban": revision.group(1)})
    assert status == 200 and "Đã hoàn tác" in html
    async with sessions() as session:
        back = await session.get(KbEntryRow, found.group(1))
    assert back is not None and back.answer == row.answer
    officer_cookie = await signed_in(desk, sessions, clock, officer)
    assert (await page(desk, officer_cookie, path))[0] == 403


async def test_a_link_posted_from_another_site_is_refused_and_stays_unspent(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    person = await staff(assistant, sessions, clock, "officer")
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
    assert url is not None
    token = link_token(url)
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
        {"Origin": "null"},
    ):
        forged = await desk.post(
            "/desk/dang-nhap", data={"t": token}, headers=headers, allow_redirects=False
        )
        assert forged.status == 403 and "dccs_desk" not in forged.cookies, headers
    # Our own page, which sends no referrer: Chromium says Origin null, Sec-Fetch-Site
    # same-origin.
    own = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    pressed = await desk.post(
        "/desk/dang-nhap", data={"t": token}, headers=own, allow_redirects=False
    )
    assert pressed.status == 303
    desk.session.cookie_jar.clear()
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
    assert url is not None
    token = link_token(url)
    assert await sign_in(desk, token)


async def test_desk_sessions_older_than_retention_are_deleted(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    person = await staff(assistant, sessions, clock, "officer")
    await signed_in(desk, sessions, clock, person)
    clock.advance(timedelta(days=91))
    await Retention(sessions, clock, timedelta(days=90)).purge()
    async with sessions() as session:
        assert (await session.exec(select(DeskSession))).all() == []
        assert await session.get(Person, person) is not None


async def test_reloading_the_page_a_form_answered_goes_back_to_its_page_in_vietnamese(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    person = await staff(assistant, sessions, clock, "officer")
    cookie = await signed_in(desk, sessions, clock, person)
    number = (await petition_ids(sessions))["khieu_nai"]
    reloaded = await desk.get(
        f"/desk/don/{number}/buoc", headers=jar(cookie), allow_redirects=False
    )
    assert reloaded.status == 303 and reloaded.headers["Location"] == f"/desk/don/{number}"
    odd = await desk.get("/desk/don/%3Cx%3E/buoc", headers=jar(cookie), allow_redirects=False)
    assert odd.status == 303 and odd.headers["Location"] == "/desk/don"
    missing = await desk.get("/desk/khong-co", headers=jar(cookie))
    assert missing.status == 404 and "Không có trang này" in await missing.text()
    assert (await desk.delete("/desk/don", headers=jar(cookie))).status == 405
