"""What a user walk of the desk found, each told as the official met it: an account without a
name signing the registers with a number, a group's name refused in the walk-in form in the
chat's words, a roster that named a receiver nobody chose and hid "Ai tiếp, việc gì", moving
a session without its weekday or a word about a day off, and deadlines moved off a weekend
without saying why, with a plan import page in English."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from aiohttp import FormData
from markupsafe import escape
from openpyxl import load_workbook
from sqlmodel import select

from bot.demo import DEMO_OFFICIAL, load_demo
from db import audit, people
from db.engine import SessionFactory
from db.models import Deadline, Person, ReceptionSession
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.desk.deadline_forms import SAMPLE_SHEET
from tests.test_access import msg, setup_units
from tests.test_desk import Client, csrf_of, jar, page, post, signed_in, staff
from tests.test_desk import desk as desk  # the fixture, used by name
from tests.test_desk_calendar import ONE_OFF, WALK_IN, actions, book_denunciation, walk_in
from tests.test_desk_calendar import unit_id as unit_of
from tests.test_reception import add_calendar, the_session

MY_NAME = "/desk/ten-cua-toi"
BANNER = f'action="{MY_NAME}"'


async def name_of(sessions: SessionFactory, person_id: int) -> str | None:
    async with sessions() as session:
        person = await session.get(Person, person_id)
    assert person is not None
    return person.display_name


async def test_an_official_without_a_name_is_asked_for_it_on_every_page_and_names_only_themself(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    nameless = await staff(assistant, sessions, clock, "officer")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, nameless)
    for path in ("/desk/don", "/desk/tiep-cong-dan", "/desk/han-bao-cao", "/desk/bao-cao"):
        status, html = await page(desk, cookie, path)
        assert status == 200 and BANNER in html and "Tên của anh/chị" in html, path
        assert f"Tài khoản #{nameless}" in html
    status, html = await post(desk, cookie, MY_NAME, {"ten": " x "})
    assert status == 400 and texts.DESK_BAD_NAME in html and BANNER in html
    assert await name_of(sessions, nameless) is None
    # The form names the signed-in account only: another id sent along changes nothing.
    typed = {"ten": "Nguyễn   Văn An", "nguoi": str(colleague), "id": str(colleague)}
    status, html = await post(desk, cookie, MY_NAME, typed)
    assert status == 200 and texts.DESK_MY_NAME_SAVED.format(name="Nguyễn Văn An") in html
    assert BANNER not in html
    assert await name_of(sessions, nameless) == "Nguyễn Văn An"
    assert await name_of(sessions, colleague) == "Trần Thị B"
    async with sessions() as session:
        entries = await audit.entries(session, "person.rename")
    [renamed] = [entry for entry in entries if entry.target == f"person:{nameless}"]
    assert renamed.actor == f"person:{nameless}"
    assert renamed.before == {"name": None} and renamed.after == {"name": "Nguyễn Văn An"}
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan")
    assert BANNER not in html and "Nguyễn Văn An" in html
    # Someone named already is never asked.
    other = await signed_in(desk, sessions, clock, colleague)
    assert BANNER not in (await page(desk, other, "/desk/don"))[1]
    # Reloading the form's address goes back to the desk.
    reloaded = await desk.get(MY_NAME, headers=jar(cookie), allow_redirects=False)
    assert reloaded.status == 303 and reloaded.headers["Location"] == "/desk/don"


async def test_the_demos_official_has_a_name_for_the_registers(
    sessions: SessionFactory, clock: FixedClock, assistant: Assistant
) -> None:
    code = await load_demo(sessions, clock)
    await assistant.dispatch(msg(code, chat="newcomer"))
    async with sessions() as session:
        identity = await people.identity(session, "web", "newcomer")
        assert identity is not None
        person = await session.get(Person, identity.person_id)
        roles = await people.active_roles(session, identity.person_id)
    assert person is not None and person.display_name == DEMO_OFFICIAL
    assert [grant.role for grant in roles] == [access.OFFICIAL]


async def test_a_group_name_with_one_person_asks_for_the_count_in_the_desks_words(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    unit = await unit_of(sessions)
    # The label's own example, with "Số người đến" left at 1.
    status, html = await post(desk, cookie, WALK_IN, walk_in(unit, ten="Tổ dân phố 3"))
    assert status == 400 and str(escape(texts.WALK_IN_GROUP_NEEDS_COUNT)) in html
    assert "gõ lại" not in html.lower()
    status, html = await post(desk, cookie, WALK_IN, walk_in(unit, ten="An"))
    assert status == 400 and texts.WALK_IN_BAD_NAME in html and "gõ lại" not in html.lower()
    group = walk_in(unit, ten="Tổ dân phố 3", so_nguoi="4")
    status, html = await post(desk, cookie, WALK_IN, group)
    assert status == 200 and "Kiểm tra trước khi lưu" in html


async def test_a_roster_says_chua_chon_until_someone_receives_and_shows_ai_tiep_viec_gi(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    cookie = await signed_in(desk, sessions, clock, officer)
    unit = await unit_of(sessions)
    # A session added on the desk with what "Ai tiếp, việc gì" says and nobody's account.
    once = {
        "don_vi": str(unit),
        "hinh_thuc": "dot_xuat",
        "ngay": "2026-12-10",
        "bat_dau": "14:00",
        "ket_thuc": "16:30",
        "dia_diem": "Hội trường thôn Đông",
        "chu_tri": "Phó Chủ tịch UBND xã, việc đất đai thôn Đông",
        "nguoi_tiep": "",
        "so_cho": "20",
        "xac_nhan": "1",
    }
    status, html = await post(desk, cookie, ONE_OFF, once)
    assert status == 200 and "Đã thêm buổi tiếp" in html
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan")
    assert "Phó Chủ tịch UBND xã, việc đất đai thôn Đông" in html
    # The imported session names its receiver without an account.
    assert "Lê Văn Bình, Chủ tịch UBND xã" in html
    assert "Người chủ trì" not in html and "Người tiếp" in html
    item = await the_session_on(sessions, date(2026, 12, 2))
    roster = f"/desk/tiep-cong-dan/{item.id}"
    status, html = await page(desk, cookie, roster)
    assert status == 200 and '<option value="" selected>Chưa chọn</option>' in html
    assert "Lê Văn Bình, Chủ tịch UBND xã" in html and "Người chủ trì" not in html
    status, html = await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(chairman)})
    assert status == 200 and f'<option value="{chairman}" selected>' in html
    assert '<option value="" selected>' not in html
    status, html = await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": ""})
    assert status == 200 and '<option value="" selected>Chưa chọn</option>' in html
    assert (await the_session_on(sessions, date(2026, 12, 2))).receiver_person_id is None
    changes = await actions(sessions, "reception.receiver_set")
    assert changes == [{"receiver": chairman}, {"receiver": None}]
    # Once a tố cáo is booked, only an admin changes who receives, clearing included.
    await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(chairman)})
    await book_denunciation(assistant)
    status, html = await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": ""})
    assert status == 409 and texts.DESK_RECEIVER_ADMIN_ONLY in html
    assert (await the_session_on(sessions, date(2026, 12, 2))).receiver_person_id == chairman


async def the_session_on(sessions: SessionFactory, day: date) -> ReceptionSession:
    async with sessions() as session:
        found = (await session.exec(select(ReceptionSession))).all()
    [item] = [i for i in found if i.starts_at.date() == day]
    return item


async def test_moving_a_session_names_the_weekday_and_warns_of_a_day_off(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    item = await the_session(sessions)
    move = f"/desk/tiep-cong-dan/{item.id}/doi"
    reason = "Chủ tịch xã đi họp tỉnh đột xuất"
    cases = {
        "2026-12-05": "ngày 05/12/2026 là Thứ Bảy",
        "2026-12-06": "ngày 06/12/2026 là Chủ nhật",
        "2027-01-01": "ngày 01/01/2027 là ngày nghỉ lễ, Tết",
    }
    for day, said in cases.items():
        typed = {"ngay": day, "gio": "07:30", "ly_do": reason}
        status, html = await post(desk, cookie, move, typed)
        assert status == 200 and "Xác nhận: dời buổi tiếp" in html, day
        assert f"Lưu ý: {said}, không phải ngày làm việc" in html, day
    typed = {"ngay": "2026-12-03", "gio": "07:30", "ly_do": reason}
    status, html = await post(desk, cookie, move, typed)
    assert "Thứ Năm 03/12/2026, 07:30–11:00" in html and "Lưu ý" not in html
    # Nobody has booked: no "0 người".
    assert "Chưa có ai đặt lịch." in html and "0 người" not in html
    status, html = await post(desk, cookie, move, {**typed, "xac_nhan": "1"})
    assert status == 200 and "0 người" not in html
    assert "Đã dời buổi tiếp sang Thứ Năm 03/12/2026, 07:30–11:00; chưa có ai đặt lịch." in html


async def test_a_deadline_moved_off_a_sunday_says_why(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    unit = await unit_of(sessions)
    async with sessions() as session, session.begin():
        session.add(
            Deadline(
                title="Báo cáo công tác dân vận tháng 12",
                unit_id=unit,
                due_date=date(2026, 12, 20),
                created_at=clock.now(),
            )
        )
    said = "18/12/2026 (ngày 20/12/2026 là Chủ nhật, hạn chuyển lên ngày làm việc trước)"
    status, html = await page(desk, cookie, "/desk/han-bao-cao")
    assert status == 200 and f"lần hạn tới chưa nộp: {said}" in html
    assert "(ngày 20/12/2026 là Chủ nhật, hạn chuyển lên ngày làm việc trước)" in html
    typed = {
        "ten": "Báo cáo tổng kết năm",
        "don_vi": str(unit),
        "kieu": "once",
        "ngay": "2026-12-20",
        "ngay_nghi": "before",
    }
    status, html = await post(desk, cookie, "/desk/han-bao-cao/them", typed)
    assert status == 200 and f"Lần hạn tới: {said}." in html


async def test_the_plan_import_page_speaks_vietnamese_and_its_sample_file_imports_as_it_is(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, "/desk/han-bao-cao/nhap")
    assert status == 200 and "dccs deadlines import" not in html
    assert "(tên việc)" not in html and 'href="/desk/han-bao-cao/nhap/mau.xlsx"' in html
    for key, meaning in texts.PLAN_COLUMNS.items():
        assert f"<code>{key}</code>" in html and str(escape(meaning)) in html
    sample = await desk.get("/desk/han-bao-cao/nhap/mau.xlsx", headers=jar(cookie))
    assert sample.status == 200 and "attachment" in sample.headers["Content-Disposition"]
    raw = await sample.read()
    sheet = load_workbook(BytesIO(raw))[SAMPLE_SHEET]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == list(texts.PLAN_COLUMNS)
    # The sample, uploaded back unchanged, is the official's own plan.
    form = FormData()
    form.add_field("csrf", csrf_of(html))
    form.add_field("tep", raw, filename="ke-hoach.xlsx")
    response = await desk.post("/desk/han-bao-cao/nhap", data=form, headers=jar(cookie))
    assert response.status == 200
    assert texts.DESK_DEADLINE_IMPORTED.format(added=2, updated=0) in await response.text()
    async with sessions() as session:
        titles = {d.title for d in (await session.exec(select(Deadline))).all()}
    assert titles == {texts.PLAN_SAMPLE_YEARLY, texts.PLAN_SAMPLE_ONCE}
