"""The desk's Hạn báo cáo forms (add, edit, delete, import, undo "đã nộp"), the Kho câu hỏi
pages (a new entry from a gap, the chat's preview, the diff of a change, export and import),
and what a spent login link, a revoked account and a stale form say."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

import pytest
import yaml
from aiohttp import FormData
from openpyxl import Workbook
from sqlmodel import select

from db import audit, people
from db.engine import SessionFactory
from db.models import Deadline, DeadlineDone, KbEntryRow, UnansweredQuestion
from handlers import access
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.desk import login
from handlers.kb import files as kb_files
from tests.test_access import setup_units
from tests.test_desk import (
    PUBLIC,
    Client,
    add_deadline,
    jar,
    link_token,
    sign_in,
    signed_in,
    staff,
)
from tests.test_desk import (
    desk as desk_fixture,  # noqa: F401  (the fixture, registered as desk_fixture)
)
from tests.test_desk import page as desk_page
from tests.test_desk import post as desk_post
from tests.test_petitions import Chat

DEADLINES = "/desk/han-bao-cao"


async def page(desk: Client, cookie: str, path: str) -> tuple[int, str]:
    """A desk page, its text as a person reads it (quotes unescaped)."""
    status, body = await desk_page(desk, cookie, path)
    return status, unescape(body)


async def post(
    desk: Client, cookie: str, path: str, data: dict[str, str], csrf: bool = True
) -> tuple[int, str]:
    status, body = await desk_post(desk, cookie, path, data, csrf)
    return status, unescape(body)


@pytest.fixture
def desk(desk_fixture: Client) -> Client:  # noqa: F811
    """The desk's own test server (tests/test_desk.py)."""
    return desk_fixture


def unit_option(html: str, name: str) -> str:
    found = re.search(rf'<option value="(\d+)"[^>]*>{name}</option>', html)
    assert found, name
    return found.group(1)


async def upload(desk: Client, cookie: str, path: str, name: str, body: bytes) -> tuple[int, str]:
    """Choose a file and press "Nạp tệp"."""
    form = FormData()
    form.add_field("csrf", login.csrf_token(cookie))
    form.add_field("tep", BytesIO(body), filename=name, content_type="application/octet-stream")
    response = await desk.post(path, data=form, headers=jar(cookie))
    return response.status, unescape(await response.text())


async def active_deadlines(sessions: SessionFactory) -> dict[str, Deadline]:
    async with sessions() as session:
        rows = (await session.exec(select(Deadline))).all()
    return {row.title: row for row in rows if row.active}


async def actions(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return [entry.action for entry in await audit.entries(session)]


async def test_an_official_adds_a_quarterly_deadline_by_choices_edits_it_and_deletes_it(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, f"{DEADLINES}/them")
    assert status == 200 and "Hằng quý, vào tháng thứ… của quý, ngày…" in html
    # Every rule is a choice: nothing asks for a code such as quarterly:3:18.
    assert "quarterly:" not in html and "monthly:" not in html
    unit = unit_option(html, "Xã Minh Hòa")
    report = {
        "ten": "Báo cáo quý công tác dân chủ cơ sở",
        "can_cu": "Kế hoạch 12/KH-UBND",
        "don_vi": unit,
        "kieu": "quarterly",
        "thang_quy": "3",
        "ngay_quy": "18",
        "ngay_nghi": "before",
    }
    # 31 April does not exist: said in words, nothing saved.
    status, html = await post(
        desk,
        cookie,
        f"{DEADLINES}/them",
        {**report, "kieu": "yearly", "ngay_nam": "31", "thang_nam": "4"},
    )
    assert status == 400 and "Tháng 4 không có ngày 31" in html
    assert await active_deadlines(sessions) == {}
    # Today is Wednesday 25/11/2026: the next 18th of a quarter's last month is Fri 18/12.
    status, html = await post(desk, cookie, f"{DEADLINES}/them", report)
    assert status == 200 and 'Đã thêm hạn "Báo cáo quý công tác dân chủ cơ sở"' in html
    assert "ngày 18 tháng cuối quý" in html and "Lần hạn tới: 18/12/2026" in html
    assert "Còn 23 ngày" in html
    added = (await active_deadlines(sessions))["Báo cáo quý công tác dân chủ cơ sở"]
    assert added.recurrence == "quarterly:3:18" and added.basis == "Kế hoạch 12/KH-UBND"
    assert "deadline.added" in await actions(sessions)
    # The same title twice in one unit would double every reminder.
    status, html = await post(desk, cookie, f"{DEADLINES}/them", report)
    assert status == 400 and "đã có một hạn tên" in html

    edit_path = f"{DEADLINES}/{added.id}"
    status, html = await page(desk, cookie, edit_path)
    assert status == 200 and 'value="quarterly" checked' in html
    assert re.search(r'id="ngay_quy".*?<option value="18" selected>', html, re.S)
    # Monthly on the 5th: Saturday 05/12 moves back to Friday 04/12.
    monthly = {**report, "kieu": "monthly", "ngay_thang": "5"}
    status, html = await post(desk, cookie, edit_path, monthly)
    assert status == 200 and "Đã lưu hạn" in html and "Lần hạn tới: 04/12/2026" in html
    async with sessions() as session:
        edited = await session.get(Deadline, added.id)
        [change] = await audit.entries(session, "deadline.edited")
    assert edited is not None and edited.recurrence == "monthly:5"
    assert change.actor == f"person:{officer}"

    # Another commune's official can neither open, change nor delete it (and is audited).
    other = await signed_in(desk, sessions, clock, elsewhere)
    assert (await page(desk, other, edit_path))[0] == 403
    assert (await post(desk, other, edit_path, {**monthly, "ngay_thang": "9"}))[0] == 403
    assert (await post(desk, other, f"{edit_path}/xoa", {"xac_nhan": "1"}))[0] == 403
    async with sessions() as session:
        refused = await audit.entries(session, "access.denied")
    assert len([e for e in refused if e.actor_person_id == elsewhere]) == 3

    # Deleting asks first; going back keeps it.
    status, html = await post(desk, cookie, f"{edit_path}/xoa", {})
    assert status == 200 and "Xác nhận: xoá hạn" in html and "Quay lại, không xoá" in html
    assert "Báo cáo quý công tác dân chủ cơ sở" in await active_deadlines(sessions)
    status, html = await post(desk, cookie, f"{edit_path}/xoa", {"xac_nhan": "1"})
    assert status == 200 and 'Đã xoá hạn "Báo cáo quý công tác dân chủ cơ sở"' in html
    assert await active_deadlines(sessions) == {}
    assert "deadline.deleted" in await actions(sessions)
    assert (await page(desk, cookie, edit_path))[0] == 403


async def test_an_official_imports_a_plan_and_fixes_only_the_row_it_names(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer")
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, f"{DEADLINES}/nhap")
    assert status == 200 and "<code>recurrence</code>" in html and "mau.xlsx" in html
    plan = [
        {
            "title": "Báo cáo 6 tháng công tác tiếp công dân",
            "unit": "Xã Minh Hòa",
            "recurrence": "half_yearly:05/05,05/11",
        },
        {"title": "Báo cáo tháng", "unit": "Xã Minh Hòa", "recurrence": "monthly:40"},
        {"title": "Báo cáo tổng kết năm", "unit": "Xã Minh Hòa", "due": "15/12/2026"},
        {"title": "Báo cáo của xã bên", "unit": "Xã Minh Hải", "due": "15/12/2026"},
    ]
    body = yaml.safe_dump(plan, allow_unicode=True).encode()
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "ke-hoach.yaml", body)
    assert status == 200 and "Đã thêm 2 hạn, cập nhật 0 hạn đã có." in html
    assert "2 hạn chưa nạp" in html
    assert "Hạn thứ 2: Cách lặp 'monthly:40' chưa đúng." in html
    assert "Hạn thứ 4: đơn vị không thuộc phạm vi anh/chị quản lý." in html
    assert set(await active_deadlines(sessions)) == {
        "Báo cáo 6 tháng công tác tiếp công dân",
        "Báo cáo tổng kết năm",
    }
    # The fixed file again: the rows already there are updated, not doubled.
    plan[1]["recurrence"] = "monthly:20"
    body = yaml.safe_dump(plan[:3], allow_unicode=True).encode()
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "ke-hoach.yaml", body)
    assert status == 200 and "Đã thêm 1 hạn, cập nhật 2 hạn đã có." in html
    assert len(await active_deadlines(sessions)) == 3
    async with sessions() as session:
        imported = await audit.entries(session, "deadline.imported")
    assert [(e.after or {}).get("refused") for e in imported] == [2, 0] or [
        (e.after or {}).get("refused") for e in imported
    ] == [0, 2]
    # A file that is not YAML says where, and changes nothing.
    status, html = await upload(
        desk, cookie, f"{DEADLINES}/nhap", "hong.yaml", b"- title: [chua dong\n"
    )
    assert status == 400 and "Tệp hong.yaml" in html and "không đúng cú pháp YAML" in html
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "hong.xlsx", b"PK not excel")
    assert status == 400 and "không phải bảng tính Excel" in html
    # The same plan as a workbook (sheet "deadlines"), as `dccs deadlines import` reads it.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "deadlines"
    sheet.append(["title", "unit", "due", "recurrence"])
    sheet.append(["Báo cáo sơ kết quý", "Xã Minh Hòa", None, "quarterly:3:15"])
    sheet.append(["Báo cáo hè", "Xã Minh Hòa", "31/02/2027", None])
    saved = BytesIO()
    book.save(saved)
    status, html = await upload(
        desk, cookie, f"{DEADLINES}/nhap", "ke-hoach.xlsx", saved.getvalue()
    )
    assert status == 200 and "Đã thêm 1 hạn" in html and "Hạn thứ 2: 'due' phải có dạng" in html
    assert "Báo cáo sơ kết quý" in await active_deadlines(sessions)
    huge = b"# " + b"x" * 1_100_000 + b"\n"
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "lon.yaml", huge)
    assert status == 413 and "Tệp lớn quá 1 MB" in html
    assert len(await active_deadlines(sessions)) == 4
    # A few KB that unpack to thousands of rows are refused at the limit, nothing added.
    bomb = Workbook()
    rows = bomb.active
    assert rows is not None
    rows.title = "deadlines"
    rows.append(["title", "unit", "due"])
    for number in range(1500):
        rows.append([f"Hạn số {number}", "Xã Minh Hòa", "15/12/2026"])
    packed = BytesIO()
    bomb.save(packed)
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "bom.xlsx", packed.getvalue())
    assert status == 400 and "Tệp có hơn 1000 dòng" in html
    many = yaml.safe_dump(
        [{"title": f"Hạn {n}", "unit": "Xã Minh Hòa", "due": "15/12/2026"} for n in range(1001)]
    ).encode()
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "nhieu.yaml", many)
    assert status == 400 and "Tệp có hơn 1000 dòng" in html
    # 200 000 rows packed into about 70 KB, in a sheet without a size (openpyxl would read it
    # whole before its first row): refused before it is read.
    packed_rows = unsized_workbook(200_000)
    assert len(packed_rows) < 200_000
    status, html = await upload(desk, cookie, f"{DEADLINES}/nhap", "bom2.xlsx", packed_rows)
    assert status == 400 and "khi mở ra lớn hơn 10 MB" in html
    assert len(await active_deadlines(sessions)) == 4


async def test_an_official_marks_a_report_done_by_mistake_and_takes_it_back(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    deadline = await add_deadline(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    day = {"ngay": "2026-12-04"}
    status, html = await post(desk, cookie, f"{DEADLINES}/{deadline}/xong", day)
    assert status == 200 and "Bỏ đánh dấu" in html
    other = await signed_in(desk, sessions, clock, elsewhere)
    assert (await post(desk, other, f"{DEADLINES}/{deadline}/bo-xong", day))[0] == 403
    clock.advance(timedelta(minutes=2))
    status, html = await post(desk, cookie, f"{DEADLINES}/{deadline}/bo-xong", day)
    assert status == 200 and "Đã bỏ đánh dấu đã nộp" in html and "Đánh dấu đã nộp" in html
    async with sessions() as session:
        assert (await session.exec(select(DeadlineDone))).all() == []
        [undone] = await audit.entries(session, "deadline.undone")
    assert undone.target == f"{deadline}:04/12/2026" and undone.actor_person_id == officer
    assert (undone.before or {})["done_at"].startswith("2026-11-25")
    status, html = await post(desk, cookie, f"{DEADLINES}/{deadline}/bo-xong", day)
    assert status == 409 and "chưa được đánh dấu đã nộp" in html


CAT_QUESTION = "Nhà tôi nuôi chó thả rông ngoài đường thì xã có phạt không?"
CAT_ANSWER = (
    "Thả rông chó ở nơi công cộng có thể bị xử phạt vi phạm hành chính. Anh/chị báo trưởng "
    "thôn hoặc công an xã để được hướng dẫn cụ thể."
)


async def test_an_admin_turns_a_citizens_question_into_an_entry_and_the_citizen_gets_it(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen")
    first = await citizen.say(CAT_QUESTION)
    assert CAT_ANSWER not in first.text
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    officer = await staff(assistant, sessions, clock, "officer")
    boss = await signed_in(desk, sessions, clock, admin)
    status, html = await page(desk, boss, "/desk/kho-cau-hoi")
    found = re.search(r'href="/desk/kho-cau-hoi/moi\?khoang=(\d+)"', html)
    assert status == 200 and found and "Tạo mục từ câu hỏi này" in html
    gap = found.group(1)
    status, html = await page(desk, boss, f"/desk/kho-cau-hoi/moi?khoang={gap}")
    assert status == 200 and f">{CAT_QUESTION}</textarea>" in html
    entry = {
        "khoang": gap,
        "topic": "Nuôi chó thả rông",
        "group": "Đời sống ở thôn",
        "status": "published",
        "questions": f"{CAT_QUESTION}\nThả rông chó có bị phạt không?",
        "answer": CAT_ANSWER,
        "sources": "Nghị định | 90/2017/NĐ-CP | Điều 5",
    }
    async with sessions() as session:
        before = len((await session.exec(select(KbEntryRow.id))).all())
    # The preview is the chat's own answer, citation included; it saves nothing.
    status, html = await post(desk, boss, "/desk/kho-cau-hoi/moi", {**entry, "viec": "xem"})
    assert status == 200 and CAT_ANSWER in html
    assert "Căn cứ: Điều 5 Nghị định 90/2017/NĐ-CP." in html
    async with sessions() as session:
        assert len((await session.exec(select(KbEntryRow.id))).all()) == before
    status, html = await post(
        desk, boss, "/desk/kho-cau-hoi/moi", {**entry, "viec": "xem", "sources": "Nghị định"}
    )
    assert status == 400 and "chưa đúng dạng" in html
    stranger = await signed_in(desk, sessions, clock, officer)
    assert (await post(desk, stranger, "/desk/kho-cau-hoi/moi", entry))[0] == 403
    status, html = await post(desk, boss, "/desk/kho-cau-hoi/moi", {**entry, "viec": "luu"})
    assert status == 200 and "Đã tạo mục nuoi-cho-tha-rong" in html
    async with sessions() as session:
        question = await session.get(UnansweredQuestion, int(gap))
        [added] = await audit.entries(session, "kb.add")
    assert question is not None and question.resolved_at is not None
    assert added.actor == f"person:{admin}"
    assert "Tạo mục từ câu hỏi này" not in (await page(desk, boss, "/desk/kho-cau-hoi"))[1]
    again = await citizen.say(CAT_QUESTION)
    assert CAT_ANSWER in again.text and "90/2017/NĐ-CP" in again.text


async def test_an_entrys_history_shows_the_words_a_change_removed_and_added(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    boss = await signed_in(desk, sessions, clock, admin)
    async with sessions() as session:
        row = (await session.exec(select(KbEntryRow).order_by(KbEntryRow.id))).first()
    assert row is not None
    path = f"/desk/kho-cau-hoi/{row.id}"
    edit = {
        "topic": row.topic,
        "group": row.group_name,
        "questions": "\n".join(row.questions),
        "answer": row.answer.rstrip(".") + " tại bộ phận một cửa.",
        "sources": "\n".join(f"{s['law']} | {s['number']} | {s['article']}" for s in row.sources),
        "status": "published",
    }
    status, html = await post(desk, boss, path, edit)
    assert status == 200 and "Đã lưu" in html and f'href="{path}/lich-su"' in html
    status, html = await page(desk, boss, f"{path}/lich-su")
    assert status == 200 and "Sửa: Phạm Thị D, 09:00 25/11/2026" in html
    assert '<th scope="row">Câu trả lời</th>' in html
    assert re.search(
        r"<ins><span class=\"visually-hidden\">\[thêm: </span>[^<]*tại bộ phận một cửa", html
    )
    # Only the answer changed: no other field is listed for this change.
    change = html.split("Sửa: Phạm Thị D")[1]
    assert '<th scope="row">Cách hỏi</th>' not in change.split("</section>")[0]


async def test_the_knowledge_base_exported_imports_back_and_a_bad_file_names_each_entry(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    boss = await signed_in(desk, sessions, clock, admin)
    exported = await desk.get("/desk/kho-cau-hoi/xuat", headers=jar(boss))
    assert exported.status == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    body = await exported.read()
    # The seed format `dccs kb import` reads: every entry, nothing lost.
    entries = kb_files.parse(body, "yaml", "kho.yaml")
    async with sessions() as session:
        rows = (await session.exec(select(KbEntryRow))).all()
    assert {entry.id for entry in entries} == {row.id for row in rows}
    status, html = await upload(desk, boss, "/desk/kho-cau-hoi/nhap", "kho.yaml", body)
    assert status == 200 and "Thêm mới: 0; Cập nhật: 0; Không đổi: " in html
    data = yaml.safe_load(body)
    data[0]["answer"] = data[0]["answer"] + " Bổ sung từ tệp."
    data[1]["answer"] = "Ngắn"
    del data[2]["sources"]
    broken = yaml.safe_dump(data, allow_unicode=True).encode()
    status, html = await upload(desk, boss, "/desk/kho-cau-hoi/nhap", "kho.yaml", broken)
    assert status == 400 and "chưa nạp mục nào" in html
    assert "Mục 2, cột answer:" in html and "Mục 3, cột sources:" in html
    async with sessions() as session:
        first = await session.get(KbEntryRow, data[0]["id"])
    assert first is not None and "Bổ sung từ tệp." not in first.answer
    fixed = yaml.safe_dump(data[:1], allow_unicode=True).encode()
    status, html = await upload(desk, boss, "/desk/kho-cau-hoi/nhap", "kho.yaml", fixed)
    assert status == 200 and "Cập nhật: 1" in html
    async with sessions() as session:
        first = await session.get(KbEntryRow, data[0]["id"])
        imported = await audit.entries(session, "kb.import")
    assert first is not None and first.answer.endswith("Bổ sung từ tệp.")
    assert [entry.actor for entry in imported if entry.actor != "seed"] == [f"person:{admin}"]


async def test_a_spent_link_says_so_when_opened_and_spends_nothing(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    person = await staff(assistant, sessions, clock, "officer")
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
    assert url is not None
    token = link_token(url)
    cookie = await sign_in(desk, token)
    failed_before = (await actions(sessions)).count("desk.link_failed")
    opened = await desk.get(f"/desk/dang-nhap?t={token}")
    html = await opened.text()
    assert opened.status == 410 and "đã được dùng hoặc đã hết hạn" in html
    assert "/dangnhap" in html and 'action="/desk/dang-nhap"' not in html
    # Opening it spends nothing and is no failed login.
    assert (await actions(sessions)).count("desk.link_failed") == failed_before
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
    assert url is not None
    clock.advance(timedelta(minutes=11))
    late = await desk.get(f"/desk/dang-nhap?t={link_token(url)}")
    assert late.status == 410 and "đã được dùng hoặc đã hết hạn" in await late.text()

    # A form from an earlier session is refused with what to do.
    clock.advance(timedelta(minutes=-11))
    stale = await post(desk, cookie, "/desk/dang-xuat", {"csrf": "0" * 40}, csrf=False)
    assert stale[0] == 403 and "biểu mẫu đã cũ" in stale[1] and "F5" in stale[1]
    # A revoked account's session ends with its last role; its link says why it cannot
    # sign in again, and who can give a role back.
    async with sessions() as session, session.begin():
        url = await login.issue_link(session, person, clock.now(), "test", "chat", PUBLIC)
        [grant] = await people.active_roles(session, person)
        assert grant.id is not None and url is not None
        await access.revoke(session, grant.id, clock.now(), "test")
    status, html = await page(desk, cookie, "/desk/don")
    assert status == 401 and "vai trò của anh/chị bị thu hồi" in html
    pressed = await desk.post("/desk/dang-nhap", data={"t": link_token(url)})
    text = await pressed.text()
    assert pressed.status == 400 and "không còn vai trò cán bộ" in text and "mã mời" in text


def unsized_workbook(rows: int) -> bytes:
    """An XLSX written by hand, its sheet without a <dimension> (as a crafted file may be)."""
    cell = '<c t="inlineStr"><is><t>{}</t></is></c>'
    row = "<row>" + cell.format("Hạn") + cell.format("Xã Minh Hòa") + "</row>"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{kinds}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="deadlines" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{row * rows}</sheetData></worksheet>'
        ),
    }
    packed = BytesIO()
    with ZipFile(packed, "w", ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return packed.getvalue()
