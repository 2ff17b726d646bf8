"""The web chat's JSON API through a real aiohttp server on loopback."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from bot.attachments import AttachmentStore
from bot.channels.web import COOKIE, RUNTIME
from db.engine import SessionFactory
from db.models import InboxItem
from handlers import texts
from handlers.clock import FixedClock
from handlers.contract import Reply
from tests.conftest import Client
from tests.test_access import setup_units
from tests.test_reception import add_calendar


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
    await client.post("/api/chat", json={"text": "/start", "id": "0"})
    await client.post("/api/chat", json={"button": "menu:petition", "id": "1"})
    await client.post("/api/chat", json={"button": "pt:k:to_cao", "id": "2"})
    for number, answer in enumerate(["Tran Van Binh", "0987 654 321", "Thon Dong"], start=3):
        await client.post("/api/chat", json={"text": answer, "id": str(number)})

    messages = (await (await client.get("/api/chat/history")).json())["messages"]
    shown = "\n".join(m["text"] for m in messages)
    assert "Tran Van Binh" not in shown and "0987" not in shown and "Thon Dong" not in shown
    # From the choice of a tố cáo on, neither side of a turn is shown: what was typed, the
    # questions that name the accused, the read-back, the code and the letter to print.
    # Once a tố cáo is chosen, every turn of this chat before it is hidden as well.
    said = [m["text"] for m in messages if m["from"] == "user"]
    assert said == [texts.HISTORY_HIDDEN] * 5
    answered = [m["text"] for m in messages if m["from"] == "assistant"]
    assert answered[-5:] == [texts.HISTORY_HIDDEN_REPLY] * 5


async def test_a_booking_to_denounce_is_hidden_from_the_restored_conversation(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    """The matter is asked first: a tố cáo is known before the name is typed."""
    await add_calendar(sessions, clock)
    listed = await (await client.post("/api/chat", json={"button": "menu:book", "id": "1"})).json()
    [first, *_] = [b for b in listed["replies"][-1]["buttons"] if b["payload"].startswith("rc:s:")]
    await client.post("/api/chat", json={"button": first["payload"], "id": "2"})
    await client.post("/api/chat", json={"button": "rc:m:to_cao", "id": "3"})
    for number, answer in enumerate(["Tran Van Binh", "0987 654 321", "Thon Dong"], start=4):
        await client.post("/api/chat", json={"text": answer, "id": str(number)})

    messages = (await (await client.get("/api/chat/history")).json())["messages"]
    shown = "\n".join(m["text"] for m in messages)
    assert "Tran Van Binh" not in shown and "0987" not in shown and "Thon Dong" not in shown
    said = [m["text"] for m in messages if m["from"] == "user"]
    assert said[-4:] == [texts.HISTORY_HIDDEN] * 4


async def test_a_form_changed_to_a_denunciation_hides_what_was_typed_before_it(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: a phản ánh whose type was changed to tố cáo (back to the types, or
    "Sửa một mục" at a booking's read-back) left the name and phone typed before on show."""
    await setup_units(sessions, clock)
    await client.post("/api/chat", json={"text": "tiền phạt đỗ xe bao nhiêu", "id": "q"})
    await client.post("/api/chat", json={"button": "menu:petition", "id": "1"})
    await client.post("/api/chat", json={"button": "pt:k:phan_anh", "id": "2"})
    for number, answer in enumerate(["Vo Thi Lan", "0905 123 456"], start=3):
        await client.post("/api/chat", json={"text": answer, "id": str(number)})
    for number in range(5, 8):
        await client.post("/api/chat", json={"button": "pt:back", "id": str(number)})
    await client.post("/api/chat", json={"button": "pt:k:to_cao", "id": "8"})

    messages = (await (await client.get("/api/chat/history")).json())["messages"]
    shown = "\n".join(m["text"] for m in messages)
    assert "Vo Thi Lan" not in shown and "0905" not in shown
    assert {m["text"] for m in messages if m["from"] == "user"} == {texts.HISTORY_HIDDEN}


JPEG_WITH_GPS = (
    b"\xff\xd8\xff\xe1"
    + (2 + 20).to_bytes(2, "big")
    + b"Exif\x00\x00GPS21.0285N105"
    + b"\xff\xda\x00\x04\x00\x00pixels\xff\xd9"
)


async def _upload(client: Client, data: bytes, client_id: str) -> tuple[int, dict[str, Any]]:
    response = await client.post(
        f"/api/chat/files?id={client_id}",
        data=io.BytesIO(data),
        headers={"Content-Type": "application/octet-stream"},
    )
    return response.status, await response.json()


async def test_a_citizen_attaches_a_photo_from_the_page_and_it_is_kept_without_its_location(
    client: Client, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> None:
    await setup_units(sessions, clock)
    # A photo before any đơn asks for one is not kept.
    await client.post("/api/chat", json={"text": "xin chao", "id": "0"})
    status, early = await _upload(client, JPEG_WITH_GPS, "early")
    assert status == 200 and early["replies"][0]["text"].startswith(texts.ATTACHMENT_NOT_NOW)

    typed = ["Le Van Tam", "0911222333", "Thon Tay xa Minh Hoa", "Cong thoat nuoc bi tac"]
    await client.post("/api/chat", json={"button": "menu:petition", "id": "1"})
    await client.post("/api/chat", json={"button": "pt:k:phan_anh", "id": "2"})
    for number, answer in enumerate(typed, start=3):
        await client.post("/api/chat", json={"text": answer, "id": str(number)})
    asked = await (await client.post("/api/chat", json={"text": "Dau ngo 5", "id": "7"})).json()
    assert asked["replies"][0]["takes_files"] is True

    status, taken = await _upload(client, JPEG_WITH_GPS, "f1")
    assert status == 200 and taken["replies"][0]["text"].startswith("Đã nhận 1 tệp")
    assert (await _upload(client, JPEG_WITH_GPS, "f1"))[1] == taken  # a retry counts once
    status, refused = await _upload(client, b"MZ\x90\x00 a program", "f2")
    assert status == 415 and "JPEG, PNG" in refused["error"]
    status, too_big = await _upload(client, b"%PDF-" + b"0" * (10 * 1024 * 1024), "f3")
    assert status == 413 and "10 MB" in too_big["error"]

    read_back = await (await client.post("/api/chat", json={"text": "xong", "id": "8"})).json()
    assert "Ảnh, giấy tờ kèm theo: 1" in read_back["replies"][0]["text"]
    filed = await (await client.post("/api/chat", json={"button": "pt:send", "id": "9"})).json()
    code = filed["replies"][0]["text"].split("Mã tra cứu: ")[1].split(".")[0]

    assert client.app is not None
    runtime = client.app[RUNTIME]
    store = AttachmentStore(sessions, clock, tmp_path / "files", runtime.file_fetchers)
    assert await store.run() == 1
    kept = (tmp_path / "files" / "petitions" / code / "1.jpg").read_bytes()
    assert kept.startswith(b"\xff\xd8") and b"GPS" not in kept and b"pixels" in kept
    uploads = list((tmp_path / "uploads").iterdir())
    assert all(b"GPS" not in path.read_bytes() for path in uploads)  # stripped on arrival
    # Uploads nobody filed, and those already fetched, go after a week.
    assert runtime.uploads is not None
    old = clock.now().timestamp() - 8 * 24 * 3600
    for path in uploads:
        os.utime(path, (old, old))
    assert await runtime.uploads.purge() == len(uploads) == 2


async def test_a_file_from_another_site_or_without_a_session_is_refused(client: Client) -> None:
    status, _ = await _upload(client, JPEG_WITH_GPS, "x")
    assert status == 400  # no conversation yet: nothing asked for a file
    response = await client.post(
        "/api/chat/files",
        data=JPEG_WITH_GPS,
        headers={"Content-Type": "application/octet-stream", "Origin": "https://evil.example"},
    )
    assert response.status == 403
