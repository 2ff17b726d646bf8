"""What the desk does with what an attacker's walk tried: dates of year 0001 or 9999, a revoked
person's browser, a reloaded invite form, refused attempts, an accused admin reading a case's
trail, hostile characters in a form, and the audit page in words."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlmodel import col, select, update

from db import accused, audit, people
from db.engine import SessionFactory
from db.models import Deadline, DeskSession, OneTimeCode, Petition, RoleGrant
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from tests.test_access import setup_units
from tests.test_desk import (
    Client,
    add_deadline,
    form_nonce,
    jar,
    petition_ids,
    signed_in,
    staff,
)
from tests.test_desk import (
    desk as desk_fixture,  # noqa: F401  (the fixture, registered as desk_fixture)
)
from tests.test_desk import page as desk_page
from tests.test_desk import post as desk_post
from tests.test_petitions import COMPLAINT, DENUNCIATION, Chat, file
from tests.test_reception import ONE_OFF, add_calendar, the_session
from tests.test_reception import Chat as ReceptionChat


@pytest.fixture
def desk(desk_fixture: Client) -> Client:  # noqa: F811
    return desk_fixture


async def page(desk: Client, cookie: str, path: str) -> tuple[int, str]:
    status, body = await desk_page(desk, cookie, path)
    return status, unescape(body)


async def post(desk: Client, cookie: str, path: str, data: dict[str, str]) -> tuple[int, str]:
    status, body = await desk_post(desk, cookie, path, data)
    return status, unescape(body)


async def actions(sessions: SessionFactory, action: str) -> list[tuple[int | None, str | None]]:
    async with sessions() as session:
        return [(e.actor_person_id, e.target) for e in await audit.entries(session, action)]


BAD_DATES = texts.DESK_BAD_DATES.format(first=2000, last=2100)


async def test_a_date_of_year_0001_or_9999_gets_a_page_that_says_so_not_a_crash(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    cookie = await signed_in(desk, sessions, clock, officer)
    boss = await signed_in(desk, sessions, clock, admin)
    for register in ("/desk/so-theo-doi-don", "/desk/so-tiep-cong-dan"):
        for query in ("den=01/01/0001", "tu=9999-12-31", "den=31/12/9999", "tu=31/02/2026"):
            name, typed = query.split("=")
            period = {"tu": "01/11/2026", "den": "25/11/2026", name: typed}
            status, html = await page(
                desk, cookie, f"{register}?tu={period['tu']}&den={period['den']}"
            )
            assert status == 400 and BAD_DATES in html, (register, query)
            # What was typed stays in the form, to be corrected.
            assert f'value="{typed}"' in html and f'action="{register}"' in html
        # A sound period still downloads the book.
        response = await desk.get(f"{register}?tu=01/11/2026&den=2026-11-25", headers=jar(cookie))
        assert response.status == 200 and response.content_type.endswith("document")
    for query in ("tu=01/01/0001", "den=9999-12-31", "den=31/12/9999"):
        status, html = await page(desk, boss, f"/desk/nhat-ky?loai=role.&{query}")
        assert status == 400 and BAD_DATES in html, query
        assert f'value="{query.split("=")[1]}"' in html and 'value="role." selected' in html
    status, html = await page(desk, boss, "/desk/nhat-ky?tu=2026-11-01&den=25/11/2026")
    assert status == 200 and 'value="2026-11-01"' in html and 'value="2026-11-25"' in html


async def test_revoking_the_last_role_ends_the_desk_session_even_after_a_new_invite(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    officer = await staff(assistant, sessions, clock, "thu-hoi", name="Đỗ Thu Hồi")
    boss = await signed_in(desk, sessions, clock, admin)
    kept = await signed_in(desk, sessions, clock, officer)
    async with sessions() as session:
        [grant] = await people.active_roles(session, officer)
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/thu-hoi", {"xac_nhan": "1"})
    assert status == 200 and "Đã thu hồi vai trò cán bộ của Đỗ Thu Hồi" in html
    status, html = await page(desk, kept, "/desk/don")
    assert status == 401 and "/dangnhap" in html
    status, html = await post(desk, boss, f"/desk/vai-tro/{grant.id}/thu-hoi", {"xac_nhan": "1"})
    assert status == 409 and texts.DESK_ALREADY_REVOKED in html
    # Invited again, the old browser stays signed out: a new login link is needed.
    status, html = await page(desk, boss, "/desk/nguoi-dung")
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None
    invite = {"vai_tro": "admin", "don_vi": str(unit.id), "lan": form_nonce(html)}
    status, html = await post(desk, boss, "/desk/nguoi-dung/moi", invite)
    found = re.search(r"Mã mời: ([A-Z2-9]{4}-[A-Z2-9]{4})", html)
    assert status == 200 and found
    await Chat(assistant, "thu-hoi").say(found.group(1))
    async with sessions() as session:
        assert [g.role for g in await people.active_roles(session, officer)] == [access.ADMIN]
    assert (await page(desk, kept, "/desk/nguoi-dung"))[0] == 401
    fresh = await signed_in(desk, sessions, clock, officer)
    assert (await page(desk, fresh, "/desk/nguoi-dung"))[0] == 200


async def test_a_signed_in_person_without_a_role_can_still_log_out(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    # A role taken away outside the desk and the command line (a restored backup, by hand).
    async with sessions() as session, session.begin():
        await session.exec(
            update(RoleGrant)
            .where(col(RoleGrant.person_id) == officer)
            .values(revoked_at=clock.now())
        )
    status, html = await page(desk, cookie, "/desk/don")
    assert status == 403 and "không còn vai trò cán bộ" in html
    assert 'action="/desk/dang-xuat"' in html and "Đăng xuất" in html
    status, html = await post(desk, cookie, "/desk/dang-xuat", {})
    assert status == 200
    async with sessions() as session:
        [ended] = (
            await session.exec(select(DeskSession).where(DeskSession.person_id == officer))
        ).all()
    assert ended.ended_at is not None
    assert (await page(desk, cookie, "/desk/don"))[0] == 401


async def test_a_reloaded_invite_form_makes_no_second_code_and_a_pending_code_can_be_cancelled(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    boss = await signed_in(desk, sessions, clock, admin)

    async def live_codes() -> list[OneTimeCode]:
        async with sessions() as session:
            rows = (await session.exec(select(OneTimeCode))).all()
        return [c for c in rows if c.claimed_at is None and c.expires_at > clock.now()]

    status, html = await page(desk, boss, "/desk/nguoi-dung")
    assert "Không có mã mời nào đang chờ." in html
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None
    form = {"vai_tro": "admin", "don_vi": str(unit.id), "ten": "Ngô Văn E", "lan": form_nonce(html)}
    status, html = await post(desk, boss, "/desk/nguoi-dung/moi", form)
    found = re.search(r"Mã mời: ([A-Z2-9]{4}-[A-Z2-9]{4})", html)
    assert status == 200 and found
    # F5 on the answer, or a second press of the same form: no second code.
    status, again = await post(desk, boss, "/desk/nguoi-dung/moi", form)
    assert status == 400 and "không tạo thêm mã thứ hai" in again and "Mã mời:" not in again
    assert len(await live_codes()) == 1
    # The pending code is listed (never the code itself) with a button to cancel it.
    status, html = await page(desk, boss, "/desk/nguoi-dung")
    listed = html.split('id="ma-cho"')[1]
    assert "Quản trị" in listed and "Ngô Văn E" in listed and found.group(1) not in listed
    [pending] = await live_codes()
    status, html = await post(desk, boss, f"/desk/ma-moi/{pending.id}/huy", {})
    assert status == 200 and "Đã huỷ mã mời quản trị tại Xã Minh Hòa" in html
    assert "Không có mã mời nào đang chờ." in html
    assert await live_codes() == []
    assert [t for _, t in await actions(sessions, "code.invite.cancel")] == [f"unit:{unit.id}"]
    # The cancelled code admits nobody; a second cancel says it is gone.
    await Chat(assistant, "stranger").say(found.group(1))
    async with sessions() as session:
        stranger = await people.identity(session, "web", "stranger")
        assert stranger is not None
        assert await people.active_roles(session, stranger.person_id) == []
    status, html = await post(desk, boss, f"/desk/ma-moi/{pending.id}/huy", {})
    assert status == 409 and texts.DESK_INVITE_GONE in html
    # Another commune's admin cannot cancel this commune's codes (refused, audited).
    other = await staff(assistant, sessions, clock, "hai", access.ADMIN, unit="Xã Minh Hải")
    other_cookie = await signed_in(desk, sessions, clock, other)
    status, html = await post(desk, other_cookie, f"/desk/ma-moi/{pending.id}/huy", {})
    assert status == 403
    assert (other, f"desk:code:{pending.id}") in await actions(sessions, "access.denied")


async def book_denunciation(assistant: Assistant) -> None:
    """A citizen books the session to file a tố cáo (naming nobody on the staff)."""
    citizen = ReceptionChat(assistant, "to-giac")
    menu = await citizen.press("menu:book")
    await citizen.press(next(b.payload for b in menu.buttons if b.payload.startswith("rc:s:")))
    await citizen.press("rc:m:to_cao")
    await citizen.say("Vũ Văn Mậtdanh")
    await citizen.say("0987654321")
    await citizen.say("Xóm Chợ, xã Minh Hòa")
    await citizen.say("Tố cáo cán bộ địa chính thu tiền sai quy định khi làm sổ đỏ")
    await citizen.press("rc:yes")


async def test_refused_attempts_are_audited_and_another_units_deadline_is_forbidden(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    colleague = await staff(assistant, sessions, clock, "colleague", name="Lê Văn C")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    elsewhere = await staff(assistant, sessions, clock, "hai", unit="Xã Minh Hải")
    deadline = await add_deadline(sessions, clock)
    other_cookie = await signed_in(desk, sessions, clock, elsewhere)
    # Another commune's official pressing "Đã nộp" on this commune's deadline, even with an
    # empty form: forbidden, and audited like every other deadline route.
    for form in ({}, {"ngay": "2026-12-04"}):
        status, html = await post(desk, other_cookie, f"/desk/han-bao-cao/{deadline}/xong", form)
        assert status == 403 and "Không có quyền" in html
    denied = await actions(sessions, "access.denied")
    assert denied.count((elsewhere, f"desk:deadline:{deadline}")) == 2
    # An official cannot change the receiver of a session a tố cáo is booked in.
    await book_denunciation(assistant)
    reception = (await the_session(sessions)).id
    cookie = await signed_in(desk, sessions, clock, officer)
    status, html = await post(
        desk, cookie, f"/desk/tiep-cong-dan/{reception}/nguoi-tiep", {"nguoi_tiep": str(officer)}
    )
    assert status == 409
    assert (officer, str(reception)) in await actions(sessions, "reception.receiver_refused")
    # An admin giving the tố cáo to a colleague it names, or to another commune's official.
    number = (await petition_ids(sessions))["to_cao"]
    async with sessions() as session, session.begin():
        await accused.mark(session, accused.PETITION, number, [colleague], "test", clock.now())
    boss = await signed_in(desk, sessions, clock, admin)
    reason = "Phân công theo kế hoạch công tác tháng"
    status, html = await post(
        desk, boss, f"/desk/don/{number}/giao", {"nguoi": str(colleague), "ly_do": reason}
    )
    assert status == 409 and texts.DESK_BAD_ASSIGNEE in html
    assert "tin nhắn cũ" not in html
    refused = await actions(sessions, "petition.assign_refused")
    assert [who for who, _ in refused] == [admin]
    for stranger in (str(elsewhere), "999"):
        status, html = await post(
            desk, boss, f"/desk/don/{number}/giao", {"nguoi": stranger, "ly_do": reason}
        )
        assert status == 403 and "Không có quyền" in html
    denied = await actions(sessions, "access.denied")
    assert sum(1 for who, t in denied if who == admin and (t or "").startswith("desk:giao:")) == 2


async def test_an_admin_named_in_a_case_does_not_read_its_trail_on_the_audit_page(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler = await staff(assistant, sessions, clock, "handler", name="Trần Thị B")
    named = await staff(assistant, sessions, clock, "named", access.ADMIN, name="Lê Văn Tên")
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    ids = await petition_ids(sessions)
    boss = await signed_in(desk, sessions, clock, admin)
    secret = "Người tố cáo là hàng xóm sát vách nhà ông Tên"
    status, _ = await post(
        desk, boss, f"/desk/don/{ids['to_cao']}/giao", {"nguoi": str(handler), "ly_do": secret}
    )
    assert status == 200
    mine = await signed_in(desk, sessions, clock, handler)
    assert (await page(desk, mine, f"/desk/don/{ids['to_cao']}"))[0] == 200
    async with sessions() as session, session.begin():
        await accused.mark(session, accused.PETITION, ids["to_cao"], [named], "test", clock.now())
        petition = await session.get(Petition, ids["to_cao"])
        assert petition is not None
        code = petition.code
    accused_cookie = await signed_in(desk, sessions, clock, named)
    # The accused admin tries the case (refused, audited) and reads the audit page.
    assert (await page(desk, accused_cookie, f"/desk/don/{ids['to_cao']}"))[0] == 403
    status, html = await page(desk, accused_cookie, "/desk/nhat-ky")
    assert status == 200 and code not in html and secret not in html
    assert f"/desk/don/{ids['to_cao']}" not in html and f"desk:don:{ids['to_cao']}" not in html
    # What is not about that case stays: the admin's own sign-in.
    assert "Đăng nhập trang làm việc" in html
    # Another admin sees the whole trail.
    status, html = await page(desk, boss, "/desk/nhat-ky")
    assert code in html and secret in html


async def test_hostile_characters_and_far_dates_are_refused_or_dropped_on_every_backend(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await file(Chat(assistant, "citizen"), "khieu_nai", COMPLAINT)
    officer = await staff(assistant, sessions, clock, "officer", name="Trần Thị B")
    cookie = await signed_in(desk, sessions, clock, officer)
    async with sessions() as session:
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
    assert unit is not None
    once = {"don_vi": str(unit.id), "kieu": "once", "ngay_nghi": "before"}
    for typed, said in (
        ("0000-01-01", texts.DESK_DEADLINE_BAD_ONCE),
        ("10000-01-01", texts.DESK_DEADLINE_BAD_ONCE),
        ("9999-12-31", texts.DESK_DEADLINE_TOO_FAR.format(years=5)),
        ("01/01/2032", texts.DESK_DEADLINE_TOO_FAR.format(years=5)),
    ):
        form = {**once, "ten": "Hạn xa tương lai", "ngay": typed}
        status, html = await post(desk, cookie, "/desk/han-bao-cao/them", form)
        assert status == 400 and said in html and f'value="{typed}"' in html, typed
    async with sessions() as session:
        assert (await session.exec(select(Deadline))).all() == []
    # A NUL (which PostgreSQL refuses) and a right-to-left override are dropped, not stored.
    title = "Báo\x00cáo tháng \u202e12\u202c gửi huyện"
    form = {**once, "ten": title, "ngay": "2026-12-15"}
    status, html = await post(desk, cookie, "/desk/han-bao-cao/them", form)
    assert status == 200 and 'Đã thêm hạn "Báocáo tháng 12 gửi huyện"' in html
    async with sessions() as session:
        [saved] = (await session.exec(select(Deadline))).all()
    assert saved.title == "Báocáo tháng 12 gửi huyện" and saved.due_date is not None
    assert f"{saved.due_date:%d/%m/%Y}" == "15/12/2026"
    # Nor does a NUL typed in a search reach the database.
    status, html = await page(desk, cookie, "/desk/don?tim=B%C3%A1o%00c%C3%A1o")
    assert status == 200 and 'value="Báocáo"' in html
    # Nor a NUL in the address of an admin page an official is refused (the refusal is kept).
    status, html = await page(desk, cookie, "/desk/kho-cau-hoi/a%00b")
    assert status == 403
    async with sessions() as session:
        refused = [e.target for e in await audit.entries(session, "access.denied")]
    assert "desk:GET /desk/kho-cau-hoi/ab" in refused
    # A session moved, or added, to 31/12/9999.
    reception = (await the_session(sessions)).id
    move = {"ngay": "9999-12-31", "gio": "20:00", "ly_do": "Chủ tịch đi công tác đột xuất"}
    status, html = await post(desk, cookie, f"/desk/tiep-cong-dan/{reception}/doi", move)
    assert status == 400 and texts.CAL_TOO_FAR in html
    one_off = {
        "don_vi": str(unit.id),
        "hinh_thuc": str(ONE_OFF["kind"]),
        "ngay": "9999-12-31",
        "bat_dau": "07:30",
        "ket_thuc": "11:00",
        "dia_diem": "Hội trường UBND xã",
        "chu_tri": "Chủ tịch UBND xã",
        "so_cho": "20",
    }
    status, html = await post(desk, cookie, "/desk/tiep-cong-dan/buoi-moi", one_off)
    assert status == 400 and texts.CAL_TOO_FAR in html
    # 31/02 on the received-date form: said in words, the typed reason kept.
    number = (await petition_ids(sessions))["khieu_nai"]
    await post(desk, cookie, f"/desk/don/{number}/buoc", {"buoc": "take"})
    await post(desk, cookie, f"/desk/don/{number}/buoc", {"buoc": "recv"})
    reason = "Đơn giấy nhận qua bưu điện, dấu ngày 20/11"
    for typed in ("31/02/2026", "0000-01-01"):
        status, html = await post(
            desk, cookie, f"/desk/don/{number}/ngay-nhan", {"ngay": typed, "ly_do": reason}
        )
        assert status == 400 and BAD_DATES in html and f">{reason}</textarea>" in html, typed


async def test_the_audit_page_speaks_vietnamese_and_shows_values_not_python(
    assistant: Assistant, desk: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin = await staff(assistant, sessions, clock, "admin", access.ADMIN, name="Phạm Thị D")
    boss = await signed_in(desk, sessions, clock, admin)
    entry = {
        "topic": "thu_tuc",
        "group": "Nhóm thử",
        "questions": "Làm giấy xác nhận cư trú ở đâu?\nXin xác nhận cư trú thế nào?",
        "answer": "Anh/chị nộp hồ sơ tại bộ phận một cửa UBND xã hoặc qua Cổng dịch vụ công.",
        "sources": "Luật Cư trú | 68/2020/QH14 | Điều 17",
        "status": "bogus",
    }
    status, html = await post(desk, boss, "/desk/kho-cau-hoi/moi", entry)
    assert status == 400 and "hoặc" in html and " or " not in html
    status, html = await post(desk, boss, "/desk/kho-cau-hoi/moi", {**entry, "status": "draft"})
    assert status == 200
    status, html = await page(desk, boss, "/desk/nhat-ky")
    rows = html.split("<tbody>")[1]
    assert "Đăng nhập trang làm việc" in rows and "Thêm mục kho câu hỏi" in rows
    assert "desk.login" not in rows and "kb.add" not in rows
    # Lists are joined, values are words, nothing reads like Python.
    assert "['" not in rows and "=[" not in rows and "{" not in rows
    assert "câu hỏi: Làm giấy xác nhận cư trú ở đâu?, Xin xác nhận" in rows
    assert "trạng thái: bản nháp" in rows and "văn bản: Luật Cư trú" in rows
