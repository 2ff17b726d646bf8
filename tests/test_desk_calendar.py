"""Tiếp công dân on the desk: an official keeps the reception calendar (a weekly schedule, a
one-off session, moving and cancelling with a reason, who receives), turns a reception into a
đơn, and records walk-ins without the mistakes a user walk found."""

from __future__ import annotations

from multidict import MultiDict
from sqlmodel import col, select

from db import audit, people
from db.engine import SessionFactory
from db.models import Booking, Outbox, Petition, ReceptionSchedule, ReceptionSession
from handlers import texts
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.reception.schedule import generate
from handlers.working_days import working_calendar
from tests.test_access import setup_units
from tests.test_desk import Client, csrf_of, page, post, signed_in, staff
from tests.test_desk import desk as desk  # the fixture, used by name
from tests.test_reception import ONE_OFF as ONE_OFF_ROW
from tests.test_reception import Chat as ReceptionChat
from tests.test_reception import add_calendar, the_session

WALK_IN = "/desk/tiep-cong-dan/truc-tiep"
WEEKLY = "/desk/tiep-cong-dan/lich/moi"
ONE_OFF = "/desk/tiep-cong-dan/buoi-moi"


async def unit_id(sessions: SessionFactory, name: str = "Xã Minh Hòa") -> int:
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, name)
    assert unit is not None and unit.id is not None
    return unit.id


def walk_in(unit: int, **changes: str) -> dict[str, str]:
    typed = {
        "ngay": "2026-11-24",
        "don_vi": str(unit),
        "hinh_thuc": "thuong_xuyen",
        "ten": "Nguyễn Thị Hoa",
        "dien_thoai": "",
        "dia_chi": "Thôn Đông, xã Minh Hòa",
        "loai": "kien_nghi",
        "noi_dung": "Đề nghị lắp đèn đường thôn Đông",
        "so_nguoi": "1",
    }
    return {**typed, **changes}


async def post_pairs(
    desk: Client, cookie: str, path: str, pairs: list[tuple[str, str]]
) -> tuple[int, str]:
    """A form with a field given several times (the weekdays' checkboxes)."""
    _, html = await page(desk, cookie, "/desk/don")
    form = MultiDict([*pairs, ("csrf", csrf_of(html))])
    response = await desk.post(path, data=form, headers={"Cookie": f"dccs_desk={cookie}"})
    return response.status, await response.text()


async def bookings(sessions: SessionFactory) -> list[Booking]:
    async with sessions() as session:
        return list((await session.exec(select(Booking))).all())


async def notices(sessions: SessionFactory, prefix: str) -> list[Outbox]:
    async with sessions() as session:
        query = select(Outbox).where(col(Outbox.dedupe_key).startswith(prefix))
        return list((await session.exec(query)).all())


async def actions(sessions: SessionFactory, action: str) -> list[dict[str, object]]:
    async with sessions() as session:
        return [entry.after or {} for entry in await audit.entries(session, action)]


async def book_denunciation(assistant: Assistant, chat: str = "citizen-2") -> None:
    denouncer = ReceptionChat(assistant, chat)
    await denouncer.start_booking("to_cao")
    for typed in ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa"):
        await denouncer.say(typed)
    await denouncer.say("Cán bộ địa chính nhận tiền của người dân")
    await denouncer.say("1")
    await denouncer.press("rc:yes")


async def test_an_official_adds_a_weekly_schedule_and_a_one_off_and_sees_their_sessions(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    cookie = await signed_in(desk, sessions, clock, officer)
    unit = await unit_id(sessions)
    status, html = await page(desk, cookie, WEEKLY)
    assert status == 200 and "Lê Văn Bình" in html and "Thứ 5" in html
    typed = {
        "don_vi": str(unit),
        "hinh_thuc": "dinh_ky",
        "bat_dau": "07:30",
        "ket_thuc": "11:00",
        "dia_diem": "Phòng tiếp công dân UBND xã Minh Hòa",
        "chu_tri": "Chủ tịch UBND xã",
        "nguoi_tiep": str(chairman),
        "so_cho": "20",
    }
    # Nothing chosen and no places: each problem is said beside its own field.
    status, html = await post(desk, cookie, WEEKLY, {**typed, "so_cho": "0"})
    assert status == 400
    assert f'id="thu-loi">{texts.CAL_NO_WEEKDAY}' in html
    assert f'id="so_cho-loi">{texts.CAL_BAD_CAPACITY}' in html
    chosen = [("thu", "1"), ("thu", "3"), *typed.items()]
    status, html = await post_pairs(desk, cookie, WEEKLY, chosen)
    assert status == 200 and "Kiểm tra trước khi lưu" in html
    assert "Thứ 3, Thứ 5 hằng tuần" in html and "Lê Văn Bình" in html
    async with sessions() as session:
        assert (await session.exec(select(ReceptionSchedule))).all() == []
    saved = [*chosen, ("xac_nhan", "1")]
    status, html = await post_pairs(desk, cookie, WEEKLY, saved)
    assert status == 200 and "Đã thêm lịch tiếp định kỳ (Thứ 3, Thứ 5)" in html
    assert "Thứ 3 hằng tuần, 07:30–11:00" in html
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan")
    # Today is Wednesday 25/11/2026: the first sessions are Thursday and the next Tuesday.
    assert "07:30–11:00 26/11/2026" in html and "07:30–11:00 01/12/2026" in html
    assert "Lê Văn Bình" in html
    async with sessions() as session:
        made = (await session.exec(select(ReceptionSession))).all()
    assert made and {item.receiver_person_id for item in made} == {chairman}
    assert {item.starts_at.astimezone(VN_TZ).weekday() for item in made} == {1, 3}
    [added] = await actions(sessions, "reception.schedule_added")
    assert added["weekdays"] == [1, 3] and added["receiver_id"] == chairman
    # The confirmed form sent again (a reload, a double click) adds nothing.
    status, html = await post_pairs(desk, cookie, WEEKLY, saved)
    assert status == 200 and texts.CAL_ALREADY in html
    async with sessions() as session:
        assert len((await session.exec(select(ReceptionSchedule))).all()) == 2
        assert len((await session.exec(select(ReceptionSession))).all()) == len(made)

    # A one-off session, from the same kind of form.
    once = {**typed, "hinh_thuc": "dot_xuat", "ngay": "2026-12-10", "bat_dau": "14:00"}
    once["ket_thuc"] = "16:30"
    status, html = await post(desk, cookie, ONE_OFF, {**once, "ngay": "2026-11-20"})
    assert status == 400 and f'id="ngay-loi">{texts.CAL_IN_PAST}' in html
    status, html = await post(desk, cookie, ONE_OFF, once)
    assert status == 200 and "Kiểm tra trước khi lưu buổi tiếp" in html and "10/12/2026" in html
    status, html = await post(desk, cookie, ONE_OFF, {**once, "xac_nhan": "1"})
    assert status == 200 and "Đã thêm buổi tiếp 14:00 10/12/2026" in html
    assert "14:00–16:30 10/12/2026" in html
    status, html = await post(desk, cookie, ONE_OFF, {**once, "xac_nhan": "1"})
    assert status == 200 and texts.CAL_ALREADY in html
    assert len(await actions(sessions, "reception.session_added")) == 1


async def test_an_official_moves_a_session_and_the_booked_citizen_is_told_the_new_time(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await ReceptionChat(assistant, "citizen-1").book()
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    item = await the_session(sessions)
    move = f"/desk/tiep-cong-dan/{item.id}/doi"
    reason = "Chủ tịch xã đi họp huyện đột xuất"
    status, html = await post(desk, cookie, move, {"ngay": "2026-12-04", "gio": "14:00"})
    assert status == 400 and f'id="ly_do-loi">{texts.CAL_BAD_REASON}' in html
    typed = {"ngay": "2026-12-04", "gio": "14:00", "ly_do": reason}
    status, html = await post(desk, cookie, move, typed)
    assert status == 200 and "Xác nhận: dời buổi tiếp" in html
    assert "Thứ Tư 02/12/2026, 07:30–11:00" in html and "Thứ Sáu 04/12/2026, 14:00–17:30" in html
    assert "Lưu ý" not in html
    assert (await the_session(sessions)).starts_at == item.starts_at
    status, html = await post(desk, cookie, move, {**typed, "xac_nhan": "1"})
    assert status == 200
    moved_to = "Đã dời buổi tiếp sang Thứ Sáu 04/12/2026, 14:00–17:30;"
    assert f"{moved_to} 1 người đã đặt lịch được báo tin." in html
    moved = await the_session(sessions)
    assert f"{moved.starts_at.astimezone(VN_TZ):%H:%M %d/%m/%Y}" == "14:00 04/12/2026"
    assert f"{moved.ends_at.astimezone(VN_TZ):%H:%M}" == "17:30"
    [notice] = await notices(sessions, "session-moved:")
    said = notice.reply["text"]
    assert notice.chat_id == "citizen-1" and "14:00 ngày 04/12/2026" in said and reason in said
    [moved_audit] = await actions(sessions, "reception.session_moved")
    assert moved_audit["reason"] == reason


async def test_an_official_cancels_a_session_only_with_a_reason_the_citizen_is_told(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await ReceptionChat(assistant, "citizen-1").book()
    officer = await staff(assistant, sessions, clock, "officer")
    cookie = await signed_in(desk, sessions, clock, officer)
    item = await the_session(sessions)
    cancel = f"/desk/tiep-cong-dan/{item.id}/huy"
    status, html = await post(desk, cookie, cancel, {})
    assert status == 200 and "không hoàn tác được" in html and 'name="ly_do"' in html
    status, html = await post(desk, cookie, cancel, {"xac_nhan": "1", "ly_do": "bận"})
    assert status == 400 and f'id="ly_do-loi">{texts.CAL_BAD_REASON}' in html
    assert (await the_session(sessions)).status == "open"
    reason = "Trụ sở UBND xã đang sửa chữa"
    status, html = await post(desk, cookie, cancel, {"xac_nhan": "1", "ly_do": reason})
    assert status == 200 and "Đã huỷ buổi tiếp; 1 người đã đặt lịch được báo tin." in html
    [notice] = await notices(sessions, "session-cancelled:")
    assert reason in notice.reply["text"]
    [cancelled] = await actions(sessions, "reception.session_cancelled")
    assert cancelled["reason"] == reason
    assert [b.status for b in await bookings(sessions)] == ["cancelled"]


async def test_only_the_receiver_chosen_sees_who_booked_a_denunciation_on_the_roster(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    cookie = await signed_in(desk, sessions, clock, officer)
    item = await the_session(sessions)
    roster = f"/desk/tiep-cong-dan/{item.id}"
    status, html = await page(desk, cookie, roster)
    assert status == 200 and "Lê Văn Bình" in html and "Hoàng Văn Dũng" not in html
    # Someone from another commune is not a receiver here.
    picked = f"{roster}/nguoi-tiep"
    status, html = await post(desk, cookie, picked, {"nguoi_tiep": str(elsewhere)})
    assert status == 409 and texts.CAL_BAD_RECEIVER in html
    status, html = await post(desk, cookie, picked, {"nguoi_tiep": str(chairman)})
    assert status == 200 and "Đã đặt Lê Văn Bình là người tiếp buổi" in html
    await book_denunciation(assistant)
    status, html = await page(desk, cookie, roster)
    assert texts.HIDDEN_DENUNCIATION in html and "Hoàng Văn Dũng" not in html
    assert "0987000111" not in html
    receiver = await signed_in(desk, sessions, clock, chairman)
    status, html = await page(desk, receiver, roster)
    assert status == 200 and "Hoàng Văn Dũng" in html and "0987000111" in html
    # Making oneself the receiver now would get round the secrecy: refused, audited.
    status, html = await post(desk, cookie, picked, {"nguoi_tiep": str(officer)})
    assert status == 409 and texts.DESK_RECEIVER_ADMIN_ONLY in html
    assert (await the_session(sessions)).receiver_person_id == chairman
    assert len(await actions(sessions, "reception.receiver_refused")) == 1


async def test_a_schedules_receiver_is_chosen_by_name_for_its_coming_sessions(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    weekly = {
        "unit": "Xã Minh Hòa",
        "kind": "dinh_ky",
        "weekday": "Thứ 5",
        "start": "07:30",
        "end": "11:00",
        "place": "Phòng tiếp công dân",
        "receiver_name": "Lê Văn Bình",
        "receiver_title": "Chủ tịch UBND xã",
        "capacity": 10,
    }
    await add_calendar(sessions, clock, {"schedules": [weekly]})
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    cookie = await signed_in(desk, sessions, clock, officer)
    async with sessions() as session, session.begin():
        await generate(session, clock.now(), working_calendar().is_working_day)
    status, html = await page(desk, cookie, "/desk/tiep-cong-dan/lich")
    assert status == 200 and "Thứ 5 hằng tuần, 07:30–11:00" in html and "Chưa chọn" in html
    async with sessions() as session:
        schedule = (await session.exec(select(ReceptionSchedule))).one()
    path = f"/desk/tiep-cong-dan/lich/{schedule.id}/nguoi-tiep"
    status, html = await post(desk, cookie, path, {"nguoi_tiep": str(chairman)})
    assert status == 200 and "Đã đặt Lê Văn Bình là người tiếp của lịch này" in html
    async with sessions() as session:
        made = (await session.exec(select(ReceptionSession))).all()
        schedule = (await session.exec(select(ReceptionSchedule))).one()
    assert schedule.receiver_person_id == chairman
    assert all(item.receiver_person_id == chairman for item in made)


async def test_a_đơn_created_from_a_walk_in_is_in_the_queue_with_its_legal_due_date(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    unit = await unit_id(sessions)
    complaint = walk_in(
        unit,
        ten="Phạm Văn Cường",
        dien_thoai="0912 345 678",
        loai="khieu_nai",
        noi_dung="Khiếu nại quyết định xử phạt số 12/QĐ-XPHC về xây dựng",
    )
    status, html = await post(desk, cookie, WALK_IN, {**complaint, "xac_nhan": "1"})
    assert status == 200 and "Tạo đơn từ lượt tiếp TD-" in html
    [booking] = await bookings(sessions)
    intake = f"/desk/tiep-cong-dan/luot/{booking.id}/tao-don"
    status, html = await page(desk, cookie, intake)
    assert status == 200 and 'value="Phạm Văn Cường"' in html and 'value="0912345678"' in html
    assert 'value="khieu_nai" selected' in html and "12/QĐ-XPHC" in html
    typed = {
        "loai": "khieu_nai",
        "ten": "Phạm Văn Cường",
        "dien_thoai": "0912345678",
        "dia_chi": "Thôn Đông, xã Minh Hòa",
        "noi_dung": "Khiếu nại quyết định xử phạt số 12/QĐ-XPHC về xây dựng",
    }
    status, html = await post(desk, cookie, intake, {**typed, "ten": "C"})
    assert status == 400 and f'id="ten-loi">{texts.WALK_IN_BAD_NAME}' in html
    assert "gõ lại" not in html.lower()
    status, html = await post(desk, cookie, intake, typed)
    assert status == 200 and "Kiểm tra trước khi tạo đơn" in html
    async with sessions() as session:
        assert (await session.exec(select(Petition))).all() == []
    status, html = await post(desk, cookie, intake, {**typed, "xac_nhan": "1"})
    # Received at the desk on 24/11/2026: thụ lý within 10 days (Luật Khiếu nại Điều 27).
    assert status == 200 and "hạn 04/12/2026" in html
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
        linked = await session.get(Booking, booking.id)
    assert petition.code.startswith("KN-2026-") and petition.source == "desk"
    assert petition.received_at is not None
    assert f"{petition.received_at.astimezone(VN_TZ):%d/%m/%Y}" == "24/11/2026"
    assert booking.code in petition.source_note
    assert linked is not None and linked.petition_id == petition.id
    status, html = await page(desk, cookie, "/desk/don?tim=0912345678")
    assert petition.code in html and "04/12/2026" in html
    [made] = await actions(sessions, "petition.from_reception")
    assert made["booking"] == booking.code
    # The roster links the đơn, and the reception does not make a second one.
    status, html = await page(desk, cookie, f"/desk/tiep-cong-dan/{booking.session_id}")
    assert f"Đơn {petition.code}" in html and "Tạo đơn từ lượt tiếp" not in html
    status, html = await post(desk, cookie, intake, {**typed, "xac_nhan": "1"})
    assert status == 409 and petition.code in html
    async with sessions() as session:
        assert len((await session.exec(select(Petition))).all()) == 1


async def test_a_denunciation_reception_becomes_a_đơn_only_by_its_receiver(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Đỗ Văn E")
    cookie = await signed_in(desk, sessions, clock, officer)
    denunciation = walk_in(await unit_id(sessions), loai="to_cao", ten="Hoàng Văn Dũng")
    await post(desk, cookie, WALK_IN, {**denunciation, "xac_nhan": "1"})
    [booking] = await bookings(sessions)
    intake = f"/desk/tiep-cong-dan/luot/{booking.id}/tao-don"
    other = await signed_in(desk, sessions, clock, colleague)
    status, html = await page(desk, other, intake)
    assert status == 403 and "Hoàng Văn Dũng" not in html
    status, html = await page(desk, cookie, intake)
    assert status == 200 and "Hoàng Văn Dũng" in html
    # Naming the commune's chairman sends the đơn up and keeps it from the chairman.
    typed = {
        "loai": "to_cao",
        "ten": "Hoàng Văn Dũng",
        "dia_chi": "Thôn Đông, xã Minh Hòa",
        "noi_dung": "Tố cáo việc thu tiền trái phép khi cấp giấy xác nhận",
        "bi_to_cao": "Chủ tịch UBND xã Minh Hòa",
    }
    status, html = await post(desk, cookie, intake, typed)
    assert status == 200 and "Chủ tịch UBND xã Minh Hòa" in html
    status, html = await post(desk, cookie, intake, {**typed, "xac_nhan": "1"})
    assert status == 200 and "Đã tạo đơn TC-" in html
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
    assert petition.against_leader and petition.kind == "to_cao"


async def test_a_walk_in_of_minus_three_people_is_refused_not_saved_as_one(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    cookie = await signed_in(desk, sessions, clock, await staff(assistant, sessions, clock, "o"))
    typed = walk_in(await unit_id(sessions), so_nguoi="-3")
    for confirmed in ({}, {"xac_nhan": "1"}):
        status, html = await post(desk, cookie, WALK_IN, {**typed, **confirmed})
        assert status == 400 and f'id="so_nguoi-loi">{texts.WALK_IN_BAD_GROUP}' in html
    assert await bookings(sessions) == []


async def test_each_walk_in_problem_is_shown_beside_its_own_field(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    cookie = await signed_in(desk, sessions, clock, await staff(assistant, sessions, clock, "o"))
    typed = walk_in(await unit_id(sessions), ten="An", dien_thoai="12345", noi_dung="ngắn")
    status, html = await post(desk, cookie, WALK_IN, typed)
    assert status == 400
    for field, message in (
        ("ten", texts.WALK_IN_BAD_NAME),
        ("dien_thoai", texts.WALK_IN_BAD_PHONE),
        ("noi_dung", texts.WALK_IN_BAD_SUMMARY),
    ):
        assert f'id="{field}-loi">{message}</p>' in html
        assert (
            f'id="{field}" name="{field}" aria-invalid="true" aria-describedby="{field}-loi"'
            in html
        )
    assert f"{texts.WALK_IN_BAD_NAME} {texts.WALK_IN_BAD_PHONE}" not in html
    assert 'aria-describedby="dia_chi-loi"' not in html


async def test_a_group_received_together_is_written_under_a_name_with_a_number(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    cookie = await signed_in(desk, sessions, clock, await staff(assistant, sessions, clock, "o"))
    typed = walk_in(await unit_id(sessions), ten="Tổ dân phố 3", so_nguoi="6")
    status, html = await post(desk, cookie, WALK_IN, typed)
    assert status == 200 and "Kiểm tra trước khi lưu" in html and "Tổ dân phố 3" in html
    status, html = await post(desk, cookie, WALK_IN, {**typed, "xac_nhan": "1"})
    assert status == 200 and "Đã ghi vào sổ tiếp công dân" in html
    [booking] = await bookings(sessions)
    assert booking.full_name == "Tổ dân phố 3" and booking.group_size == 6
    # One person is still written by their own name.
    status, html = await post(desk, cookie, WALK_IN, {**typed, "so_nguoi": "1"})
    assert status == 400 and 'id="ten-loi"' in html


async def test_the_walk_in_read_back_shows_the_phone_as_it_will_be_saved(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    cookie = await signed_in(desk, sessions, clock, await staff(assistant, sessions, clock, "o"))
    unit = await unit_id(sessions)
    for typed_phone in ("0912 345 678", "+84 912.345.678"):
        status, html = await post(desk, cookie, WALK_IN, walk_in(unit, dien_thoai=typed_phone))
        read_back = html.split("<dt>Số điện thoại</dt>")[1].split("</dd>")[0]
        assert status == 200 and read_back == "<dd>0912345678", typed_phone


async def test_the_roster_offers_attendance_only_from_the_sessions_day(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await ReceptionChat(assistant, "citizen-1").book()
    officer = await staff(assistant, sessions, clock, "officer")
    item = await the_session(sessions)
    roster = f"/desk/tiep-cong-dan/{item.id}"
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, roster)
    assert status == 200 and "Nguyễn Văn An" in html
    assert "Có mặt" not in html and "Vắng mặt" not in html and "Tạo đơn từ lượt tiếp" not in html
    clock.advance(item.starts_at - clock.now())
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await page(desk, cookie, roster)
    assert "Có mặt, lưu kết quả" in html and "Vắng mặt" in html
    # From that day on, the booked citizen's reception can become a đơn too.
    [booked] = await bookings(sessions)
    assert f"/desk/tiep-cong-dan/luot/{booked.id}/tao-don" in html
    status, html = await page(desk, cookie, f"/desk/tiep-cong-dan/luot/{booked.id}/tao-don")
    assert status == 200 and 'value="kien_nghi" selected' in html and "Nguyễn Văn An" in html


async def test_another_communes_official_can_change_nothing_here(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    mine = await signed_in(desk, sessions, clock, officer)
    unit = await unit_id(sessions)
    await post(desk, mine, WALK_IN, {**walk_in(unit), "xac_nhan": "1"})
    [walked] = await bookings(sessions)
    item = await the_session_open(sessions)
    other = await signed_in(desk, sessions, clock, elsewhere)
    reason = {"ly_do": "Lý do đủ dài để được nhận", "xac_nhan": "1"}
    refused = [
        (f"/desk/tiep-cong-dan/{item.id}/doi", {"ngay": "2026-12-04", "gio": "14:00", **reason}),
        (f"/desk/tiep-cong-dan/{item.id}/huy", reason),
        (f"/desk/tiep-cong-dan/{item.id}/nguoi-tiep", {"nguoi_tiep": str(elsewhere)}),
        (f"/desk/tiep-cong-dan/luot/{walked.id}/tao-don", {"loai": "kien_nghi"}),
    ]
    for path, data in refused:
        status, html = await post(desk, other, path, data)
        assert status == 403 and "Không có quyền" in html, path
    status, html = await page(desk, other, f"/desk/tiep-cong-dan/luot/{walked.id}/tao-don")
    assert status == 403 and "Nguyễn Thị Hoa" not in html
    # A schedule for a commune outside their scope is refused beside the unit field.
    status, html = await post(desk, other, WEEKLY, {"don_vi": str(unit), "thu": "1"})
    assert status == 400 and f'id="don_vi-loi">{texts.DESK_UNIT_OUT_OF_SCOPE}' in html
    async with sessions() as session:
        assert (await session.exec(select(ReceptionSchedule))).all() == []
        denied = await audit.entries(session, "access.denied")
    assert len([e for e in denied if e.actor_person_id == elsewhere]) == 5
    assert (await the_session_open(sessions)).starts_at == item.starts_at


async def the_session_open(sessions: SessionFactory) -> ReceptionSession:
    async with sessions() as session:
        query = select(ReceptionSession).where(ReceptionSession.status == "open")
        return (await session.exec(query)).one()


async def test_a_weekly_session_moved_away_does_not_come_back_at_its_old_time(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    weekly = {**ONE_OFF_ROW, "weekday": "Thứ 5", "capacity": 10}
    del weekly["date"]
    await add_calendar(sessions, clock, {"schedules": [weekly]})
    async with sessions() as session, session.begin():
        await generate(session, clock.now(), working_calendar().is_working_day)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    first = min(await open_sessions(sessions), key=lambda item: item.starts_at)
    old = first.starts_at
    move = f"/desk/tiep-cong-dan/{first.id}/doi"
    typed = {
        "ngay": "2026-12-04",
        "gio": "14:00",
        "ly_do": "Hội trường đang sửa mái",
        "xac_nhan": "1",
    }
    assert (await post(desk, cookie, move, typed))[0] == 200
    async with sessions() as session, session.begin():
        await generate(session, clock.now(), working_calendar().is_working_day)
    assert old not in {item.starts_at for item in await open_sessions(sessions)}
    # Moving it back to its own slot is allowed.
    back = {**typed, "ngay": f"{old.astimezone(VN_TZ):%Y-%m-%d}", "gio": "07:30"}
    status, html = await post(desk, cookie, move, back)
    assert status == 200, html
    assert old in {item.starts_at for item in await open_sessions(sessions)}


async def open_sessions(sessions: SessionFactory) -> list[ReceptionSession]:
    async with sessions() as session:
        query = select(ReceptionSession).where(ReceptionSession.status == "open")
        return list((await session.exec(query)).all())
