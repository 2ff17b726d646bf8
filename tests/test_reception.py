"""Tiếp công dân: the calendar officials keep and the places citizens book, end to end."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select

from bot.retention import Retention
from db import conversations, outbox, people
from db import reception as rows
from db.engine import SessionFactory
from db.models import Booking, Outbox, ReceptionSession
from handlers import texts
from handlers.clock import VN_TZ, FixedClock
from handlers.contract import Incoming, Reply
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.faq.knowledge import KnowledgeBase
from handlers.forms import normalize_phone, people_count
from handlers.reception import figures as reception_figures
from handlers.reception.schedule import (
    CalendarError,
    generate_sessions,
    import_calendar,
    move_session,
)
from handlers.reception.staff import briefing_sheet
from handlers.spoken_dates import read_wanted_day
from tests.test_access import invite, msg, setup_units

ONE_OFF = {
    "unit": "Xã Minh Hòa",
    "kind": "dinh_ky",
    "date": "02/12/2026",
    "start": "07:30",
    "end": "11:00",
    "place": "Phòng tiếp công dân UBND xã Minh Hòa",
    "receiver_name": "Lê Văn Bình",
    "receiver_title": "Chủ tịch UBND xã",
    "capacity": 20,
}


async def add_calendar(
    sessions: SessionFactory, clock: FixedClock, data: dict[str, object] | None = None
) -> list[str]:
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        report = await import_calendar(session, data or {"sessions": [ONE_OFF]}, clock.now())
    return report.warnings


async def the_session(sessions: SessionFactory) -> ReceptionSession:
    async with sessions() as session:
        return (await session.exec(select(ReceptionSession))).one()


def payloads(replies: list[Reply]) -> list[str]:
    return [b.payload for r in replies for b in r.buttons]


class Chat:
    """One citizen typing and pressing in the web chat."""

    def __init__(self, assistant: Assistant, chat: str = "citizen-1") -> None:
        self.assistant = assistant
        self.chat = chat

    async def say(self, text: str) -> Reply:
        replies = await self.assistant.dispatch(msg(text, chat=self.chat))
        return replies[-1]

    async def press(self, payload: str) -> Reply:
        replies = await self.assistant.dispatch(msg(button=payload, chat=self.chat))
        return replies[-1]

    async def start_booking(self, matter: str | None = "kien_nghi") -> Reply:
        """Open the booking, pick the first session offered and (unless None) the matter."""
        offered = await self.press("menu:book")
        asked = await self.press(
            next(b.payload for b in offered.buttons if b.payload.startswith("rc:s:"))
        )
        return await self.press(f"rc:m:{matter}") if matter else asked

    async def book(self, summary: str = "Tranh chấp ranh giới đất với hộ bên cạnh") -> Reply:
        menu = await self.press("menu:book")
        await self.press(next(b.payload for b in menu.buttons if b.payload.startswith("rc:s:")))
        await self.press("rc:m:kien_nghi")
        await self.say("Nguyễn Văn An")
        await self.say("0912 345 678")
        await self.say("Thôn Đông, xã Minh Hòa")
        await self.say(summary)
        return await self.press("rc:yes")


async def test_a_citizen_without_diacritics_books_the_chairman_and_gets_the_confirmation(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = Chat(assistant)
    # The request goes straight to the sessions.
    sessions_offered = await chat.say("toi muon gap chu tich xa")
    assert "02/12/2026 07:30-11:00: Tiếp định kỳ của lãnh đạo" in sessions_offered.text
    [session_button] = [b for b in sessions_offered.buttons if b.payload.startswith("rc:s:")]
    matter = await chat.press(session_button.payload)
    assert matter.text.startswith("Anh/chị đến để làm gì? Khiếu nại:")
    assert (await chat.say("khieu nai")).text == texts.ASK_NAME
    assert (await chat.say("An")).text == texts.BAD_NAME
    phone_prompt = await chat.say("nguyen van an")
    assert phone_prompt.ask_contact
    assert (await chat.say("12345")).text == texts.BAD_PHONE
    assert (await chat.say("+84 912.345.678")).text == texts.ASK_ADDRESS
    assert (await chat.say("thon Dong, xa Minh Hoa")).text == texts.ASK_SUMMARY
    assert (await chat.say("ngan")).text == texts.BAD_SUMMARY
    # One person unless changed in the read-back.
    single = await chat.say("Đề nghị xem xét lại quyết định thu hồi đất số 12/QĐ-UBND")
    assert "- Số người: 1" in single.text and "rc:edit" in payloads([single])
    fields = await chat.press("rc:edit")
    assert "rc:edit:group" in payloads([fields])
    assert (await chat.press("rc:edit:group")).text == texts.ASK_GROUP
    assert (await chat.say("nhieu")).text == texts.BAD_GROUP
    consent = await chat.say("6 người")
    assert consent.text.startswith(texts.GROUP_RULE.strip()[:40])
    assert "- Điện thoại: 0912345678" in consent.text
    confirmed = await chat.press("rc:yes")
    assert confirmed.text.startswith("Đã đặt lịch. Mã lịch hẹn: LH-")
    assert "Số thứ tự: 1." in confirmed.text and "giấy ủy quyền" in confirmed.text

    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
        reminders = (await session.exec(select(Outbox).order_by(col(Outbox.available_at)))).all()
    assert (booking.full_name, booking.matter_kind, booking.group_size) == (
        "nguyen van an",
        "khieu_nai",
        6,
    )
    assert booking.consent_version and booking.consent_at == clock.now()
    due = [row.available_at.astimezone(VN_TZ) for row in reminders]
    assert due == [
        datetime(2026, 12, 1, 8, 0, tzinfo=VN_TZ),
        datetime(2026, 12, 2, 6, 30, tzinfo=VN_TZ),
    ]
    assert reminders[0].reply["text"].startswith("Nhắc lịch: ngày mai 07:30")
    assert (await the_session(sessions)).booked == 1


async def test_a_citizen_goes_back_quits_and_a_restart_loses_nothing(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = Chat(assistant)
    await chat.start_booking()
    await chat.say("Trần Thị Bích")
    assert (await chat.say("quay lai")).text == texts.ASK_NAME
    await chat.say("Trần Thị Bích")

    # The process restarts: a new assistant on the same database continues the same form.
    restarted = Chat(Assistant(sessions, KnowledgeBase(0), clock, AssistantSettings()))
    assert (await restarted.say("0987654321")).text == texts.ASK_ADDRESS
    stopped = await restarted.say("huỷ")
    assert stopped.text.endswith(texts.FORM_STOPPED)
    async with sessions() as session:
        assert (await session.exec(select(Booking))).all() == []
    # Typed, "huỷ" may be a slip: the answers wait as a draft; the button throws them away.
    assert (await restarted.say("tiep tuc dien")).text == texts.ASK_ADDRESS
    assert (await restarted.press("rc:quit")).text == texts.BOOKING_QUIT
    assert (await restarted.say("tiep tuc dien")).text == texts.NO_DRAFT


async def test_my_bookings_cancel_then_rebook_and_reminders_follow(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    later = dict(ONE_OFF, date="09/12/2026")
    await add_calendar(sessions, clock, {"sessions": [ONE_OFF, later]})
    chat = Chat(assistant)
    booked = await chat.book()
    code = booked.text.split("Mã lịch hẹn: ")[1].split(".")[0]
    mine = await chat.press("menu:mine")
    assert code in mine.text
    assert f"rc:cancel:{code}" in [b.payload for b in mine.buttons]

    moved = await chat.press(f"rc:move:{code}")
    new_session = [b.payload for b in moved.buttons if b.payload.startswith("rc:s:")][-1]
    done = await chat.press(new_session)
    assert done.text.startswith("Đã đổi lịch hẹn.") and "09/12/2026" in done.text
    async with sessions() as session:
        due = sorted(
            row.available_at.astimezone(VN_TZ).date()
            for row in (await session.exec(select(Outbox))).all()
        )
        counts = [
            s.booked for s in (await session.exec(select(ReceptionSession).order_by("id"))).all()
        ]
    assert due == [datetime(2026, 12, 8).date(), datetime(2026, 12, 9).date()]
    assert counts == [0, 1]

    await chat.press("menu:mine")
    asked = await chat.press(f"rc:cancel:{code}")
    assert asked.text.startswith(f"Huỷ lịch hẹn {code} lúc ") and "nhường" in asked.text
    async with sessions() as session:
        assert len((await session.exec(select(Outbox))).all()) == 2  # nothing done yet
    confirmed = await chat.press(f"rc:cancelyes:{code}")
    assert confirmed.text == texts.BOOKING_CANCELLED.format(code=code)
    async with sessions() as session:
        assert (await session.exec(select(Outbox))).all() == []
    assert (await chat.press("menu:mine")).text == texts.NO_BOOKINGS
    assert (await chat.book()).text.startswith("Đã đặt lịch.")


async def test_a_citizen_holds_at_most_two_open_bookings(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = Chat(assistant)
    assert (await chat.book()).text.startswith("Đã đặt lịch.")
    assert (await chat.book()).text.startswith("Đã đặt lịch.")
    # The limit is told before the first question, not after everything is typed.
    assert (await chat.press("menu:book")).text == texts.TOO_MANY_BOOKINGS
    # Another citizen cannot see or cancel them.
    other = Chat(assistant, "citizen-2")
    async with sessions() as session:
        code = (await session.exec(select(Booking.code))).first()
    assert (await other.press("menu:mine")).text == texts.NO_BOOKINGS
    assert (await other.press(f"rc:cancel:{code}")).text == texts.STALE_BUTTON
    assert (await other.press(f"rc:cancelyes:{code}")).text == texts.STALE_BUTTON


@pytest.mark.parametrize("attempts, places", [(200, 20)])
async def test_two_hundred_concurrent_attempts_for_twenty_places_give_exactly_twenty(
    sessions: SessionFactory, clock: FixedClock, attempts: int, places: int
) -> None:
    await add_calendar(sessions, clock)
    target = (await the_session(sessions)).id
    assert target is not None

    async def attempt() -> int | None:
        for retry in range(20):
            try:
                async with sessions() as session, session.begin():
                    return await rows.take_place(session, target, clock.now())
            except OperationalError:  # SQLite busy beyond busy_timeout: try again
                await asyncio.sleep(0.05 * (retry + 1))
        raise AssertionError("never got through")

    results = await asyncio.gather(*(attempt() for _ in range(attempts)))
    queues = [q for q in results if q is not None]
    assert sorted(queues) == list(range(1, places + 1))
    assert (await the_session(sessions)).booked == places


async def test_a_full_session_sends_the_citizen_back_to_the_list(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock, {"sessions": [dict(ONE_OFF, capacity=1)]})
    first, second = Chat(assistant, "a"), Chat(assistant, "b")
    await second.start_booking("phan_anh")
    for text in ("Phạm Văn Cường", "0912000111", "Tổ dân phố 3, xã Minh Hòa"):
        await second.say(text)
    await second.say("Đèn đường hỏng nhiều tháng chưa sửa")
    assert (await first.book()).text.startswith("Đã đặt lịch.")
    late = await second.press("rc:yes")
    assert late.text.startswith(texts.SESSION_FULL) or late.text == texts.NO_SESSIONS


async def test_the_calendar_warns_when_published_late_and_refuses_bad_rows(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    # 25/11/2026 + 5 working days = 02/12/2026: a session on 01/12 is published too late.
    warnings = await add_calendar(sessions, clock, {"sessions": [dict(ONE_OFF, date="01/12/2026")]})
    assert warnings and "chưa đủ 5 ngày làm việc" in warnings[0]
    async with sessions() as session, session.begin():
        with pytest.raises(CalendarError, match="Buổi tiếp thứ 1: 'capacity'"):
            await import_calendar(session, {"sessions": [dict(ONE_OFF, capacity=0)]}, clock.now())


async def test_a_weekly_schedule_produces_sessions_on_working_days_only(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    schedule = {
        key: ONE_OFF[key]
        for key in ("unit", "kind", "start", "end", "place", "receiver_name", "receiver_title")
    }
    await add_calendar(
        sessions, clock, {"schedules": [dict(schedule, weekday="Thứ Tư", capacity=10)]}
    )
    assert await generate_sessions(sessions, clock) == 4
    assert await generate_sessions(sessions, clock) == 0  # idempotent
    async with sessions() as session:
        days = [
            s.starts_at.astimezone(VN_TZ)
            for s in (await session.exec(select(ReceptionSession))).all()
        ]
    assert [d.strftime("%d/%m") for d in sorted(days)] == ["02/12", "09/12", "16/12", "23/12"]
    assert all(d.weekday() == 2 for d in days)


def test_vietnamese_phone_numbers_in_the_forms_people_write_them() -> None:
    assert normalize_phone("0912 345 678") == "0912345678"
    assert normalize_phone("+84 912-345-678") == "0912345678"
    assert normalize_phone("84912345678") == "0912345678"
    assert normalize_phone("024.3825.1234") == "02438251234"
    assert normalize_phone("0112345678") is None
    assert normalize_phone("091234567") is None
    # Inside a sentence, as people type it.
    assert normalize_phone("sdt cua toi la 091 234 5678") == "0912345678"
    assert normalize_phone("nha so 12 0912 345 678 a") == "0912345678"
    assert normalize_phone("toi ko co sdt") is None


def test_the_number_of_people_in_the_words_people_use() -> None:
    for typed, expected in (
        ("1", 1),
        ("6", 6),
        ("2 người", 2),
        ("1 minh toi thoi", 1),
        ("một mình tôi", 1),
        ("nhieu", None),
        ("²", None),
    ):
        assert people_count(typed) == expected, typed


async def test_reminders_are_sent_the_day_before_and_in_the_morning(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant).book()
    clock.advance(timedelta(days=6))  # 01/12 09:00: the eve reminder is due
    async with sessions() as session, session.begin():
        due = await outbox.claim(session, clock.now(), timedelta(seconds=60), 10)
    assert [row.reply["text"][:25] for row in due] == ["Nhắc lịch: ngày mai 07:30"]


async def official(
    assistant: Assistant,
    sessions: SessionFactory,
    clock: FixedClock,
    unit: str = "Xã Minh Hòa",
    chat: str = "officer",
) -> Chat:
    chat_ = Chat(assistant, chat)
    await chat_.say(await invite(sessions, clock, unit=unit))
    return chat_


async def test_an_official_sees_the_list_records_attendance_and_sends_the_outcome(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant, "citizen-1").book("Đề nghị sửa đường liên thôn bị sạt lở")
    denouncer = Chat(assistant, "citizen-2")
    await denouncer.start_booking("to_cao")
    for text in ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa"):
        await denouncer.say(text)
    await denouncer.say("Cán bộ địa chính nhận tiền của người dân")
    await denouncer.say("1")
    await denouncer.press("rc:yes")

    officer = await official(assistant, sessions, clock)
    listed = await officer.press("staff:reception")
    [session_button] = [b for b in listed.buttons if b.payload.startswith("staff:rc:s:")]
    assert "(2/20)" in session_button.label
    roster = await officer.press(session_button.payload)
    assert "1. Nguyễn Văn An, 1 người; Kiến nghị: Đề nghị sửa đường" in roster.text
    assert texts.HIDDEN_DENUNCIATION in roster.text
    assert "Hoàng Văn Dũng" not in roster.text and "nhận tiền" not in roster.text

    first = next(b.payload for b in roster.buttons if b.payload.startswith("staff:rc:b:"))
    detail = await officer.press(first)
    assert "Điện thoại: 0912345678" in detail.text
    booking_id = first.rsplit(":", 1)[1]
    # 25/11, a week before the session: no attendance yet, whatever is pressed.
    assert f"staff:rc:att:{booking_id}" not in [b.payload for b in detail.buttons]
    early = await officer.press(f"staff:rc:att:{booking_id}")
    assert early.text == texts.ATTENDANCE_TOO_EARLY.format(day="02/12/2026")
    async with sessions() as session:
        booking = await session.get(Booking, int(booking_id))
    assert booking is not None and booking.status == rows.BOOKED
    clock.advance(timedelta(days=7))  # 02/12 09:00, the session's day
    assert (await officer.press(f"staff:rc:att:{booking_id}")).text == texts.ASK_OUTCOME
    saved = await officer.say("Đã tiếp, chuyển phòng Kinh tế khảo sát trong tháng 12")
    assert saved.text == texts.OUTCOME_SAVED
    assert (await officer.press(f"staff:rc:send:{booking_id}")).text == texts.OUTCOME_SENT
    async with sessions() as session:
        booking = await session.get(Booking, int(booking_id))
        notices = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).startswith("outcome:")))
        ).all()
    assert booking is not None and booking.status == rows.ATTENDED
    assert [n.chat_id for n in notices] == ["citizen-1"]
    assert notices[0].reply["text"].endswith("chuyển phòng Kinh tế khảo sát trong tháng 12")


async def test_officials_see_only_their_units_and_citizens_cannot_open_the_list(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant).book()
    elsewhere = await official(assistant, sessions, clock, unit="Xã Minh Hải", chat="o2")
    assert (await elsewhere.press("staff:reception")).text == texts.STAFF_NO_SESSIONS
    target = (await the_session(sessions)).id
    assert (await elsewhere.press(f"staff:rc:s:{target}")).text == texts.STALE_BUTTON
    citizen = Chat(assistant, "nosy")
    assert (await citizen.press(f"staff:rc:s:{target}")).text == texts.FORBIDDEN
    # The province official sees the commune's sessions (a child unit).
    province = await official(assistant, sessions, clock, unit="Tỉnh mẫu", chat="o3")
    listed = await province.press("staff:reception")
    assert any(b.payload == f"staff:rc:s:{target}" for b in listed.buttons)


async def test_cancelling_a_session_tells_everyone_booked_on_their_channel(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant, "a").book()
    await Chat(assistant, "b").book()
    officer = await official(assistant, sessions, clock)
    target = (await the_session(sessions)).id
    asked = await officer.press(f"staff:rc:cancel:{target}")
    assert "sẽ được báo tin" in asked.text and "không hoàn tác" in asked.text
    done = await officer.press(f"staff:rc:cancelyes:{target}")
    assert done.text == texts.SESSION_CANCEL_DONE.format(count=2)
    async with sessions() as session:
        queued = (
            await session.exec(select(Outbox).where(col(Outbox.status) == outbox.PENDING))
        ).all()
    assert sorted(row.chat_id for row in queued) == ["a", "b"]
    assert all("đã bị huỷ" in row.reply["text"] for row in queued)
    assert (await Chat(assistant, "a").press("menu:mine")).text == texts.NO_BOOKINGS


async def test_the_briefing_sheet_hides_denouncers_and_keeps_typed_formulas_as_text(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant, "a").book(summary="=1+1 là điều tôi muốn hỏi")
    item = await the_session(sessions)
    assert item.id is not None
    async with sessions() as session:
        bookings = list(await rows.bookings_of_session(session, item.id))
    bookings.append(
        bookings[0].model_copy(update={"matter_kind": "to_cao", "full_name": "Người Tố Cáo"})
    )
    sheet = load_workbook(BytesIO(briefing_sheet(item, bookings))).active
    assert sheet is not None
    rows_ = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows_[0][6] == "=1+1 là điều tôi muốn hỏi"
    assert sheet.cell(row=4, column=7).data_type == "s"
    assert rows_[1][2] == texts.HIDDEN_DENUNCIATION and not rows_[1][6]


async def test_an_official_records_a_walk_in_and_the_figures_count_every_reception(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    booked = Chat(assistant, "a")
    await booked.book()
    absent = Chat(assistant, "b")
    await absent.book()
    officer = await official(assistant, sessions, clock)

    # At the desk, someone arrives without booking; a group of six.
    kinds = await officer.press("staff:rc:walkin")
    assert [b.payload for b in kinds.buttons][:3] == [
        "staff:rc:wk:thuong_xuyen",
        "staff:rc:wk:dinh_ky",
        "staff:rc:wk:dot_xuat",
    ]
    matter = await officer.press("staff:rc:wk:dot_xuat")
    assert matter.text == texts.WALK_IN_ASK["matter"]
    # Back from the first question is the kinds again, not "booking cancelled".
    assert (await officer.press("rc:back")).text == texts.WALK_IN_KIND
    await officer.press("staff:rc:wk:dot_xuat")
    assert (await officer.press("rc:m:kien_nghi")).text == texts.WALK_IN_ASK["name"]
    await officer.say("Đinh Thị Hoa")
    # An elderly citizen without a phone is still recorded.
    assert (await officer.say("ko co sdt")).text == texts.WALK_IN_ASK["address"]
    await officer.say("Xóm Bãi, xã Minh Hòa")
    await officer.say("Sáu hộ đề nghị làm rõ việc đền bù đường tỉnh")
    read_back = await officer.say("6")
    assert read_back.text.startswith(texts.WALK_IN_READ_BACK.split("\n")[0])
    assert "- Điện thoại: không có" in read_back.text and "- Số người: 6" in read_back.text
    saved = await officer.press("rc:save")
    assert saved.text.startswith("Đã ghi vào sổ tiếp công dân: mã TD-")

    async with sessions() as session, session.begin():
        by_code = {b.chat_id: b for b in (await session.exec(select(Booking))).all()}
        by_code["a"].status = rows.ATTENDED
        by_code["b"].status = rows.ABSENT
        session.add_all([by_code["a"], by_code["b"]])
    async with sessions() as session:
        units = {u.id for u in await people.units(session) if u.id is not None}
        start = datetime(2026, 11, 1, tzinfo=VN_TZ)
        counted = await reception_figures.figures(
            session, units, start, datetime(2027, 1, 1, tzinfo=VN_TZ)
        )
        before = await reception_figures.figures(
            session, units, start, datetime(2026, 11, 25, tzinfo=VN_TZ)
        )
    assert (counted.visits, counted.people, counted.cases, counted.groups) == (2, 7, 2, 1)
    assert counted.by_kind == {"dinh_ky": 1, "dot_xuat": 1}
    assert before.visits == 0


async def test_moving_a_session_tells_the_booked_citizens_and_moves_their_reminders(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await Chat(assistant, "a").book()
    target = (await the_session(sessions)).id
    assert target is not None
    async with sessions() as session, session.begin():
        told = await move_session(
            session, target, datetime(2026, 12, 4, 14, 0, tzinfo=VN_TZ), clock.now()
        )
    assert told == 1
    rows_ = await pending(sessions)
    notice = [r for r in rows_ if r.dedupe_key and r.dedupe_key.startswith("session-moved")]
    assert (
        notice[0]
        .reply["text"]
        .startswith("Buổi tiếp công dân 07:30 ngày 02/12/2026 được dời sang 14:00 ngày 04/12/2026")
    )
    reminders = sorted(
        r.available_at.astimezone(VN_TZ) for r in rows_ if r.reply["text"].startswith("Nhắc lịch")
    )
    assert reminders == [
        datetime(2026, 12, 3, 8, 0, tzinfo=VN_TZ),
        datetime(2026, 12, 4, 6, 30, tzinfo=VN_TZ),
    ]
    moved = await the_session(sessions)
    assert moved.ends_at.astimezone(VN_TZ) == datetime(2026, 12, 4, 17, 30, tzinfo=VN_TZ)


async def pending(sessions: SessionFactory) -> list[Outbox]:
    async with sessions() as session:
        query = select(Outbox).where(col(Outbox.status) == outbox.PENDING)
        return list((await session.exec(query)).all())


async def test_an_official_adds_a_session_in_the_chat_and_citizens_can_book_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await official(assistant, sessions, clock)
    listed = await officer.press("staff:reception")
    assert "staff:rc:new" in [b.payload for b in listed.buttons]
    await officer.press("staff:rc:new")
    assert (await officer.press("staff:rc:nk:dinh_ky")).text == texts.NEW_SESSION_ASK["when"]
    assert (await officer.say("mai 8h")).text.startswith(texts.NEW_SESSION_BAD)
    await officer.say("27/11/2026 07:30-11:00")
    await officer.say("Phòng tiếp công dân UBND xã")
    await officer.say("Chủ tịch UBND xã, Lê Văn Bình")
    saved = await officer.say("2")
    assert saved.text.startswith("Đã thêm buổi tiếp 27/11/2026 07:30")
    assert "chưa đủ 5 ngày làm việc" in saved.text  # published two days ahead
    item = await the_session(sessions)
    assert (item.capacity, item.receiver_title, item.receiver_name) == (
        2,
        "Chủ tịch UBND xã",
        "Lê Văn Bình",
    )
    assert (await Chat(assistant, "citizen").book()).text.startswith("Đã đặt lịch.")


async def test_text_typed_at_the_session_list_shows_it_again_and_a_number_then_picks(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Once only "Huỷ" was left on screen, so typing 1 cancelled the booking."""
    await add_calendar(sessions, clock)
    chat = Chat(assistant, "farmer")
    await chat.press("menu:book")
    again = await chat.say("buoi chieu")
    assert again.text.startswith(texts.PICK_SESSION_AGAIN)
    assert payloads([again])[0].startswith("rc:s:")
    assert (await chat.say("1")).text == texts.ASK_MATTER


async def test_a_citizen_at_the_session_list_changes_her_mind_and_reports_a_flood(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await setup_units(sessions, clock)
    chat = Chat(assistant, "changed-mind")
    listed = await chat.say("dk gap ct xa")
    assert payloads([listed])[0].startswith("rc:s:")
    suggested = await chat.say("thoi toi muon phan anh duong xom bi ngap")
    assert "phản ánh" in suggested.text and "pt:yes:phan_anh" in payloads([suggested])
    assert (await chat.say("dung")).text == texts.PETITION_ASK["name"]  # typed "đúng"


async def test_the_same_quit_words_work_in_every_form(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    for number, words in enumerate(
        ("thoi ko dat nua", "Dừng lại", "thoát", "hủy", "khong gui nua")
    ):
        chat = Chat(assistant, f"quitter-{number}")
        await chat.start_booking()
        stopped = await chat.say(words)
        assert stopped.text.endswith(texts.FORM_STOPPED), words
        assert stopped.buttons[0].payload == "draft:resume", words
        await chat.press("menu:petition")
        await chat.press("pt:k:kien_nghi")
        assert (await chat.say(words)).text.endswith(texts.FORM_STOPPED), words
    # Inside a sentence it is an answer, not a quit; "dung" alone is "đúng" as often as "dừng".
    chat = Chat(assistant, "staying")
    await chat.start_booking()
    assert (await chat.say("Nguyễn Văn Thôi")).text == texts.ASK_PHONE
    assert (await chat.say("dung")).text == texts.BAD_PHONE


async def test_moving_a_booking_to_its_own_session_changes_nothing(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = Chat(assistant)
    booked = await chat.book()
    code = booked.text.split("Mã lịch hẹn: ")[1].split(".")[0]
    await chat.press("menu:mine")
    offered = await chat.press(f"rc:move:{code}")
    [same] = [b.payload for b in offered.buttons if b.payload.startswith("rc:s:")]
    kept = await chat.press(same)
    assert kept.text == texts.BOOKING_SAME_SESSION.format(code=code, queue=1)
    item = await the_session(sessions)
    assert item.booked == 1 and item.last_queue == 1


async def test_a_menu_button_or_a_question_mid_booking_keeps_what_was_typed(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = Chat(assistant, "farmer")
    await chat.start_booking()
    await chat.say("Nguyen Van An")
    # A question at the phone step is answered, and the form waits.
    answered = await chat.say("thoi hieu khieu nai la bao lau?")
    assert "90 ngày" in answered.text and payloads([answered]) == ["draft:resume"]
    assert (await chat.press("draft:resume")).text == texts.ASK_PHONE
    await chat.say("0912 345 678")
    # A main-menu button sets the booking aside, says so, and offers it back.
    asked = await chat.press("menu:ask")
    assert asked.text.startswith(texts.DRAFT_KEPT) and "draft:resume" in payloads([asked])
    await chat.say("xin chao")  # other things in between
    assert (await chat.press("draft:resume")).text == texts.ASK_ADDRESS
    await chat.say("Thon Dong, xa Minh Hoa")
    read_back = await chat.say("De nghi sua duong lien thon bi sat lo")
    assert "Nguyen Van An" in read_back.text and "0912345678" in read_back.text

    # A draft left for over a week is gone, as every unfinished form's answers are.
    other = Chat(assistant, "forgetful")
    await other.start_booking()
    await other.say("Tran Thi Binh")
    await other.press("menu:status")
    clock.advance(timedelta(days=8))
    await Retention(sessions, clock, timedelta(days=90)).purge()
    assert (await other.press("draft:resume")).text == texts.NO_DRAFT


async def test_a_first_booking_from_a_free_text_request_takes_at_most_eight_steps(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Counted from the first message to the code: each message typed or button pressed."""
    await add_calendar(
        sessions,
        clock,
        {
            "sessions": [
                dict(
                    ONE_OFF,
                    receiver_title="Phó Chủ tịch UBND xã",
                    receiver_name="Hà Văn Cường",
                    start="13:30",
                    end="16:30",
                ),
                ONE_OFF,
            ]
        },
    )
    chat = Chat(assistant, "first-timer")
    steps = 0

    async def say(text: str) -> Reply:
        nonlocal steps
        steps += 1
        return await chat.say(text)

    async def press(payload: str) -> Reply:
        nonlocal steps
        steps += 1
        return await chat.press(payload)

    listed = await say("dang ky gap chu tich xa")
    # The chairman's session comes first, though the vice-chairman's was listed first.
    first = next(b for b in listed.buttons if b.payload.startswith("rc:s:"))
    assert first.label.endswith(": Chủ tịch UBND xã")
    await press(first.payload)
    await press("rc:m:kien_nghi")
    await say("Nguyen Van An")
    await say("0912 345 678")
    await say("Thon Dong, xa Minh Hoa")
    await say("De nghi sua duong lien thon bi sat lo")
    done = await press("rc:yes")
    assert done.text.startswith("Đã đặt lịch. Mã lịch hẹn: LH-")
    assert steps == 8

    # Back another day: name, phone and address of last time are offered, masked.
    steps = 0
    listed = await say("dang ky gap pho chu tich")
    await press(next(b.payload for b in listed.buttons if b.payload.startswith("rc:s:")))
    asked = await press("rc:m:kien_nghi")
    assert "Ng… An, 09xx xxx 678" in asked.text and "Nguyen Van An" not in asked.text
    assert [b.label for b in asked.buttons[:2]] == [texts.REUSE_BUTTON, texts.NOT_ME]
    assert (await press("rc:prev")).text == texts.ASK_SUMMARY
    read_back = await say("De nghi lap den duong thon Dong")
    assert "Nguyen Van An" in read_back.text and "0912345678" in read_back.text
    assert (await press("rc:yes")).text.startswith("Đã đặt lịch. Mã lịch hẹn: LH-")
    assert steps == 6


async def test_on_a_shared_phone_the_next_person_says_not_me_and_types_their_own_details(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    kiosk = Chat(assistant, "kiosk")
    assert (await kiosk.book()).text.startswith("Đã đặt lịch.")
    await kiosk.start_booking()
    mine = await kiosk.press("rc:notme")
    assert mine.text == texts.ASK_NAME  # no hint any more, and nothing filled in
    assert "rc:prev" not in payloads([mine])
    await kiosk.say("Tran Thi Mai")
    back = await kiosk.press("rc:back")
    assert back.text == texts.ASK_NAME  # going back does not bring the hint again
    async with sessions() as session:
        bookings = (await session.exec(select(Booking))).all()
    assert [b.full_name for b in bookings] == ["Nguyễn Văn An"]


async def test_a_phan_anh_from_a_free_text_request_takes_at_most_ten_steps(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "reporter")
    replies = [await chat.say("toi muon phan anh duong xom bi ngap")]
    replies.append(await chat.press("pt:yes:phan_anh"))
    for answer in (
        "Le Thi Hoa",
        "sdt 0911 222 333",
        "Thon Tay, xa Minh Hoa",
        "Duong xom ngap sau moi tran mua",
        "Ngo 3 thon Tay",
        "ko co",
    ):
        replies.append(await chat.say(answer))
    replies.append(await chat.press("pt:send"))
    assert "Mã tra cứu: PA-" in replies[-1].text
    assert len(replies) == 9


async def test_when_the_chosen_session_fills_meanwhile_only_another_session_is_asked(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    later = dict(ONE_OFF, date="09/12/2026")
    await add_calendar(sessions, clock, {"sessions": [dict(ONE_OFF, capacity=1), later]})
    first, second = Chat(assistant, "a"), Chat(assistant, "b")
    await second.start_booking("phan_anh")  # the 02/12 session, one place left
    for text in ("Phạm Văn Cường", "0912000111", "Tổ dân phố 3, xã Minh Hòa"):
        await second.say(text)
    await second.say("Đèn đường hỏng nhiều tháng chưa sửa")
    assert (await first.book()).text.startswith("Đã đặt lịch.")  # takes that last place
    full = await second.press("rc:yes")
    assert full.text.startswith(texts.SESSION_FULL) and "09/12/2026" in full.text
    [other] = [p for p in payloads([full]) if p.startswith("rc:s:")]
    read_back = await second.press(other)  # no name, phone... asked again
    assert read_back.text.startswith("Anh/chị kiểm tra lại") and "Phạm Văn Cường" in read_back.text
    assert "09/12/2026" in read_back.text
    assert (await second.press("rc:yes")).text.startswith("Đã đặt lịch.")


async def test_a_set_aside_booking_stays_reachable_and_odd_input_keeps_the_form_buttons(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """From the third walk: the way back vanished after one reply, a question about the law
    replaced the draft, and after an emoji a typed 1 opened the main menu's first item."""
    await add_calendar(sessions, clock)
    chat = Chat(assistant, "farmer")
    await chat.start_booking(matter=None)
    # An emoji at the matter step: said, and the question asked again with its own buttons.
    unclear = await chat.say("😀")
    assert unclear.text.startswith(texts.UNCLEAR) and "rc:m:khieu_nai" in payloads([unclear])
    assert (await chat.say("1")).text == texts.ASK_NAME  # 1 = Khiếu nại, not the menu
    await chat.say("Nguyen Van An")
    # Typed "menu" sets the booking aside like the button does.
    assert "draft:resume" in payloads([await chat.say("menu")])
    # Every reply while it waits offers it back, a suggestion to file a đơn included.
    await chat.say("khieu nai qua han thi lam sao")
    assert "draft:resume" in payloads([await chat.say("xin chao")])
    assert (await chat.say("tiep tuc dien")).text == texts.ASK_PHONE
    # An old button: refused, and the form's own buttons still work.
    stale = await chat.press("rc:s:999")
    assert stale.text.startswith(texts.STALE_BUTTON) and "rc:back" in payloads([stale])
    assert (await chat.press("rc:back")).text == texts.ASK_NAME
    assert (await chat.press("rc:back")).text.startswith("Anh/chị đến để làm gì?")


async def test_a_citizen_who_gives_up_moving_a_booking_is_told_it_is_kept_and_keeps_his_draft(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: "Huỷ" while moving said "Đã huỷ việc đặt lịch" (the booking was still
    there) and dropped a half-filled form set aside."""
    await add_calendar(sessions, clock)
    chat = Chat(assistant, "farmer")
    code = (await chat.book()).text.split("Mã lịch hẹn: ")[1].split(".")[0]
    await chat.press("menu:petition")
    await chat.press("pt:k:phan_anh")
    await chat.say("Nguyen Van An")
    await chat.press("menu:mine")  # the đơn waits as a draft
    await chat.press(f"rc:move:{code}")
    kept = await chat.press("rc:quit")
    assert kept.text.startswith(texts.BOOKING_MOVE_QUIT.format(code=code))
    assert "draft:resume" in payloads([kept])
    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
    assert booking.status == rows.BOOKED
    assert (await chat.press("draft:resume")).text == texts.PETITION_ASK["phone"]


async def test_a_calendar_and_a_plan_with_several_bad_rows_name_every_one_at_once(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    """An office fixing a file one error per run gives up: every wrong row is named."""
    from handlers.deadlines.plans import import_plan
    from handlers.deadlines.rules import DeadlineError

    await setup_units(sessions, clock)
    calendar = {
        "sessions": [
            dict(ONE_OFF, date="31/02/2026"),
            ONE_OFF,
            dict(ONE_OFF, unit="Xã Không Có"),
        ]
    }
    with pytest.raises(CalendarError) as wrong:
        async with sessions() as session, session.begin():
            await import_calendar(session, calendar, clock.now())
    assert "Buổi tiếp thứ 1" in str(wrong.value) and "Buổi tiếp thứ 3" in str(wrong.value)
    async with sessions() as session:
        assert (await session.exec(select(ReceptionSession))).all() == []

    plan = [
        {"title": "Báo cáo tháng", "unit": "Xã Minh Hòa", "recurrence": "monthly:40"},
        {"title": "Báo cáo quý", "unit": "Xã Minh Hòa", "recurrence": "quarterly:3:18"},
        "không phải một dòng",
    ]
    with pytest.raises(DeadlineError) as bad_plan:
        async with sessions() as session, session.begin():
            await import_plan(session, plan, clock.now())  # type: ignore[arg-type]
    assert "1" in str(bad_plan.value).split("\n")[0] and len(str(bad_plan.value).split("\n")) == 2


async def test_the_chairman_asked_for_is_offered_even_after_a_fortnight_of_daily_sessions(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: only the first 8 sessions were looked at, so a chairman's session after
    a week of daily ones could not be booked from "gặp chủ tịch"."""
    daily = [
        dict(
            ONE_OFF,
            date=f"{day:02d}/12/2026",
            receiver_title="Công chức tiếp công dân",
            receiver_name="Trần Thị Mẫu",
        )
        for day in range(1, 15)
    ]
    chairman = dict(ONE_OFF, date="16/12/2026", start="13:30", end="16:30")
    await add_calendar(sessions, clock, {"sessions": [*daily, chairman]})
    listed = await Chat(assistant, "late").say("toi muon gap chu tich xa")
    offered = [b.label for b in listed.buttons if b.payload.startswith("rc:s:")]
    assert offered[0] == "16/12 13:30: Chủ tịch UBND xã" and len(offered) == 8


def daily_sessions(first: date, days: int) -> list[dict[str, object]]:
    """One morning session a day with the commune's reception officer."""
    return [
        dict(
            ONE_OFF,
            date=f"{first + timedelta(days=n):%d/%m/%Y}",
            receiver_title="Công chức tiếp công dân",
            receiver_name="Trần Thị Mẫu",
        )
        for n in range(days)
    ]


# Three weeks ahead of the suite's Wednesday 25/11/2026, after twenty days of daily sessions:
# the 21st session, on the third page of the list.
CHAIRMAN_LATER = dict(ONE_OFF, date="16/12/2026", start="13:30", end="16:30")


def session_buttons(reply: Reply) -> list[str]:
    return [b.label for b in reply.buttons if b.payload.startswith("rc:s:")]


async def booked_day(sessions: SessionFactory) -> str:
    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
        item = await session.get(ReceptionSession, booking.session_id)
    assert item is not None
    return f"{item.starts_at.astimezone(VN_TZ):%d/%m/%Y %H:%M}"


async def test_a_citizen_pages_to_a_session_three_weeks_ahead_and_books_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: only the first 8 sessions were offered, with no way to see later ones."""
    calendar = [*daily_sessions(date(2026, 11, 26), 20), CHAIRMAN_LATER]
    await add_calendar(sessions, clock, {"sessions": calendar})
    chat = Chat(assistant, "pages")
    first = await chat.say("toi muon dat lich tiep cong dan")
    assert len(session_buttons(first)) == 8 and "(Trang 1/3." in first.text
    assert payloads([first])[8:] == ["rc:page:1", "rc:quit"]
    # She first takes the earliest session and fills the form, then wants a later one.
    await chat.press(payloads([first])[0])
    await chat.press("rc:m:kien_nghi")
    await chat.say("Nguyễn Thị Hoa")
    await chat.say("0912 345 678")
    await chat.say("Thôn Đông, xã Minh Hòa")
    await chat.say("Đề nghị xem xét lại việc cấp giấy chứng nhận quyền sử dụng đất")
    await chat.press("rc:edit")
    again = await chat.press("rc:edit:session")
    assert "rc:back" in payloads([again])  # back to the read-back with nothing lost
    second = await chat.press("rc:page:1")
    assert session_buttons(second)[0] == "04/12 07:30: Công chức tiếp công dân"
    assert "rc:page:0" in payloads([second]) and "rc:page:2" in payloads([second])
    assert [b.label for b in second.buttons[8:10]] == [texts.LATER_SESSIONS, texts.EARLIER_SESSIONS]

    # The process restarts, and the channel delivers the next press twice.
    restarted = Assistant(sessions, KnowledgeBase(0), clock, AssistantSettings())
    press = Incoming(
        channel="web", chat_id="pages", user_id="pages", button="rc:page:2", update_id="u-41"
    )
    third = await restarted.dispatch(press)
    assert await restarted.dispatch(press) == third
    assert "(Trang 3/3." in third[-1].text and "rc:page:3" not in payloads(third)
    assert session_buttons(third[-1])[-1] == "16/12 13:30: Chủ tịch UBND xã"
    read_back = await Chat(restarted, "pages").press(payloads(third)[4])
    assert "- Buổi tiếp: 16/12/2026 13:30-16:30" in read_back.text
    assert "Nguyễn Thị Hoa" in read_back.text and "0912345678" in read_back.text
    assert (await Chat(restarted, "pages").press("rc:yes")).text.startswith("Đã đặt lịch.")
    assert await booked_day(sessions) == "16/12/2026 13:30"


async def test_a_typed_number_after_paging_books_the_session_shown_at_that_number(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock, {"sessions": daily_sessions(date(2026, 11, 26), 20)})
    chat = Chat(assistant, "zalo-like")
    first = await chat.say("dat lich tiep dan")
    assert payloads([first])[8] == "rc:page:1", first
    second = await chat.say("xem cac buoi sau")  # the button's label, typed
    assert "(Trang 2/3." in second.text, second
    assert session_buttons(second)[2] == "06/12 07:30: Công chức tiếp công dân"
    # A restart between the page and the number: the number is still read on this page.
    restarted = Chat(Assistant(sessions, KnowledgeBase(0), clock, AssistantSettings()), "zalo-like")
    assert (await restarted.say("3")).text == texts.ASK_MATTER
    await restarted.say("kien nghi")
    await restarted.say("Phạm Văn Lâm")
    await restarted.say("0987654321")
    await restarted.say("Xóm Bãi, xã Minh Hòa")
    await restarted.say("Kiến nghị sửa đoạn đường liên thôn bị sạt lở")
    assert (await restarted.say("dong y")).text.startswith("Đã đặt lịch.")
    assert await booked_day(sessions) == "06/12/2026 07:30"


async def test_a_citizen_types_the_date_of_a_later_session_without_diacritics_and_books_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    calendar = [*daily_sessions(date(2026, 11, 26), 20), CHAIRMAN_LATER]
    await add_calendar(sessions, clock, {"sessions": calendar})
    chat = Chat(assistant, "by-day")
    await chat.say("toi muon dat lich tiep cong dan")
    monday = await chat.say("thu 2 tuan sau")
    assert monday.text.startswith("Ngày 30/11/2026 có một buổi tiếp còn chỗ:")
    offered = await chat.say("ngay 16 thang 12")
    assert offered.text.startswith("Ngày 16/12/2026 có một buổi tiếp còn chỗ:")
    assert "16/12/2026 13:30-16:30: Tiếp định kỳ của lãnh đạo" in offered.text
    assert payloads([offered]) == [payloads([offered])[0], "rc:page:0", "rc:quit"]
    assert (await chat.say("dung")).text == texts.ASK_MATTER  # "đúng", as if tapped
    await chat.say("khieu nai")
    await chat.say("tran van binh")
    await chat.say("0903 111 222")
    await chat.say("thon Tay, xa Minh Hoa")
    await chat.say("Khieu nai quyet dinh thu hoi dat so 12/QD-UBND")
    assert (await chat.press("rc:yes")).text.startswith("Đã đặt lịch.")
    assert await booked_day(sessions) == "16/12/2026 13:30"


async def test_a_typed_date_with_no_session_names_the_nearest_ones(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    calendar = [
        dict(ONE_OFF, date="10/12/2026"),
        dict(ONE_OFF, date="18/12/2026"),
        dict(ONE_OFF, date="18/12/2026", start="13:30", end="16:30"),
    ]
    await add_calendar(sessions, clock, {"sessions": calendar})
    chat = Chat(assistant, "nearest")
    await chat.say("dk gap ct xa")
    none = await chat.say("15/12")
    assert none.text.split("\n") == [
        "Ngày 15/12/2026 không có buổi tiếp nào còn chỗ.",
        "Buổi gần nhất trước ngày đó: 10/12/2026 07:30-11:00: Tiếp định kỳ của lãnh đạo, "
        "Chủ tịch UBND xã Lê Văn Bình (20 chỗ trống)",
        "Buổi gần nhất sau ngày đó: 18/12/2026 07:30-11:00: Tiếp định kỳ của lãnh đạo, "
        "Chủ tịch UBND xã Lê Văn Bình (20 chỗ trống)",
    ]
    assert session_buttons(none) == [
        "10/12 07:30: Chủ tịch UBND xã",
        "18/12 07:30: Chủ tịch UBND xã",
    ]
    passed = await chat.say("20/11")
    assert passed.text.startswith("Ngày 20/11/2026 đã qua.\nBuổi gần nhất sau ngày đó: 10/12/2026")
    several = await chat.say("ngày 18")
    assert several.text.startswith("Ngày 18/12/2026 có 2 buổi tiếp còn chỗ. Anh/chị chọn một buổi:")
    assert len(session_buttons(several)) == 2
    assert (await chat.say("2")).text == texts.ASK_MATTER
    async with sessions() as session:
        state = await conversations.load(session, "web", "nearest")
    assert str(state.data["session_id"]) == payloads([several])[1].removeprefix("rc:s:")


def test_the_days_people_type_to_find_a_session() -> None:
    wednesday = date(2026, 11, 25)
    typed = {
        "14/12": date(2026, 12, 14),
        "ngày 14": date(2026, 12, 14),
        "ng 30": date(2026, 11, 30),
        "14/12/2026": date(2026, 12, 14),
        "toi muon dat ngay 14 thang 12": date(2026, 12, 14),
        "thứ 2 tuần sau": date(2026, 11, 30),
        "t6 tuan toi": date(2026, 12, 4),
        "thu sau": date(2026, 11, 27),
        "chu nhat tuan sau": date(2026, 12, 6),
        "mai": date(2026, 11, 26),
        "15/01": date(2027, 1, 15),
        "20/11": date(2026, 11, 20),  # a slip: told it has passed, not sent a year ahead
        "10/10": date(2027, 10, 10),
    }
    assert {text: read_wanted_day(text, wednesday) for text in typed} == typed
    for nothing in ("14", "buoi chieu", "xem cac buoi sau", "31/02", "01/01/0001", "31/12/9999"):
        assert read_wanted_day(nothing, wednesday) is None
