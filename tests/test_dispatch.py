"""Conversations through dispatch, on a real database, with a fixed clock."""

from __future__ import annotations

import asyncio

from sqlmodel import func, select

from db.engine import SessionFactory
from db.models import Conversation, InboxItem
from handlers import texts
from handlers.clock import FixedClock
from handlers.contract import Incoming
from handlers.conversation.assistant import Assistant
from handlers.faq.knowledge import KnowledgeBase


def msg(
    text: str | None = None,
    *,
    button: str | None = None,
    update: str | None = None,
    chat: str = "c1",
) -> Incoming:
    return Incoming(
        channel="web", chat_id=chat, user_id=chat, text=text, button=button, update_id=update
    )


async def count(sessions: SessionFactory, model: type) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_a_citizen_greets_and_gets_the_menu(assistant: Assistant) -> None:
    [reply] = await assistant.dispatch(msg("xin chao"))
    assert reply.text.startswith("Xin chào anh/chị")
    assert [b.payload for b in reply.buttons] == [
        "menu:ask",
        "menu:reception",
        "menu:petition",
        "menu:status",
    ]


async def test_a_citizen_asks_and_the_answer_cites_its_source(assistant: Assistant) -> None:
    [reply] = await assistant.dispatch(msg("to cao thi bao lau co ket qua"))
    assert "30 ngày" in reply.text
    assert "Căn cứ:" in reply.text and "Luật Tố cáo số 25/2018/QH14" in reply.text


async def test_a_read_back_choice_can_be_pressed_or_typed(assistant: Assistant) -> None:
    [readback] = await assistant.dispatch(msg("khieu nai"))
    assert readback.text == texts.READBACK
    first = readback.buttons[0]
    [by_press] = await assistant.dispatch(msg(button=first.payload))
    assert "Căn cứ:" in by_press.text
    # On a text-only channel the person types the number shown beside the choice.
    await assistant.dispatch(msg("khieu nai"))
    [by_number] = await assistant.dispatch(msg("1"))
    assert by_number.text == by_press.text


async def test_a_button_from_an_old_message_is_refused_politely(assistant: Assistant) -> None:
    [kinds] = await assistant.dispatch(msg(button="menu:petition"))
    old_choice = kinds.buttons[0].payload
    assert old_choice.startswith("pt:k:")
    await assistant.dispatch(msg("xin chao"))
    [reply] = await assistant.dispatch(msg(button=old_choice))
    assert reply.text == texts.STALE_BUTTON


async def test_a_forged_payload_changes_nothing(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    [reply] = await assistant.dispatch(msg(button="admin:grant:everything"))
    assert reply.text == texts.STALE_BUTTON
    # An answer's button only informs: a made-up one finds nothing.
    [reply] = await assistant.dispatch(msg(button="faq:khong-co-muc-nay"))
    assert reply.text == texts.ENTRY_GONE


async def test_menu_buttons_work_from_any_state(assistant: Assistant) -> None:
    await assistant.dispatch(msg(button="menu:book"))  # in the middle of another flow
    [reply] = await assistant.dispatch(msg(button="menu:petition"))
    assert reply.text == texts.PETITION_INTRO


async def test_a_redelivered_update_is_answered_once(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    first = await assistant.dispatch(msg("thoi hieu khieu nai", update="u-1"))
    again = await assistant.dispatch(msg("thoi hieu khieu nai", update="u-1"))
    assert again == first
    assert await count(sessions, InboxItem) == 1
    async with sessions() as session:
        conversation = (await session.exec(select(Conversation))).one()
    assert conversation.version == 1


async def test_the_same_update_arriving_twice_at_once_has_one_effect(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    results = await asyncio.gather(
        *(assistant.dispatch(msg("xin chao", update="u-9", chat="c9")) for _ in range(4))
    )
    assert all(result == results[0] for result in results)
    assert await count(sessions, InboxItem) == 1
    assert await count(sessions, Conversation) == 1


async def test_a_choice_offered_before_a_restart_still_works_after_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    [readback] = await assistant.dispatch(msg("khieu nai"))
    assert readback.text == texts.READBACK
    # A new process: nothing shared with the first but the database.
    restarted = Assistant(sessions, KnowledgeBase(refresh_seconds=0), clock)
    [reply] = await restarted.dispatch(msg("1"))
    assert "Căn cứ:" in reply.text


async def test_bad_input_gets_a_short_reply_and_no_exception(assistant: Assistant) -> None:
    cases = {
        "": texts.UNCLEAR,
        "   ": texts.UNCLEAR,
        "😀😀🙏": texts.UNCLEAR,
        "\x00\x07\x1b": texts.UNCLEAR,
        "a" * 10_000: texts.TOO_LONG.format(limit=2000),
        "/xoa_het": texts.UNKNOWN_COMMAND,
    }
    for text, expected in cases.items():
        [reply] = await assistant.dispatch(msg(text))
        assert reply.text == expected
    [mixed] = await assistant.dispatch(msg("请问 khiếu nại 申诉 là gì Ω"))
    assert mixed.text


async def test_a_long_message_redelivered_is_still_stored_once(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    await assistant.dispatch(msg("a" * 10_000, update="long"))
    await assistant.dispatch(msg("a" * 10_000, update="long"))
    assert await count(sessions, InboxItem) == 1


async def test_a_suggested_petition_never_traps_a_citizen_who_only_asks(
    assistant: Assistant,
) -> None:
    [suggested] = await assistant.dispatch(msg("toi muon phan anh duong xom bi ngap"))
    assert "pt:no" in [b.payload for b in suggested.buttons]
    # Typed text is read afresh: a question is answered, "về menu chính" shows the menu.
    [answered] = await assistant.dispatch(msg("thoi hieu khieu nai la bao lau"))
    assert "90 ngày" in answered.text
    await assistant.dispatch(msg("toi muon phan anh duong xom bi ngap"))
    [menu] = await assistant.dispatch(msg("ve menu chinh"))
    assert menu.text == texts.MENU_PROMPT
    await assistant.dispatch(msg("toi muon phan anh duong xom bi ngap"))
    [declined] = await assistant.dispatch(msg(button="pt:no"))
    assert declined.text == texts.PETITION_ASK_AWAY
    await assistant.dispatch(msg("toi muon phan anh duong xom bi ngap"))
    [typed] = await assistant.dispatch(msg("ko, toi chi hoi thoi"))
    assert typed.text == texts.PETITION_ASK_AWAY


async def test_an_answer_button_on_an_old_message_still_answers(assistant: Assistant) -> None:
    [topics] = await assistant.dispatch(msg(button="menu:ask"))
    topic = topics.buttons[0].payload
    [listed] = await assistant.dispatch(msg(button=topic))
    question = listed.buttons[0].payload
    await assistant.dispatch(msg("xin chao"))  # other buttons are on screen now
    [answer] = await assistant.dispatch(msg(button=question))
    assert "Căn cứ:" in answer.text
    [again] = await assistant.dispatch(msg(button=topic))
    assert again.buttons[0].payload == question
