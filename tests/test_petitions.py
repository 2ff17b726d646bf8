"""Đơn thư: a citizen files, follows and rates a đơn; officials work the queue; denouncers
stay secret."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta
from io import BytesIO

from aiohttp import web
from aiohttp.test_utils import TestClient
from docx import Document
from sqlmodel import col, select

from bot.channels import zalo_oa
from db import people
from db.engine import SessionFactory
from db.models import AuditLog, InboxItem, Outbox, Petition, PetitionEvent, PetitionParty
from handlers import access, texts
from handlers.clock import VN_TZ, FixedClock
from handlers.contract import Button, Reply
from handlers.conversation.assistant import Assistant
from handlers.petitions.alerts import due_alerts
from handlers.petitions.figures import figures
from handlers.petitions.paper import enter_paper
from handlers.units.pick import official_address
from tests.test_access import invite, msg, setup_units


class Chat:
    def __init__(self, assistant: Assistant, chat: str, channel: str = "web") -> None:
        self.assistant, self.chat, self.channel = assistant, chat, channel

    async def say(self, text: str) -> Reply:
        return (await self.assistant.dispatch(msg(text, chat=self.chat, channel=self.channel)))[-1]

    async def press(self, payload: str) -> Reply:
        replies = await self.assistant.dispatch(
            msg(button=payload, chat=self.chat, channel=self.channel)
        )
        return replies[-1]


COMPLAINT = (
    "Nguyễn Văn An",
    "0912 345 678",
    "Thôn Đông, xã Minh Hòa",
    "Quyết định số 12/QĐ-XPHC ngày 05/11/2026 của Chủ tịch UBND xã",
    "toi nhan qd hom 10/11",
    "Phạt sai hành vi, tôi không lấn chiếm vỉa hè",
    "Huỷ quyết định xử phạt",
)
DENUNCIATION = (
    "Trần Thị Bình",
    "0987 654 321",
    "Xóm Bãi, xã Minh Hòa",
    "Ông Lê Văn C, cán bộ địa chính xã",
    "Nhận tiền của người dân để làm nhanh giấy tờ đất",
)


async def file(chat: Chat, kind: str, answers: tuple[str, ...]) -> Reply:
    await chat.press("menu:petition")
    await chat.press(f"pt:k:{kind}")
    for answer in answers:
        reply = await chat.say(answer)
    if kind == "thong_tin":
        return reply
    await chat.say("xong")  # no photos or documents
    return await chat.press("pt:send")


def code_of(reply: Reply) -> str:
    return reply.text.split("Mã tra cứu: ")[1].split(".")[0]


async def test_a_citizen_without_diacritics_files_a_complaint_and_gets_a_code(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "citizen")
    suggested = await chat.say("toi muon khieu nai quyet dinh xu phat")
    assert suggested.text.startswith("Theo nội dung anh/chị viết, đây có thể là đơn khiếu nại")
    assert (await chat.press("pt:yes:khieu_nai")).text == texts.PETITION_ASK["name"]
    for answer in COMPLAINT:
        await chat.say(answer)
    consent = await chat.say("xong")
    assert "Nguyễn Văn An" in consent.text and "Huỷ quyết định xử phạt" in consent.text
    filed = await chat.press("pt:send")
    code = code_of(filed)
    assert code.startswith("KN-2026-") and len(code) == 14
    # 25/11/2026 + 10 days = Sat 05/12 -> Mon 07/12/2026; before receipt it is only expected.
    assert "dự kiến: 07/12/2026 (Luật Khiếu nại số 02/2011/QH13, Điều 27" in filed.text
    assert "chữ ký hoặc điểm chỉ" in filed.text
    assert "menu:book" in [b.payload for b in filed.buttons]
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
    assert petition.status == "dang_ky" and petition.phone_last4 == "5678"
    assert petition.details["decision"].startswith("Quyết định số 12/QĐ-XPHC")
    status = await chat.press("menu:status")
    assert code in status.text and "chờ UBND ghi nhận" in status.text


async def test_the_four_types_and_anonymous_information(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "c2")
    assert code_of(await file(chat, "to_cao", DENUNCIATION)).startswith("TC-")
    basic = ("Lê Thị Hoa", "0911222333", "Tổ 3, xã Minh Hòa")
    assert code_of(
        await file(chat, "kien_nghi", (*basic, "Đề nghị lắp đèn đường thôn Tây"))
    ).startswith("KG-")
    answers = (*basic, "Cống thoát nước bị tắc gây ngập", "Đầu ngõ 5 thôn Tây")
    assert code_of(await file(chat, "phan_anh", answers)).startswith("PA-")
    anonymous = await file(Chat(assistant, "anon"), "thong_tin", ("Có người đổ trộm rác ra suối",))
    assert anonymous.text == texts.PETITION_ANON_FILED
    async with sessions() as session:
        rows = (await session.exec(select(Petition).order_by(col(Petition.id)))).all()
    assert [(p.kind, p.anonymous) for p in rows] == [
        ("to_cao", False),
        ("kien_nghi", False),
        ("phan_anh", False),
        ("thong_tin", True),
    ]
    assert rows[3].person_id is None and rows[3].chat_id is None


async def test_a_code_with_the_last_four_phone_digits_finds_a_petition_and_guessing_is_limited(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = code_of(await file(Chat(assistant, "owner"), "khieu_nai", COMPLAINT))
    stranger = Chat(assistant, "other")
    found = await stranger.say(f"tra cuu {code} 5678")
    assert found.text.startswith(f"{code} (Khiếu nại): đã đăng ký trực tuyến")
    for _ in range(3):
        assert (await stranger.say(f"{code} 0000")).text == texts.PETITION_LOOKUP_WRONG
    # A fourth wrong guess, from anyone, makes that code wait; its filer is never slowed.
    assert (await Chat(assistant, "another").say(f"{code} 1111")).text == (
        texts.PETITION_LOOKUP_WRONG
    )
    slowed = texts.PETITION_LOOKUP_SLOWED.format(wait="1 phút")
    assert (await stranger.say(f"{code} 5678")).text == slowed
    assert (await Chat(assistant, "owner").say(f"{code} 5678")).text == found.text


async def test_an_official_works_a_complaint_to_its_result_and_the_citizen_rates_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    citizen = Chat(assistant, "citizen", channel="telegram")
    code = code_of(await file(citizen, "khieu_nai", COMPLAINT))
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock))
    queue = await officer.press("staff:petitions")
    assert f"{code} (Khiếu nại, trực tuyến): đã đăng ký trực tuyến" in queue.text
    assert "Nguyễn Văn An" not in queue.text
    case = next(b.payload for b in queue.buttons if b.label == code)
    number = case.rsplit(":", 1)[1]
    await officer.press(f"staff:pt:recv:{number}")
    await officer.press(f"staff:pt:acc:{number}")
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
    # Accepted 25/11/2026: 30 days -> Fri 25/12/2026.
    assert str(petition.due_date) == "2026-12-25"
    assert (await officer.press(f"staff:pt:da_giai_quyet:{number}")).text == texts.PT_ASK_NOTE[
        "da_giai_quyet"
    ]
    await officer.say("Huỷ quyết định xử phạt số 12/QĐ-XPHC; hoàn trả tiền phạt.")
    verdicts = await officer.press(f"staff:pt:close:{number}")
    assert [b.label for b in verdicts.buttons[:3]] == ["Đúng", "Sai", "Đúng một phần"]
    await officer.press(verdicts.buttons[0].payload)
    async with sessions() as session:
        pushes = (
            await session.exec(
                select(Outbox).where(Outbox.chat_id == "citizen").order_by(col(Outbox.id))
            )
        ).all()
        history = (await session.exec(select(PetitionEvent.status))).all()
    updates = [p.reply["text"] for p in pushes if p.reply["text"].startswith(f"Đơn {code}")]
    assert [u.split(": ")[1].split(".")[0] for u in updates] == [
        "đã tiếp nhận",
        "đang giải quyết",
        "đã giải quyết",
        "đã đóng",
    ]
    # The note ends with the official's own full stop, not two.
    assert "hoàn trả tiền phạt." in updates[2] and ".." not in updates[2]
    assert list(history) == ["dang_ky", "tiep_nhan", "dang_giai_quyet", "da_giai_quyet", "dong"]
    rating = pushes[-1].reply["buttons"][0]["payload"]
    assert (await citizen.press(rating)).text == texts.PT_THANKS
    assert (await Chat(assistant, "someone-else").press(rating)).text == texts.STALE_BUTTON


async def test_no_other_official_can_see_who_filed_a_denunciation(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    filed = await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    handler, colleague = Chat(assistant, "handler"), Chat(assistant, "colleague")
    await handler.say(await invite(sessions, clock))
    await colleague.say(await invite(sessions, clock))
    admin = Chat(assistant, "admin")
    await admin.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session:
        number = (await session.exec(select(Petition.id))).one()
        handler_identity = await people.identity(session, "web", "handler")
    assert handler_identity is not None
    await admin.press(f"staff:pt:assign_to:{number}:{handler_identity.person_id}")
    shown = await handler.press(f"staff:pt:v:{number}")
    assert "Trần Thị Bình, 0987654321" in shown.text

    seen = [
        (await colleague.press("staff:petitions")).text,
        (await colleague.press(f"staff:pt:v:{number}")).text,
        (await colleague.press(f"staff:pt:take:{number}")).text,
    ]
    assert all("Trần Thị Bình" not in text for text in seen)
    assert seen[2] == texts.PT_TAKE_REFUSED
    assert texts.HIDDEN_FILER in seen[1]
    async with sessions() as session:
        audits = (await session.exec(select(AuditLog.action))).all()
        kept = [str(row.replies) for row in (await session.exec(select(InboxItem))).all()] + [
            str(row.reply) for row in (await session.exec(select(Outbox))).all()
        ]
    assert "petition.filer_viewed" in audits
    assert all("Trần Thị Bình" not in text and "0987" not in text for text in kept)
    assert texts.PARTY_WITHHELD in filed.text or "TC-" in filed.text


def at(day: str) -> datetime:
    return datetime.strptime(day, "%d/%m/%Y").replace(hour=9, tzinfo=VN_TZ)


async def test_figures_count_every_source_as_the_history_stood_at_the_period_end(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    rows = [
        ("15/09/2026", [("20/10/2026", "da_giai_quyet")]),  # carried over, then resolved
        ("15/09/2026", [("25/09/2026", "da_giai_quyet")]),  # done before the period
        ("05/10/2026", [("06/10/2026", "dang_giai_quyet")]),  # open, in time
        ("10/10/2026", [("11/10/2026", "dang_giai_quyet")]),  # open, overdue
        ("12/10/2026", [("13/10/2026", "chuyen")]),  # sent to the competent body
        ("13/10/2026", [("14/10/2026", "rut_don")]),  # withdrawn: shown, not hidden
        ("20/11/2026", []),  # after the period
    ]
    async with sessions() as session, session.begin():
        for number, (received, steps) in enumerate(rows, start=1):
            petition = await enter_paper(
                session,
                {
                    "kind": "kien_nghi",
                    "unit": "Xã Minh Hòa",
                    "source": "post",
                    "received": received,
                    "name": f"Người gửi {number}",
                    "summary": "Nội dung",
                },
                number,
                clock.now(),
                "test",
            )
            for day, status in steps:
                session.add(
                    PetitionEvent(
                        petition_id=petition.id or 0, at=at(day), actor="t", status=status
                    )
                )
            if number == 3:
                petition.due_date = date(2026, 11, 30)
            if number == 4:
                petition.due_date = date(2026, 11, 1)
            session.add(petition)
        units = {u.id for u in await people.units(session) if u.id is not None}
    async with sessions() as session:
        counted = await figures(session, units, at("01/10/2026"), at("16/11/2026"))
    assert (counted.carried_over, counted.received, counted.total) == (1, 4, 5)
    assert (counted.within_competence, counted.resolved) == (4, 1)
    assert (counted.open_in_time, counted.overdue) == (1, 1)
    assert dict(counted.other) == {"chuyen": 1, "rut_don": 1}


async def test_handlers_are_alerted_once_when_a_case_is_due_soon_and_when_overdue(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    officer = Chat(assistant, "officer", channel="telegram")
    # A tố cáo is handled by whom an admin chooses; here the admin takes it.
    await officer.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session, session.begin():
        petition = await enter_paper(
            session,
            {
                "kind": "to_cao",
                "unit": "Xã Minh Hòa",
                "source": "desk",
                "received": "25/11/2026",
                "name": "Người tố cáo",
                "summary": "Hành vi vi phạm",
            },
            1,
            clock.now(),
            "test",
        )
        assert str(petition.due_date) == "2026-12-04"  # 7 working days
        number = petition.id
    await officer.press(f"staff:pt:take:{number}")
    clock.advance(timedelta(days=7))  # 02/12: due in 2 days
    for _ in range(2):
        async with sessions() as session, session.begin():
            await due_alerts(session, clock.now())
    clock.advance(timedelta(days=3))  # 05/12: overdue
    async with sessions() as session, session.begin():
        await due_alerts(session, clock.now())
    async with sessions() as session:
        alerts = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).contains(":due:")))
        ).all()
    assert [a.reply["text"] for a in alerts] == [
        f"Hạn xử lý đơn {petition.code}: còn 2 ngày (dự kiến). Bấm để xem đơn.",
        f"Hạn xử lý đơn {petition.code}: quá hạn 1 ngày (dự kiến). Bấm để xem đơn.",
    ]


async def test_the_web_chat_offers_the_filled_in_letter_to_its_filer_only(
    client: TestClient[web.Request, web.Application],
    sessions: SessionFactory,
    clock: FixedClock,
) -> None:
    await setup_units(sessions, clock)
    steps = [{"button": "menu:petition"}, {"button": "pt:k:khieu_nai"}]
    steps += [{"text": answer} for answer in (*COMPLAINT, "xong")] + [{"button": "pt:send"}]
    for number, body in enumerate(steps):
        response = await client.post("/api/chat", json={**body, "client_id": f"m{number}"})
        replies = (await response.json())["replies"]
    [letter] = replies[-1]["attachments"]
    code = letter.removeprefix("letter:")
    download = await client.get(f"/api/petitions/{code}/letter.docx")
    assert download.status == 200
    assert download.headers["Cache-Control"] == "no-store"
    letter_file = await download.read()
    with zipfile.ZipFile(BytesIO(letter_file)) as docx:
        document = docx.read("word/document.xml").decode()
    # Built by handlers/documents.py like every DOCX: A4, Times New Roman, quốc hiệu.
    filed = Document(BytesIO(letter_file))
    width, height = filed.sections[0].page_width, filed.sections[0].page_height
    assert width is not None and height is not None
    assert (round(width.cm, 1), round(height.cm, 1)) == (21.0, 29.7)
    assert filed.styles["Normal"].font.name == "Times New Roman"
    assert [p.text for p in filed.paragraphs[:2]] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    for expected in (
        "ĐƠN KHIẾU NẠI",
        "Nguyễn Văn An",
        "Quyết định số 12/QĐ-XPHC",
        "Ký, ghi rõ họ tên hoặc điểm chỉ",
        code,
    ):
        assert expected in document
    client.session.cookie_jar.clear()  # another browser
    await client.post("/api/chat", json={"text": "xin chao", "client_id": "x"})
    assert (await client.get(f"/api/petitions/{code}/letter.docx")).status == 404


async def test_a_citizen_withdraws_and_a_resent_duplicate_is_not_counted_twice(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "c5")
    code = code_of(await file(chat, "khieu_nai", COMPLAINT))
    again = await file(chat, "khieu_nai", COMPLAINT)
    assert again.text == texts.PT_DUPLICATE.format(code=code)
    mine = await chat.press("menu:status")
    assert f"pt:withdraw:{code}" in [b.payload for b in mine.buttons]
    asked = await chat.press(f"pt:withdraw:{code}")
    assert asked.text == texts.CONFIRM_WITHDRAW.format(code=code)
    withdrawn = await chat.press(f"pt:withdrawyes:{code}")
    assert withdrawn.text == texts.PT_WITHDRAWN.format(code=code)
    listed = await chat.press("menu:status")
    assert code in listed.text and "Hạn xử lý" not in listed.text  # no due date once withdrawn
    async with sessions() as session:
        rows = (await session.exec(select(Petition))).all()
    assert [(p.code, p.status) for p in rows] == [(code, "rut_don")]


async def test_a_denunciation_of_the_communes_chairman_goes_to_the_level_above(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "c6")
    await chat.say("/xa")
    await chat.say("Minh Hoa")
    answers = (*DENUNCIATION[:3], "Ông Phạm Văn D, Chủ tịch UBND xã Minh Hòa", DENUNCIATION[4])
    await file(chat, "to_cao", answers)
    async with sessions() as session:
        petition = (await session.exec(select(Petition))).one()
        unit = await people.unit_by_code_or_name(session, "Tỉnh mẫu")
    assert unit is not None and petition.unit_id == unit.id


def test_a_shared_location_becomes_the_place_of_a_report() -> None:
    event = {
        "event_name": "user_send_location",
        "sender": {"id": "42"},
        "message": {
            "msg_id": "loc-1",
            "attachments": [
                {
                    "type": "location",
                    "payload": {"coordinates": {"latitude": "21.02851", "longitude": "105.8542"}},
                }
            ],
        },
    }
    received = zalo_oa.to_received(event)
    assert received is not None
    assert received.incoming.text == "Vị trí đã chia sẻ: 21.02851, 105.85420"


async def test_an_admin_sees_a_denouncer_only_by_stating_a_reason_which_is_logged(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION)
    official, admin = Chat(assistant, "official"), Chat(assistant, "admin")
    await official.say(await invite(sessions, clock))
    await admin.say(await invite(sessions, clock, role=access.ADMIN))
    async with sessions() as session:
        number = (await session.exec(select(Petition.id))).one()
    assert (await official.press(f"staff:pt:reveal:{number}")).text == texts.FORBIDDEN
    case = await admin.press(f"staff:pt:v:{number}")
    assert f"staff:pt:reveal:{number}" in [b.payload for b in case.buttons]
    assert "Trần Thị Bình" not in case.text
    assert (await admin.press(f"staff:pt:reveal:{number}")).text == texts.PT_REVEAL_ASK
    shown = await admin.say("Thanh tra tỉnh yêu cầu xác minh bảo vệ người tố cáo")
    assert shown.text.startswith("Người tố cáo: Trần Thị Bình, 0987654321")
    async with sessions() as session:
        logged = (
            await session.exec(select(AuditLog).where(AuditLog.action == "petition.filer_viewed"))
        ).one()
    assert logged.after == {
        "reason": "Thanh tra tỉnh yêu cầu xác minh bảo vệ người tố cáo",
        "by_admin": True,
    }


async def test_many_citizens_with_the_same_matter_are_offered_as_one_group_case(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    matter = "Đề nghị làm rõ việc thu tiền đóng góp xây nhà văn hóa thôn"
    codes = []
    for number in range(3):
        name = ("Người dân An", "Người dân Bình", "Người dân Cường")[number]
        answers = (name, f"091100022{number}", "Thôn Đông, xã Minh Hòa", matter)
        codes.append(code_of(await file(Chat(assistant, f"c{number}"), "kien_nghi", answers)))
    officer = Chat(assistant, "officer")
    await officer.say(await invite(sessions, clock))
    queue = (await officer.press("staff:petitions")).text
    assert texts.PT_GROUPS in queue
    assert texts.PT_GROUP_LINE.format(count=3, codes=", ".join(codes)) in queue


async def test_a_denunciation_cannot_be_looked_up_by_code_and_phone_from_another_chat(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Code and phone together would let anyone who suspects a neighbour confirm it."""
    await setup_units(sessions, clock)
    code = code_of(await file(Chat(assistant, "denouncer"), "to_cao", DENUNCIATION))
    suspicious = Chat(assistant, "suspicious")
    right = await suspicious.say(f"{code} 4321")
    made_up = await suspicious.say("TC-2026-ZZZZZZ 4321")
    assert right.text == made_up.text == texts.PETITION_LOOKUP_TOCAO
    own = await Chat(assistant, "denouncer").say(f"{code} 4321")
    assert own.text.startswith(code)


async def test_a_lookup_takes_the_whole_phone_number_or_no_space(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = code_of(await file(Chat(assistant, "owner"), "khieu_nai", COMPLAINT))
    other = Chat(assistant, "other-device")
    for typed in (f"{code} 0912345678", f"{code}5678", f"tra cuu {code.lower()} sdt 0912 345 678"):
        assert (await other.say(typed)).text.startswith(code), typed


async def test_a_citizen_who_filed_before_reuses_their_details_for_a_new_phan_anh(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "returning")
    await chat.press("menu:petition")
    first = await chat.press("pt:k:kien_nghi")
    assert first.text == texts.PETITION_ASK["name"]  # nothing to offer the first time
    for answer in ("Le Thi Hoa", "0911 222 333", "Thon Tay, xa Minh Hoa", "De nghi lap den"):
        await chat.say(answer)
    await chat.say("xong")
    assert "Mã tra cứu: KG-" in (await chat.press("pt:send")).text

    await chat.press("menu:petition")
    offered = await chat.press("pt:k:phan_anh")
    assert "Le… Hoa, 09xx xxx 333" in offered.text and "Le Thi Hoa" not in offered.text
    assert (await chat.press("pt:prev")).text == texts.PETITION_ASK["content"]
    await chat.say("Duong xom ngap sau moi tran mua")
    await chat.say("Ngo 3 thon Tay")
    read_back = await chat.say("xong")
    assert "- Họ và tên: Le Thi Hoa" in read_back.text
    assert "- Số điện thoại: 0911222333" in read_back.text
    filed = await chat.press("pt:send")
    code = filed.text.split("Mã tra cứu: ")[1].split(".")[0]
    async with sessions() as session:
        petition = (await session.exec(select(Petition).where(Petition.code == code))).one()
    assert set(petition.details) == {"content", "place"}  # no form state in the đơn


async def test_a_citizen_goes_back_in_a_petition_form_and_says_there_are_no_photos(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "farmer")
    await chat.press("menu:petition")
    await chat.press("pt:k:phan_anh")
    await chat.say("Nguyen Van Nam")
    await chat.say("0912 000 111")
    wrong_turn = await chat.say("quay lai")
    assert wrong_turn.text == texts.PETITION_ASK["phone"]  # back to the phone, nothing saved
    assert "pt:back" in [b.payload for b in wrong_turn.buttons]
    await chat.say("0912 000 222")
    await chat.say("Thôn Đông, xã Minh Hòa")
    await chat.say("Đường xóm bị ngập sau mỗi trận mưa")
    files = await chat.say("Đường liên xóm thôn Đông")
    assert files.text == texts.PETITION_FILES.format(limit=5)
    # The way on without photos is a button too, and a page with a file picker shows one.
    assert files.buttons[0] == Button(texts.NO_FILES, "pt:files:done") and files.takes_files
    read_back = await chat.say("ko co")
    assert read_back.text.startswith("Anh/chị kiểm tra lại")
    assert "0912000222" in read_back.text and "0912000111" not in read_back.text
    # Answers are named by what they are, with the đơn's type and its files.
    for line in (
        "- Loại đơn: Phản ánh",
        "- Họ và tên: Nguyen Van Nam",
        "- Số điện thoại: 0912000222",
        "- Nơi xảy ra: Đường liên xóm thôn Đông",
        "- Ảnh, giấy tờ kèm theo: 0",
    ):
        assert line in read_back.text, line
    # One answer changed from the read-back, then back to it; "Quay lại" there keeps all.
    fields = await chat.press("pt:edit")
    assert "pt:edit:place" in [b.payload for b in fields.buttons]
    assert (await chat.press("pt:edit:place")).text == texts.PETITION_ASK["place"]
    changed = await chat.say("Cổng chợ thôn Đông")
    assert "- Nơi xảy ra: Cổng chợ thôn Đông" in changed.text
    assert "- Số điện thoại: 0912000222" in changed.text
    back = await chat.press("pt:back")
    assert back.text == texts.PETITION_FILES.format(limit=5)
    assert (await chat.press("pt:files:done")).text == changed.text
    async with sessions() as session:
        filed = (await session.exec(select(Petition))).all()
    assert filed == []  # nothing is filed before consent


async def test_a_citizen_writes_her_old_address_and_is_told_the_commune_it_is_in_now(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    chat = Chat(assistant, "moved")
    await chat.press("menu:petition")
    await chat.press("pt:k:phan_anh")
    await chat.say("Le Thi Hoa")
    await chat.say("0911 222 333")
    told = await chat.say("Thon 3, xa Tan Tien, huyen Dong Phu, Binh Phuoc")
    assert told.text.startswith(
        "Xã Tân Tiến, huyện Đồng Phú (cũ) nay thuộc xã Đồng Phú, tỉnh Đồng Nai."
    )
    assert told.text.endswith(texts.PETITION_ASK["content"])
    # An address in the commune this office serves says nothing more.
    other = Chat(assistant, "local")
    await other.press("menu:petition")
    await other.press("pt:k:phan_anh")
    await other.say("Tran Van Nam")
    await other.say("0911 222 444")
    assert (await other.say("Thon Dong, xa Minh Hoa")).text == texts.PETITION_ASK["content"]
    # Officials read the address with today's unit first.
    await chat.say("Duong ngap sau moi tran mua")
    await chat.say("Ngo 3 thon 3")
    await chat.say("xong")
    filed = await chat.press("pt:send")
    code = filed.text.split("Mã tra cứu: ")[1].split(".")[0]
    async with sessions() as session:
        petition = (await session.exec(select(Petition).where(Petition.code == code))).one()
        party = await session.get(PetitionParty, petition.id)
    assert party is not None
    assert official_address(party.address) == (
        "Thon 3, xã Đồng Phú, tỉnh Đồng Nai (cũ: xa Tan Tien, huyen Dong Phu, Binh Phuoc)"
    )
