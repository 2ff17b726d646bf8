"""Operations: metrics, masked logs, retention, and backup/restore round trips."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import func, select

from bot.logs import JsonFormatter, RedactingFilter
from bot.retention import Retention
from db import inbox, outbox, web_sessions
from db.engine import SessionFactory
from db.migrate import alembic_config, upgrade
from db.models import InboxItem, Outbox, WebPush, WebSession
from handlers.clock import FixedClock
from handlers.privacy import redact
from tests.conftest import BACKENDS, Client


async def test_metrics_count_updates_and_report_the_outbox(
    client: Client, sessions: SessionFactory, clock: FixedClock
) -> None:
    await client.post("/api/chat", json={"text": "xin chao"})
    await client.post("/api/chat", json={"text": "thoi hieu khieu nai"})
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, "web", "x", {"text": "a", "buttons": []}, clock.now())
    clock.advance(timedelta(seconds=42))
    body = await (await client.get("/metrics")).text()
    assert 'dccs_updates_total{channel="web"} 2.0' in body
    assert 'dccs_dispatch_seconds_count{channel="web"} 2.0' in body
    assert "dccs_outbox_depth 1.0" in body
    assert "dccs_outbox_oldest_seconds 42.0" in body


def test_logs_mask_phone_numbers_id_numbers_emails_and_tokens() -> None:
    text = redact(
        "gọi 0912345678 hoặc +84912345678, CCCD 001203004567, a.b@xa.gov.vn, "
        "token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    )
    assert text == "gọi <phone> hoặc <phone>, CCCD <id-number>, <email>, token <token>"


def test_json_logs_are_one_object_per_line_and_masked() -> None:
    record = logging.LogRecord(
        "dccs", logging.INFO, __file__, 1, "người gửi %s", ("0912345678",), None
    )
    RedactingFilter().filter(record)
    line = JsonFormatter().format(record)
    assert '"message": "người gửi <phone>"' in line and "0912345678" not in line


def test_a_newline_in_a_logged_value_cannot_forge_a_log_line() -> None:
    payload = "staff:x\n2026-11-25 09:00:00 INFO dccs: admin granted\r\x1b[2J"
    record = logging.LogRecord(
        "dccs",
        logging.WARNING,
        __file__,
        1,
        "offered payload without a handler: %s",
        (payload,),
        None,
    )
    RedactingFilter().filter(record)
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert line.count("\n") == 0 and "\r" not in line and "\x1b" not in line
    assert line.endswith("staff:x\\n2026-11-25 09:00:00 INFO dccs: admin granted\\r\\x1b[2J")


async def test_retention_deletes_old_handled_updates_and_pushes(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    async with sessions() as session, session.begin():
        item = inbox.add(session, "web", "old", "c", {"text": "x"}, clock.now())
        await session.flush()
        assert item.id is not None
        await inbox.complete(session, item.id, [], clock.now())
        web_sessions.create(session, "idle", clock.now())
        await outbox.enqueue(session, "web", "c", {"text": "a"}, clock.now())
    clock.advance(timedelta(days=91))
    async with sessions() as session, session.begin():
        inbox.add(session, "web", "new", "c", {"text": "y"}, clock.now())
        web_sessions.create(session, "fresh", clock.now())
        await session.flush()
        web_sessions.push(session, "fresh", {"text": "z"}, clock.now())
    await Retention(sessions, clock, timedelta(days=90)).purge()
    async with sessions() as session:
        keys = (await session.exec(select(InboxItem.update_key))).all()
        web = (await session.exec(select(WebSession.token_hash))).all()
        pending = (await session.exec(select(func.count()).select_from(Outbox))).one()
        pushes = (await session.exec(select(func.count()).select_from(WebPush))).one()
    assert keys == ["new"] and web == ["fresh"]
    # A push not yet sent is never thrown away, however old.
    assert pending == 1 and pushes == 1


def dccs(args: list[str], env: dict[str, str], ok: bool = True) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode == 0) is ok, result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("target", BACKENDS)
def test_a_backup_restores_into_an_empty_folder_with_everything_in_it(
    cli_env: dict[str, str], tmp_path: Path, target: str, migrated_urls: dict[str, str]
) -> None:
    source = dict(cli_env)
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,kind,parent,aliases\n99,Tỉnh mẫu,tinh,,\n99001,Xã Minh Hòa,xa,99,Xã Minh Hưng\n",
        encoding="utf-8",
    )
    dccs(["units", "import", str(units)], source)
    dccs(["users", "invite", "--role", "admin", "--unit", "99"], source)
    files = Path(source["DCCS_DATA_DIR"]) / "files"
    files.mkdir(parents=True)
    (files / "anh-don.jpg").write_bytes(b"\xff\xd8 photo")
    archive = tmp_path / "sao-luu.tar.gz"
    assert "Đã sao lưu" in dccs(["db", "backup", str(archive)], source)

    restored = dict(cli_env)
    restored["DCCS_DATA_DIR"] = str(tmp_path / "restored")
    if target == "postgresql":
        # Into the PostgreSQL test database, emptied first and rebuilt afterwards.
        restored["DCCS_DATABASE_URL"] = migrated_urls["postgresql"]
        command.downgrade(alembic_config(migrated_urls["postgresql"]), "base")
    try:
        assert "Đã khôi phục" in dccs(["db", "restore", str(archive)], restored)
        assert (tmp_path / "restored" / "files" / "anh-don.jpg").read_bytes() == b"\xff\xd8 photo"
        exported = dccs(["units", "export"], restored)
        assert "Xã Minh Hòa" in exported and "Xã Minh Hưng" in exported
        assert "kn-thoi-hieu" in dccs(["ask", "thoi hieu khieu nai", "--json"], restored)
        # Ids continue after the restored ones: a new unit can be added.
        more = tmp_path / "more.yaml"
        more.write_text("- {name: Phường An Lạc, kind: phuong, parent: '99'}\n", encoding="utf-8")
        assert "Thêm mới: 1" in dccs(["units", "import", str(more)], restored)
        # Restoring again over data is refused and changes nothing.
        assert "đã có dữ liệu" in dccs(["db", "restore", str(archive)], restored, ok=False)
    finally:
        if target == "postgresql":
            command.downgrade(alembic_config(migrated_urls["postgresql"]), "base")
            upgrade(migrated_urls["postgresql"])
