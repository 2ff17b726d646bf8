"""Telegram end to end: the real aiogram client over HTTP against a fake Bot API on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import col, select

from bot.attachments import FileTooBig
from bot.channels import intake
from bot.channels.telegram import TelegramFiles, make_bot, to_incoming
from bot.channels.text import split_text
from bot.server import create_app
from bot.settings import Settings
from db import people
from db.engine import SessionFactory
from db.models import Booking, Identity, Outbox, RoleGrant
from handlers import texts
from handlers.clock import FixedClock
from tests.fake_telegram import FakeBotApi
from tests.test_access import setup_units
from tests.test_reception import add_calendar

USER = 777001


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    api = await FakeBotApi().start()
    yield api
    await api.stop()


Start = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


@pytest.fixture
async def serve(
    database_url: str, sessions: SessionFactory, seeded: None, fake: FakeBotApi, tmp_path: Path
) -> AsyncIterator[Start]:
    """Start `dccs serve`'s app with Telegram pointed at the fake; stopped at the end."""
    clients: list[TestClient[web.Request, web.Application]] = []

    async def start(**overrides: object) -> TestClient[web.Request, web.Application]:
        values: dict[str, object] = {
            "database_url": database_url,
            "data_dir": tmp_path,
            "kb_refresh_seconds": 0,
            "tick_seconds": 0.1,
            "telegram_bot_token": fake.token,
            "telegram_api_base": fake.base,
            "telegram_chat_gap_seconds": 0.0,
            "telegram_rate_per_second": 1000.0,
        }
        values.update(overrides)
        client = TestClient(TestServer(create_app(Settings.model_validate(values))))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


async def test_a_citizen_has_a_whole_faq_conversation_with_buttons(
    serve: Start, fake: FakeBotApi
) -> None:
    await serve()
    assert [c["command"] for c in fake.commands] == ["start", "menu", "xa", "lienket", "canbo"]
    assert fake.commands[0]["description"] == "Bắt đầu, hiện menu"
    fake.text(USER, "xin chao")
    await fake.wait_sent(1)
    greeting = fake.sent[-1]
    assert greeting.text.startswith("Xin chào anh/chị")
    assert greeting.reply_markup is not None
    payloads = [row[0]["callback_data"] for row in greeting.reply_markup["inline_keyboard"]]
    assert payloads == ["menu:ask", "menu:reception", "menu:petition", "menu:status"]

    pressed = fake.press(USER, "menu:ask")
    await fake.wait_sent(2)
    assert pressed["callback_query"]["id"] in fake.answered_callbacks
    # The topic menu replaces the menu it was opened from.
    assert fake.sent[-1].method == "editMessageText"
    assert fake.sent[-1].message_id == str(pressed["callback_query"]["message"]["message_id"])
    topics = fake.sent[-1].reply_markup
    assert topics is not None
    tiep_dan = next(
        r[0]["callback_data"] for r in topics["inline_keyboard"] if r[0]["text"] == "Tiếp công dân"
    )
    fake.press(USER, tiep_dan)
    await fake.wait_sent(3)
    listing = fake.sent[-1].reply_markup
    assert listing is not None
    fake.press(USER, listing["inline_keyboard"][0][0]["callback_data"])
    await fake.wait_sent(4)
    assert "Căn cứ:" in fake.sent[-1].text
    assert fake.sent[-1].method == "sendMessage"  # an answer stays in the history

    fake.text(USER, "thoi hieu khieu nai la bao lau")
    await fake.wait_sent(5)
    assert "90 ngày" in fake.sent[-1].text


async def test_a_redelivered_update_gets_no_second_reply(serve: Start, fake: FakeBotApi) -> None:
    await serve()
    update = fake.text(USER, "to cao co bi lo ten khong", update_id=5555)
    await fake.wait_sent(1)
    fake.push(update)  # Telegram sends the same update again
    fake.text(USER, "xin chao")
    await fake.wait_sent(2)
    await asyncio.sleep(0.3)
    assert len(fake.to(USER)) == 2
    assert "bí mật" in fake.to(USER)[0]


async def test_a_429_is_waited_out_and_a_403_marks_the_person_unreachable(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory
) -> None:
    await serve()
    fake.fail(USER, 429, retry_after=1)
    started = asyncio.get_running_loop().time()
    fake.text(USER, "xin chao")
    await fake.wait_sent(1, within=10)
    # Tried once and refused, then sent again only after the second Telegram asked for.
    tries = [
        form
        for method, form in fake.calls
        if method == "sendMessage" and form["chat_id"] == str(USER)
    ]
    assert len(tries) == 2
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert fake.to(USER)[0].startswith("Xin chào")

    blocked = 777002
    fake.fail(blocked, 403)
    fake.text(blocked, "xin chao")
    for _ in range(100):
        async with sessions() as session:
            rows = (await session.exec(select(Outbox).where(Outbox.chat_id == str(blocked)))).all()
        if rows and rows[0].status == "unreachable":
            break
        await asyncio.sleep(0.05)
    assert rows[0].status == "unreachable" and rows[0].attempts == 1
    async with sessions() as session:
        identity = (
            await session.exec(select(Identity).where(Identity.external_id == str(blocked)))
        ).one()
    assert identity.unreachable_at is not None
    assert fake.to(blocked) == []


async def statuses(sessions: SessionFactory, chat: int) -> list[str]:
    async with sessions() as session:
        query = select(Outbox.status).where(Outbox.chat_id == str(chat)).order_by(col(Outbox.id))
        return list((await session.exec(query)).all())


async def test_an_answer_is_recorded_as_sent_by_the_next_message_or_when_the_chat_goes_quiet(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "RECORD_IDLE_SECONDS", 3600.0)  # never quiet long enough
    client = await serve()
    fake.text(USER, "xin chao")
    await fake.wait_sent(1)
    fake.text(USER, "thoi hieu khieu nai la bao lau")
    await fake.wait_sent(2)
    # The first answer's outcome was written by the second message's transaction.
    assert await statuses(sessions, USER) == ["sent", "sending"]
    await client.close()  # stopping writes what is left
    assert await statuses(sessions, USER) == ["sent", "sent"]

    monkeypatch.setattr(intake, "RECORD_IDLE_SECONDS", 0.05)
    await serve()
    fake.text(USER, "xin chao")
    await fake.wait_sent(3)
    for _ in range(100):
        if await statuses(sessions, USER) == ["sent"] * 3:
            break
        await asyncio.sleep(0.05)
    assert await statuses(sessions, USER) == ["sent"] * 3
    assert len(fake.to(USER)) == 3


async def test_a_restart_between_two_steps_of_a_form_loses_nothing(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    first = await serve()
    fake.text(USER, "/xa")
    await fake.wait_sent(1)
    assert fake.sent[-1].text == texts.PICK_UNIT_ASK
    await first.close()
    await serve()
    fake.text(USER, "minh hung")
    await fake.wait_sent(2)
    assert fake.sent[-1].text == texts.PICK_UNIT_DONE.format(unit="Xã Minh Hòa")


async def test_unsupported_content_gets_a_short_reply(serve: Start, fake: FakeBotApi) -> None:
    await serve()
    fake.other(USER, "voice", {"file_id": "v1", "file_unique_id": "u1", "duration": 3})
    fake.other(
        USER,
        "sticker",
        {
            "file_id": "s1",
            "file_unique_id": "u2",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    await fake.wait_sent(2)
    assert fake.to(USER) == [texts.UNCLEAR, texts.UNCLEAR]


async def test_two_hundred_updates_at_once_all_get_their_answer(
    serve: Start, fake: FakeBotApi
) -> None:
    for n in range(200):
        fake.text(800000 + n, "thoi hieu khieu nai la bao lau")
    await serve()
    await fake.wait_sent(200, within=60)
    assert len({s.chat_id for s in fake.sent}) == 200
    assert all("90 ngày" in s.text for s in fake.sent)


async def test_a_forged_webhook_is_refused_before_parsing(serve: Start, fake: FakeBotApi) -> None:
    client = await serve(
        telegram_mode="webhook",
        telegram_webhook_url="https://xa.example/tg",
        telegram_webhook_secret="s3cret-token",
    )
    assert fake.webhook["secret_token"] == "s3cret-token"
    missing = await client.post("/telegram/webhook", data=b"not even json")
    wrong = await client.post(
        "/telegram/webhook",
        data=b"not even json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
    )
    assert missing.status == 401 and wrong.status == 401
    update = {
        "update_id": 9001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "Dân"},
            "text": "xin chao",
        },
    }
    ok = await client.post(
        "/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
    )
    assert ok.status == 200
    again = await client.post(
        "/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
    )
    assert again.status == 200
    await fake.wait_sent(1)
    await asyncio.sleep(0.3)
    assert len(fake.to(USER)) == 1


def test_long_messages_are_split_on_paragraphs() -> None:
    paragraph = "Đoạn văn dài. " * 100
    text = "\n\n".join([paragraph] * 6)
    pieces = split_text(text, 4096)
    assert all(len(piece) <= 4096 for piece in pieces) and len(pieces) >= 2
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert all(piece.endswith("dài.") for piece in pieces)


async def test_a_citizen_books_from_a_deep_link_and_shares_their_phone_by_button(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await serve()
    fake.text(USER, "/start datlich")  # t.me/<bot>?start=datlich
    await fake.wait_sent(1)
    listing = fake.sent[-1]
    assert listing.text.startswith(texts.PICK_SESSION)
    assert listing.reply_markup is not None
    first = listing.reply_markup["inline_keyboard"][0][0]["callback_data"]
    fake.press(USER, first)
    await fake.wait_sent(2)
    fake.press(USER, "rc:m:phan_anh")
    await fake.wait_sent(3)
    fake.text(USER, "Nguyễn Văn An")
    await fake.wait_sent(5)  # the question, then the contact keyboard
    share = fake.sent[-1]
    assert share.reply_markup is not None
    assert share.reply_markup["keyboard"][0][0]["request_contact"] is True
    fake.other(
        USER, "contact", {"phone_number": "+84912345678", "first_name": "An", "user_id": USER}
    )
    await fake.wait_sent(6)
    assert fake.sent[-1].text == texts.ASK_ADDRESS
    for number, step in enumerate(("Thôn Đông, xã Minh Hòa", "Đường liên thôn sạt lở cần sửa"), 7):
        fake.text(USER, step)
        await fake.wait_sent(number)
    fake.press(USER, "rc:yes")
    await fake.wait_sent(9)
    assert fake.sent[-1].text.startswith("Đã đặt lịch. Mã lịch hẹn: LH-")
    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
    assert (booking.phone, booking.channel, booking.chat_id) == (
        "0912345678",
        "telegram",
        str(USER),
    )

    # "Lịch hẹn của tôi": cancel, then book again.
    fake.press(USER, "menu:mine")
    await fake.wait_sent(10)
    assert booking.code in fake.sent[-1].text
    fake.press(USER, f"rc:cancel:{booking.code}")
    await fake.wait_sent(11)
    assert fake.sent[-1].text.startswith(f"Huỷ lịch hẹn {booking.code} lúc")  # asked first
    fake.press(USER, f"rc:cancelyes:{booking.code}")
    await fake.wait_sent(12)
    assert fake.sent[-1].text.startswith(f"Đã huỷ lịch hẹn {booking.code}.")
    fake.press(USER, "menu:book")
    await fake.wait_sent(13)
    assert fake.sent[-1].text.startswith(texts.PICK_SESSION)


async def test_a_citizen_files_a_petition_over_telegram_and_reads_its_status(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await serve()
    fake.text(USER, "toi muon phan anh duong bi ngap")
    await fake.wait_sent(1)
    assert fake.sent[-1].text.startswith("Theo nội dung anh/chị viết, đây có thể là đơn phản ánh")
    fake.press(USER, "pt:yes:phan_anh")
    answers = (
        "Lê Văn Tám",
        "0911222333",
        "Thôn Tây, xã Minh Hòa",
        "Đường liên thôn ngập sâu mỗi khi mưa",
        "Ngã ba thôn Tây",
        "xong",
    )
    # The phone question comes with the contact keyboard: two messages.
    for number, answer in zip((2, 4, 5, 6, 7, 8), answers, strict=True):
        await fake.wait_sent(number)
        fake.text(USER, answer)
    await fake.wait_sent(9)
    fake.press(USER, "pt:send")
    await fake.wait_sent(10)
    filed = fake.sent[-1].text
    assert filed.startswith("Đã đăng ký trực tuyến đơn phản ánh. Mã tra cứu: PA-")
    fake.press(USER, "menu:status")
    await fake.wait_sent(11)
    assert "PA-" in fake.sent[-1].text and "chờ UBND ghi nhận" in fake.sent[-1].text


async def test_a_photo_is_fetched_with_get_file_and_an_oversized_one_is_refused(
    fake: FakeBotApi,
) -> None:
    fake.files = {"small": b"%PDF-1.4 content", "big": b"\xff\xd8\xff" + b"0" * 2048}
    bot = make_bot(fake.token, fake.base)
    try:
        files = TelegramFiles(bot)
        assert await files.fetch("telegram:small", 1024) == b"%PDF-1.4 content"
        with pytest.raises(FileTooBig):
            await files.fetch("telegram:big", 1024)
    finally:
        await bot.session.close()
    update = Update.model_validate(
        fake.other(
            USER,
            "photo",
            [
                {"file_id": "thumb", "file_unique_id": "t", "width": 90, "height": 90},
                {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 960},
            ],
        )
    )
    received = to_incoming(update)
    assert received is not None and received.incoming.attachments == ("telegram:large",)


async def test_a_desk_login_link_is_sent_with_link_previews_off(
    serve: Start, fake: FakeBotApi, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        person = await people.resolve(session, "telegram", str(USER), "Cán bộ xã", clock.now())
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert person.id is not None and unit is not None and unit.id is not None
        session.add(
            RoleGrant(person_id=person.id, role="official", unit_id=unit.id, granted_at=clock.now())
        )
    await serve(public_url="https://troly.xaminhhoa.example")
    fake.text(USER, "/canbo")
    await fake.wait_sent(1)
    assert fake.sent[-1].link_preview is None
    fake.text(USER, "/dangnhap")
    await fake.wait_sent(2)
    link = fake.sent[-1]
    assert "https://troly.xaminhhoa.example/desk/dang-nhap?t=" in link.text
    assert link.link_preview == {"is_disabled": True}
