"""Questions written the way citizens really type (issue 17): regional spellings, fillers,
typos, swapped words, long stories, asking versus acting, requests typed instead of tapped, and
the four kinds of "I can't answer"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import SessionFactory
from handlers import texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.faq.answers import Office, understand
from handlers.units.registry import UnitSpec, apply
from knowledge.entries import load_entries
from knowledge.index import FaqIndex
from knowledge.intents import Intent, Request, find_code, read
from knowledge.normalize import Lexicon, normalize
from knowledge.scope import Decline, scope
from tests.test_petitions import COMPLAINT, Chat, code_of, file
from tests.test_reception import add_calendar


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_entries())


def answered(index: FaqIndex, question: str) -> str | None:
    result = understand(index, question)
    return result.entry.id if result.matched and result.entry else None


def test_a_southern_speaker_asks_whether_a_denouncer_stays_secret(index: FaqIndex) -> None:
    assert answered(index, "tố cáo có bị lộ tên hông") == "tc-bi-mat-nguoi-to-cao"
    assert answered(index, "đơn tố cáo hổng ghi tên thì có ai giải quyết hông dzậy") == (
        "tc-nac-danh"
    )


def test_fillers_around_a_question_do_not_hide_it(index: FaqIndex) -> None:
    question = "e hỏi xíu, thời hiệu khiếu nại là nhiu ngày ạ"
    assert answered(index, question) == "kn-thoi-hieu"


def test_an_entry_written_for_the_thon_answers_the_ap_and_the_khu_pho(index: FaqIndex) -> None:
    assert answered(index, "cho mình hỏi trưởng ấp được bầu ra sao với ạ") == (
        "thdcs-bau-truong-thon"
    )
    assert answered(index, "tổ trưởng khu phố bầu kiểu gì vậy anh") == "thdcs-bau-truong-thon"


def test_accents_tell_a_regional_spelling_from_another_word() -> None:
    # "hông" is the southern "không"; "hỏng" is broken, and stays broken.
    assert normalize("đường hỏng") == "duong hong"
    assert normalize("có được hông") == "co duoc khong"
    # Typed without any accent, "hong" ends a question as "không" only at its end.
    assert normalize("to cao co bi lo ten hong") == "to cao co bi lo ten khong"
    assert normalize("duong hong nang") == "duong hong nang"


def test_the_lexicon_reads_back_as_written() -> None:
    lexicon = Lexicon.load()
    assert lexicon.accented["hông"] == "không"
    assert lexicon.plain["ubnd"] == "uy ban nhan dan"
    assert "cho em hoi" in lexicon.fillers
    # Every in-domain situation names only offers the assistant can make.
    assert all(
        set(s.offers) <= {"petition", "reception", "status", "schedule"} for s in scope().situations
    )


def test_two_typos_in_one_question_are_repaired(index: FaqIndex) -> None:
    assert answered(index, "thoi gan giai quyt to cao") == "tc-thoi-han-giai-quyet"
    assert answered(index, "khieu nai lan hia gui cho ai") == "kn-lan-hai"


def test_swapped_word_order_finds_the_same_answer(index: FaqIndex) -> None:
    assert answered(index, "mấy ngày một tuần chủ tịch xã tiếp dân") == ("tcd-chu-tich-xa-tiep-dan")


def test_asking_when_to_complain_is_a_question_and_wanting_to_complain_is_a_request(
    index: FaqIndex,
) -> None:
    assert read("khiếu nại quyết định phạt thì gửi trong mấy ngày").intent is Intent.faq
    assert read("tố cáo cán bộ xã thì gửi cho ai").intent is Intent.faq
    assert read("tôi muốn khiếu nại quyết định phạt").intent is Intent.petition
    # Asking how to do what one wants done is asking to do it.
    wish = read("tôi muốn lên xã gặp chủ tịch thì đăng ký thế nào")
    assert wish.intent is Intent.reception and wish.request is Request.book


def test_requests_typed_in_words_are_recognised() -> None:
    for typed in ("lịch hẹn của tôi", "đổi lịch hẹn", "huỷ lịch hẹn", "dời lịch hẹn qua tuần"):
        assert read(typed).request is Request.my_bookings, typed
    assert read("đơn của tui tới đâu rồi").request is Request.my_petitions


@pytest.mark.parametrize(
    "typed",
    [
        "mã PA 2026 H38G65 số cuối 4321",
        "pa2026h38g65 4321",
        "tra cứu pa-2026-h38g65, sđt đuôi 0912 344 321",
    ],
)
def test_a_code_is_found_with_spaces_lower_case_and_the_phone_digits_anywhere(typed: str) -> None:
    found = find_code(typed)
    assert found is not None and found.code == "PA-2026-H38G65" and found.last4 == "4321"


def test_a_code_without_digits_is_still_a_code() -> None:
    found = find_code("đơn KN 2026 AB12CD của tôi")
    assert found is not None and found.code == "KN-2026-AB12CD" and found.last4 is None


def test_a_long_story_is_answered_at_its_question(index: FaqIndex) -> None:
    story = (
        "Mẹ tôi năm nay 80 tuổi, bị xã xử phạt vì đốt rơm. Bà muốn khiếu nại nhưng đi lại không "
        "được, mắt lại kém. Tôi là con trai, ở gần đó. Vậy tôi có được thay mẹ đi khiếu nại "
        "không, cần giấy tờ gì?"
    )
    assert answered(index, story) == "kn-uy-quyen"


def test_an_old_man_whose_field_was_taken_gets_a_warm_reply_with_the_ways_forward(
    index: FaqIndex,
) -> None:
    story = (
        "Thưa anh chị, tôi là nông dân ở thôn Đông, năm nay 72 tuổi. Năm ngoái xã làm đường "
        "liên thôn, lấy mất gần 200 mét vuông ruộng của nhà tôi mà không ai bàn với gia đình, "
        "tiền đền bù cũng chưa thấy. Tôi có lên xã hỏi mấy lần mà cán bộ bảo chờ. Giờ tôi già "
        "rồi, con cái đi làm xa. Tôi muốn hỏi tôi phải làm gì để được giải quyết?"
    )
    result = understand(index, story)
    assert result.intent is Intent.fallback and result.decline is Decline.in_domain
    reply = result.replies[0]
    assert reply.text.startswith(texts.DECLINE_LONG_LEAD)
    assert "nằm ngoài" not in reply.text
    assert {"petition", "reception", "schedule"} <= set(result.offers)
    assert {"menu:petition", "menu:book", "menu:reception-info"} <= {
        b.payload for b in reply.buttons
    }


def test_a_flooded_road_is_offered_a_phan_anh_not_sent_to_the_one_stop_office(
    index: FaqIndex,
) -> None:
    result = understand(index, "cống thoát nước đầu hẻm bị nghẹt")
    assert result.decline is Decline.in_domain
    assert "menu:petition" in {b.payload for b in result.replies[0].buttons}


def test_an_id_card_question_goes_to_the_one_stop_office_not_to_a_reception_answer(
    index: FaqIndex,
) -> None:
    result = understand(index, "làm căn cước cho con ở đâu")
    assert result.intent is Intent.fallback and result.decline is Decline.procedure
    assert result.replies[0].text == texts.DECLINE_PROCEDURE
    office = Office("UBND xã Minh Hòa", "Số 1 đường Chính", None, "07:30-11:30")
    named = understand(index, "đăng ký kết hôn cần giấy tờ gì", office=office)
    assert "bộ phận một cửa" in named.replies[0].text
    assert "UBND xã Minh Hòa" in named.replies[0].text and "07:30-11:30" in named.replies[0].text


def test_an_important_word_no_entry_knows_stops_a_confident_answer(index: FaqIndex) -> None:
    for question in ("xã có tuyển công chức năm nay không", "có được bầu trưởng công an xã không"):
        result = understand(index, question)
        assert not result.matched and result.intent is Intent.fallback, question


def test_a_message_of_politeness_alone_gets_one_short_question_with_buttons(
    index: FaqIndex,
) -> None:
    result = understand(index, "cho em hỏi với ạ")
    assert result.decline is Decline.unclear
    assert result.replies[0].text == texts.DECLINE_UNCLEAR
    assert "menu:ask" in {b.payload for b in result.replies[0].buttons}


def test_ask_json_adds_the_decline_and_offers_and_keeps_the_six_intents(
    project_root: Path, cli_env: dict[str, str]
) -> None:
    lines = "mai trời có mưa không\nđèn đường trong thôn hư cả tháng chưa ai sửa\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=lines,
        env=cli_env,
        cwd=project_root,
        capture_output=True,
        text=True,
        check=True,
    )
    weather, lamp = (json.loads(line) for line in done.stdout.splitlines())
    assert weather["intent"] == "fallback" and weather["decline"] == "off_topic"
    assert lamp["intent"] == "fallback" and lamp["decline"] == "in_domain"
    assert "petition" in lamp["offers"]
    for result in (weather, lamp):
        assert {"intent", "matched", "entry_id", "score", "answer", "sources"} <= set(result)


async def test_a_citizen_types_my_appointments_and_sees_them_with_cancel_and_move(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    from tests.test_reception import Chat as BookingChat

    chat = BookingChat(assistant)
    await chat.book()
    for typed in ("lịch hẹn của tôi", "huỷ lịch hẹn", "đổi lịch hẹn"):
        mine = await chat.say(typed)
        assert mine.text.startswith(texts.MY_BOOKINGS), typed
        assert any(b.payload.startswith("rc:cancel:") for b in mine.buttons)


async def test_a_code_typed_with_spaces_and_the_phone_digits_in_a_sentence_finds_the_don(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    from tests.test_access import setup_units

    await setup_units(sessions, clock)
    code = code_of(await file(Chat(assistant, "owner"), "khieu_nai", COMPLAINT))
    kind, year, rest = code.split("-")
    typed = f"mã {kind} {year} {rest.lower()} số cuối 5678"
    found = await Chat(assistant, "another-phone").say(typed)
    assert found.text.startswith(code)


async def test_a_procedure_question_names_the_communes_own_office_from_its_profile(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    commune = UnitSpec(
        name="Xã Minh Hòa",
        kind="xa",
        profile={"address": "Số 1 đường Chính", "hours": "Thứ Hai đến Thứ Sáu, 07:30-17:00"},
    )
    async with sessions() as session, session.begin():
        await apply(session, [commune], clock.now(), actor="test")
    reply = await Chat(assistant, "newcomer").say("đăng ký tạm trú làm sao ạ")
    assert "bộ phận một cửa" in reply.text and "UBND xã Minh Hòa" in reply.text
    assert "Số 1 đường Chính" in reply.text and "07:30-17:00" in reply.text
