"""Web chat turns answered in group transactions keep every guarantee of the long way: a retried
client message id has no second effect, the conversation survives a restart, and a process
killed in the middle of a turn loses nothing (the page sends the same id again)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import event, text
from sqlmodel import col, func, select

from bot.channels.web import COOKIE, RUNTIME
from bot.server import create_app
from bot.settings import Settings
from db.engine import SessionFactory, create_engine
from db.models import Conversation, FaqUse, InboxItem, WebSession
from handlers import texts
from handlers.clock import FixedClock
from handlers.contract import Incoming
from handlers.conversation.web_turns import Answer, Asked, update_key
from tests.conftest import BACKENDS, Client
from tests.test_platform_end_to_end import Browser
from tests.test_reception import add_calendar
from tests.test_web_page import free_port

QUESTION = "thoi hieu khieu nai la bao lau"


async def rows_for(sessions: SessionFactory, client_id: str) -> int:
    async with sessions() as session:
        query = (
            select(func.count())
            .select_from(InboxItem)
            .where(col(InboxItem.update_key).endswith(f":{client_id}"))
        )
        return int((await session.exec(query)).one())


async def faq_answers(sessions: SessionFactory) -> int:
    async with sessions() as session:
        query = select(func.coalesce(func.sum(FaqUse.count), 0)).where(FaqUse.entry_id != "")
        return int((await session.exec(query)).one())


async def test_a_plain_question_is_answered_in_one_transaction(client: Client) -> None:
    await client.post("/api/chat", json={"text": "xin chao", "id": "m1"})
    engine = client.app[RUNTIME].engine
    begun: list[object] = []
    listener = lambda connection: begun.append(connection)  # noqa: E731
    event.listen(engine.sync_engine, "begin", listener)
    try:
        response = await client.post("/api/chat", json={"text": QUESTION, "id": "m2"})
    finally:
        event.remove(engine.sync_engine, "begin", listener)
    assert "90 ngày" in (await response.json())["replies"][0]["text"]
    assert len(begun) == 1


async def test_a_client_id_sent_three_times_at_once_is_answered_once(
    client: Client, sessions: SessionFactory
) -> None:
    await client.post("/api/chat", json={"text": "xin chao", "id": "m1"})
    before = await faq_answers(sessions)
    body = {"text": QUESTION, "id": "m2"}
    responses = await asyncio.gather(*(client.post("/api/chat", json=body) for _ in range(3)))
    bodies = [await response.json() for response in responses]
    assert all(response.status == 200 for response in responses)
    assert bodies[0] == bodies[1] == bodies[2] and "90 ngày" in bodies[0]["replies"][0]["text"]
    again = await client.post("/api/chat", json=body)
    assert await again.json() == bodies[0]
    assert await rows_for(sessions, "m2") == 1
    assert await faq_answers(sessions) == before + 1


async def test_first_messages_of_many_browsers_at_once_each_get_their_own_session(
    client: Client, sessions: SessionFactory
) -> None:
    async def first_message(n: int) -> str:
        # A browser of its own: a cookie jar that starts empty.
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
            url = client.make_url("/api/chat")
            async with browser.post(url, json={"text": QUESTION, "id": "m1"}) as response:
                assert "90 ngày" in (await response.json())["replies"][0]["text"]
                return response.cookies[COOKIE].value

    cookies = await asyncio.gather(*(first_message(n) for n in range(12)))
    assert len(set(cookies)) == 12
    assert await rows_for(sessions, "m1") == 12


async def test_a_form_half_filled_survives_a_restart_of_the_server(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path
) -> None:
    await add_calendar(sessions, clock)
    settings = Settings(database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0)
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as first:
        menu = await (await first.post("/api/chat", json={"button": "menu:book", "id": "1"})).json()
        pick = next(
            b["payload"]
            for r in menu["replies"]
            for b in r["buttons"]
            if b["payload"].startswith("rc:s:")
        )
        await first.post("/api/chat", json={"button": pick, "id": "2"})
        asked = await (
            await first.post("/api/chat", json={"button": "rc:m:kien_nghi", "id": "2b"})
        ).json()
        assert asked["replies"][-1]["text"] == texts.ASK_NAME
        named = await (
            await first.post("/api/chat", json={"text": "Nguyễn Văn An", "id": "3"})
        ).json()
        assert named["replies"][-1]["text"] == texts.ASK_PHONE
        cookie = first.session.cookie_jar.filter_cookies(first.make_url("/"))[COOKIE].value
    # A new process (a restart, or the other web process behind the proxy) goes on.
    async with TestClient(TestServer(create_app(settings, clock, run_clock=False))) as second:
        second.session.cookie_jar.update_cookies({COOKIE: cookie})
        phone = await (
            await second.post("/api/chat", json={"text": "0912 345 678", "id": "4"})
        ).json()
        assert phone["replies"][-1]["text"] == texts.ASK_ADDRESS


@contextmanager
def dccs_serve(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-clock", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait(timeout=20)


def ask(browser: Browser, port: int, body: dict[str, str]) -> Any:
    return browser.call(f"http://127.0.0.1:{port}/api/chat", body)


async def test_a_server_killed_in_the_middle_of_a_turn_loses_nothing(
    database_url: str, sessions: SessionFactory, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "DCCS_DATABASE_URL": database_url}
    browser, port = Browser(), free_port()
    with dccs_serve(env, port) as server:
        await asyncio.to_thread(ask, browser, port, {"text": "xin chao", "id": "m1"})
        before = await faq_answers(sessions)
        # Hold what the turn needs, so the server is caught inside it: the conversation's row
        # on PostgreSQL (the turn has begun and read the session when it waits for it), the
        # write lock on SQLite (its turns begin by taking it).
        async with sessions() as holder, holder.begin():
            # BEGIN IMMEDIATE already holds SQLite's write lock; PostgreSQL locks the rows.
            lock = "" if database_url.startswith("sqlite") else " FOR UPDATE"
            await holder.exec(text("SELECT id FROM conversation" + lock))  # type: ignore[call-overload]
            asking = asyncio.ensure_future(
                asyncio.to_thread(ask, browser, port, {"text": QUESTION, "id": "m2"})
            )
            await asyncio.sleep(1.0)
            assert not asking.done()
            server.kill()
            await asyncio.to_thread(server.wait)
        try:
            await asking
            raise AssertionError("the killed server answered")
        except (urllib.error.URLError, ConnectionError):
            pass
    assert await rows_for(sessions, "m2") == 0
    assert await faq_answers(sessions) == before
    # The page sends the same message again, to a new process.
    port = free_port()
    with dccs_serve(env, port):
        answer = await asyncio.to_thread(ask, browser, port, {"text": QUESTION, "id": "m2"})
        again = await asyncio.to_thread(ask, browser, port, {"text": QUESTION, "id": "m2"})
    assert "90 ngày" in answer["replies"][0]["text"] and again == answer
    assert await rows_for(sessions, "m2") == 1
    assert await faq_answers(sessions) == before + 1


# ---------------------------------------------------------------- several turns in one group


async def browser_session(client: Client) -> str:
    """A browser of its own that has said hello: the hash of its cookie, as the server keeps
    it."""
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
        url = client.make_url("/api/chat")
        async with browser.post(url, json={"text": "xin chao", "id": "m1"}) as response:
            return hashlib.sha256(response.cookies[COOKIE].value.encode()).hexdigest()


def asked(session_hash: str, client_id: str, text: str) -> Asked:
    said = Incoming(channel="web", chat_id="", user_id="", text=text, transcript=True)
    return Asked(session_hash, secrets.token_hex(32), client_id, said)


async def all_at_once(client: Client, turns: list[Asked]) -> list[Answer | None]:
    """The turns handed to the web process's group commit in the same instant, as requests
    read together are: they form one group. None is "answered alone, the long way"."""
    web_turns = client.app[RUNTIME].web_turns
    assert web_turns is not None
    return list(await asyncio.gather(*(web_turns.answer(turn) for turn in turns)))


async def test_the_same_client_id_twice_in_one_group_is_answered_once_for_both(
    client: Client, sessions: SessionFactory
) -> None:
    lan, minh = await browser_session(client), await browser_session(client)
    before = await faq_answers(sessions)
    first, again, other = await all_at_once(
        client,
        [asked(lan, "m2", QUESTION), asked(lan, "m2", QUESTION), asked(minh, "m2", QUESTION)],
    )
    # Nobody was sent the long way: the repeat did not undo its group.
    assert first is not None and again is not None and other is not None
    assert again.replies == first.replies and "90 ngày" in first.replies[0].text
    assert await rows_for(sessions, "m2") == 2  # Lan's once, Minh's once
    assert await faq_answers(sessions) == before + 2


async def test_a_retry_in_a_group_takes_the_long_way_and_the_others_stay_together(
    client: Client, sessions: SessionFactory
) -> None:
    lan, minh = await browser_session(client), await browser_session(client)
    answered = await all_at_once(client, [asked(lan, "m2", QUESTION)])
    before = await faq_answers(sessions)
    retry, fresh = await all_at_once(
        client, [asked(lan, "m2", QUESTION), asked(minh, "m2", "huong uoc la gi")]
    )
    assert retry is None  # the long way answers it from the stored replies
    assert fresh is not None and "hương ước" in fresh.replies[0].text.lower()
    assert answered[0] is not None and await rows_for(sessions, "m2") == 2
    assert await faq_answers(sessions) == before + 1


async def test_a_turn_that_raises_leaves_the_rest_of_its_group_answered(
    client: Client, sessions: SessionFactory
) -> None:
    lan_hash, minh_hash, hoa_hash = [await browser_session(client) for _ in range(3)]
    # Lan's stored conversation is broken: the buttons her last reply offered are not text
    # (a row written by hand, or by an old version), so her "1" raises inside the flow.
    async with sessions() as session, session.begin():
        query = select(Conversation).where(Conversation.chat_id == lan_hash)
        row = (await session.exec(query)).one()
        row.offered = [12345]  # type: ignore[list-item]
        session.add(row)
    before = await faq_answers(sessions)
    broken, first, second = await all_at_once(
        client,
        [
            asked(lan_hash, "m2", "1"),
            asked(minh_hash, "m2", QUESTION),
            asked(hoa_hash, "m2", "huong uoc la gi"),
        ],
    )
    assert broken is None
    assert first is not None and "90 ngày" in first.replies[0].text
    assert second is not None and "hương ước" in second.replies[0].text.lower()
    assert await rows_for(sessions, "m2") == 2
    assert await faq_answers(sessions) == before + 2
    # Lan's turn, the long way (what the web handler does with None): an apology, and her
    # message is kept for the clock to try again.
    replies = await client.app[RUNTIME].dispatch(
        Incoming(
            channel="web",
            chat_id=lan_hash,
            user_id=lan_hash,
            text="1",
            update_id=update_key(lan_hash, "m2"),
            transcript=True,
        )
    )
    assert [reply.text for reply in replies] == [texts.UPDATE_FAILED]


async def test_a_client_id_sent_again_without_the_cookie_gets_nothing_of_the_first(
    client: Client, sessions: SessionFactory
) -> None:
    """The page has its cookie after its first answer; a request without it is another
    browser (or a first message whose answer, and cookie, were lost). Client ids are easy to
    guess, so one never reaches another session's stored replies or conversation."""
    menu = await (await client.post("/api/chat", json={"button": "menu:book", "id": "b1"})).json()
    assert menu["replies"]
    mine = await (await client.post("/api/chat", json={"text": QUESTION, "id": "b2"})).json()
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as stranger:
        url = client.make_url("/api/chat")
        async with stranger.post(url, json={"text": "huong uoc la gi", "id": "b2"}) as response:
            theirs = await response.json()
            their_cookie = response.cookies[COOKIE].value
    assert theirs != mine and "hương ước" in theirs["replies"][0]["text"].lower()
    mine_cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    assert their_cookie != mine_cookie
    # Each session has its own b2, and the first browser's retry still gets its own answer.
    assert await rows_for(sessions, "b2") == 2
    again = await (await client.post("/api/chat", json={"text": QUESTION, "id": "b2"})).json()
    assert again == mine


async def test_a_page_polling_for_pushes_writes_its_session_only_when_long_unseen(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await client.post("/api/chat", json={"text": "xin chao", "id": "m1"})
    engine = client.app[RUNTIME].engine
    written: list[str] = []

    def listener(*args: Any) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("UPDATE WEB_SESSION"):
            written.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            polled = await client.get("/api/chat/updates")
            assert await polled.json() == {"replies": []}
        assert written == []
        clock.advance(timedelta(minutes=11))
        await client.get("/api/chat/updates")
        assert len(written) == 1
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    mine = hashlib.sha256(cookie.encode()).hexdigest()
    async with sessions() as session:
        query = select(WebSession.last_seen_at).where(WebSession.token_hash == mine)
        assert (await session.exec(query)).one() == clock.now()
    # A cookie the server never issued reads nothing and writes nothing.
    client.session.cookie_jar.update_cookies({COOKIE: "not-ours"})
    assert await (await client.get("/api/chat/updates")).json() == {"replies": []}


ON_POSTGRESQL = [backend for backend in BACKENDS if backend == "postgresql"]


async def drop_every_other_connection(database_url: str) -> int:
    """What a PostgreSQL restart does to the pools: every backend of the database but this
    one is ended."""
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(database_url)
    try:
        ended = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return len(ended)


@pytest.mark.parametrize("database_url", ON_POSTGRESQL, indirect=True)
async def test_questions_asked_one_after_another_cost_no_ping_round_trips(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.post("/api/chat", json={"text": "xin chao", "id": "m"})
    engine = client.app[RUNTIME].engine
    pings: list[object] = []
    ping = engine.dialect.do_ping

    def counted(connection: Any) -> bool:
        pings.append(connection)
        return ping(connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    for n in range(3):
        response = await client.post("/api/chat", json={"text": QUESTION, "id": f"m{n}"})
        assert "90 ngày" in (await response.json())["replies"][0]["text"]
    assert pings == []


@pytest.mark.parametrize("database_url", ON_POSTGRESQL, indirect=True)
async def test_a_citizen_asking_just_after_postgresql_dropped_every_connection_is_answered(
    client: Client, database_url: str
) -> None:
    await client.post("/api/chat", json={"text": "xin chao", "id": "m1"})
    assert await drop_every_other_connection(database_url) >= 1
    # The pooled connection was used a moment ago, so it is not pinged: its group fails on
    # the dead connection and the turn goes the long way on a new one.
    response = await client.post("/api/chat", json={"text": QUESTION, "id": "m2"})
    assert "90 ngày" in (await response.json())["replies"][0]["text"]
    response = await client.post("/api/chat", json={"text": QUESTION, "id": "m3"})
    assert "90 ngày" in (await response.json())["replies"][0]["text"]


@pytest.mark.parametrize("database_url", ON_POSTGRESQL, indirect=True)
async def test_a_connection_dropped_while_idle_in_the_pool_is_replaced_before_use(
    database_url: str,
) -> None:
    engine = create_engine(database_url, ping_if_idle_for=0.0)
    try:
        async with engine.connect() as connection:
            first = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
        assert await drop_every_other_connection(database_url) >= 1
        async with engine.connect() as connection:
            second = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
        assert second != first
    finally:
        await engine.dispose()
