"""One bad update must never stop the rest of the work (hardening finding F1).

Unicode digits ("²", "①"), a 20-digit id in a button and lone surrogates once made a turn raise;
the inbox row stayed pending, and every clock tick then failed on it before delivering pushes or
applying retention. Now such input gets an answer, and an update that fails anyway is retried a
few times, set aside for an admin and alerted once, while the tick goes on.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.delivery import Deliverer
from bot.retention import Retention
from bot.ticker import Ticker
from db import inbox, outbox
from db.engine import SessionFactory
from db.models import InboxItem, Outbox
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.contract import Incoming, Reply
from handlers.conversation.assistant import Assistant
from tests.conftest import Client
from tests.test_access import invite, setup_units
from tests.test_delivery import Recorder

STAFF_PREFIXES = (
    "staff:rc:s:",
    "staff:rc:b:",
    "staff:rc:att:",
    "staff:rc:abs:",
    "staff:rc:send:",
    "staff:rc:cancel:",
    "staff:pt:v:",
    "staff:pt:take:",
    "staff:dl:view:",
    "staff:dl:done:",
    "staff:dl:snooze:",
    "kbadm:gap:",
    "pt:sat:ok:",
)
BAD_NUMBERS = ("99999999999999999999", "²", "①", "١٢", "\ud800", "-1", " 7", "1_0")


def message(chat: str, update: str, text: str | None = None, button: str | None = None) -> Incoming:
    return Incoming(
        channel="web", chat_id=chat, user_id=chat, text=text, button=button, update_id=update
    )


async def statuses(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return list((await session.exec(select(InboxItem.status))).all())


async def test_a_citizen_typing_unicode_digits_or_broken_text_gets_an_answer(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    # A menu of numbered choices is on screen: only ASCII digits pick from it.
    await assistant.dispatch(message("c1", "u0", text="xin chao"))
    for number, text in enumerate(("²", "①", "١", "\ud800", "khieu nai \udfff", "\x00", "9" * 30)):
        replies = await assistant.dispatch(message("c1", f"u{number + 1}", text=text))
        assert replies and all(reply.text for reply in replies), text
        assert replies[0].text != texts.UPDATE_FAILED, text
    [picked] = await assistant.dispatch(message("c1", "u-ascii", text="1"))
    assert picked.text != texts.UPDATE_FAILED
    assert set(await statuses(sessions)) == {inbox.DONE}


async def test_an_official_pressing_forged_ids_gets_a_stale_button_reply(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock, role=access.ADMIN)
    await assistant.dispatch(message("off", "grant", text=code))
    sent = 0
    for prefix in STAFF_PREFIXES:
        for number in BAD_NUMBERS:
            sent += 1
            replies = await assistant.dispatch(message("off", f"p{sent}", button=prefix + number))
            assert replies and replies[0].text != texts.UPDATE_FAILED, prefix + number
    for typed in ("/xong 99999999999999999999 05/11/2026", "/xong ² 05/11/2026"):
        [reply] = await assistant.dispatch(message("off", typed, text=typed))
        assert reply.text == texts.BAD_DONE_COMMAND
    assert set(await statuses(sessions)) == {inbox.DONE}


async def test_the_web_api_answers_unicode_digits_and_surrogates_without_a_500(
    client: Client,
) -> None:
    for number, body in enumerate(
        (
            '{"text": "\\u00b2", "id": "x"}',
            '{"text": "\\u2460", "id": "y"}',
            '{"text": "\\ud800"}',
            '{"button": "\\udfff"}',
            '{"button": "staff:rc:b:99999999999999999999"}',
            '{"text": "hello", "id": "\\ud800"}',
        )
    ):
        response = await client.post(
            "/api/chat", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status == 200, (number, body)
        [first, *_] = (await response.json())["replies"]
        assert first["text"] and first["text"] != texts.UPDATE_FAILED


class Poison:
    """An inbox row no version of the assistant can read (a payload without its chat)."""

    @staticmethod
    async def store(sessions: SessionFactory, clock: FixedClock, key: str) -> int:
        async with sessions() as session, session.begin():
            item = inbox.add(session, "telegram", key, "42", {"channel": "telegram"}, clock.now())
            await session.flush()
            assert item.id is not None
            return item.id


async def admin_on_telegram(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu")
    granted = Incoming(channel="telegram", chat_id="900", user_id="900", text=code)
    await assistant.dispatch(granted)


async def test_a_poisoned_update_leaves_every_other_job_of_the_tick_working(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await admin_on_telegram(assistant, sessions, clock)
    async with sessions() as session, session.begin():
        await inbox.add_done(session, "web", [("ancient", "c7", [], None)], clock.now())
    clock.advance(timedelta(days=31))
    poisoned = await Poison.store(sessions, clock, "poison")
    # Behind it: a citizen's question a dead process left, a push due, an old handled update.
    question = message("c9", "left-behind", text="thoi hieu khieu nai la bao lau")
    async with sessions() as session, session.begin():
        inbox.add(session, "web", "left-behind", "c9", question.to_json(), clock.now())
        await outbox.enqueue(session, "web", "c8", Reply("Nhắc lịch").to_json(), clock.now())
    web = Recorder()
    telegram = Recorder()
    deliverer = Deliverer(sessions, clock, {"web": web, "telegram": telegram})
    ticker = Ticker(assistant, deliverer, Retention(sessions, clock, timedelta(days=30)), 1.0)

    clock.advance(timedelta(minutes=2))
    report = await ticker.tick()
    assert report.replayed == 1 and report.failed == ()
    assert "90 ngày" in dict(web.sent)["c9"] and dict(web.sent)["c8"] == "Nhắc lịch"
    async with sessions() as session:
        assert await inbox.find(session, "web", "ancient") is None  # retention ran
        item = await session.get(InboxItem, poisoned)
    assert item is not None and item.status == inbox.PROCESSING and item.attempts == 1
    assert item.error == "TypeError"

    # Retried after a growing wait, then set aside with its payload; the admin is told once.
    for wait in (1, 2, 3):
        clock.advance(timedelta(minutes=wait))
        await ticker.tick()
    async with sessions() as session:
        item = await session.get(InboxItem, poisoned)
        alerts = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).like("alert:inbox%")))
        ).all()
    assert item is not None and item.status == inbox.FAILED and item.attempts == 3
    assert item.payload == {"channel": "telegram"}
    assert len(alerts) == 1 and alerts[0].chat_id == "900"
    assert [text for chat, text in telegram.sent if chat == "900"][-1].startswith(
        "Cảnh báo: có tin nhắn của người dân"
    )
    # Nothing more is tried, and the clock keeps delivering.
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, "web", "c8", Reply("Nhắc lần hai").to_json(), clock.now())
    clock.advance(timedelta(hours=1))
    report = await ticker.tick()
    assert report.failed == () and web.sent[-1] == ("c8", "Nhắc lần hai")
    async with sessions() as session:
        item = await session.get(InboxItem, poisoned)
    assert item is not None and item.attempts == 3


async def test_a_citizen_whose_message_keeps_failing_is_told_once(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """A turn that raises on a push channel: the citizen gets one apology, not silence."""
    broken = Incoming(channel="telegram", chat_id="77", user_id="77", text="xin chao")
    async with sessions() as session, session.begin():
        # The stored payload's text is a number: the turn raises while answering it.
        payload = {**broken.to_json(), "text": 12345}
        item = inbox.add(session, "telegram", "t-1", "77", payload, clock.now())
        await session.flush()
    telegram = Recorder()
    deliverer = Deliverer(sessions, clock, {"telegram": telegram})
    ticker = Ticker(assistant, deliverer, Retention(sessions, clock, timedelta(days=30)), 1.0)
    for _ in range(4):
        clock.advance(timedelta(minutes=5))
        await ticker.tick()
    assert [text for chat, text in telegram.sent if chat == "77"] == [texts.UPDATE_FAILED]
    async with sessions() as session:
        stored = await session.get(InboxItem, item.id)
    assert stored is not None and stored.status == inbox.FAILED


async def test_a_failing_clock_job_does_not_stop_delivery(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    async def broken_job() -> None:
        raise RuntimeError("a recurrence nobody can expand")

    async with sessions() as session, session.begin():
        await outbox.enqueue(session, "web", "c1", Reply("Nhắc lịch").to_json(), clock.now())
    web = Recorder()
    ticker = Ticker(
        assistant,
        Deliverer(sessions, clock, {"web": web}),
        Retention(sessions, clock, timedelta(days=30)),
        1.0,
        jobs=[broken_job],
    )
    report = await ticker.tick()
    assert report.sent == 1 and web.sent == [("c1", "Nhắc lịch")]
    assert len(report.failed) == 1 and "broken_job" in report.failed[0]


async def test_an_admin_lists_and_requeues_a_set_aside_update(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    poisoned = await Poison.store(sessions, clock, "p")
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        await assistant.replay_abandoned()
    async with sessions() as session:
        assert [item.id for item in await inbox.failed(session)] == [poisoned]
        assert await inbox.pending_count(session) == 0
    async with sessions() as session, session.begin():
        assert await inbox.retry(session, poisoned)
    async with sessions() as session:
        assert await inbox.pending_count(session) == 1
        assert await inbox.failed(session) == []
