"""Zalo end to end: both surfaces over HTTP against a fake Zalo on loopback, and `dccs serve`'s
own webhooks called the way Zalo calls them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlmodel import col, func, select

from bot.channels import web as web_channel
from bot.channels.text import split_text
from bot.channels.zalo_oa import SIGNATURE_HEADER, verify_signature
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.sealing import Sealer, SealingError
from bot.server import create_app
from bot.settings import Settings
from db import outbox
from db.engine import SessionFactory
from db.models import Booking, ChannelToken, InboxItem, Outbox
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.contract import Reply
from tests.fake_zalo import APP_ID, APP_SECRET, OA_SECRET, FakeZalo, sign
from tests.test_access import invite, setup_units
from tests.test_reception import add_calendar

CITIZEN = "2468458835296117922"
OFFICIAL = "6ede9afa66b88fe6d6a9"
OA_HOOK = "/zalo/oa/webhook"
BOT_HOOK = "/zalo/bot/webhook"
BOT_SECRET = "bot-hook-secret-123"

Client = TestClient[web.Request, web.Application]
Start = Callable[..., Awaitable[Client]]


@pytest.fixture
async def fake(clock: FixedClock) -> AsyncIterator[FakeZalo]:
    api = await FakeZalo(now=lambda: clock.now().timestamp()).start()
    yield api
    await api.stop()


@pytest.fixture
async def serve(
    database_url: str,
    sessions: SessionFactory,
    seeded: None,
    fake: FakeZalo,
    clock: FixedClock,
    tmp_path: Path,
) -> AsyncIterator[Start]:
    """`dccs serve`'s app with both Zalo surfaces pointed at the fake; stopped at the end."""
    clients: list[Client] = []

    async def start(**overrides: object) -> Client:
        values: dict[str, object] = {
            "database_url": database_url,
            "data_dir": tmp_path,
            "kb_refresh_seconds": 0,
            "tick_seconds": 0.1,
            "zalo_oa_app_id": APP_ID,
            "zalo_oa_secret_key": OA_SECRET,
            "zalo_app_secret": APP_SECRET,
            "zalo_oa_access_token": "acc-0",
            "zalo_oa_refresh_token": "ref-0",
            "zalo_oa_api_base": fake.base,
            "zalo_oauth_base": fake.base,
            "zalo_bot_token": fake.bot_token,
            "zalo_bot_api_base": fake.base,
            "zalo_rate_per_second": 1000.0,
        }
        values.update(overrides)
        client = TestClient(TestServer(create_app(Settings.model_validate(values), clock)))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


def runtime_of(client: Client) -> Runtime:
    return client.app[web_channel.RUNTIME]


async def post_oa(client: Client, raw: bytes, signature: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    headers[SIGNATURE_HEADER] = signature if signature is not None else sign(raw)
    response = await client.post(OA_HOOK, data=raw, headers=headers)
    return response.status


async def count(sessions: SessionFactory, model: type[InboxItem] | type[Outbox]) -> int:
    async with sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


async def settled(sessions: SessionFactory, clock: FixedClock) -> None:
    """Wait until every due send is made and recorded: moving the clock past a claim's lease
    while it is being sent would (rightly) send it again."""
    for _ in range(200):
        async with sessions() as session:
            busy = await session.exec(
                select(func.count()).where(
                    col(Outbox.status).in_((outbox.SENDING, outbox.PENDING)),
                    col(Outbox.available_at) <= clock.now(),
                )
            )
            if busy.one() == 0:
                return
        await asyncio.sleep(0.02)
    raise AssertionError("a send never finished")


# -- the Official Account ------------------------------------------------------------------


def test_the_signature_matches_the_reference_test_vector() -> None:
    raw = (
        '{"app_id":"1234567890123456789","sender":{"id":"2468458835296117922"},"recipient":'
        '{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"Xin chào",'
        '"msg_id":"96d3cdf3af150460909"},"timestamp":"1700000000000","user_id_by_app":'
        '"552177279717587730"}'
    ).encode()
    assert len(raw) == 268
    header = "mac=41327ca9ea7435d8de4d3e0c28fad3cd346b3f7d819786d8e82ce840e167b63f"
    assert verify_signature(raw, header, "1234567890123456789", "oa-secret-test")
    assert not verify_signature(raw, header, "1234567890123456789", "another-secret")
    assert not verify_signature(raw.replace(b"Xin", b"Xim"), header, APP_ID, OA_SECRET)


async def test_a_citizen_on_zalo_asks_without_diacritics_and_uses_the_numbered_menu(
    serve: Start, fake: FakeZalo
) -> None:
    client = await serve()
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(1)
    greeting = fake.sent[-1]
    assert greeting.surface == "oa" and greeting.chat_id == CITIZEN
    assert greeting.text.startswith("Xin chào anh/chị")
    assert "Gõ 1 để: Hỏi về pháp luật" in greeting.text

    # Typing the number works like pressing the button.
    assert await post_oa(client, fake.oa_event(CITIZEN, "1")) == 200
    await fake.wait_sent(2)
    assert "Gõ 1 để:" in fake.sent[-1].text

    assert (
        await post_oa(client, fake.oa_event(CITIZEN, "khieu nai lan dau bao lau dc giai quyet"))
        == 200
    )
    await fake.wait_sent(3)
    answer = fake.sent[-1].text
    assert "30 ngày" in answer and "Luật Khiếu nại" in answer


async def test_a_forged_or_tampered_oa_webhook_is_refused_before_anything_is_stored(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve()
    raw = fake.oa_event(CITIZEN, "xin chao")
    assert await post_oa(client, raw, signature="") == 401
    assert await post_oa(client, raw, signature=sign(raw, secret="wrong-secret")) == 401
    tampered = raw.replace(b"xin chao", b"xin chaO")
    assert await post_oa(client, tampered, signature=sign(raw)) == 401
    # Not even JSON: refused on the signature, never parsed.
    assert await post_oa(client, b"\xff\xfe not json", signature="mac=00") == 401
    assert await count(sessions, InboxItem) == 0
    # Zalo's unsigned probe when the address is saved gets its 200.
    probe = await client.post(OA_HOOK, data=b"{}")
    assert probe.status == 200
    await asyncio.sleep(0.3)
    assert fake.sent == []


async def test_a_redelivered_event_and_the_oas_own_echo_do_nothing_more(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve()
    raw = fake.oa_event(CITIZEN, "xin chao", msg_id="dup-1")
    assert await post_oa(client, raw) == 200
    # Stored (committed) by the time Zalo gets its 200: a crash now loses nothing.
    assert await count(sessions, InboxItem) == 1
    assert await post_oa(client, raw) == 200
    echo = fake.oa_event(CITIZEN, "Xin chào anh/chị", event="oa_send_text")
    assert await post_oa(client, echo) == 200
    await fake.wait_sent(1)
    await asyncio.sleep(0.5)
    assert len(fake.to("oa", CITIZEN)) == 1
    assert await count(sessions, InboxItem) == 1


async def test_stickers_and_images_get_a_helpful_reply_and_nothing_is_kept(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve()
    sticker = fake.oa_event(CITIZEN, event="user_send_sticker")
    image = fake.oa_event(
        CITIZEN,
        event="user_send_image",
        attachments=[{"type": "image", "payload": {"url": "https://example.invalid/a.jpg"}}],
    )
    assert await post_oa(client, sticker) == 200
    await fake.wait_sent(1)
    assert fake.sent[-1].text.startswith(texts.UNCLEAR.split(".")[0])
    assert await post_oa(client, image) == 200
    await fake.wait_sent(2)
    assert fake.sent[-1].text.startswith(texts.ATTACHMENT_NOT_NOW.split(",")[0])
    async with sessions() as session:
        payloads = (await session.exec(select(InboxItem.payload))).all()
    assert payloads == [None, None]


async def test_an_expired_token_is_refreshed_once_and_the_new_pair_survives_a_restart(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve()
    # Zalo has already invalidated the token we were given.
    fake.access_token = "acc-revoked"
    fake.refresh_token = "ref-0"
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(1)
    assert fake.refreshes == ["ref-0"]
    async with sessions() as session:
        stored = await session.get(ChannelToken, "zalo_oa")
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == ("acc-1", "ref-1")
    await client.close()

    # A restart with the settings' (now spent) pair uses the stored one.
    again = await serve()
    assert await post_oa(again, fake.oa_event(CITIZEN, "cam on")) == 200
    await fake.wait_sent(2)
    assert fake.refreshes == ["ref-0"]
    # The spent refresh token is really dead at Zalo.
    fake.access_token = "acc-revoked-again"
    assert await post_oa(again, fake.oa_event(CITIZEN, "1")) == 200
    await fake.wait_sent(3)
    assert fake.refreshes == ["ref-0", "ref-1"]


async def test_with_a_token_key_the_stored_oa_tokens_are_sealed_and_still_rotate(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve(token_key="phường-an-lạc-2026-khoá")
    fake.access_token = "acc-revoked"
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(1)
    async with sessions() as session:
        stored = await session.get(ChannelToken, "zalo_oa")
    assert stored is not None
    assert stored.access_token.startswith("fernet:") and "acc-1" not in stored.access_token
    assert stored.refresh_token.startswith("fernet:") and "ref-1" not in stored.refresh_token
    await client.close()
    # The same key opens them after a restart; no refresh is spent.
    again = await serve(token_key="phường-an-lạc-2026-khoá")
    assert await post_oa(again, fake.oa_event(CITIZEN, "cam on")) == 200
    await fake.wait_sent(2)
    assert fake.refreshes == ["ref-0"]
    # Without the key, or with another, the sealed tokens cannot be opened.
    for wrong in (None, "another key"):
        with pytest.raises(SealingError):
            Sealer(wrong).open(stored.access_token)
    assert Sealer("phường-an-lạc-2026-khoá").open(stored.refresh_token) == "ref-1"


async def test_a_failed_refresh_alerts_the_admins_on_another_channel(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    client = await serve()
    # An admin who uses the Zalo Bot.
    fake.bot_text(OFFICIAL, await invite(sessions, clock, role=access.ADMIN))
    await fake.wait_sent(1)
    fake.access_token = "acc-revoked"
    fake.refresh_fails = True
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(2)
    alert = fake.to("bot", OFFICIAL)[-1]
    assert alert.text.startswith("Cảnh báo: trợ lý không gia hạn được mã truy cập Zalo OA")
    assert fake.to("oa", CITIZEN) == []
    async with sessions() as session:
        waiting = (await session.exec(select(Outbox).where(Outbox.channel == "zalo_oa"))).all()
    # The citizen's answer is not lost: it waits for the token to be fixed.
    assert [row.status for row in waiting] == [outbox.PENDING]


async def test_a_push_after_seven_days_waits_for_the_citizen_and_says_so(
    serve: Start, fake: FakeZalo, clock: FixedClock, sessions: SessionFactory
) -> None:
    client = await serve()
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(1)
    await settled(sessions, clock)
    runtime = runtime_of(client)

    # Six days later a status update goes out at once.
    clock.advance(timedelta(days=6))
    await runtime.notifier.notify("zalo_oa", CITIZEN, Reply("Đơn KN-2026-AAAAAA đã được thụ lý."))
    await runtime.deliverer.deliver_due()
    # The app's own clock may have claimed it first: wait for the send, whoever makes it.
    await fake.wait_sent(2)
    assert fake.sent[-1].text == "Đơn KN-2026-AAAAAA đã được thụ lý."
    await settled(sessions, clock)

    # Eight days after the last message Zalo would refuse it: nothing is sent, the row waits.
    clock.advance(timedelta(days=2))
    calls = fake.oa_calls
    await runtime.notifier.notify("zalo_oa", CITIZEN, Reply("Đơn KN-2026-AAAAAA đã có kết quả."))
    await runtime.deliverer.deliver_due()
    await settled(sessions, clock)
    assert fake.oa_calls == calls
    async with sessions() as session:
        held = (await session.exec(select(Outbox).where(Outbox.status == outbox.HELD))).one()
    # Zalo's own rule, as the channel states it, is what the citizen is told.
    assert "qua Zalo, vì kênh này chỉ cho phép trả lời trong 7 ngày" in held.reply["text"]

    # When the citizen writes again, the held message goes first, then the answer.
    assert await post_oa(client, fake.oa_event(CITIZEN, "chao ban")) == 200
    await fake.wait_sent(4)
    held_text, answer = fake.sent[-2].text, fake.sent[-1].text
    assert held_text.startswith("(Tin nhắn này được soạn lúc 09:00 ngày 03/12/2026")
    assert held_text.endswith("Đơn KN-2026-AAAAAA đã có kết quả.")
    assert answer.startswith("Xin chào")


async def test_outside_the_window_a_push_goes_to_the_citizens_linked_zalo_bot(
    serve: Start, fake: FakeZalo, clock: FixedClock, sessions: SessionFactory
) -> None:
    client = await serve()
    assert await post_oa(client, fake.oa_event(CITIZEN, "/lienket")) == 200
    await fake.wait_sent(1)
    code = fake.sent[-1].text.split("là ")[1].split(",")[0]
    fake.bot_text(OFFICIAL, code)
    await fake.wait_sent(2)
    assert fake.sent[-1].text.startswith(texts.LINKED)
    await settled(sessions, clock)

    clock.advance(timedelta(days=8))
    runtime = runtime_of(client)
    await runtime.notifier.notify("zalo_oa", CITIZEN, Reply("Lịch tiếp công dân đã thay đổi."))
    await runtime.deliverer.deliver_due()
    await runtime.deliverer.deliver_due()
    # The app's own clock may make the send: wait for it, whoever makes it.
    await fake.wait_sent(3)
    rerouted = fake.to("bot", OFFICIAL)[-1].text
    assert rerouted.startswith("(Tin nhắn này được gửi qua đây vì Zalo chỉ cho phép trả lời trong")
    assert "trong 7 ngày kể từ" in rerouted
    assert rerouted.endswith("Lịch tiếp công dân đã thay đổi.")
    async with sessions() as session:
        statuses = (
            await session.exec(select(Outbox.status).where(Outbox.channel == "zalo_oa"))
        ).all()
    assert outbox.REROUTED in statuses


async def test_zalo_refusing_a_reply_with_230_holds_it_instead_of_retrying(
    serve: Start, fake: FakeZalo, sessions: SessionFactory
) -> None:
    client = await serve()
    fake.oa_errors = [-230]
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    deadline = asyncio.get_running_loop().time() + 5
    while asyncio.get_running_loop().time() < deadline:
        async with sessions() as session:
            statuses = (await session.exec(select(Outbox.status))).all()
        if statuses == [outbox.HELD]:
            break
        await asyncio.sleep(0.05)
    assert statuses == [outbox.HELD]
    assert fake.oa_calls == 1


async def test_a_rate_limited_oa_send_is_retried_later(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    client = await serve()
    fake.oa_errors = [-32]
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await asyncio.sleep(0.5)
    assert fake.sent == []
    await settled(sessions, clock)
    clock.advance(timedelta(seconds=61))
    await fake.wait_sent(1)
    await settled(sessions, clock)
    async with sessions() as session:
        row = (await session.exec(select(Outbox))).one()
    assert row.status == outbox.SENT and row.attempts == 2


# -- the Zalo Bot --------------------------------------------------------------------------


async def test_an_official_on_the_zalo_bot_polls_a_whole_faq_conversation(
    serve: Start, fake: FakeZalo
) -> None:
    await serve()
    # Idle polls answer 408 and are not errors: the first message still arrives.
    await asyncio.sleep(0.7)
    fake.bot_text(OFFICIAL, "xin chao")
    await fake.wait_sent(1)
    assert fake.sent[-1].surface == "bot" and "Gõ 1 để:" in fake.sent[-1].text
    fake.bot_text(OFFICIAL, "ubnd xa phai cong khai nhung gi")
    await fake.wait_sent(2)
    assert "công khai" in fake.sent[-1].text.lower()


async def test_zalo_bot_polling_survives_a_database_failure_and_answers_afterwards(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Once, one database error ended Zalo Bot polling for good, with nothing logged."""
    await serve()
    async with sessions() as session, session.begin():
        await session.exec(text("ALTER TABLE inbox RENAME TO inbox_away"))  # type: ignore[call-overload]
    fake.bot_text(OFFICIAL, "xin chao")
    for _ in range(100):
        if "Zalo Bot polling failed" in caplog.text:
            break
        await asyncio.sleep(0.05)
    assert "Zalo Bot polling failed" in caplog.text
    async with sessions() as session, session.begin():
        await session.exec(text("ALTER TABLE inbox_away RENAME TO inbox"))  # type: ignore[call-overload]
    fake.bot_text(OFFICIAL, "ubnd xa phai cong khai nhung gi")
    await fake.wait_sent(1, within=15)
    assert "công khai" in fake.sent[-1].text.lower()


async def test_the_bots_own_echo_and_a_repeated_message_id_are_answered_once(
    serve: Start, fake: FakeZalo
) -> None:
    await serve()
    fake.bot_text(OFFICIAL, "xin chao", message_id="same")
    fake.bot_text(OFFICIAL, "xin chao", message_id="same")
    echo = fake.bot_update("ignored", "Xin chào", message_id="echo")
    echo["message"]["from"] = {"id": "b0751d00000000000001", "is_bot": True}
    fake.updates.append(echo)
    fake.bot_text(OFFICIAL, "", event="message.unsupported.received")
    await fake.wait_sent(2)
    await asyncio.sleep(0.7)
    texts_sent = [s.text for s in fake.to("bot", OFFICIAL)]
    assert len(texts_sent) == 2
    assert texts_sent[1].startswith(texts.UNCLEAR.split(".")[0])


async def test_the_bot_webhook_takes_flat_and_wrapped_bodies_and_refuses_a_wrong_secret(
    serve: Start, fake: FakeZalo
) -> None:
    client = await serve(
        zalo_bot_mode="webhook",
        zalo_bot_webhook_url="https://xa.example.vn/zalo/bot/webhook",
        zalo_bot_webhook_secret=BOT_SECRET,
    )
    assert fake.webhook == {
        "url": "https://xa.example.vn/zalo/bot/webhook",
        "secret_token": BOT_SECRET,
    }
    flat = fake.bot_update(OFFICIAL, "xin chao")
    for headers in ({}, {"X-Bot-Api-Secret-Token": "wrong-secret"}):
        refused = await client.post(BOT_HOOK, json=flat, headers=headers)
        assert refused.status == 401
    good = {"X-Bot-Api-Secret-Token": BOT_SECRET}
    assert (await client.post(BOT_HOOK, json=flat, headers=good)).status == 200
    await fake.wait_sent(1)
    wrapped = {"ok": True, "result": fake.bot_update(OFFICIAL, "1")}
    assert (await client.post(BOT_HOOK, json=wrapped, headers=good)).status == 200
    await fake.wait_sent(2)
    assert "Gõ 1 để:" in fake.sent[-1].text
    assert (await client.post(BOT_HOOK, json=flat, headers=good)).status == 200
    await asyncio.sleep(0.5)
    assert len(fake.sent) == 2


async def test_the_bot_token_never_reaches_the_logs(
    serve: Start,
    fake: FakeZalo,
    capsys: pytest.CaptureFixture[str],
    clock: FixedClock,
    sessions: SessionFactory,
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("DEBUG", "text")  # what `dccs serve` does, at its most talkative
    try:
        await serve()
        fake.bot_failures = [500]
        fake.bot_text(OFFICIAL, "xin chao")
        await asyncio.sleep(0.5)
        await settled(sessions, clock)
        clock.advance(timedelta(seconds=10))
        await fake.wait_sent(1)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    logged = capsys.readouterr().err
    assert "send failed on zalo_bot" in logged
    assert fake.bot_token.split(":")[1] not in logged


def test_replies_are_cut_under_2000_characters_counted_after_nfc() -> None:
    decomposed = "Nghi\u0302\u0323 đi\u0323nh so\u0302\u0301 " * 300  # NFD "Nghị định số"
    pieces = split_text(decomposed, 2000)
    assert len(pieces) >= 2
    assert all(len(piece) <= 2000 for piece in pieces)
    assert all(piece == piece.strip() for piece in pieces)


async def test_an_official_links_zalo_bot_to_the_web_chat_and_keeps_the_staff_menu(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    client = await serve()
    fake.bot_text(OFFICIAL, await invite(sessions, clock))
    await fake.wait_sent(1)
    fake.bot_text(OFFICIAL, "/lienket")
    await fake.wait_sent(2)
    code = fake.sent[-1].text.split("là ")[1].split(",")[0]
    response = await client.post("/api/chat", json={"text": code, "client_id": "c1"})
    assert (await response.json())["replies"][0]["text"] == texts.LINKED
    response = await client.post("/api/chat", json={"text": "xin chao", "client_id": "c2"})
    payloads = [b["payload"] for r in (await response.json())["replies"] for b in r["buttons"]]
    assert "staff:menu" in payloads
    await settled(sessions, clock)
    async with sessions() as session:
        rows = (await session.exec(select(Outbox).where(col(Outbox.channel) == "zalo_bot"))).all()
    assert all(row.status == outbox.SENT for row in rows)


async def test_a_citizen_books_a_reception_place_on_zalo_by_typing_numbers(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    client = await serve()
    steps = [
        ("toi muon dat lich gap chu tich xa", texts.PICK_SESSION),  # straight to the list
        ("1", "Anh/chị đến để làm gì?"),
        ("1", texts.ASK_NAME),  # 1 = Khiếu nại
        ("Nguyen Van An", texts.ASK_PHONE),
        ("0912345678", texts.ASK_ADDRESS),
        ("thon Dong xa Minh Hoa", texts.ASK_SUMMARY),
        ("Khieu nai quyet dinh thu hoi dat so 12", "Anh/chị kiểm tra lại"),  # 1 person
        ("1", "Đã đặt lịch. Mã lịch hẹn: LH-"),  # 1 = Tôi đồng ý
    ]
    for number, (typed, expected) in enumerate(steps, start=1):
        assert await post_oa(client, fake.oa_event(CITIZEN, typed)) == 200
        await fake.wait_sent(number)
        assert expected in fake.sent[-1].text, (typed, fake.sent[-1].text)
    async with sessions() as session:
        booking = (await session.exec(select(Booking))).one()
    assert (booking.channel, booking.matter_kind, booking.group_size) == ("zalo_oa", "khieu_nai", 1)


async def test_a_citizen_files_a_petition_on_zalo_by_typing_numbers(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    client = await serve()
    steps = [
        ("xin chao", "Gõ 3 để: Gửi đơn thư"),
        ("3", "Gõ 3 để: Kiến nghị"),
        ("3", texts.PETITION_ASK["name"]),
        ("Le Thi Hoa", texts.PETITION_ASK["phone"]),
        ("0911 222 333", texts.PETITION_ASK["address"]),
        ("To 3 xa Minh Hoa", texts.PETITION_ASK["content"]),
        ("De nghi lap den duong thon Tay", 'gõ "xong"'),
        ("xong", "Gõ 1 để: Đồng ý, gửi đơn"),
        ("1", "Đã đăng ký trực tuyến đơn kiến nghị. Mã tra cứu: KG-"),
    ]
    for number, (typed, expected) in enumerate(steps, start=1):
        assert await post_oa(client, fake.oa_event(CITIZEN, typed)) == 200
        await fake.wait_sent(number)
        assert expected in fake.sent[-1].text, (typed, fake.sent[-1].text)


async def test_an_official_books_and_files_over_the_zalo_bot(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    await add_calendar(sessions, clock)
    await serve()
    steps = [
        ("/datlich", texts.PICK_SESSION),
        ("1", "Anh/chị đến để làm gì?"),
        ("4", texts.ASK_NAME),  # 4 = Phản ánh
        ("Tran Van Binh", texts.ASK_PHONE),
        ("0987000111", texts.ASK_ADDRESS),
        ("Thon Dong xa Minh Hoa", texts.ASK_SUMMARY),
        ("Duong lien thon sat lo sau mua", "- Số người: 1"),
        ("2", "Gõ 7 để: Số người"),  # 2 = Sửa một mục
        ("7", texts.ASK_GROUP),
        ("2", "- Số người: 2"),  # here 2 is the number of people, not a button
        ("1", "Đã đặt lịch. Mã lịch hẹn: LH-"),
        ("toi muon phan anh rac thai", "đây có thể là đơn phản ánh"),
        ("1", texts.PETITION_ASK["name"]),  # 1 = yes, a phản ánh
        ("Tran Van Binh", texts.PETITION_ASK["phone"]),
        ("0987000111", texts.PETITION_ASK["address"]),
        ("Thon Dong xa Minh Hoa", texts.PETITION_ASK["content"]),
        ("Rac thai do tran ra duong lien thon", texts.PETITION_ASK["place"]),
        ("Cong thon Dong", 'gõ "xong"'),
        ("xong", "Gõ 1 để: Đồng ý, gửi đơn"),
        ("1", "Mã tra cứu: PA-"),
    ]
    for number, (typed, expected) in enumerate(steps, start=1):
        fake.bot_text(OFFICIAL, typed)
        await fake.wait_sent(number)
        assert expected in fake.sent[-1].text, (typed, fake.sent[-1].text)


JPEG_WITH_GPS = (
    b"\xff\xd8"
    + b"\xff\xe1"
    + (2 + 20).to_bytes(2, "big")
    + b"Exif\x00\x00GPS21.0285N105"
    + b"\xff\xdb"
    + (2 + 4).to_bytes(2, "big")
    + b"\x00\x01\x02\x03"
    + b"\xff\xda"
    + (2 + 2).to_bytes(2, "big")
    + b"\x00\x00"
    + b"pixels"
    + b"\xff\xd9"
)


async def test_photos_sent_with_a_report_are_stored_without_their_location(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> None:
    await setup_units(sessions, clock)
    fake.files = {"street.jpg": JPEG_WITH_GPS, "notes.txt": b"not a photo"}
    client = await serve()

    def image(name: str, event: str = "user_send_image") -> bytes:
        url = f"{fake.base}/files/{name}"
        return fake.oa_event(
            CITIZEN, event=event, attachments=[{"type": "image", "payload": {"url": url}}]
        )

    steps: list[tuple[bytes, str]] = [
        (fake.oa_event(CITIZEN, "xin chao"), "Gõ 3 để: Gửi đơn thư"),
        (fake.oa_event(CITIZEN, "3"), "Gõ 4 để: Phản ánh"),
        (fake.oa_event(CITIZEN, "4"), texts.PETITION_ASK["name"]),
        (fake.oa_event(CITIZEN, "Le Van Tam"), texts.PETITION_ASK["phone"]),
        (fake.oa_event(CITIZEN, "0911222333"), texts.PETITION_ASK["address"]),
        (fake.oa_event(CITIZEN, "Thon Tay xa Minh Hoa"), texts.PETITION_ASK["content"]),
        (fake.oa_event(CITIZEN, "Cong thoat nuoc bi tac"), texts.PETITION_ASK["place"]),
        (fake.oa_event(CITIZEN, "Dau ngo 5 thon Tay"), 'gõ "xong"'),
        (image("street.jpg"), "Đã nhận 1 tệp."),
        (image("notes.txt", "user_send_file"), "Đã nhận 2 tệp."),
        (fake.oa_event(CITIZEN, "xong"), "Gõ 1 để: Đồng ý, gửi đơn"),
        (fake.oa_event(CITIZEN, "1"), "Mã tra cứu: PA-"),
    ]
    for number, (raw, expected) in enumerate(steps, start=1):
        assert await post_oa(client, raw) == 200
        await fake.wait_sent(number)
        assert expected in fake.sent[-1].text, fake.sent[-1].text
    code = fake.sent[-1].text.split("Mã tra cứu: ")[1].split(".")[0]
    stored = tmp_path / "files" / "petitions" / code / "1.jpg"
    await fake.wait_sent(len(steps) + 1)  # the clock fetched the files; one was refused
    assert "Tệp thứ 2 gửi kèm đơn" in fake.sent[-1].text
    assert texts.FILE_WRONG_TYPE in fake.sent[-1].text
    data = stored.read_bytes()
    assert data.startswith(b"\xff\xd8") and b"GPS" not in data and b"pixels" in data
    assert not (stored.parent / "2.txt").exists()


async def test_the_access_token_is_refreshed_before_it_expires_and_only_once_at_a_time(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    client = await serve()
    citizens = ["c-1", "c-2", "c-3"]
    for number, citizen in enumerate(citizens, start=1):
        assert await post_oa(client, fake.oa_event(citizen, "xin chao")) == 200
        await fake.wait_sent(number)
    await settled(sessions, clock)
    assert fake.refreshes == []
    # 21 hours after the pair was issued, less than 5 of its 25 hours remain: refresh first,
    # once, even with three sends going out together.
    clock.advance(timedelta(hours=21))
    runtime = runtime_of(client)
    for citizen in citizens:
        await runtime.notifier.notify("zalo_oa", citizen, Reply("Thông báo lịch tiếp công dân."))
    await runtime.deliverer.deliver_due()
    await settled(sessions, clock)
    assert fake.refreshes == ["ref-0"]
    assert sorted(s.chat_id for s in fake.sent[3:]) == citizens


async def test_a_signed_event_replayed_later_is_refused_and_odd_shapes_are_dropped(
    serve: Start, fake: FakeZalo, sessions: SessionFactory, clock: FixedClock
) -> None:
    client = await serve(
        zalo_bot_mode="webhook",
        zalo_bot_webhook_url="https://xa.example.vn/zalo/bot/webhook",
        zalo_bot_webhook_secret=BOT_SECRET,
    )
    old = fake.oa_event(CITIZEN, "xin chao", msg_id="2017-event")
    clock.advance(timedelta(hours=2))
    assert await post_oa(client, old) == 403  # properly signed, but two hours old
    stamp = json.loads(old)["timestamp"].encode()
    ancient = old.replace(stamp, b"1490000000000")  # 2017
    assert await post_oa(client, ancient) == 403
    assert await count(sessions, InboxItem) == 0

    # Authenticated bodies of shapes we do not read: 200 (so Zalo does not retry) and dropped.
    def signed(body: dict[str, object]) -> bytes:
        base = json.loads(fake.oa_event(CITIZEN, "x"))
        return json.dumps({**base, **body}, separators=(",", ":")).encode()

    odd = (
        signed({"sender": "notadict"}),
        signed(
            {
                "event_name": "user_send_location",
                "message": {
                    "msg_id": "loc-x",
                    "attachments": [
                        {"payload": {"coordinates": {"latitude": "abc", "longitude": "1"}}}
                    ],
                },
            }
        ),
        signed({"message": {"msg_id": ["a"], "text": {"deep": [[[[]]]]}}}),
    )
    for raw in odd:
        assert await post_oa(client, raw) == 200
    good = {"X-Bot-Api-Secret-Token": BOT_SECRET}
    for body in ({"event_name": "message.text.received", "message": "x"}, {"event_name": 1}):
        assert (await client.post(BOT_HOOK, json=body, headers=good)).status in (200, 400)
    deep = b'{"event_name": "x", "message": ' + b"[" * 2000 + b"]" * 2000 + b"}"
    deep_status = (
        await client.post(BOT_HOOK, data=deep, headers={**good, "Content-Type": "application/json"})
    ).status
    assert deep_status == 400
    # Still answering.
    assert await post_oa(client, fake.oa_event(CITIZEN, "xin chao")) == 200
    await fake.wait_sent(1)
