"""What a citizen of a commune finds in the knowledge base (issue 17, content): the topic menu
puts their topics first, the questions the first sets lacked are answered from cited entries,
and a word that is in-domain without accents is not taken for an off-topic one."""

from __future__ import annotations

import re

import pytest

from handlers.faq.answers import TOPIC_PREFIX, topic_reply, topics_reply, understand
from knowledge.entries import CITIZEN_GROUPS, STAFF_GROUP, Entry, load_entries
from knowledge.index import FaqIndex
from knowledge.scope import Decline

DECREE = re.compile(r"\bnghị định \d|\d+/\d{4}/(nđ|qh)", re.IGNORECASE)


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_entries())


def _topic_labels(index: FaqIndex) -> list[str]:
    return [b.label for b in topics_reply(index).buttons if b.payload.startswith(TOPIC_PREFIX)]


def test_the_topic_menu_lists_citizens_topics_first_and_the_officials_last(
    index: FaqIndex,
) -> None:
    labels = _topic_labels(index)
    assert labels[: len(CITIZEN_GROUPS)] == list(CITIZEN_GROUPS)
    assert labels[-1] == STAFF_GROUP


def test_a_group_an_admin_makes_goes_after_the_citizens_and_before_the_officials(
    curated: list[Entry],
) -> None:
    extra = curated[0].model_copy(update={"id": "mot-nhom-moi", "group": "Nhóm mới của xã"})
    labels = _topic_labels(FaqIndex([extra, *curated]))
    assert labels.index("Nhóm mới của xã") == len(CITIZEN_GROUPS)
    assert labels[-1] == STAFF_GROUP


def test_no_button_of_the_topic_menu_is_a_decree_number(index: FaqIndex) -> None:
    for slug in index.groups:
        reply = topic_reply(index, slug)
        assert reply is not None
        for button in (*topics_reply(index).buttons, *reply.buttons):
            assert not DECREE.search(button.label), button.label


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("bị xã ra quyết định phạt tiền thì khiếu nại được không", "kn-quyet-dinh-xu-phat"),
        ("thôn bắt mỗi hộ góp 1 triệu làm đường bê tông có đúng không", "thdcs-dong-gop-xay-dung"),
        ("dan muon bai nhiem truong thon thi can bao nhieu ho", "thdcs-cho-thoi-truong-thon"),
        ("danh sach ho ngheo co phai dan cong khai khong", "thdcs-cong-khai-ho-tro"),
        ("toi bi nguoi ta to cao vu khong thi lam sao", "tc-bi-to-cao-sai"),
        ("không biết viết đơn thì đến xã tố cáo miệng được không", "tc-to-cao-truc-tiep"),
        (
            "ba tôi người dân tộc không rành tiếng Việt, đi tiếp dân có mang người phiên dịch được "
            "không",
            "tcd-phien-dich",
        ),
        ("đang khiếu nại mà xã vẫn cưỡng chế nhà tôi thì sao", "kn-tam-dinh-chi-thi-hanh"),
    ],
)
def test_questions_the_first_sets_lacked_get_a_cited_answer(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    result = understand(index, question)
    assert result.matched and result.entry is not None
    assert result.entry.id == entry_id
    assert "Căn cứ:" in result.replies[0].text


def test_a_village_heads_term_is_answered_honestly_without_a_number(index: FaqIndex) -> None:
    result = understand(index, "nhiệm kỳ trưởng thôn mấy năm vậy")
    assert result.matched and result.entry is not None
    assert result.entry.id == "thdcs-nhiem-ky-truong-thon"
    assert "không ghi số năm" in result.replies[0].text
    assert "hỏi UBND xã" in result.replies[0].text


def test_thuoc_without_accents_is_in_domain_but_medicine_is_still_off_topic(
    index: FaqIndex,
) -> None:
    # "thuoc" is "thuộc" (thuộc thẩm quyền) as often as "thuốc" (medicine).
    competent = understand(index, "viec nay co thuoc tham quyen cua xa khong")
    assert competent.decline is not Decline.off_topic
    assert competent.matched and competent.entry is not None
    assert competent.entry.id == "tcd-khong-thuoc-tham-quyen"
    medicine = understand(index, "mua thuốc tây ở đâu rẻ")
    assert medicine.decline is Decline.off_topic
