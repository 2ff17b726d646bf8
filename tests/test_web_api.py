"""The web chat's JSON API through a real aiohttp server on loopback."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import func, select

from bot.channels.web import COOKIE, RUNTIME
from db.engine import SessionFactory
from db.models import InboxItem
from handlers.contract import Reply
from tests.conftest import Client


async def test_the_page_is_served_without_anything_from_elsewhere(
    client: Client,
) -> None:
    response = await client.get("/")
    assert response.status == 200
    html = await response.text()
    assert 'lang="vi"' in html and "<label" in html and 'role="log"' in html
    assert "http://" not in html and "https://" not in html
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    script = await client.get("/static/chat.js")
    assert script.status == 200


async def test_a_first_message_gets_an_http_only_session_cookie(
    client: Client,
) -> None:
    response = await client.post("/api/chat", json={"text": "thoi hieu khieu nai la bao lau"})
    assert response.status == 200
    body = await response.json()
    assert "90 ngày" in body["replies"][0]["text"]
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_a_cookie_the_browser_made_up_is_replaced(
    client: Client,
) -> None:
    client.session.cookie_jar.update_cookies({COOKIE: "chosen-by-the-browser"})
    response = await client.post("/api/chat", json={"text": "xin chao"})
    issued = response.cookies[COOKIE].value
    assert issued != "chosen-by-the-browser" and len(issued) >= 40


async def test_a_retried_message_with_the_same_id_has_one_effect(
    client: Client, sessions: SessionFactory
) -> None:
    first = await client.post("/api/chat", json={"text": "to cao", "id": "m1"})
    again = await client.post("/api/chat", json={"text": "to cao", "id": "m1"})
    assert await first.json() == await again.json()
    async with sessions() as session:
        rows = (await session.exec(select(func.count()).select_from(InboxItem))).one()
    assert rows == 1


async def test_buttons_round_trip_through_the_api(client: Client) -> None:
    body = await (await client.post("/api/chat", json={"text": "khieu nai"})).json()
    choice = body["replies"][0]["buttons"][0]
    pressed = await (await client.post("/api/chat", json={"button": choice["payload"]})).json()
    assert "Căn cứ:" in pressed["replies"][0]["text"]


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"text": 5}',
        b'{"text": "a", "button": "b"}',
        b"{}",
        b'{"text": "a", "id": ""}',
        b'{"text": "a", "id": 7}',
    ],
)
async def test_malformed_requests_get_a_clear_error(client: Client, payload: bytes) -> None:
    response = await client.post(
        "/api/chat", data=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "không hợp lệ" in (await response.json())["error"]


async def test_an_oversized_body_is_refused(client: Client) -> None:
    response = await client.post("/api/chat", json={"text": "x" * 100_000})
    assert response.status == 413


async def test_a_push_reaches_the_page_once(client: Client) -> None:
    await client.post("/api/chat", json={"text": "xin chao"})
    nothing = await (await client.get("/api/chat/updates")).json()
    assert nothing == {"replies": []}

    assert client.app is not None
    runtime = client.app[RUNTIME]
    session_token = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    chat_id = hashlib.sha256(session_token.encode()).hexdigest()
    await runtime.notifier.notify("web", chat_id, Reply("Đơn của anh/chị đã được tiếp nhận."))
    # Queued, not yet delivered: the clock's next tick hands it to the web sender.
    assert await (await client.get("/api/chat/updates")).json() == {"replies": []}
    assert await runtime.deliverer.deliver_once() == 1
    pushed = await (await client.get("/api/chat/updates")).json()
    assert [r["text"] for r in pushed["replies"]] == ["Đơn của anh/chị đã được tiếp nhận."]
    assert await (await client.get("/api/chat/updates")).json() == {"replies": []}


async def test_updates_without_a_session_are_empty(client: Client) -> None:
    response = await client.get("/api/chat/updates")
    assert await response.json() == {"replies": []}
    assert COOKIE not in response.cookies


async def test_health_reports_the_database(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok"}


async def test_a_reloaded_page_gets_its_own_conversation_back(client: Client) -> None:
    assert await (await client.get("/api/chat/history")).json() == {"messages": []}
    await client.post("/api/chat", json={"text": "/start", "id": "g"})
    body = await (await client.post("/api/chat", json={"text": "khieu nai", "id": "a"})).json()
    choice = body["replies"][0]["buttons"][0]
    await client.post("/api/chat", json={"button": choice["payload"], "id": "b"})
    assert client.app is not None
    runtime = client.app[RUNTIME]
    token = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    chat_id = hashlib.sha256(token.encode()).hexdigest()
    await runtime.notifier.notify("web", chat_id, Reply("Lịch hẹn của anh/chị đã được xác nhận."))
    await runtime.deliverer.deliver_once()
    await client.get("/api/chat/updates")

    messages = (await (await client.get("/api/chat/history")).json())["messages"]
    said = [(m["from"], m["text"]) for m in messages if m["from"] == "user"]
    # The page's own greeting request is not shown as typed; a press shows its label.
    assert said == [("user", "khieu nai"), ("user", choice["label"])]
    assert messages[0]["from"] == "assistant" and "Xin chào" in messages[0]["text"]
    assert messages[2]["buttons"] == body["replies"][0]["buttons"]
    assert "Căn cứ:" in messages[4]["text"]
    assert messages[-1]["text"] == "Lịch hẹn của anh/chị đã được xác nhận."

    client.session.cookie_jar.clear()
    assert await (await client.get("/api/chat/history")).json() == {"messages": []}


async def test_the_restored_conversation_never_shows_what_a_denouncer_typed(
    client: Client,
) -> None:
    await client.post("/api/chat", json={"button": "menu:petition", "id": "1"})
    await client.post("/api/chat", json={"button": "pt:k:to_cao", "id": "2"})
    for number, answer in enumerate(["Tran Van Binh", "0987 654 321", "Thon Dong"], start=3):
        await client.post("/api/chat", json={"text": answer, "id": str(number)})

    messages = (await (await client.get("/api/chat/history")).json())["messages"]
    shown = "\n".join(m["text"] for m in messages)
    assert "Tran Van Binh" not in shown and "0987" not in shown and "Thon Dong" not in shown
    hidden = [m for m in messages if m["from"] == "user" and "được ẩn" in m["text"]]
    assert len(hidden) == 3
    assert messages[-1]["from"] == "assistant"  # the step the form stands at
