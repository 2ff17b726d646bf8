"""Every HTTP entry point fed arbitrary input, with valid authentication where one is needed: the
web chat API and its downloads, the staff desk's report page and files, and the Telegram, Zalo
OA and Zalo Bot webhooks. No request may get a 500 or raise inside the app, and after each
example the clock still ticks with every job working (hardening issue, "Test"). Bounded: it runs
in CI on SQLite."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import web as web_channel
from bot.server import WEBHOOK_PATHS, create_app
from bot.settings import Settings
from db.engine import SessionFactory
from handlers.clock import FixedClock
from tests.fake_telegram import FakeBotApi
from tests.fake_zalo import APP_ID, APP_SECRET, OA_SECRET, FakeZalo, sign
from tests.test_access import setup_units

Client = TestClient[web.Request, web.Application]
TELEGRAM_SECRET = "fuzz-telegram-secret"
BOT_SECRET = "fuzz-zalo-bot-secret"
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values a body may hold: everything JSON can say, with the characters that broke us before.
WEIRD_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "²",
            "①",
            "١٢",
            "\ud800",
            "9" * 30,
            "staff:rc:b:99999999999999999999",
            "staff:pt:take:1",
            "kbadm:gap:²",
            "pt:sat:yes:①",
            "/xong 99999999999999999999 05/11/2026",
            '=HYPERLINK("x")',
            "a\nINFO forged",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    WEIRD_TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def chat_bodies() -> st.SearchStrategy[bytes]:
    plausible = st.fixed_dictionaries(
        {},
        optional={"text": JSON_VALUES, "button": JSON_VALUES, "id": JSON_VALUES},
    )
    return st.one_of(
        plausible.map(lambda body: json.dumps(body).encode()),
        JSON_VALUES.map(lambda body: json.dumps(body).encode()),
        st.binary(max_size=200),
    )


def telegram_updates() -> st.SearchStrategy[dict[str, Any]]:
    user = st.integers(min_value=-(2**63), max_value=2**63)
    message = st.fixed_dictionaries(
        {
            "message_id": st.integers(min_value=0, max_value=2**31),
            "date": st.integers(min_value=0, max_value=2**31),
            "chat": st.fixed_dictionaries(
                {"id": user, "type": st.sampled_from(["private", "group"])}
            ),
            "from": st.fixed_dictionaries(
                {"id": user, "is_bot": st.booleans(), "first_name": WEIRD_TEXT}
            ),
            "text": WEIRD_TEXT,
        }
    )
    press = st.fixed_dictionaries(
        {
            "id": WEIRD_TEXT,
            "from": st.fixed_dictionaries(
                {"id": user, "is_bot": st.just(False), "first_name": WEIRD_TEXT}
            ),
            "chat_instance": st.just("1"),
            "data": WEIRD_TEXT,
        }
    )
    return st.one_of(
        st.fixed_dictionaries({"update_id": st.integers(0, 2**31), "message": message}),
        st.fixed_dictionaries({"update_id": st.integers(0, 2**31), "callback_query": press}),
        st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4),
    )


@pytest.fixture
async def apps(
    database_url: str, seeded: None, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[tuple[Client, FakeZalo]]:
    telegram = await FakeBotApi().start()
    zalo = await FakeZalo(now=lambda: clock.now().timestamp()).start()
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": tmp_path,
        "kb_refresh_seconds": 0,
        "web_session_per_minute": 100_000,
        "web_address_per_minute": 100_000,
        "web_new_sessions_per_minute": 100_000,
        "telegram_bot_token": telegram.token,
        "telegram_api_base": telegram.base,
        "telegram_mode": "webhook",
        "telegram_webhook_url": "https://xa.example.vn/telegram/webhook",
        "telegram_webhook_secret": TELEGRAM_SECRET,
        "zalo_oa_app_id": APP_ID,
        "zalo_oa_secret_key": OA_SECRET,
        "zalo_app_secret": APP_SECRET,
        "zalo_oa_access_token": "acc-0",
        "zalo_oa_refresh_token": "ref-0",
        "zalo_oa_api_base": zalo.base,
        "zalo_oauth_base": zalo.base,
        "zalo_bot_token": zalo.bot_token,
        "zalo_bot_api_base": zalo.base,
        "zalo_bot_mode": "webhook",
        "zalo_bot_webhook_url": "https://xa.example.vn/zalo/bot/webhook",
        "zalo_bot_webhook_secret": BOT_SECRET,
    }
    app = create_app(Settings.model_validate(values), clock, run_clock=False)
    client: Client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield client, zalo
    finally:
        await client.close()
        await zalo.stop()
        await telegram.stop()


async def still_well(client: Client, response_status: int) -> None:
    assert response_status < 500
    runtime = client.app[web_channel.RUNTIME]
    [counted] = runtime.metrics.errors.collect()
    errors = sum(sample.value for sample in counted.samples)
    assert errors == 0, "a request raised inside the app"
    report = await runtime.ticker.tick()
    assert report.failed == (), report.failed


@given(body=chat_bodies())
@EXAMPLES
async def test_the_chat_api_never_fails_on_any_body(
    apps: tuple[Client, FakeZalo], body: bytes
) -> None:
    client, _ = apps
    response = await client.post(
        "/api/chat", data=body, headers={"Content-Type": "application/json"}
    )
    await still_well(client, response.status)
    updates = await client.get("/api/chat/updates")
    await still_well(client, updates.status)


@pytest.fixture
async def desk_cookie(
    apps: tuple[Client, FakeZalo], sessions: SessionFactory, clock: FixedClock
) -> str:
    """An official of the province on the staff desk, so that report routes go deep."""
    from tests.test_desk_reports import official

    await setup_units(sessions, clock)
    return await official(sessions, clock, "Tỉnh mẫu", chat="fuzz")


@given(
    unit=st.one_of(st.text(max_size=25), st.sampled_from(["1", "2", "3", "4"])),
    span=st.one_of(
        st.text(max_size=20),
        st.sampled_from(["20261001-20261231", "20261101-20261125", "20270101-20271231"]),
    ),
    ext=st.sampled_from(["xlsx", "docx", "png", "pdf", ""]),
    query=st.dictionaries(
        st.sampled_from(["ky", "nam", "thang", "quy", "nua", "tu", "den", "don_vi"]),
        st.one_of(st.text(max_size=12), st.sampled_from(["khoang", "quy", "2026", "4"])),
        max_size=6,
    ),
    code=st.text(max_size=30),
)
@EXAMPLES
async def test_downloads_never_fail_on_any_address(
    apps: tuple[Client, FakeZalo],
    desk_cookie: str,
    unit: str,
    span: str,
    ext: str,
    query: dict[str, str],
    code: str,
) -> None:
    client, _ = apps
    await client.post("/api/chat", json={"text": "xin chao"})  # a session, so routes go deep
    desk = {"Cookie": f"dccs_desk={desk_cookie}"}
    path = f"/desk/bao-cao/{quote(unit, safe='')}/{quote(span, safe='')}.{ext}"
    await still_well(client, (await client.get(path, headers=desk)).status)
    report_page = await client.get("/desk/bao-cao", params=query, headers=desk)
    await still_well(client, report_page.status)
    letter = f"/api/petitions/{quote(code, safe='')}/letter.docx"
    await still_well(client, (await client.get(letter)).status)


@given(update=telegram_updates())
@EXAMPLES
async def test_the_telegram_webhook_never_fails_on_an_authenticated_update(
    apps: tuple[Client, FakeZalo], update: dict[str, Any]
) -> None:
    client, _ = apps
    response = await client.post(
        WEBHOOK_PATHS["telegram"],
        data=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
    )
    await still_well(client, response.status)


@given(
    event=st.one_of(
        st.fixed_dictionaries(
            {
                "event_name": st.sampled_from(
                    ["user_send_text", "user_send_location", "user_send_image", "follow", "x"]
                ),
                "sender": JSON_VALUES,
                "follower": JSON_VALUES,
                "message": st.one_of(
                    JSON_VALUES,
                    st.fixed_dictionaries(
                        {"msg_id": JSON_VALUES, "text": WEIRD_TEXT, "attachments": JSON_VALUES}
                    ),
                ),
            }
        ),
        st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4),
    )
)
@EXAMPLES
async def test_the_zalo_oa_webhook_never_fails_on_a_signed_event(
    apps: tuple[Client, FakeZalo], event: dict[str, Any]
) -> None:
    client, zalo = apps
    base = json.loads(zalo.oa_event("42", "x"))
    raw = json.dumps({**event, "app_id": APP_ID, "timestamp": base["timestamp"]}).encode()
    response = await client.post(
        WEBHOOK_PATHS["zalo_oa"],
        data=raw,
        headers={"Content-Type": "application/json", "X-ZEvent-Signature": sign(raw)},
    )
    await still_well(client, response.status)


@given(body=JSON_VALUES)
@EXAMPLES
async def test_the_zalo_bot_webhook_never_fails_on_an_authenticated_body(
    apps: tuple[Client, FakeZalo], body: Any
) -> None:
    client, _ = apps
    shaped = (
        {"event_name": "message.text.received", "message": body} if isinstance(body, dict) else body
    )
    for sent in (body, shaped, {"ok": True, "result": shaped}):
        response = await client.post(
            WEBHOOK_PATHS["zalo_bot"],
            data=json.dumps(sent),
            headers={"X-Bot-Api-Secret-Token": BOT_SECRET, "Content-Type": "application/json"},
        )
        await still_well(client, response.status)
