"""The FAQ engine on the curated content: answering, reading back, declining, routing."""

from __future__ import annotations

import pytest

from handlers import texts
from handlers.faq.answers import understand
from knowledge.entries import Entry
from knowledge.index import Confidence, FaqIndex
from knowledge.intents import Intent, classify
from knowledge.normalize import normalize
from knowledge.scope import Decline


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    from knowledge.entries import load_entries

    return FaqIndex(load_entries())


def test_a_citizen_without_diacritics_asks_how_long_they_have_to_complain(
    index: FaqIndex,
) -> None:
    result = understand(index, "thoi hieu khieu nai la bao lau")
    assert result.intent is Intent.faq and result.matched
    assert result.entry is not None and result.entry.id == "kn-thoi-hieu"
    text = result.replies[0].text
    assert "90 ngày" in text
    assert "Căn cứ: Điều 9" in text and "Luật Khiếu nại số 02/2011/QH13" in text
    # The quoted law has been amended since; the answer says so.
    assert "sửa đổi, bổ sung từ 01/7/2026" in text


def test_a_citizen_with_a_typo_still_gets_the_answer(index: FaqIndex) -> None:
    result = understand(index, "thoi hieu khieu nia bao nhieu ngay")
    assert result.matched and result.entry is not None and result.entry.id == "kn-thoi-hieu"


def test_a_citizen_asks_when_a_first_complaint_is_decided(index: FaqIndex) -> None:
    result = understand(index, "khieu nai bao lau thi dc giai quyet")
    assert result.matched and result.entry is not None
    assert result.entry.id == "kn-thoi-han-lan-dau"


def test_an_anonymous_denunciation_question_in_chat_spelling(index: FaqIndex) -> None:
    result = understand(index, "don to cao khong ghi ten co dc giai quyet ko")
    assert result.entry is not None and result.entry.id == "tc-nac-danh"
    assert "không được xử lý" in result.replies[0].text


@pytest.mark.parametrize(
    "question",
    [
        "giá vàng hôm nay bao nhiêu",
        "thoi tiet ngay mai the nao",
        "thủ tục ly hôn cần giấy tờ gì",
        "lai suat ngan hang bao nhieu",
        "ket qua xo so mien bac",
        "asdkjh qwe zzz",
    ],
)
def test_out_of_scope_questions_are_declined_not_guessed(index: FaqIndex, question: str) -> None:
    result = understand(index, question)
    assert result.intent is Intent.fallback
    assert not result.matched and result.entry is None
    # Said plainly, with what the assistant does, and no unrelated legal question read back.
    assert result.decline is Decline.off_topic
    assert result.replies[0].text == texts.DECLINE_OFF_TOPIC
    assert not any(b.payload.startswith("faq:") for b in result.replies[0].buttons)


def test_a_vague_question_is_read_back_with_choices(index: FaqIndex) -> None:
    search = index.search("khieu nai")
    assert search.confidence is Confidence.medium, search
    result = understand(index, "khieu nai")
    assert result.intent is Intent.faq and not result.matched
    assert result.alternatives
    payloads = [button.payload for button in result.replies[0].buttons]
    assert payloads[-1] == "faq:none"
    assert [f"faq:{e.id}" for e in result.alternatives] == payloads[:-1]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("tôi muốn đăng ký gặp chủ tịch xã", Intent.reception),
        ("em muon dat lich gap lanh dao xa", Intent.reception),
        ("toi muon gui don khieu nai", Intent.petition),
        ("muốn phản ánh đường trong thôn bị hư hỏng", Intent.petition),
        ("toi muon to cao can bo dia chinh", Intent.petition),
        ("don cua toi da duoc xu ly chua", Intent.petition_status),
        ("tra cứu đơn", Intent.petition_status),
        ("KN-2026-7H3Q9X", Intent.petition_status),
        ("xin chào", Intent.greeting),
        ("khiếu nại lần đầu giải quyết trong bao lâu", Intent.faq),
        ("to cao nac danh co duoc xu ly khong", Intent.faq),
        ("len xa gap can bo can mang theo nhung gi", Intent.faq),
        ("khieu nai het han chua", Intent.faq),
        ("toi da gui don khieu nai ma chua thay tra loi", Intent.petition_status),
        ("to cao cua toi co ket qua chua", Intent.petition_status),
        ("toi da nop don to cao thi bao lau co ket qua", Intent.faq),
    ],
)
def test_free_text_is_routed_to_what_the_person_wants(text: str, intent: Intent) -> None:
    assert classify(text) is intent


def test_a_wish_to_book_reception_offers_booking_and_the_menu(index: FaqIndex) -> None:
    result = understand(index, "dang ky lich tiep cong dan")
    assert result.intent is Intent.reception and not result.matched
    reply = result.replies[0]
    assert reply.text == texts.RECEPTION_MENU
    payloads = [b.payload for b in reply.buttons]
    assert payloads[:2] == ["menu:book", "menu:mine"] and "menu:petition" in payloads


def test_a_wish_to_file_a_petition_explains_the_four_types(index: FaqIndex) -> None:
    reply = understand(index, "toi muon gui don khieu nai").replies[0]
    assert reply.text == texts.PETITION_INTRO


def test_draft_entries_are_never_served(curated: list[Entry]) -> None:
    hidden = curated[0].model_copy(update={"status": "draft"})
    index = FaqIndex([hidden, *curated[1:]])
    assert all(e.id != hidden.id for e in index.entries)
    result = index.search(hidden.questions[0])
    assert result.best is None or result.best.entry.id != hidden.id


def test_ask_json_keys_follow_the_contract(index: FaqIndex) -> None:
    data = understand(index, "thoi hieu khieu nai la bao lau").to_json()
    assert set(data) >= {
        "intent",
        "matched",
        "entry_id",
        "score",
        "answer",
        "sources",
        "alternatives",
    }
    assert data["sources"][0] == {
        "law": "Luật Khiếu nại",
        "number": "02/2011/QH13",
        "article": "Điều 9",
    }
    assert normalize("90 ngày") in normalize(data["answer"])
