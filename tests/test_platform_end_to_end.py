"""The platform as an operator and two people meet it: CLI, a real `dccs serve`, HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import http.cookiejar
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.channels.web import COOKIE
from bot.delivery import OutboxNotifier
from bot.settings import Settings
from db.engine import create_engine, session_factory
from handlers.clock import TEST_TODAY_ENV, FixedClock, suite_start
from handlers.contract import Reply
from tests.test_web_page import free_port

UNITS = """
- {name: Tỉnh mẫu, kind: tinh, code: "99"}
- name: Xã Minh Hòa
  kind: xa
  code: "99001"
  parent: "99"
  aliases: [Xã Minh Hưng]
  profile: {phone: "0000 000 000"}
"""


def dccs(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env={**env, "DCCS_TICK_SECONDS": "0.2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, url: str, body: dict[str, str] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            url, data=data, headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())

    def say(self, base: str, text: str) -> list[dict[str, Any]]:
        return list(self.call(f"{base}/api/chat", {"text": text})["replies"])

    def session_hash(self) -> str:
        token = next(c.value for c in self.jar if c.name == COOKIE)
        assert token is not None
        return hashlib.sha256(token.encode()).hexdigest()


def payloads(replies: list[dict[str, Any]]) -> list[str]:
    return [b["payload"] for r in replies for b in r["buttons"]]


async def queue_push(data_dir: Path, chat_id: str, text: str, today: str) -> None:
    """A push queued at the moment the servers' clocks start from (DCCS_TEST_TODAY)."""
    engine = create_engine(Settings(data_dir=data_dir).database())
    start = suite_start(today)
    assert start is not None
    try:
        await OutboxNotifier(session_factory(engine), FixedClock(start)).notify(
            "web", chat_id, Reply(text)
        )
    finally:
        await engine.dispose()


def test_an_admin_invites_an_official_who_redeems_it_in_the_web_chat(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(UNITS, encoding="utf-8")
    assert "Thêm mới: 2" in dccs(["units", "import", str(units)], cli_env)
    assert "Xã Minh Hưng" in dccs(["units", "export", "--format", "csv"], cli_env)
    code = (
        dccs(["users", "invite", "--role", "official", "--unit", "99001"], cli_env)
        .split("Mã mời: ")[1]
        .split()[0]
    )

    official, citizen = Browser(), Browser()
    with serving(cli_env) as base:
        [granted] = official.say(base, f"/start {code}")
        assert "vai trò cán bộ của Xã Minh Hòa" in granted["text"]
        assert "staff:menu" in payloads(official.say(base, "xin chao"))
        assert "staff:menu" not in payloads(citizen.say(base, "xin chao"))
        [refused] = citizen.call(f"{base}/api/chat", {"button": "staff:menu"})["replies"]
        assert "chỉ dành cho cán bộ" in refused["text"]
    assert "official\tXã Minh Hòa\tđang hiệu lực" in dccs(["users", "list"], cli_env)

    # While nothing runs, a push is queued for the official; the next server delivers it.
    asyncio.run(
        queue_push(
            Path(cli_env["DCCS_DATA_DIR"]),
            official.session_hash(),
            "Có 1 đơn mới cần xử lý.",
            cli_env[TEST_TODAY_ENV],
        )
    )
    with serving(cli_env) as base:
        deadline = time.monotonic() + 15
        pushed: list[str] = []
        while not pushed and time.monotonic() < deadline:
            pushed = [r["text"] for r in official.call(f"{base}/api/chat/updates")["replies"]]
            time.sleep(0.2)
        assert pushed == ["Có 1 đơn mới cần xử lý."]
        assert citizen.call(f"{base}/api/chat/updates")["replies"] == []
