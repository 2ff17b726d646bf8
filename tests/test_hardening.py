"""What an attacker tried against a local instance, replayed (hardening findings F3, F5, F6, F9,
F13, F16, F18 and the open /metrics): each gets a clear refusal and nothing else stops."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import col, func, select

from bot.guard import TOO_FAST, Buckets, client_address, parse_json
from bot.server import create_app
from bot.settings import Settings
from db.engine import SessionFactory
from db.models import AuditLog, Person
from handlers import texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.deadlines.rules import DeadlineError, occurrences_between
from handlers.guesses import TARGET
from handlers.reports import Period
from handlers.units.registry import UnitSpec, apply, export, parse
from tests.conftest import Client
from tests.test_access import setup_units
from tests.test_petitions import COMPLAINT, Chat, code_of, file


async def test_malformed_requests_get_400_with_a_reason_not_500(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    bodies = (
        '{"text": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"text": "a", "n": ' + "9" * 5000 + "}",
        '{"text": NaN}',
        "\xff\xfe",
        "[]",
        '{"text": "a", "button": "b"}',
    )
    for body in bodies:
        response = await client.post(
            "/api/chat", data=body.encode("utf-8", "surrogatepass"), headers=JSON
        )
        assert response.status == 400, body[:40]
        assert (await response.json())["error"]
    # Found by the fuzz suite: a NUL in a letter's code made PostgreSQL answer 500.
    await client.post("/api/chat", json={"text": "xin chao"})
    assert (await client.get("/api/petitions/Y%00I%C3%91/letter.docx")).status == 404
    # A report's period, now on the staff desk's file addresses.
    from tests.test_desk_reports import jar, official, unit_of

    await setup_units(sessions, clock)
    unit = await unit_of(sessions, "Tỉnh mẫu")
    cookie = await official(sessions, clock, "Tỉnh mẫu", chat="hardening")
    for path, said in (
        ("00010101-99991231", "tối đa 10 năm"),
        ("20260101-20250101", "đang sau ngày kết thúc"),
        ("16000101-20991231", "tối đa 10 năm"),
    ):
        response = await client.get(f"/desk/bao-cao/{unit}/{path}.xlsx", headers=jar(cookie))
        assert response.status == 400 and said in await response.text()


JSON = {"Content-Type": "application/json"}


async def test_the_chat_api_takes_only_json_from_its_own_page(client: Client) -> None:
    plain = await client.post("/api/chat", data='{"text": "xin chao"}')
    assert plain.status == 415
    forged = await client.post(
        "/api/chat", json={"text": "xin chao"}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status == 403
    framed = await client.post(
        "/api/chat", json={"text": "xin chao"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert framed.status == 403
    own = await client.post(
        "/api/chat",
        json={"text": "xin chao"},
        headers={"Origin": f"http://{client.host}:{client.port}"},
    )
    assert own.status == 200


async def guarded(
    database_url: str, clock: FixedClock, tmp_path: Path, **limits: Any
) -> TestClient[web.Request, web.Application]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0, **limits
    )
    test_client: TestClient[web.Request, web.Application] = TestClient(
        TestServer(create_app(settings, clock, run_clock=False))
    )
    await test_client.start_server()
    return test_client


async def test_one_session_flooding_is_slowed_and_cookieless_posts_create_few_people(
    database_url: str, sessions: SessionFactory, clock: FixedClock, tmp_path: Path, seeded: None
) -> None:
    client = await guarded(
        database_url, clock, tmp_path, web_session_per_minute=20, web_new_sessions_per_minute=5
    )
    try:
        statuses = [
            (await client.post("/api/chat", json={"text": "xin chao"})).status for _ in range(30)
        ]
        # The app's clock stands still: the first message (no cookie yet) and exactly the
        # session's burst of 20 go through.
        assert statuses == [200] * 21 + [429] * 9
        slowed = await client.post("/api/chat", json={"text": "xin chao"})
        assert slowed.headers["Retry-After"] == "3"
        assert (await slowed.json())["error"] == TOO_FAST
        clock.advance(timedelta(seconds=3))
        assert (await client.post("/api/chat", json={"text": "xin chao"})).status == 200
        async with sessions() as session:
            before = (await session.exec(select(func.count()).select_from(Person))).one()
        for _ in range(40):
            client.session.cookie_jar.clear()
            await client.post("/api/chat", json={"text": "xin chao"})
        async with sessions() as session:
            after = (await session.exec(select(func.count()).select_from(Person))).one()
        # Five new sessions a minute from one address, one of them taken by the first message.
        assert after - before == 4
    finally:
        await client.close()


def test_the_client_address_comes_from_a_trusted_proxy_only() -> None:
    class Request:
        def __init__(self, remote: str, forwarded: str) -> None:
            self.remote = remote
            self.headers = {"X-Forwarded-For": forwarded}

    proxies = frozenset({"10.0.0.2"})
    # A client cannot choose its address by sending the header itself.
    assert client_address(Request("203.0.113.9", "1.2.3.4"), proxies) == "203.0.113.9"  # type: ignore[arg-type]
    # Behind the proxy: the last hop the proxy saw, not what the client prepended.
    assert client_address(Request("10.0.0.2", "1.2.3.4, 198.51.100.7"), proxies) == (  # type: ignore[arg-type]
        "198.51.100.7"
    )
    assert client_address(Request("10.0.0.2", "junk"), proxies) == "10.0.0.2"  # type: ignore[arg-type]


def test_a_bucket_refills_over_the_minute() -> None:
    bucket = Buckets(per_minute=60)
    start = time.monotonic()
    assert all(bucket.take("s", start) == 0 for _ in range(60))
    assert bucket.take("s", start) > 0
    assert bucket.take("s", start + 1.01) == 0


def test_json_a_chat_message_never_is_refused_before_it_costs_anything() -> None:
    assert parse_json(b'{"text": "xin ch\\u00e0o"}') == {"text": "xin chào"}
    assert parse_json(b"[" * 100_000) is None
    assert parse_json(b'{"n": -1234567890123456789012}') is None


async def test_metrics_need_the_token_or_a_direct_local_client(
    database_url: str, clock: FixedClock, tmp_path: Path, seeded: None
) -> None:
    client = await guarded(database_url, clock, tmp_path, metrics_token="s3cret-token-value")
    try:
        assert (await client.get("/metrics")).status == 404
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 404
        right = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-token-value"})
        assert right.status == 200 and "dccs_inbox_failed" in await right.text()
    finally:
        await client.close()
    local = await guarded(database_url, clock, tmp_path)
    try:
        assert (await local.get("/metrics")).status == 200
        proxied = await local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status == 404
    finally:
        await local.close()


async def test_ten_thousand_guesses_at_a_code_take_years_across_any_number_of_cookies(
    database_url: str,
    sessions: SessionFactory,
    clock: FixedClock,
    assistant: Assistant,
    tmp_path: Path,
) -> None:
    client = await guarded(database_url, clock, tmp_path, web_new_sessions_per_minute=10_000)
    await setup_units(sessions, clock)
    code = code_of(await file(Chat(assistant, "owner"), "khieu_nai", COMPLAINT))
    answered = []
    for guess in range(60):
        client.session.cookie_jar.clear()  # a new browser session for every guess
        clock.advance(timedelta(seconds=1))
        response = await client.post("/api/chat", json={"text": f"{code} {guess:04d}"})
        answered.append((await response.json())["replies"][0]["text"])
    wrong = answered.count(texts.PETITION_LOOKUP_WRONG)
    assert wrong <= 5, wrong  # three free, then one a minute, then one every two...
    assert sum(text.startswith("Mã này đã bị tra sai") for text in answered) >= 55
    # The owner still sees their đơn at once.
    mine = await Chat(assistant, "owner").say(f"{code} 5678")
    assert mine.text.startswith(code)
    # The waits double up to a day: 10 000 guesses need about 27 years.
    total = sum((TARGET.wait_after(n) for n in range(1, 10_001)), timedelta())
    assert total > timedelta(days=365 * 25)
    async with sessions() as session:
        failures = (
            await session.exec(
                select(func.count())
                .select_from(AuditLog)
                .where(col(AuditLog.action) == "petition.lookup_failed")
            )
        ).one()
    assert failures == wrong
    await client.close()


async def test_unit_exports_to_csv_keep_typed_formulas_as_text(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    dangerous = ['=HYPERLINK("http://x","bấm")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"]
    async with sessions() as session, session.begin():
        await apply(
            session,
            [
                UnitSpec(name="Tỉnh mẫu", kind="tinh"),
                UnitSpec(
                    name="Xã Minh Hòa",
                    kind="xa",
                    parent="Tỉnh mẫu",
                    aliases=dangerous[:2],
                    profile={"address": dangerous[2], "phone": dangerous[3]},
                ),
            ],
            clock.now(),
            actor="test",
        )
    async with sessions() as session:
        text = await export(session, "csv")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    [_, commune] = parse(text, "csv")
    assert commune.aliases == dangerous[:2]
    assert commune.profile == {"address": dangerous[2], "phone": dangerous[3]}


def test_a_report_period_is_one_day_to_ten_years() -> None:
    Period(date(2026, 1, 1), date(2035, 12, 31))
    for first, last in (
        (date(1600, 1, 1), date(2099, 12, 31)),
        (date(2026, 2, 1), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2037, 1, 1)),
    ):
        try:
            Period(first, last)
        except ValueError:
            continue
        raise AssertionError(f"{first}-{last} accepted")


def test_a_minutely_recurrence_is_refused_before_it_freezes_the_clock() -> None:
    for rule in ("RRULE:FREQ=MINUTELY", "RRULE:FREQ=SECONDLY;INTERVAL=1", "rrule:freq=hourly"):
        try:
            occurrences_between(rule, date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 1))
        except DeadlineError as error:
            assert texts.BAD_RECURRENCE.split("{")[0] in str(error)
            continue
        raise AssertionError(rule)


async def test_the_servers_own_refusals_under_api_are_vietnamese_json(client: Client) -> None:
    wrong_method = await client.get("/api/chat")
    assert wrong_method.status == 405 and "POST" in wrong_method.headers["Allow"]
    assert (await wrong_method.json())["error"] == "Địa chỉ này không nhận kiểu yêu cầu đó."
    too_big = await client.post("/api/chat", data=b"x" * 70_000, headers=JSON)
    assert too_big.status == 413 and "64 KB" in (await too_big.json())["error"]
    missing = await client.get("/api/khong-co")
    assert missing.status == 404 and (await missing.json())["error"] == "Không có địa chỉ này."
