"""Legal dates in the life of a đơn, told as the citizen and the commune office live them: the
thời hiệu a citizen is warned about, the kỷ luật complaint an official marks, a tố cáo's initial
handling, extensions, suspension and notices, the unconfirmed earlier reminder, and a tố cáo
against the commune's chairman. The clock starts on Wed 25/11/2026 (tests/conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, people
from db.engine import SessionFactory
from db.models import Outbox, Person, Petition, RoleGrant, Unit
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.petitions.alerts import due_alerts
from handlers.petitions.lookup import describe
from handlers.petitions.paper import enter_paper
from handlers.petitions.routing import flag_leader, route, shield_leaders
from handlers.petitions.rules import RuleBook
from handlers.working_days import load_calendar
from tests.test_access import invite, setup_units
from tests.test_petitions import COMPLAINT, DENUNCIATION, Chat, code_of, file


async def petition_of(sessions: SessionFactory, code: str) -> Petition:
    async with sessions() as session:
        return (await session.exec(select(Petition).where(Petition.code == code))).one()


async def official(assistant: Assistant, sessions: SessionFactory, clock: FixedClock) -> Chat:
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock, role=access.ADMIN))
    return officer


async def pushes_to(sessions: SessionFactory, chat: str) -> list[str]:
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Outbox).where(Outbox.chat_id == chat).order_by(col(Outbox.id))
            )
        ).all()
    return [row.reply["text"] for row in rows]


def complaint_with(decision: str, day: str) -> tuple[str, ...]:
    return (*COMPLAINT[:3], decision, day, *COMPLAINT[5:])


async def test_a_complaint_past_90_days_is_warned_and_still_filed_luat_khieu_nai_dieu_9(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "late")
    await chat.press("menu:petition")
    await chat.press("pt:k:khieu_nai")
    for answer in COMPLAINT[:4]:
        asked = await chat.say(answer)
    assert asked.text == texts.PETITION_ASK["decision_day"]
    assert asked.buttons[0].payload == "pt:noday"
    # Typed in a sentence, without diacritics: 20/8/2026 + 90 days = Wed 18/11/2026.
    warned = await chat.say("toi nhan duoc quyet dinh ngay 20 thang 8 nam 2026 a")
    assert warned.text.startswith("Lưu ý: tính từ ngày 20/08/2026, thời hiệu khiếu nại 90 ngày")
    assert "đã hết vào 18/11/2026" in warned.text and "Điều 9" in warned.text
    assert "không tính vào thời hiệu" in warned.text
    assert warned.text.endswith(texts.PETITION_ASK["content"])
    for answer in COMPLAINT[5:]:
        await chat.say(answer)
    read_back = await chat.say("xong")
    assert "Ngày nhận hoặc biết quyết định, hành vi: 20/08/2026" in read_back.text
    code = code_of(await chat.press("pt:send"))
    petition = await petition_of(sessions, code)
    assert petition.decision_day == date(2026, 8, 20) and petition.status == "dang_ky"
    assert "20/08/2026" not in petition.summary
    officer = await official(assistant, sessions, clock)
    case = await officer.press(f"staff:pt:v:{petition.id}")
    assert "thời hiệu 90 ngày đến hết 18/11/2026 (dự kiến)" in case.text
    assert "không tính vào thời hiệu" in case.text


async def test_a_citizen_who_does_not_remember_the_day_skips_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    by_button, by_words = Chat(assistant, "button"), Chat(assistant, "words")
    for chat in (by_button, by_words):
        await chat.press("menu:petition")
        await chat.press("pt:k:khieu_nai")
        for answer in COMPLAINT[:4]:
            await chat.say(answer)
    unreadable = await by_words.say("hom truoc")
    assert unreadable.text.startswith(texts.PETITION_BAD_DAY)
    assert (await by_words.say("ko nho")).text == texts.PETITION_ASK["content"]
    assert (await by_button.press("pt:noday")).text == texts.PETITION_ASK["content"]
    for chat in (by_button, by_words):
        for answer in COMPLAINT[5:]:
            await chat.say(answer)
        assert (
            "Ngày nhận hoặc biết quyết định, hành vi: không nhớ rõ" in (await chat.say("xong")).text
        )
        petition = await petition_of(sessions, code_of(await chat.press("pt:send")))
        assert petition.decision_day is None


async def test_a_civil_servant_complaining_of_a_reprimand_hears_of_15_days_luat_khieu_nai_dieu_48(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "clerk")
    await chat.press("menu:petition")
    await chat.press("pt:k:khieu_nai")
    answers = complaint_with("Quyết định kỷ luật khiển trách số 3/QĐ-UBND", "01/11/2026")
    for answer in answers[:5]:
        reply = await chat.say(answer)
    # 01/11 + 15 days = Mon 16/11/2026, before today (25/11).
    assert "thời hiệu khiếu nại 15 ngày đã hết vào 16/11/2026" in reply.text
    assert "Điều 48" in reply.text


async def test_an_official_marks_a_disciplinary_complaint_luat_khieu_nai_dieu_49_50(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "clerk", channel="telegram")
    answers = complaint_with("Quyết định buộc thôi việc số 9/QĐ-UBND", "20/11/2026")
    code = code_of(await file(citizen, "khieu_nai", answers))
    number = (await petition_of(sessions, code)).id
    officer = await official(assistant, sessions, clock)
    await officer.press(f"staff:pt:recv:{number}")
    received = await officer.press(f"staff:pt:v:{number}")
    assert f"staff:pt:kyluat:{number}" in [b.payload for b in received.buttons]
    marked = await officer.press(f"staff:pt:kyluat:{number}")
    assert marked.text.startswith(f"Đã cập nhật đơn {code}")
    # The step that changed the legal period says the date it now gives.
    assert "Hạn hiện tại: 07/12/2026, còn 12 ngày (dự kiến)." in marked.text
    case = await officer.press(f"staff:pt:v:{number}")
    assert "Điều 49" in case.text and "khiếu nại quyết định kỷ luật" in case.text
    # Received 25/11: 10 days = Sat 05/12 -> Mon 07/12/2026 (Điều 50).
    assert (await petition_of(sessions, code)).due_date == date(2026, 12, 7)
    await officer.press(f"staff:pt:acc:{number}")
    resolving = [b.payload for b in (await officer.press(f"staff:pt:v:{number}")).buttons]
    # No remote-area period and no extension for a disciplinary complaint.
    assert f"staff:pt:remote:{number}" not in resolving
    assert f"staff:pt:gia_han:{number}" not in resolving
    assert (await officer.press(f"staff:pt:gia_han:{number}")).text == texts.PT_NOT_ALLOWED
    # Accepted 25/11: 30 days = Fri 25/12/2026; complex: 45 days = Sat 09/01 -> Mon 11/01/2027.
    assert (await petition_of(sessions, code)).due_date == date(2026, 12, 25)
    await officer.press(f"staff:pt:complex:{number}")
    assert (await petition_of(sessions, code)).due_date == date(2027, 1, 11)
    await officer.press(f"staff:pt:thoiviec:{number}")
    await officer.press(f"staff:pt:da_giai_quyet:{number}")
    await officer.say("Giữ nguyên quyết định kỷ luật")
    result = (await pushes_to(sessions, "clerk"))[-1]
    # Second complaint against buộc thôi việc: 30 days from receiving the decision (Điều 48).
    assert "khiếu nại lần hai trong 30 ngày" in result
    assert "nếu nhận hôm nay: đến hết 25/12/2026 (dự kiến)" in result
    assert "Điều 48" in result and "khởi kiện" not in result


async def test_after_a_first_decision_the_citizen_learns_the_second_complaint_window_dieu_33(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen", channel="telegram")
    code = code_of(await file(citizen, "khieu_nai", COMPLAINT))
    number = (await petition_of(sessions, code)).id
    officer = await official(assistant, sessions, clock)
    await officer.press(f"staff:pt:recv:{number}")
    await officer.press(f"staff:pt:acc:{number}")
    # While it is resolved: if no decision by 25/12/2026, 30 days from then (Thu 24/01/2027
    # is a Sunday -> Mon 25/01/2027).
    status = describe(await petition_of(sessions, code))
    assert "Nếu hết ngày 25/12/2026 mà chưa có quyết định giải quyết" in status
    assert "đến hết 25/01/2027 (dự kiến)" in status and "Điều 33 khoản 1" in status
    clock.advance(timedelta(days=5))  # decided Mon 30/11/2026
    await officer.press(f"staff:pt:da_giai_quyet:{number}")
    await officer.say("Giữ nguyên quyết định xử phạt")
    result = (await pushes_to(sessions, "citizen"))[-1]
    # 30/11 + 30 days = Wed 30/12/2026.
    assert "khiếu nại lần hai trong 30 ngày" in result
    assert "đến hết 30/12/2026 (dự kiến)" in result and "khởi kiện" in result


async def test_a_denunciation_s_initial_handling_notice_extension_and_suspension_luat_to_cao(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    denouncer = Chat(assistant, "denouncer", channel="telegram")
    code = code_of(await file(denouncer, "to_cao", DENUNCIATION))
    number = (await petition_of(sessions, code)).id
    officer = await official(assistant, sessions, clock)
    await officer.press(f"staff:pt:recv:{number}")
    # Received Wed 25/11/2026: 07 working days = 04/12; transfer if outside competence: 02/12.
    case = await officer.press(f"staff:pt:v:{number}")
    assert (await petition_of(sessions, code)).due_date == date(2026, 12, 4)
    assert "chuyển đơn và báo người tố cáo chậm nhất 02/12/2026" in case.text
    assert "Điều 24 khoản 2" in case.text
    # Verification at two hamlets: at most 10 working days = 09/12/2026 (Điều 24 khoản 1).
    await officer.press(f"staff:pt:places:{number}")
    assert (await petition_of(sessions, code)).due_date == date(2026, 12, 9)
    clock.advance(timedelta(days=5))  # thụ lý on Mon 30/11/2026
    await officer.press(f"staff:pt:acc:{number}")
    # The denouncer must be told within 05 working days: 01-04, 07/12 (Điều 29 khoản 3).
    told = (await pushes_to(sessions, "denouncer"))[-1]
    assert "thông báo việc thụ lý cho anh/chị chậm nhất 07/12/2026" in told
    assert "Điều 29 khoản 3" in told
    case = await officer.press(f"staff:pt:v:{number}")
    assert "Thông báo thụ lý cho người tố cáo" in case.text and "07/12/2026" in case.text
    # 30 days = Wed 30/12/2026; an ordinary case cannot be extended (Điều 30).
    assert (await petition_of(sessions, code)).due_date == date(2026, 12, 30)
    assert f"staff:pt:gia_han:{number}" not in [b.payload for b in case.buttons]
    await officer.press(f"staff:pt:complex:{number}")
    await officer.press(f"staff:pt:gia_han:{number}")
    await officer.say("Cần xác minh thêm tại hai thôn")
    # One extension for a complex case: 60 days = Fri 29/01/2027; no second one.
    assert (await petition_of(sessions, code)).due_date == date(2027, 1, 29)
    assert (await officer.press(f"staff:pt:gia_han:{number}")).text == texts.PT_NOT_ALLOWED
    await officer.press(f"staff:pt:vcomplex:{number}")
    await officer.press(f"staff:pt:gia_han:{number}")
    await officer.say("Vụ việc đặc biệt phức tạp")
    # Two for a particularly complex case: 90 days = Sun 28/02/2027 -> Mon 01/3/2027.
    assert (await petition_of(sessions, code)).due_date == date(2027, 3, 1)
    clock.advance(timedelta(days=10))  # suspended Thu 10/12/2026, waiting for an expert opinion
    await officer.press(f"staff:pt:tam_dinh_chi:{number}")
    await officer.say("Chờ kết quả giám định")
    suspended = await petition_of(sessions, code)
    assert suspended.due_date is None
    assert (
        "thời gian này không tính vào thời hạn"
        in (await officer.press(f"staff:pt:v:{number}")).text
    )
    clock.advance(timedelta(days=14))  # resumed Thu 24/12/2026: 14 days not counted (Điều 34)
    await officer.press(f"staff:pt:acc:{number}")
    resumed = await petition_of(sessions, code)
    # 90 + 14 days from 30/11/2026 = Mon 15/3/2027.
    assert resumed.suspended_days == 14 and resumed.due_date == date(2027, 3, 15)


async def test_a_denunciation_outside_competence_is_due_for_transfer_in_five_working_days(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await official(assistant, sessions, clock)
    async with sessions() as session, session.begin():
        petition = await enter_paper(
            session,
            {
                "kind": "to_cao",
                "unit": "Xã Minh Hòa",
                "source": "post",
                "received": "25/11/2026",
                "name": "Người tố cáo",
                "summary": "Sai phạm của một doanh nghiệp trong tỉnh",
            },
            1,
            clock.now(),
            "test",
        )
        number = petition.id
    await officer.press(f"staff:pt:outside:{number}")
    moved = await petition_of(sessions, petition.code)
    # Luật Tố cáo Điều 24 khoản 2: 05 working days from 25/11/2026 = Wed 02/12/2026.
    assert moved.status == "cho_chuyen" and moved.due_date == date(2026, 12, 2)
    case = await officer.press(f"staff:pt:v:{number}")
    assert [b.payload for b in case.buttons if b.payload.startswith("staff:pt:chuyen")] == [
        f"staff:pt:chuyen:{number}"
    ]


async def test_the_earlier_unconfirmed_date_only_reminds_the_handler_nd_155_2026_dieu_10(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen", channel="telegram")
    code = code_of(await file(citizen, "khieu_nai", COMPLAINT))
    number = (await petition_of(sessions, code)).id
    officer = Chat(assistant, "officer", channel="telegram")
    await officer.say(await invite(sessions, clock))
    await officer.press(f"staff:pt:recv:{number}")
    await officer.press(f"staff:pt:take:{number}")
    case = await officer.press(f"staff:pt:v:{number}")
    assert "Nhắc sớm: 04/12/2026 theo Nghị định 155/2026/NĐ-CP" in case.text
    clock.advance(timedelta(days=7))  # Wed 02/12/2026: the early date is two days away
    for _ in range(2):
        async with sessions() as session, session.begin():
            await due_alerts(session, clock.now())
    async with sessions() as session:
        alerts = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).contains(":early:")))
        ).all()
        due_soon = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).contains(":due:")))
        ).all()
    assert len(alerts) == 1 and not due_soon
    text = alerts[0].reply["text"]
    assert "04/12/2026 theo Nghị định 155/2026/NĐ-CP, Điều 10" in text
    assert "hạn theo luật hiện hành 07/12/2026 (Luật Khiếu nại số 02/2011/QH13, Điều 27" in text
    # Nothing else moves: the due date, the citizen's date and the overdue count.
    petition = await petition_of(sessions, code)
    assert petition.due_date == date(2026, 12, 7)
    assert "Hạn xử lý bước đầu: 07/12/2026" in describe(petition)
    clock.advance(timedelta(days=3))  # Sat 05/12: past the early date, not overdue
    assert "quá hạn" not in (await officer.press("staff:petitions")).text


async def test_the_people_s_inspection_board_s_recommendation_is_recorded_luat_10_2022_dieu_40(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = await official(assistant, sessions, clock)
    async with sessions() as session, session.begin():
        petition = await enter_paper(
            session,
            {
                "kind": "kien_nghi_btnd",
                "unit": "Xã Minh Hòa",
                "source": "desk",
                "received": "09/11/2026",
                "name": "Ban Thanh tra nhân dân xã Minh Hòa",
                "summary": "Kiến nghị công khai khoản đóng góp làm đường thôn Đông",
            },
            1,
            clock.now(),
            "test",
        )
    # 09/11 + 15 days = 24/11/2026, a day off only per the holidays package -> 25/11 (dự kiến).
    assert petition.code.startswith("BT-2026-") and petition.due_date == date(2026, 11, 25)
    assert petition.due_estimated
    queue = await officer.press("staff:petitions")
    assert f"{petition.code} (Kiến nghị của Ban Thanh tra nhân dân" in queue.text


async def test_a_denunciation_of_the_chairman_goes_up_and_no_commune_leader_sees_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chairman = Chat(assistant, "chairman")
    await chairman.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session, session.begin():
        grant = (await session.exec(select(RoleGrant))).one()
        assert await access.set_leader(session, grant.id or 0, True, clock.now(), "test")
    against = (*DENUNCIATION[:3], "ct ubnd xa Minh Hoa", DENUNCIATION[4])
    code = code_of(await file(Chat(assistant, "denouncer"), "to_cao", against))
    petition = await petition_of(sessions, code)
    async with sessions() as session:
        parent = (await session.exec(select(Unit).where(Unit.name == "Tỉnh mẫu"))).one()
        commune = (await session.exec(select(Unit).where(Unit.name == "Xã Minh Hòa"))).one()
        marked = await accused.of(session, accused.PETITION, petition.id or 0)
    assert petition.unit_id == parent.id and petition.routed_from_unit_id == commune.id
    assert marked == {grant.person_id}
    assert code not in (await chairman.press("staff:petitions")).text
    assert (await chairman.press(f"staff:pt:v:{petition.id}")).text == texts.STALE_BUTTON
    province = Chat(assistant, "province")
    await province.say(await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu"))
    case = await province.press(f"staff:pt:v:{petition.id}")
    assert "chuyển lên đơn vị cấp trên theo cài đặt" in case.text
    assert "chưa được xác nhận" in case.text and "Điều 13 khoản 2" in case.text
    picker = await province.press(f"staff:pt:assign:{petition.id}")
    offered = [b.payload for b in picker.buttons if b.payload.startswith("staff:pt:assign_to:")]
    assert offered and not any(p.endswith(f":{grant.person_id}") for p in offered)


async def test_kept_at_the_commune_by_setting_the_leaders_are_still_shut_out(
    sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> None:
    await setup_units(sessions, clock)
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "settings: {to_cao_against_commune_leader: commune}\nrules: []\n", encoding="utf-8"
    )
    book = RuleBook.load(load_calendar(), rules)
    async with sessions() as session, session.begin():
        commune = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert commune is not None and commune.id is not None
        # The vice-chairman's account holds a leader grant of the commune.
        person_id = await _leader(session, commune.id, clock)
        routing = await route(session, book, commune.id, "to_cao", "Phó chủ tịch UBND xã")
        assert routing.unit_id == commune.id and routing.against_leader
        petition = Petition(
            code="TC-2026-TEST22",
            kind="to_cao",
            unit_id=routing.unit_id,
            source="chat",
            status="dang_ky",
            summary="Phó chủ tịch UBND xã nhận tiền",
            against_leader=True,
            registered_at=clock.now(),
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(petition)
        await session.flush()
        await shield_leaders(session, petition, routing, clock.now())
        assert await accused.of(session, accused.PETITION, petition.id or 0) == {person_id}
        # A tố cáo against an ordinary clerk is not routed and marks nobody.
        plain = await route(session, book, commune.id, "to_cao", "Ông C, cán bộ địa chính xã")
        assert not plain.against_leader and plain.unit_id == commune.id


async def test_a_leader_flagged_after_denunciations_of_the_leaders_is_shut_out_of_them(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        commune = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        other = await people.unit_by_code_or_name(session, "Xã Minh Hải")
        assert commune and other and commune.id and other.id and commune.parent_id
        cases = {
            "kept": (commune.id, None),
            "sent up": (commune.parent_id, commune.id),
            "elsewhere": (other.id, None),
        }
        ids = {}
        for name, (unit_id, routed_from) in cases.items():
            petition = Petition(
                code=f"TC-2026-{name[:4].upper()}",
                kind="to_cao",
                unit_id=unit_id,
                routed_from_unit_id=routed_from,
                source="chat",
                status="dang_ky",
                summary="Chủ tịch UBND xã nhận tiền",
                against_leader=True,
                registered_at=clock.now(),
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            session.add(petition)
            await session.flush()
            ids[name] = petition.id or 0
        person = Person(display_name="Chủ tịch mới", created_at=clock.now())
        session.add(person)
        await session.flush()
        assert person.id is not None
        grant = RoleGrant(
            person_id=person.id, role=access.OFFICIAL, unit_id=commune.id, granted_at=clock.now()
        )
        session.add(grant)
        await session.flush()
        assert grant.id is not None
        assert await flag_leader(session, grant.id, True, clock.now(), "admin")
        marked = {
            name: await accused.of(session, accused.PETITION, number)
            for name, number in ids.items()
        }
    assert marked == {"kept": {person.id}, "sent up": {person.id}, "elsewhere": set()}


async def _leader(session: AsyncSession, unit_id: int, clock: FixedClock) -> int:
    person = Person(display_name="Phó Chủ tịch", created_at=clock.now())
    session.add(person)
    await session.flush()
    assert person.id is not None
    session.add(
        RoleGrant(
            person_id=person.id,
            role=access.OFFICIAL,
            unit_id=unit_id,
            leader=True,
            granted_at=clock.now(),
        )
    )
    await session.flush()
    assert await people.leaders_of(session, unit_id) == [person.id]
    return person.id


async def test_a_paper_denunciation_of_the_chairman_is_routed_like_a_chat_one(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        commune = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert commune is not None and commune.id is not None
        chairman = await _leader(session, commune.id, clock)
        petition = await enter_paper(
            session,
            {
                "kind": "to_cao",
                "unit": "Xã Minh Hòa",
                "source": "post",
                "received": "25/11/2026",
                "name": "Người tố cáo",
                "accused": "Ông Nguyễn Văn D, Chủ tịch UBND xã Minh Hòa",
                "summary": "Nhận tiền khi cấp giấy phép xây dựng",
            },
            1,
            clock.now(),
            "test",
        )
        assert petition.routed_from_unit_id == commune.id and petition.against_leader
        assert petition.unit_id == commune.parent_id
        assert await accused.of(session, accused.PETITION, petition.id or 0) == {chairman}


async def test_a_complaint_has_no_extension_its_route_is_the_complex_case_period_dieu_28(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """ "Gia hạn" on a khiếu nại once changed the status and not the date: the Luật Khiếu nại
    has no extension, a complex case gets the longer period (Điều 28), and the step says the
    date it gives."""
    await setup_units(sessions, clock)
    code = code_of(
        await file(Chat(assistant, "citizen", channel="telegram"), "khieu_nai", COMPLAINT)
    )
    number = (await petition_of(sessions, code)).id
    officer = await official(assistant, sessions, clock)
    await officer.press(f"staff:pt:recv:{number}")
    await officer.press(f"staff:pt:acc:{number}")
    offered = [b.payload for b in (await officer.press(f"staff:pt:v:{number}")).buttons]
    assert f"staff:pt:gia_han:{number}" not in offered
    assert f"staff:pt:complex:{number}" in offered and f"staff:pt:remote:{number}" in offered
    assert (await officer.press(f"staff:pt:gia_han:{number}")).text == texts.PT_NOT_ALLOWED
    before = await petition_of(sessions, code)
    assert (before.status, before.extensions, before.due_date) == (
        "dang_giai_quyet",
        0,
        date(2026, 12, 25),
    )
    # Accepted 25/11/2026: complex, 45 days = Sat 09/01/2027 -> Mon 11/01/2027.
    marked = await officer.press(f"staff:pt:complex:{number}")
    assert "Hạn hiện tại: 11/01/2027" in marked.text
    # Complex and remote, 60 days = Sun 24/01/2027 -> Mon 25/01/2027.
    marked = await officer.press(f"staff:pt:remote:{number}")
    assert "Hạn hiện tại: 25/01/2027" in marked.text
    assert (await petition_of(sessions, code)).due_date == date(2027, 1, 25)
