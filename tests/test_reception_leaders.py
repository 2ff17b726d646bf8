"""A tố cáo brought to a reception session: the leaders it names never see who brought it, and
the official who wrote a walk-in down can turn it into a đơn (found by an attacker's walk)."""

from __future__ import annotations

from sqlmodel import select

from db import accused, people
from db.engine import SessionFactory
from db.models import Booking
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.petitions.routing import flag_leader
from tests.test_access import setup_units
from tests.test_desk import Client, page, petition_ids, post, signed_in, staff
from tests.test_desk import desk as desk  # the fixture, used by name
from tests.test_desk_calendar import WALK_IN, bookings, unit_id, walk_in
from tests.test_petitions import DENUNCIATION, Chat, code_of, file
from tests.test_reception import Chat as ReceptionChat
from tests.test_reception import add_calendar, the_session


async def leader(sessions: SessionFactory, clock: FixedClock, person_id: int) -> None:
    async with sessions() as session, session.begin():
        [grant] = await people.active_roles(session, person_id)
        assert grant.id is not None
        assert await flag_leader(session, grant.id, True, clock.now(), "test")


async def book_denunciation_of_the_chairman(assistant: Assistant) -> None:
    denouncer = ReceptionChat(assistant, "denouncer")
    await denouncer.start_booking("to_cao")
    for typed in ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa"):
        await denouncer.say(typed)
    await denouncer.say("To cao ong Le Van Binh chu tich ubnd xa nhan tien cua dan")
    await denouncer.say("1")
    await denouncer.press("rc:yes")


async def test_a_chairman_receiving_a_session_never_sees_who_booked_a_denunciation_of_him(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    await leader(sessions, clock, chairman)
    item = await the_session(sessions)
    roster = f"/desk/tiep-cong-dan/{item.id}"
    cookie = await signed_in(desk, sessions, clock, officer)
    status, _ = await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(chairman)})
    assert status == 200
    await book_denunciation_of_the_chairman(assistant)
    [booking] = await bookings(sessions)
    # The chairman is no longer the session's receiver, and sees nothing of the booking.
    assert (await the_session(sessions)).receiver_person_id is None
    mine = await signed_in(desk, sessions, clock, chairman)
    status, html = await page(desk, mine, roster)
    assert status == 200 and "Hoàng Văn Dũng" not in html and "0987000111" not in html
    intake = f"/desk/tiep-cong-dan/luot/{booking.id}/tao-don"
    assert (await page(desk, mine, intake))[0] == 403
    # Not even an admin can hand him the session back.
    boss = await signed_in(desk, sessions, clock, admin)
    status, html = await post(desk, boss, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(chairman)})
    assert status == 409 and texts.RECEIVER_ACCUSED in html
    status, html = await post(desk, boss, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(officer)})
    assert status == 200
    status, html = await page(desk, cookie, roster)
    assert "Hoàng Văn Dũng" in html


async def test_a_chairman_flagged_after_the_booking_is_shut_out_of_it_too(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chairman = await staff(assistant, sessions, clock, "chairman", name="Lê Văn Bình")
    await book_denunciation_of_the_chairman(assistant)
    [booking] = await bookings(sessions)
    await leader(sessions, clock, chairman)
    async with sessions() as session:
        assert booking.id is not None
        assert await accused.of(session, accused.BOOKING, booking.id) == {chairman}


async def test_the_official_who_wrote_down_a_walk_in_denunciation_turns_it_into_a_đơn(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    first = await staff(assistant, sessions, clock, "first", name="Trần Thị B")
    second = await staff(assistant, sessions, clock, "second", name="Đỗ Văn E")
    unit = await unit_id(sessions)
    await post(
        desk,
        await signed_in(desk, sessions, clock, first),
        WALK_IN,
        {**walk_in(unit), "xac_nhan": "1"},
    )
    # The second official writes a tố cáo into the same day's register (the first one's).
    cookie = await signed_in(desk, sessions, clock, second)
    typed = walk_in(unit, loai="to_cao", ten="Hoàng Văn Dũng", noi_dung="Tố cáo thu tiền sai")
    status, _ = await post(desk, cookie, WALK_IN, {**typed, "xac_nhan": "1"})
    assert status == 200
    async with sessions() as session:
        query = select(Booking).where(Booking.matter_kind == "to_cao")
        denunciation = (await session.exec(query)).one()
    assert denunciation.recorded_by_person_id == second
    status, html = await page(desk, cookie, f"/desk/tiep-cong-dan/luot/{denunciation.id}/tao-don")
    assert status == 200 and "Hoàng Văn Dũng" in html


async def test_a_denunciation_naming_the_lone_admin_without_diacritics_is_kept_from_him(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Văn Quản")
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    chat = Chat(assistant, "denouncer")
    answers = (*DENUNCIATION[:3], "ong pham van quan, can bo xa", DENUNCIATION[4])
    code = code_of(await file(chat, "to_cao", answers))
    number = (await petition_ids(sessions))["to_cao"]
    boss = await signed_in(desk, sessions, clock, admin)
    assert f">{code}</a>" not in (await page(desk, boss, "/desk/don?trang_thai=all"))[1]
    assert (await page(desk, boss, f"/desk/don/{number}"))[0] == 403
    reason = {"ly_do": "Kiểm tra hồ sơ theo yêu cầu"}
    status, html = await post(desk, boss, f"/desk/don/{number}/danh-tinh", reason)
    assert status == 403 and "Trần Thị Bình" not in html
    # Another official of the commune still sees and takes the case.
    assert (
        f">{code}</a>"
        in (await page(desk, await signed_in(desk, sessions, clock, officer), "/desk/don"))[1]
    )


async def test_a_booking_naming_its_receiver_by_name_takes_the_session_from_him(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Văn Tiếp")
    item = await the_session(sessions)
    cookie = await signed_in(desk, sessions, clock, officer)
    roster = f"/desk/tiep-cong-dan/{item.id}"
    status, _ = await post(desk, cookie, f"{roster}/nguoi-tiep", {"nguoi_tiep": str(officer)})
    assert status == 200
    denouncer = ReceptionChat(assistant, "denouncer")
    await denouncer.start_booking("to_cao")
    for typed in ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa"):
        await denouncer.say(typed)
    await denouncer.say("to cao ong tran van tiep thu tien lam giay to")
    await denouncer.say("1")
    await denouncer.press("rc:yes")
    [booking] = await bookings(sessions)
    async with sessions() as session:
        assert booking.id is not None
        assert await accused.of(session, accused.BOOKING, booking.id) == {officer}
    assert (await the_session(sessions)).receiver_person_id is None
    status, html = await page(desk, cookie, roster)
    assert "Hoàng Văn Dũng" not in html and "0987000111" not in html
