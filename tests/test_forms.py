"""Forms as data: the booking, every đơn type and the walk-in are fields read by one engine, so
they ask, read, go back, change one answer and read back the same way."""

from __future__ import annotations

from datetime import date

from db.engine import SessionFactory
from handlers import texts
from handlers.clock import FixedClock
from handlers.contract import Reply
from handlers.conversation.assistant import Assistant
from handlers.forms import Form, Invalid, read_address, read_name
from handlers.petitions import filing
from handlers.reception import booking
from tests.test_petitions import Chat as PetitionChat
from tests.test_reception import ONE_OFF, add_calendar
from tests.test_reception import Chat as BookingChat

TODAY = date(2026, 11, 30)


def controls_of(reply: Reply) -> list[str]:
    return [b.label for b in reply.buttons][-2:]


def test_every_form_is_fields_with_a_label_a_question_and_a_reader() -> None:
    forms: dict[str, Form] = {"booking": booking.FORM, "petition": filing.FORM}
    for name, form in forms.items():
        for key, asked in form.fields.items():
            assert asked.label and asked.prompt, (name, key)
            # Nothing typed is an answer to every step: each says what it expects.
            assert isinstance(form.read(key, "?", TODAY), Invalid)
    for steps in filing.STEPS.values():
        assert set(steps) <= set(filing.FORM.fields)
    assert set(booking.WALK_IN_STEPS) <= set(booking.FORM.fields)


def test_an_answer_is_taken_out_of_the_sentence_it_is_typed_in() -> None:
    assert read_name("toi ten la Le Thi Hoa", TODAY) == "Le Thi Hoa"
    assert read_name("Tên tôi là: Nguyễn Văn An.", TODAY) == "Nguyễn Văn An"
    # A name that happens to start with the same word as a lead is kept whole.
    assert read_name("Toàn Văn Nam", TODAY) == "Toàn Văn Nam"
    assert isinstance(read_name("ten toi la", TODAY), Invalid)
    assert read_address("dia chi cua toi la thon 3 xa Minh Hoa", TODAY) == "thon 3 xa Minh Hoa"
    assert read_address("Tổ 5", TODAY) == "Tổ 5"


async def test_a_citizen_types_her_name_in_a_sentence_and_every_step_has_back_and_quit(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = BookingChat(assistant)
    steps = [await chat.start_booking(matter=None), await chat.press("rc:m:phan_anh")]
    steps.append(await chat.say("toi ten la Le Thi Hoa"))
    steps.append(await chat.say("so cua toi la 0912 345 678"))
    steps.append(await chat.say("dia chi: thon Dong xa Minh Hoa"))
    for step in steps:
        assert controls_of(step) == [texts.BACK_STEP, texts.QUIT_FLOW], step.text
    read_back = await chat.say("Đường xóm ngập sau mỗi trận mưa")
    assert "- Họ tên: Le Thi Hoa" in read_back.text
    assert "- Điện thoại: 0912345678" in read_back.text
    assert "- Địa chỉ: thon Dong xa Minh Hoa" in read_back.text
    # A choice is read back by its label, not its stored value.
    assert "- Loại việc: Phản ánh" in read_back.text


async def test_a_citizen_changes_the_last_field_of_a_phan_anh_and_comes_back_to_the_read_back(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "farmer")
    await chat.press("menu:petition")
    await chat.press("pt:k:phan_anh")
    for answer in ("Le Van Tam", "0912345678", "thon Dong", "duong xom ngap nuoc", "cong thon"):
        await chat.say(answer)
    read_back = await chat.say("ko co")
    assert "- Nơi xảy ra: cong thon" in read_back.text
    picker = await chat.press(filing.FORM.edit)
    assert [b.label for b in picker.buttons][:5] == [
        "Họ và tên",
        "Số điện thoại",
        "Địa chỉ",
        "Nội dung",
        "Nơi xảy ra",
    ]
    await chat.press(f"{filing.FORM.edit_prefix}place")
    again = await chat.say("cong van hoa thon Dong")
    # Straight back to the read-back, not to the files step after the last field.
    assert "- Nơi xảy ra: cong van hoa thon Dong" in again.text
    assert "- Nội dung: duong xom ngap nuoc" in again.text
    assert any(b.payload == filing.SEND for b in again.buttons)


async def test_a_wrong_answer_says_what_is_expected_and_keeps_the_step_buttons(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "complainant")
    await chat.press("menu:petition")
    await chat.press("pt:k:khieu_nai")
    for answer in ("Pham Van Duc", "0987654321", "xom Bai", "QĐ 12/QĐ-UBND cua UBND xa"):
        await chat.say(answer)
    bad_day = await chat.say("hom truoc nua")
    assert bad_day.text.startswith(texts.PETITION_BAD_DAY)
    # The skip button is still there, then back and quit.
    assert [b.label for b in bad_day.buttons] == [
        texts.PETITION_NO_DAY,
        texts.BACK_STEP,
        texts.QUIT_FLOW,
    ]
    content = await chat.press("pt:noday")
    assert content.text == texts.PETITION_ASK["content"]


async def test_a_long_paste_in_a_form_is_not_advised_to_be_split_into_the_next_answer(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: told to split it, the second half was read as the next answer."""
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "long")
    await chat.press("menu:petition")
    await chat.press("pt:k:kien_nghi")
    for answer in ("Le Van Tam", "0912345678", "thon Dong"):
        await chat.say(answer)
    refused = await chat.say("duong xom ngap " * 200)
    assert refused.text.startswith(texts.TOO_LONG_IN_FORM.format(limit=2000))
    assert "chia thành" not in refused.text
    # The same step is asked again: the next message is still the content.
    read_back = await chat.say("Đề nghị nâng cấp đường xóm hay ngập")
    assert any(b.label == texts.NO_FILES for b in read_back.buttons)


async def test_a_citizen_types_the_buttons_she_sees_instead_of_pressing_them(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: "Kiến nghị" typed at the list of types went to the legal questions,
    and every answer after it with it."""
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "typist")
    await chat.press("menu:petition")
    assert (await chat.say("kien nghi")).text == texts.PETITION_ASK["name"]
    for answer in ("Le Van Tam", "0912345678", "thon Dong", "de nghi lap den duong"):
        await chat.say(answer)
    await chat.say("ko co")
    assert (await chat.say("sua mot muc")).text == texts.PICK_FIELD
    assert (await chat.say("sdt")).text == texts.PETITION_ASK["phone"]
    read_back = await chat.say("0987 654 321")
    assert "- Số điện thoại: 0987654321" in read_back.text


async def test_a_question_without_a_question_mark_at_the_phone_step_is_answered(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    chat = BookingChat(assistant, "no-mark")
    await chat.start_booking()
    await chat.say("Nguyen Van An")
    answered = await chat.say("thoi hieu khieu nai la bao lau")
    assert "90 ngày" in answered.text and answered.buttons[0].payload == "draft:resume"
    assert (await chat.press("draft:resume")).text == texts.ASK_PHONE


async def test_a_citizen_changes_the_session_from_the_read_back_and_keeps_every_answer(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    later = dict(ONE_OFF, date="09/12/2026")
    await add_calendar(sessions, clock, {"sessions": [ONE_OFF, later]})
    chat = BookingChat(assistant, "changer")
    await chat.start_booking()
    for answer in ("Nguyen Van An", "0912345678", "thon Dong", "De nghi sua duong lien thon"):
        await chat.say(answer)
    fields = await chat.press("rc:edit")
    assert fields.buttons[0].label == texts.SESSION_FIELD
    listed = await chat.press(fields.buttons[0].payload)
    # "Quay lại" from that list goes back to the read-back, nothing lost.
    assert [b.label for b in listed.buttons][-2:] == [texts.BACK_STEP, texts.QUIT_FLOW]
    assert (await chat.press("rc:back")).text.startswith("Anh/chị kiểm tra lại")
    await chat.press("rc:edit")
    listed = await chat.press(fields.buttons[0].payload)
    other = [b.payload for b in listed.buttons if b.payload.startswith("rc:s:")][1]
    read_back = await chat.press(other)
    assert "09/12/2026" in read_back.text and "- Họ tên: Nguyen Van An" in read_back.text


async def test_a_complainant_gives_name_and_phone_together_and_a_dated_decision(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in the second walk: "e ten …, sdt …" was refused; "em la …" stayed in the name on
    the letter; a decision "ngày 10/11/2026" was read as phường 10, quận 11 of Hồ Chí Minh; a
    question at the decision step was saved as the decision."""
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "complainant-2")
    await chat.press("menu:petition")
    await chat.press("pt:k:khieu_nai")
    # Name and phone in one message: the phone question is skipped.
    assert (await chat.say("e ten Pham Van Dung sdt +84913222333")).text == (
        texts.PETITION_ASK["address"]
    )
    await chat.say("xom Bai")
    answered = await chat.say("thoi han khieu nai la bao lau?")
    assert answered.buttons[0].payload == "draft:resume"
    assert (await chat.press("draft:resume")).text == texts.PETITION_ASK["decision"]
    day = await chat.say("qd so 45/QD-XPHC ngay 10/11/2026 cua chu tich ubnd xa")
    assert "Hồ Chí Minh" not in day.text and "Bình Thới" not in day.text
    assert day.text.endswith(texts.PETITION_ASK["decision_day"])
    for answer in ("10/11/2026", "Phat sai nguoi", "Huy quyet dinh"):
        await chat.say(answer)
    read_back = await chat.say("ko co")
    assert "- Họ và tên: Pham Van Dung" in read_back.text
    assert "- Số điện thoại: 0913222333" in read_back.text

    other = BookingChat(assistant, "binh")
    await add_calendar(sessions, clock)
    await other.start_booking()
    assert (await other.say("em la tran thi binh")).text == texts.ASK_PHONE
    await other.say("0912345678")
    await other.say("thon Dong")
    assert "- Họ tên: tran thi binh" in (await other.say("De nghi sua cong thon")).text


async def test_what_a_citizen_types_at_the_photo_step_is_added_to_the_content_not_lost(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    chat = PetitionChat(assistant, "more")
    await chat.press("menu:petition")
    await chat.press("pt:k:phan_anh")
    for answer in ("Le Van Tam", "0912345678", "thon Dong", "cong thon bi tac", "cong thon Dong"):
        await chat.say(answer)
    added = await chat.say("de nghi xa cho nao vet cong som")
    assert added.text.startswith('Đã thêm câu anh/chị vừa gõ vào mục "Nội dung".')
    read_back = await chat.say("ko co")
    assert "cong thon bi tac\nde nghi xa cho nao vet cong som" in read_back.text
