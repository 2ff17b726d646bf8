"""A denouncer's identity at a tiếp công dân session (hardening findings F2, F8, F17).

The roster always hid a tố cáo booking, but its detail showed name, phone, address and summary
to every official in scope, and the citizen's read-back echoed them into stored replies. Now only
the staff account linked as the session's receiver sees them, an admin only with a reason, and a
staff account marked as accused does not see the booking at all.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.retention import Retention
from db import conversations, inbox, people
from db.engine import SessionFactory
from db.models import AuditLog, Identity, InboxItem, Outbox, Petition, ReceptionSession
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.contract import Reply
from handlers.conversation.assistant import Assistant
from handlers.reception.schedule import generate_sessions
from tests.test_access import invite, setup_units
from tests.test_petitions import DENUNCIATION, file
from tests.test_petitions import Chat as PetitionChat
from tests.test_reception import ONE_OFF, Chat, add_calendar, official

DENOUNCER = ("Hoàng Văn Dũng", "0987000111", "Thôn Tây, xã Minh Hòa")


async def denounce(assistant: Assistant) -> Reply:
    denouncer = Chat(assistant, "denouncer")
    offered = await denouncer.press("menu:book")
    await denouncer.press(next(b.payload for b in offered.buttons if b.payload.startswith("rc:s:")))
    await denouncer.press("rc:m:to_cao")
    for text in DENOUNCER:
        await denouncer.say(text)
    return await denouncer.say("Cán bộ địa chính nhận tiền của người dân")


async def person_of_channel(sessions: SessionFactory, channel: str, chat: str) -> int:
    async with sessions() as session:
        found = await people.identity(session, channel, chat)
    assert found is not None
    return found.person_id


async def person_of(sessions: SessionFactory, chat: str) -> int:
    return await person_of_channel(sessions, "web", chat)


def button(reply: Reply, prefix: str, ending: str = "") -> str:
    return next(
        b.payload
        for b in reply.buttons
        if b.payload.startswith(prefix) and b.payload.endswith(ending)
    )


def shows_identity(reply: Reply) -> bool:
    return any(part in reply.text for part in DENOUNCER)


async def test_the_denouncers_read_back_does_not_echo_who_they_are(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    read_back = await denounce(assistant)
    assert "Loại việc: Tố cáo" in read_back.text and texts.WITHHELD in read_back.text
    assert not shows_identity(read_back)
    await Chat(assistant, "denouncer").press("rc:yes")
    async with sessions() as session:
        stored = (await session.exec(select(InboxItem))).all()
    assert not any(part in str(item.replies) for item in stored for part in DENOUNCER)


async def test_only_the_linked_receiver_sees_a_denouncer_and_an_admin_must_give_a_reason(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await denounce(assistant)
    await Chat(assistant, "denouncer").press("rc:yes")
    chairman = await official(assistant, sessions, clock, chat="chairman")
    clerk = await official(assistant, sessions, clock, chat="clerk")
    admin = Chat(assistant, "admin")
    await admin.say(await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu"))

    # No receiver linked yet: nobody in scope sees the denouncer, whatever the session says.
    roster = await clerk.press(button(await clerk.press("staff:reception"), "staff:rc:s:"))
    detail = await clerk.press(button(roster, "staff:rc:b:"))
    assert not shows_identity(detail) and "nhận tiền" not in detail.text
    assert "chưa chọn tài khoản" in detail.text
    assert not any(b.payload.startswith("staff:rc:reveal:") for b in detail.buttons)

    # With a tố cáo booked, naming a receiver reveals it: the clerk cannot, an admin can.
    chairman_id = await person_of(sessions, "chairman")
    assert (await clerk.press(button(roster, "staff:rc:rcv:"))).text == texts.RECEIVER_ADMIN_ONLY
    session_id = button(roster, "staff:rc:rcv:").rsplit(":", 1)[1]
    refused = await clerk.press(f"staff:rc:rcvp:{session_id}:{chairman_id}")
    assert refused.text == texts.RECEIVER_ADMIN_ONLY
    picker = await admin.press(button(roster, "staff:rc:rcv:"))
    assert f"tài khoản #{chairman_id}".lower() in " ".join(b.label.lower() for b in picker.buttons)
    linked = await admin.press(button(picker, "staff:rc:rcvp:", f":{chairman_id}"))
    assert linked.text.startswith("Đã đặt ")
    async with sessions() as session:
        item = (await session.exec(select(ReceptionSession))).one()
    assert item.receiver_person_id == chairman_id

    # The chairman sees who denounced; the clerk still does not, and cannot switch receivers.
    roster = await chairman.press(button(await chairman.press("staff:reception"), "staff:rc:s:"))
    seen = await chairman.press(button(roster, "staff:rc:b:"))
    assert all(part.replace(" ", "") in seen.text.replace(" ", "") for part in DENOUNCER)
    assert not shows_identity(await clerk.press(button(roster, "staff:rc:b:")))
    clerk_id = await person_of(sessions, "clerk")
    refused = await clerk.press(f"staff:rc:rcvp:{item.id}:{clerk_id}")
    assert refused.text == texts.RECEIVER_ADMIN_ONLY

    # An admin sees a masked detail with a reveal button, and the identity only with a reason.
    roster = await admin.press(button(await admin.press("staff:reception"), "staff:rc:s:"))
    masked = await admin.press(button(roster, "staff:rc:b:"))
    assert not shows_identity(masked)
    assert (await admin.press(button(masked, "staff:rc:reveal:"))).text == texts.PT_REVEAL_ASK
    assert not shows_identity(await admin.say("xem"))  # too short to be a reason
    await admin.press(button(masked, "staff:rc:reveal:"))
    revealed = await admin.say("Thanh tra tỉnh yêu cầu xác minh bảo vệ người tố cáo")
    assert "Hoàng Văn Dũng" in revealed.text
    async with sessions() as session:
        audits = (
            await session.exec(
                select(AuditLog).where(col(AuditLog.action) == "reception.denouncer_viewed")
            )
        ).all()
    reasons = [a.after.get("reason") for a in audits if a.after]
    assert reasons == ["Thanh tra tỉnh yêu cầu xác minh bảo vệ người tố cáo"]
    assert len(audits) == 2  # the chairman's view and the admin's


async def test_a_staff_account_marked_as_accused_no_longer_sees_the_booking(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chairman = await official(assistant, sessions, clock, chat="chairman")
    cadastral = await official(assistant, sessions, clock, chat="cadastral")
    chairman_id = await person_of(sessions, "chairman")
    cadastral_id = await person_of(sessions, "cadastral")
    # The chairman is named receiver while planning, before anyone books.
    session_id = button(await chairman.press("staff:reception"), "staff:rc:s:").rsplit(":", 1)[1]
    planned = await chairman.press(f"staff:rc:rcvp:{session_id}:{chairman_id}")
    assert planned.text.startswith("Đã đặt ")
    await denounce(assistant)
    await Chat(assistant, "denouncer").press("rc:yes")
    roster = await chairman.press(f"staff:rc:s:{session_id}")
    detail = await chairman.press(button(roster, "staff:rc:b:"))
    booking_payload = button(roster, "staff:rc:b:")
    # The accused cannot mark anyone: they are not the receiver.
    assert (await cadastral.press(button(detail, "staff:rc:acc:"))).text == texts.FORBIDDEN
    picker = await chairman.press(button(detail, "staff:rc:acc:"))
    marked = await chairman.press(button(picker, "staff:rc:accp:", f":{cadastral_id}"))
    assert marked.text.startswith("Đã đánh dấu")

    their_roster = await cadastral.press(
        button(await cadastral.press("staff:reception"), "staff:rc:s:")
    )
    assert texts.HIDDEN_DENUNCIATION not in their_roster.text
    assert booking_payload not in [b.payload for b in their_roster.buttons]
    assert (await cadastral.press(booking_payload)).text == texts.STALE_BUTTON
    booking_id = booking_payload.rsplit(":", 1)[1]
    for forged in (f"staff:rc:att:{booking_id}", f"staff:rc:accp:{booking_id}:{cadastral_id}"):
        assert (await cadastral.press(forged)).text == texts.STALE_BUTTON
    async with sessions() as session:
        assert await inbox.pending_count(session) == 0


async def test_an_admin_takes_over_a_denunciation_only_with_a_reason_and_the_handler_is_told(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(PetitionChat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler = PetitionChat(assistant, "handler", channel="telegram")
    admin = PetitionChat(assistant, "admin")
    await handler.say(await invite(sessions, clock))
    await admin.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session:
        number = (await session.exec(select(Petition.id))).one()
    # Officials do not pick up a tố cáo themselves: an admin assigns it.
    assert (await handler.press(f"staff:pt:take:{number}")).text == texts.PT_TAKE_REFUSED
    handler_id = await person_of_channel(sessions, "telegram", "handler")
    picker = await admin.press(f"staff:pt:assign:{number}")
    assigned = await admin.press(button(picker, "staff:pt:assign_to:", f":{handler_id}"))
    assert assigned.text.startswith("Đã giao đơn") and "Trần Thị Bình" not in assigned.text
    taken = await handler.press(f"staff:pt:v:{number}")
    assert "Trần Thị Bình" in taken.text

    asked = await admin.press(f"staff:pt:take:{number}")
    assert asked.text == texts.PT_TAKE_REASON_ASK and "Trần Thị Bình" not in asked.text
    async with sessions() as session:
        petition = await session.get(Petition, number)
    assert petition is not None and petition.handler_person_id == handler_id  # not yet
    # Too short: asked again, the step kept, nothing shown.
    again = await admin.say("ok")
    assert again.text == texts.REASON_TOO_SHORT + texts.PT_TAKE_REASON_ASK
    after = await admin.say("Người xử lý nghỉ ốm dài ngày, cần người thay")
    assert "Trần Thị Bình" in after.text
    async with sessions() as session:
        petition = await session.get(Petition, number)
        audit = (
            await session.exec(
                select(AuditLog)
                .where(AuditLog.action == "petition.assigned")
                .order_by(col(AuditLog.id).desc())
            )
        ).first()
        told = (await session.exec(select(Outbox).where(Outbox.chat_id == "handler"))).all()
    assert petition is not None and petition.handler_person_id != handler_id
    assert audit is not None and audit.after is not None
    assert audit.after["reason"] == "Người xử lý nghỉ ốm dài ngày, cần người thay"
    assert any("giao lại cho người khác" in row.reply["text"] for row in told)


async def test_an_official_accused_in_a_denunciation_cannot_see_or_take_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(PetitionChat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler, accused_official = PetitionChat(assistant, "handler"), PetitionChat(assistant, "le-c")
    admin = PetitionChat(assistant, "admin")
    await handler.say(await invite(sessions, clock))
    await accused_official.say(await invite(sessions, clock))
    await admin.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session:
        number = (await session.exec(select(Petition.id))).one()
    accused_id = await person_of(sessions, "le-c")
    await admin.press(f"staff:pt:assign_to:{number}:{await person_of(sessions, 'handler')}")
    case = await handler.press(f"staff:pt:v:{number}")
    picker = await handler.press(button(case, "staff:pt:acc_pick:"))
    marked = await handler.press(button(picker, "staff:pt:acc_mark:", f":{accused_id}"))
    assert marked.text.startswith("Đã đánh dấu")

    queue = await accused_official.press("staff:petitions")
    assert f"staff:pt:v:{number}" not in [b.payload for b in queue.buttons]
    for forged in (
        f"staff:pt:v:{number}",
        f"staff:pt:take:{number}",
        f"staff:pt:acc_pick:{number}",
        f"staff:pt:assign_to:{number}:{accused_id}",
    ):
        assert (await accused_official.press(forged)).text == texts.STALE_BUTTON
    # Nor can an admin hand the case to the accused.
    to_accused = await admin.press(f"staff:pt:assign_to:{number}:{accused_id}")
    assert to_accused.text == texts.STALE_BUTTON
    async with sessions() as session:
        petition = await session.get(Petition, number)
    assert petition is not None and petition.handler_person_id != accused_id


async def test_a_denunciation_stopped_before_consent_is_forgotten_after_a_week(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    stopped = PetitionChat(assistant, "hesitant")
    await stopped.press("menu:petition")
    await stopped.press("pt:k:to_cao")
    for answer in DENUNCIATION:
        await stopped.say(answer)
    asker = PetitionChat(assistant, "asker")  # only asked a question, long ago
    await asker.say("thoi hieu khieu nai la bao lau")
    filer = PetitionChat(assistant, "filer")
    await file(
        filer,
        "kien_nghi",
        ("Lê Văn Em", "0911222333", "Thôn Bắc, xã Minh Hòa", "Đề nghị lắp đèn đường thôn Bắc"),
    )

    clock.advance(timedelta(days=6))
    await Retention(sessions, clock, timedelta(days=90)).purge()
    async with sessions() as session:
        kept = await conversations.load(session, "web", "hesitant")
    assert kept.flow is not None and "Trần Thị Bình" in str(kept.data)  # a draft, for a week

    clock.advance(timedelta(days=2))
    await Retention(sessions, clock, timedelta(days=90)).purge()
    async with sessions() as session:
        dropped = await conversations.load(session, "web", "hesitant")
    assert dropped.flow is None and dropped.data == {}
    # Back after the week: a fresh start, not a question about a form they no longer see.
    assert (await stopped.say("xin chao")).text == texts.GREETING

    clock.advance(timedelta(days=91))
    await Retention(sessions, clock, timedelta(days=90)).purge()
    async with sessions() as session:
        people_left = set((await session.exec(select(Identity.external_id))).all())
    # The asker and the one who never sent are forgotten; the filer's đơn keeps them.
    assert people_left == {"filer"}


async def test_every_new_staff_button_is_refused_to_citizens_and_to_other_communes(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await denounce(assistant)
    await Chat(assistant, "denouncer").press("rc:yes")
    await file(PetitionChat(assistant, "filer"), "to_cao", DENUNCIATION)
    async with sessions() as session:
        item = (await session.exec(select(ReceptionSession))).one()
        petition_id = (await session.exec(select(Petition.id))).one()
    chairman = await official(assistant, sessions, clock, chat="chairman")
    chairman_id = await person_of(sessions, "chairman")
    roster = await chairman.press(f"staff:rc:s:{item.id}")
    booking_id = button(roster, "staff:rc:b:").rsplit(":", 1)[1]
    pressed = (
        f"staff:rc:rcv:{item.id}",
        f"staff:rc:rcvp:{item.id}:{chairman_id}",
        f"staff:rc:rcva:{item.id}",
        f"staff:rc:reveal:{booking_id}",
        f"staff:rc:acc:{booking_id}",
        f"staff:rc:accp:{booking_id}:{chairman_id}",
        f"staff:pt:acc_pick:{petition_id}",
        f"staff:pt:acc_mark:{petition_id}:{chairman_id}",
        f"staff:pt:take:{petition_id}",
    )
    citizen = Chat(assistant, "curious")
    for payload in pressed:
        assert (await citizen.press(payload)).text == texts.FORBIDDEN, payload
    elsewhere = await official(assistant, sessions, clock, unit="Xã Minh Hải", chat="neighbour")
    for payload in pressed:
        assert (await elsewhere.press(payload)).text == texts.STALE_BUTTON, payload
    async with sessions() as session:
        item_after = await session.get(ReceptionSession, item.id)
        denied = (
            await session.exec(select(AuditLog).where(col(AuditLog.action) == "access.denied"))
        ).all()
    assert item_after is not None and item_after.receiver_person_id is None
    assert len(denied) == len(pressed)


async def test_an_official_cannot_become_receiver_of_a_booked_denunciation_through_the_schedule(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    weekly = {
        key: ONE_OFF[key]
        for key in ("unit", "kind", "start", "end", "place", "receiver_name", "receiver_title")
    }
    await add_calendar(
        sessions, clock, {"schedules": [dict(weekly, weekday="Thứ Tư", capacity=10)]}
    )
    await generate_sessions(sessions, clock)
    # The tố cáo is booked into the first Wednesday (02/12).
    await denounce(assistant)
    await Chat(assistant, "denouncer").press("rc:yes")
    clerk = await official(assistant, sessions, clock, chat="clerk")
    clerk_id = await person_of(sessions, "clerk")
    async with sessions() as session:
        listed = (
            await session.exec(select(ReceptionSession).order_by(col(ReceptionSession.starts_at)))
        ).all()
    booked, empty = listed[0], listed[1]
    assert booked.booked == 1 and empty.booked == 0
    # The picker is not even offered for the booked one; the empty one is the clerk's to plan.
    assert (await clerk.press(f"staff:rc:rcv:{booked.id}")).text == texts.RECEIVER_ADMIN_ONLY
    assert (await clerk.press(f"staff:rc:rcvp:{empty.id}:{clerk_id}")).text.startswith("Đã đặt")
    applied = await clerk.press(f"staff:rc:rcva:{empty.id}")
    assert applied.text.startswith("Đã đặt")
    async with sessions() as session:
        after = await session.get(ReceptionSession, booked.id)
    assert after is not None and after.receiver_person_id is None
    roster = await clerk.press(f"staff:rc:s:{booked.id}")
    assert not shows_identity(await clerk.press(button(roster, "staff:rc:b:")))


async def test_an_admin_backing_out_of_a_reveal_sees_nothing_and_later_text_is_not_a_reason(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await denounce(assistant)
    await Chat(assistant, "denouncer").press("rc:yes")
    admin = Chat(assistant, "admin")
    await admin.say(await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu"))
    roster = await admin.press(button(await admin.press("staff:reception"), "staff:rc:s:"))
    reveal = button(await admin.press(button(roster, "staff:rc:b:")), "staff:rc:reveal:")
    await admin.press(reveal)
    assert (await admin.say("aaaaa")).text.startswith(texts.REASON_TOO_SHORT)
    assert (await admin.say("Huỷ bỏ")).text == texts.REVEAL_DROPPED
    await admin.press(reveal)
    await admin.press("staff:reception")  # went elsewhere instead of typing a reason
    later = await admin.say("Kiểm tra theo yêu cầu của Chủ tịch UBND xã")
    assert not shows_identity(later)
    async with sessions() as session:
        viewed = (
            await session.exec(
                select(AuditLog).where(col(AuditLog.action) == "reception.denouncer_viewed")
            )
        ).all()
    assert viewed == []
