"""`dccs`: the command line of the product (serve, chat, ask, db, kb, clock)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from aiohttp import web

from bot.channels.console import run_console
from bot.demo import demo_settings
from bot.runtime import Runtime, prepare_database, start_runtime
from bot.server import create_app
from bot.settings import Settings
from handlers.faq import understand
from handlers.knowledge_base import import_entries
from knowledge.entries import ContentError, load_entries

app = typer.Typer(help="Trợ lý dân chủ cơ sở", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Cơ sở dữ liệu", no_args_is_help=True)
kb_app = typer.Typer(help="Kho tri thức (câu hỏi thường gặp)", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(kb_app, name="kb")

log = logging.getLogger("dccs")


def _settings() -> Settings:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return settings


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Chạy với xã mẫu để dùng thử.")] = False,
    no_clock: Annotated[
        bool, typer.Option("--no-clock", help="Không chạy bộ hẹn giờ trong tiến trình này.")
    ] = False,
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe.")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng lắng nghe.")] = None,
) -> None:
    """Chạy trang trò chuyện (và các kênh đã cấu hình)."""
    settings = _settings()
    if demo:
        settings = demo_settings(settings)
    prepare_database(settings)
    host = host or settings.http_host
    port = port or settings.http_port
    log.info("serving on http://%s:%d", host, port)
    web.run_app(
        create_app(settings, run_clock=not no_clock),
        host=host,
        port=port,
        print=None,
        access_log=None,
    )


@app.command()
def clock(
    once: Annotated[bool, typer.Option(help="Chạy một lượt rồi thoát.")] = False,
) -> None:
    """Bộ hẹn giờ: gửi tin đang chờ, xử lý lại tin nhắn bị dở dang (chạy riêng tiến trình)."""
    settings = _settings()
    prepare_database(settings)

    async def main() -> None:
        runtime = await start_runtime(settings)
        try:
            if once:
                report = await runtime.ticker.tick()
                typer.echo(
                    f"Đã xử lý lại {report.replayed} tin nhắn, gửi {report.sent} tin chờ gửi."
                )
                return
            runtime.ticker.start()
            await asyncio.Event().wait()
        finally:
            await runtime.close()

    asyncio.run(main())


@app.command()
def chat() -> None:
    """Trò chuyện với Trợ lý ngay trên dòng lệnh."""
    settings = _settings()
    prepare_database(settings)

    async def main() -> None:
        runtime = await start_runtime(settings)
        try:
            await run_console(runtime.assistant)
        finally:
            await runtime.close()

    asyncio.run(main())


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi, hoặc - để đọc mỗi dòng một câu.")],
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Hỏi Trợ lý một câu (hoặc nhiều câu từ đầu vào chuẩn) và in câu trả lời."""
    settings = _settings()
    prepare_database(settings)
    questions = sys.stdin if question == "-" else [question]

    async def main() -> None:
        runtime: Runtime = await start_runtime(settings)
        try:
            async with runtime.sessions() as session:
                index = await runtime.knowledge.index(session)
            for line in questions:
                text = line.rstrip("\n")
                if question == "-" and not text.strip():
                    continue
                result = understand(index, text, settings.unit_name)
                if as_json:
                    typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
                else:
                    typer.echo("\n\n".join(reply.text for reply in result.replies))
        finally:
            await runtime.close()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Cập nhật cấu trúc cơ sở dữ liệu lên phiên bản mới nhất."""
    prepare_database(_settings())
    typer.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất.")


@kb_app.command("import")
def kb_import(
    path: Annotated[
        Path | None, typer.Option(help="Thư mục chứa tệp YAML (mặc định: kho có sẵn).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Ghi đè cả những mục quản trị viên đã sửa.")] = False,
) -> None:
    """Nạp các mục từ tệp YAML vào kho tri thức."""
    settings = _settings()
    try:
        entries = load_entries(sorted(path.glob("*.yaml")) if path else None)
    except ContentError as exc:
        typer.echo(f"Lỗi nội dung: {exc}", err=True)
        raise typer.Exit(1) from exc
    prepare_database(settings)

    async def main() -> None:
        runtime = await start_runtime(settings, seed=False)
        try:
            async with runtime.sessions() as session, session.begin():
                report = await import_entries(session, entries, runtime.clock.now(), force=force)
            typer.echo(report.summary())
        finally:
            await runtime.close()

    asyncio.run(main())


def main() -> None:
    app()
