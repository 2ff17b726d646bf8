"""Admins curate the knowledge base in the chat; citizens see the result at once."""

from __future__ import annotations

from sqlmodel import select

from db import audit
from db.engine import SessionFactory
from db.models import KbRevision, UnansweredQuestion
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.contract import Incoming, Reply
from handlers.conversation.assistant import Assistant
from handlers.kb.curation import top_unanswered
from tests.conftest import Client
from tests.test_access import invite, setup_units


def msg(
    text: str | None = None, *, button: str | None = None, chat: str = "admin", channel: str = "web"
) -> Incoming:
    return Incoming(channel=channel, chat_id=chat, user_id=chat, text=text, button=button)


async def make_admin(
    assistant: Assistant,
    sessions: SessionFactory,
    clock: FixedClock,
    chat: str = "admin",
    channel: str = "web",
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu")
    [granted] = await assistant.dispatch(msg(code, chat=chat, channel=channel))
    assert "quản trị viên" in granted.text


def button(reply: Reply, label_part: str) -> str:
    return next(b.payload for b in reply.buttons if label_part in b.label)


async def test_an_admin_adds_an_entry_step_by_step_and_citizens_get_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    [menu] = await assistant.dispatch(msg("/kb"))
    [step] = await assistant.dispatch(msg(button=button(menu, texts.KB_ADD)))
    assert step.text == texts.KB_ASK_QUESTIONS
    [step] = await assistant.dispatch(msg("Giờ làm việc của ủy ban xã?"))
    assert step.text == texts.KB_NEED_TWO
    await assistant.dispatch(msg("Giờ làm việc của ủy ban xã?; Mấy giờ ủy ban xã mở cửa?"))
    await assistant.dispatch(msg("Ủy ban xã làm việc từ Thứ Hai đến Thứ Sáu theo giờ hành chính."))
    [step] = await assistant.dispatch(msg("Luật Khiếu nại 02/2011 Điều 9"))
    assert step.text.startswith('Căn cứ "Luật Khiếu nại 02/2011 Điều 9" chưa đúng mẫu')
    await assistant.dispatch(msg("Luật Tiếp công dân | 42/2013/QH13 | Điều 24"))
    [groups] = await assistant.dispatch(msg("Giờ làm việc của ủy ban xã"))
    [preview] = await assistant.dispatch(msg(button=button(groups, "Tiếp công dân")))
    assert preview.text.startswith("Xem trước mục sẽ lưu:")
    [saved] = await assistant.dispatch(msg(button="kbadm:save"))
    assert saved.text.startswith("Đã lưu mục gio-lam-viec-cua-uy-ban-xa")

    [answer] = await assistant.dispatch(msg("may gio uy ban xa mo cua", chat="citizen"))
    assert answer.text.startswith("Ủy ban xã làm việc từ Thứ Hai")
    async with sessions() as session:
        [revision] = (
            await session.exec(
                select(KbRevision).where(KbRevision.entry_id == "gio-lam-viec-cua-uy-ban-xa")
            )
        ).all()
    assert (
        revision.action == "add"
        and revision.before is None
        and revision.actor.startswith("person:")
    )


async def test_an_admin_edits_then_reverts_an_answer(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    await assistant.dispatch(msg(button="kbadm:find"))
    [found] = await assistant.dispatch(msg("thoi hieu khieu nai"))
    [view] = await assistant.dispatch(msg(button=button(found, "Thời hiệu khiếu nại")))
    assert "kn-thoi-hieu (đang dùng)" in view.text
    await assistant.dispatch(msg(button=button(view, texts.KB_EDIT_ANSWER)))
    new_answer = "Thời hiệu khiếu nại là 90 ngày kể từ ngày biết quyết định (bản sửa thử)."
    [preview] = await assistant.dispatch(msg(new_answer))
    assert new_answer in preview.text
    await assistant.dispatch(msg(button="kbadm:save"))
    [seen] = await assistant.dispatch(msg("thoi hieu khieu nai la bao lau", chat="citizen"))
    assert seen.text.startswith(new_answer)

    [reverted] = await assistant.dispatch(msg(button="kbadm:revert:kn-thoi-hieu"))
    assert reverted.text == texts.KB_REVERTED.format(id="kn-thoi-hieu")
    [back] = await assistant.dispatch(msg("thoi hieu khieu nai la bao lau", chat="citizen"))
    assert back.text.startswith("Thời hiệu khiếu nại là 90 ngày, kể từ ngày anh/chị nhận")
    async with sessions() as session:
        actions = [e.action for e in await audit.entries(session) if e.action.startswith("kb.")]
    assert actions[-2:] == ["kb.edit", "kb.revert"]


async def test_a_hidden_entry_is_not_used_to_answer(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    [hidden] = await assistant.dispatch(msg(button="kbadm:hide:tc-nac-danh"))
    assert hidden.text == texts.KB_HIDDEN.format(id="tc-nac-danh")
    [reply] = await assistant.dispatch(msg("to cao nac danh co duoc xu ly khong", chat="c"))
    assert "không được xử lý theo Luật Tố cáo" not in reply.text
    await assistant.dispatch(msg(button="kbadm:show:tc-nac-danh"))
    [again] = await assistant.dispatch(msg("to cao nac danh co duoc xu ly khong", chat="c"))
    assert "không được xử lý theo Luật Tố cáo" in again.text


async def test_citizens_and_officials_cannot_edit_the_knowledge_base(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await assistant.dispatch(msg(await invite(sessions, clock), chat="official"))
    for chat in ("citizen", "official"):
        [refused] = await assistant.dispatch(msg(button="kbadm:hide:kn-thoi-hieu", chat=chat))
        assert refused.text == texts.ADMIN_ONLY
    [typed] = await assistant.dispatch(msg("/kb", chat="citizen"))
    assert typed.text == texts.ADMIN_ONLY
    [still] = await assistant.dispatch(msg("thoi hieu khieu nai la bao lau", chat="citizen"))
    assert "90 ngày" in still.text
    async with sessions() as session:
        assert len(await audit.entries(session, "access.denied")) == 3


async def test_an_admin_on_the_console_edits_with_typed_numbers(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock, chat="tty", channel="console")

    async def say(text: str) -> Reply:
        [reply] = await assistant.dispatch(msg(text, chat="tty", channel="console"))
        return reply

    menu = await say("/kb")
    position = [b.label for b in menu.buttons].index(texts.KB_FIND) + 1
    await say(str(position))
    found = await say("rut khieu nai")
    await say("1")  # the first entry found
    view = await say("/kb")  # back to the menu works at any point
    assert view.text == texts.KB_ADMIN_MENU
    await say(str(position))
    await say("rut khieu nai")
    entry = await say("1")
    await say(str([b.label for b in entry.buttons].index(texts.KB_EDIT_QUESTIONS) + 1))
    preview = await say("Rút đơn khiếu nại được không?; Muốn thôi khiếu nại thì làm sao?")
    assert "Muốn thôi khiếu nại thì làm sao?" in preview.text
    saved = await say(str([b.label for b in preview.buttons].index(texts.KB_SAVE) + 1))
    assert saved.text.startswith("Đã lưu mục kn-rut-khieu-nai")
    assert found.buttons


async def test_unanswered_questions_are_kept_masked_and_become_entries(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    for chat in ("a", "b"):
        await assistant.dispatch(
            msg("Tôi là Nguyễn Văn An 0912345678, thủ tục ly hôn cần gì", chat=chat)
        )
    async with sessions() as session:
        [gap] = await top_unanswered(session)
    assert gap.count == 2
    assert "0912345678" not in gap.sample and "Nguyễn" not in gap.sample
    assert "<tên>" in gap.sample and "<phone>" in gap.sample

    await make_admin(assistant, sessions, clock)
    [gaps] = await assistant.dispatch(msg(button="kbadm:gaps"))
    assert gaps.text.startswith("Những câu người dân hỏi") and "2 lần" in gaps.text
    [start] = await assistant.dispatch(msg(button=gaps.buttons[0].payload))
    assert texts.KB_ASK_QUESTIONS in start.text
    await assistant.dispatch(msg("Thủ tục ly hôn ở đâu?; Ly hôn nộp đơn ở đâu?"))
    await assistant.dispatch(msg("Việc ly hôn do Tòa án nhân dân giải quyết, không thuộc UBND xã."))
    await assistant.dispatch(msg("Luật Tiếp công dân | 42/2013/QH13 | Điều 26"))
    await assistant.dispatch(msg("Ly hôn"))
    await assistant.dispatch(msg("Khác"))
    await assistant.dispatch(msg(button="kbadm:save"))
    async with sessions() as session:
        assert await top_unanswered(session) == []
        stored = (await session.exec(select(UnansweredQuestion))).one()
    assert stored.resolved_at == clock.now()


async def test_an_answer_offers_related_questions_and_topics_can_be_browsed(
    assistant: Assistant,
) -> None:
    [answer] = await assistant.dispatch(msg("thoi hieu khieu nai la bao lau", chat="c"))
    related = [b for b in answer.buttons if b.payload.startswith("faq:")]
    assert 1 <= len(related) <= 3 and all(b.payload != "faq:kn-thoi-hieu" for b in related)
    [followed] = await assistant.dispatch(msg(button=related[0].payload, chat="c"))
    assert "Căn cứ:" in followed.text

    [topics] = await assistant.dispatch(msg(button="menu:ask", chat="c"))
    labels = [b.label for b in topics.buttons]
    assert "Tiếp công dân" in labels and "Dân chủ ở cơ sở" in labels
    [listing] = await assistant.dispatch(msg(button=button(topics, "Tiếp công dân"), chat="c"))
    assert listing.text.startswith("Các câu hỏi về Tiếp công dân")
    [entry] = await assistant.dispatch(msg(button=listing.buttons[0].payload, chat="c"))
    assert "Luật Tiếp công dân" in entry.text


async def test_an_admin_hides_an_entry_through_the_web_chat_api(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu")
    granted = await (await client.post("/api/chat", json={"text": code})).json()
    assert "quản trị viên" in granted["replies"][0]["text"]
    menu = await (await client.post("/api/chat", json={"text": "/kb"})).json()
    assert menu["replies"][0]["text"] == texts.KB_ADMIN_MENU
    hidden = await (
        await client.post("/api/chat", json={"button": "kbadm:hide:kn-rut-khieu-nai"})
    ).json()
    assert hidden["replies"][0]["text"] == texts.KB_HIDDEN.format(id="kn-rut-khieu-nai")
