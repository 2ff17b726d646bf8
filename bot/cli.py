"""`dccs`: the command line of the product (serve, chat, ask, db, kb, clock).

Each command imports what it uses when it runs: `dccs --help` and a start-up should not load
the database layer, the channels, spreadsheets and the search index for nothing (issue 19:
`--help` under 0.5 s; bench/startup_bench.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.settings import Settings

# Plain help, no Rich: rendering it with Rich costs more than everything else `--help` does.
app = typer.Typer(
    help="Trợ lý dân chủ cơ sở",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(rich_markup_mode=None, help="Cơ sở dữ liệu", no_args_is_help=True)
kb_app = typer.Typer(
    rich_markup_mode=None, help="Kho tri thức (câu hỏi thường gặp)", no_args_is_help=True
)
units_app = typer.Typer(
    rich_markup_mode=None, help="Đơn vị hành chính, cơ quan", no_args_is_help=True
)
users_app = typer.Typer(rich_markup_mode=None, help="Người dùng và vai trò", no_args_is_help=True)
calendar_app = typer.Typer(rich_markup_mode=None, help="Lịch tiếp công dân", no_args_is_help=True)
deadlines_app = typer.Typer(
    rich_markup_mode=None, help="Hạn báo cáo, nhiệm vụ của cán bộ", no_args_is_help=True
)
petitions_app = typer.Typer(rich_markup_mode=None, help="Đơn thư", no_args_is_help=True)
inbox_app = typer.Typer(
    rich_markup_mode=None, help="Tin nhắn đến bị lỗi, đã tạm gác lại", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(kb_app, name="kb")
app.add_typer(units_app, name="units")
app.add_typer(users_app, name="users")
app.add_typer(calendar_app, name="calendar")
app.add_typer(deadlines_app, name="deadlines")
app.add_typer(petitions_app, name="petitions")
app.add_typer(inbox_app, name="inbox")

REHEARSAL_REFUSED = (
    "Lỗi: cơ sở dữ liệu này đã có người dùng. Chạy với --now mà không có --dry-run sẽ gửi tin "
    "thật cho họ (nhắc lịch tiếp, nhắc hạn, bản tin tuần) trước thời điểm. Thêm --dry-run để "
    "chỉ xem trước những gì sẽ gửi."
)


def _settings() -> Settings:
    from pydantic import ValidationError

    from bot.logs import configure_logging
    from bot.settings import Settings
    from knowledge.entries import problem

    try:
        settings = Settings()
    except ValidationError as exc:
        # A mistyped variable is the operator's to fix: say which, in Vietnamese, no traceback.
        for err in exc.errors():
            name = "DCCS_" + "_".join(str(p) for p in err["loc"]).upper()
            typer.echo(f"Lỗi cấu hình: {name}: {problem(err)}.", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level, settings.log_format)
    return settings


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Chạy với xã mẫu để dùng thử.")] = False,
    demo_unit: Annotated[
        str | None,
        typer.Option(
            "--demo-unit",
            help='Chạy thử trên một xã, phường thật của danh mục 2025, ví dụ "Xã Đồng Phú".',
        ),
    ] = None,
    no_clock: Annotated[
        bool, typer.Option("--no-clock", help="Không chạy bộ hẹn giờ trong tiến trình này.")
    ] = False,
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe.")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng lắng nghe.")] = None,
) -> None:
    """Chạy trang trò chuyện (và các kênh đã cấu hình)."""
    import asyncio

    from bot import server
    from bot.demo import demo_settings
    from bot.runtime import prepare_database
    from handlers.units import registry as unit_registry

    settings = _settings()
    demo = demo or demo_unit is not None
    if demo:
        try:
            settings = demo_settings(settings, demo_unit)
        except unit_registry.UnitImportError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(2) from exc
    prepare_database(settings)
    host = host or settings.http_host
    port = port or settings.http_port
    typer.echo(f"Trợ lý đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng).")
    app = server.create_app(settings, run_clock=not no_clock, demo=demo, demo_unit=demo_unit)
    asyncio.run(server.serve(app, host, port, settings.web_max_connections))


@app.command()
def clock(
    once: Annotated[bool, typer.Option(help="Chạy một lượt rồi thoát.")] = False,
    now: Annotated[
        str | None,
        typer.Option(
            help='Chạy như thể đang là lúc này, "DD/MM/YYYY HH:MM" (không có --once: bắt đầu '
            "từ lúc này rồi chạy tiếp theo giờ thật)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ in ra những nhắc việc sẽ gửi, không gửi.")
    ] = False,
) -> None:
    """Bộ hẹn giờ: nhắc hạn, gửi tin đang chờ, xử lý lại tin nhắn dở dang (tiến trình riêng)."""
    import asyncio

    from bot.runtime import prepare_database, start_runtime
    from db import people
    from handlers.clock import VN_TZ, Clock, FixedClock, StartedClock

    settings = _settings()
    prepare_database(settings)
    chosen: Clock | None = None
    if now is not None:
        try:
            start = datetime.strptime(now, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)
        except ValueError:
            typer.echo('Lỗi: --now phải có dạng "DD/MM/YYYY HH:MM".', err=True)
            raise typer.Exit(2) from None
        chosen = FixedClock(start) if once else StartedClock(start)
    if dry_run and not once:
        typer.echo("Lỗi: --dry-run chỉ dùng cùng --once.", err=True)
        raise typer.Exit(2)

    async def main() -> None:
        runtime = await start_runtime(settings, chosen)
        try:
            if chosen is not None and not dry_run:
                async with runtime.sessions() as session:
                    if await people.anyone(session):
                        # A rehearsal on a live database would send real people their booking
                        # reminders early and use up the real digests and lead reminders.
                        typer.echo(REHEARSAL_REFUSED, err=True)
                        raise typer.Exit(2)
            if dry_run:
                await _print_plan(runtime)
                return
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


async def _print_plan(runtime: Runtime) -> None:
    from handlers import access
    from handlers.deadlines import reminders as deadline_reminders
    from handlers.working_days import working_calendar

    async with runtime.sessions() as session:
        planned = await deadline_reminders.plan_reminders(
            session, runtime.clock.now(), working_calendar(), dry_run=True
        )
        for item in planned:
            who = await access.person_label(session, item.person_id)
            kind = "báo quá hạn" if item.lead == "esc" else f"nhắc trước {item.lead} ngày"
            typer.echo(
                f"{item.at:%d/%m/%Y %H:%M} {kind}: {item.deadline.title} (hạn {item.due:%d/%m/%Y})"
                f" -> {who} qua {item.channel}"
            )
    typer.echo(f"Sẽ gửi {len(planned)} nhắc việc (chưa trừ những nhắc đã gửi trước đó).")


@app.command()
def chat() -> None:
    """Trò chuyện với Trợ lý ngay trên dòng lệnh."""
    import asyncio

    from bot.channels.console import run_console
    from bot.runtime import prepare_database, start_runtime

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
    import asyncio

    from bot.runtime import prepare_database, start_runtime
    from handlers.faq.answers import understand

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


@app.command()
def snippet(
    url: Annotated[
        str, typer.Argument(help="Địa chỉ công khai của trang trò chuyện (https://…/).")
    ],
) -> None:
    """In đoạn HTML để dán vào trang thông tin điện tử của xã: nút mở Trợ lý ở thẻ mới."""
    from bot.channels.web import website_snippet

    try:
        typer.echo(website_snippet(url))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Cập nhật cấu trúc cơ sở dữ liệu lên phiên bản mới nhất."""
    from bot.runtime import prepare_database

    prepare_database(_settings())
    typer.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất.")


@db_app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(help="Tệp .tar.gz sẽ tạo.")]) -> None:
    """Sao lưu toàn bộ cơ sở dữ liệu và các tệp đã lưu vào một tệp."""
    import asyncio

    from bot.runtime import prepare_database
    from db import backup
    from db.engine import create_engine

    settings = _settings()
    prepare_database(settings)

    async def main() -> dict[str, list[dict[str, object]]]:
        engine = create_engine(settings.database())
        try:
            return await backup.dump(engine)
        finally:
            await engine.dispose()

    rows = backup.write_archive(path, asyncio.run(main()), settings.data_dir / "files")
    typer.echo(f"Đã sao lưu {rows} bản ghi vào {path}.")


@db_app.command("restore")
def db_restore(path: Annotated[Path, typer.Argument(help="Tệp sao lưu .tar.gz.")]) -> None:
    """Khôi phục từ tệp sao lưu vào một cơ sở dữ liệu trống."""
    import asyncio

    from bot.runtime import prepare_database
    from db import backup
    from db.engine import create_engine

    settings = _settings()
    prepare_database(settings)
    try:
        tables = backup.read_archive(path, settings.data_dir / "files")
    except (OSError, ValueError, backup.RestoreError) as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc

    async def main() -> int:
        engine = create_engine(settings.database())
        try:
            return await backup.restore(engine, tables)
        finally:
            await engine.dispose()

    try:
        restored = asyncio.run(main())
    except backup.RestoreError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Đã khôi phục {restored} bản ghi.")


@kb_app.command("import")
def kb_import(
    file: Annotated[
        Path | None, typer.Argument(help="Tệp YAML, JSON hoặc XLSX do quản trị viên sửa.")
    ] = None,
    path: Annotated[
        Path | None, typer.Option(help="Thư mục tệp YAML nguồn (mặc định: kho có sẵn).")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Khi nạp từ các tệp nguồn: ghi đè cả mục quản trị viên đã sửa.")
    ] = False,
) -> None:
    """Nạp các mục vào kho: từ một tệp quản trị viên sửa, hoặc từ các tệp YAML nguồn.

    Tệp có lỗi thì báo từng dòng, từng cột và không thay đổi gì; tệp đúng được nạp trọn vẹn.
    """
    from bot import import_files
    from handlers.faq.knowledge import import_entries
    from handlers.kb import files as kb_files
    from knowledge.entries import ContentError, load_entries

    source = file or path or Path("knowledge/content")
    with import_files.reported(source, ContentError, kb_files.KbFileError):
        if file is not None:
            raw = import_files.read_bytes(file)
            entries = kb_files.parse(raw, kb_files.format_of(file.name), str(file))
        else:
            entries = load_entries(sorted(path.glob("*.yaml")) if path else None)

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            report = await import_entries(
                session,
                entries,
                runtime.clock.now(),
                force=force,
                actor="cli",
                by_admin=file is not None,
            )
        typer.echo(report.summary())

    # Importing the seed files into an empty database should not seed it twice.
    _with_runtime(_settings(), work, seed=file is not None)


@kb_app.command("export")
def kb_export(
    file: Annotated[str, typer.Argument(help="Tệp đích, hoặc - để in ra màn hình.")] = "-",
    fmt: Annotated[
        str | None, typer.Option("--format", help="yaml, json hoặc xlsx (theo đuôi tệp).")
    ] = None,
) -> None:
    """Xuất toàn bộ kho câu hỏi (kể cả mục đã ẩn) kèm căn cứ và trạng thái."""
    from db import kb as kb_rows
    from handlers.faq.knowledge import entry_from_row
    from handlers.kb import files as kb_files

    chosen = fmt or kb_files.format_of(file)
    if chosen not in kb_files.FORMATS:
        typer.echo("Định dạng phải là yaml, json hoặc xlsx.", err=True)
        raise typer.Exit(2)
    if chosen == "xlsx" and file == "-":
        typer.echo("Tệp Excel cần một tên tệp đích.", err=True)
        raise typer.Exit(2)
    exported: list[bytes] = []

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            rows = await kb_rows.all_rows(session)
        exported.append(kb_files.export([entry_from_row(row) for row in rows], chosen))

    _with_runtime(_settings(), work)
    if file == "-":
        sys.stdout.buffer.write(exported[0])
        sys.stdout.flush()
    else:
        Path(file).write_bytes(exported[0])


@kb_app.command("revert")
def kb_revert(
    entry_id: Annotated[str, typer.Argument(help="Mã mục (id).")],
    revision: Annotated[
        int | None, typer.Option(help="Số phiên bản (mặc định: lần sửa gần nhất).")
    ] = None,
) -> None:
    """Đưa một mục về bản trước lần sửa gần nhất (hoặc trước một phiên bản chỉ định)."""
    from handlers.kb import curation as kb_admin

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            await kb_admin.revert(session, entry_id, "cli", runtime.clock.now(), revision)
        typer.echo(f"Đã hoàn tác mục {entry_id}.")

    try:
        _with_runtime(_settings(), work)
    except kb_admin.EditError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc


@kb_app.command("history")
def kb_history(entry_id: Annotated[str, typer.Argument(help="Mã mục (id).")]) -> None:
    """Các lần thay đổi một mục: số phiên bản, lúc nào, ai, việc gì."""
    from handlers.clock import format_datetime
    from handlers.kb import curation as kb_admin

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            for item in await kb_admin.revisions(session, entry_id):
                when = format_datetime(item.at)
                typer.echo(f"{item.id}\t{when}\t{item.actor}\t{item.action}")

    _with_runtime(_settings(), work)


@kb_app.command("stale")
def kb_stale() -> None:
    """Các mục đã đến hạn rà soát (review_after) cần kiểm tra lại với văn bản mới."""
    from db import kb as kb_rows

    async def work(runtime: Runtime) -> None:
        today = runtime.clock.now().date()
        async with runtime.sessions() as session:
            rows = await kb_rows.all_rows(session)
        due = [r for r in rows if r.review_after is not None and r.review_after <= today]
        for row in due:
            typer.echo(f"{row.id}\t{row.review_after:%d/%m/%Y}\t{row.topic}")
        typer.echo(f"{len(due)} mục cần rà soát.")

    _with_runtime(_settings(), work)


@kb_app.command("gaps")
def kb_gaps(
    limit: Annotated[int, typer.Option(help="Số câu tối đa.")] = 20,
    dismiss: Annotated[
        list[int] | None,
        typer.Option(help="Bỏ câu có số này khỏi danh sách (lặp lại được)."),
    ] = None,
) -> None:
    """Những câu người dân hỏi mà Trợ lý chưa trả lời được, nhiều lần nhất trước (số, số lần,
    câu hỏi đã che số điện thoại, số giấy tờ, tên)."""
    from handlers import texts
    from handlers.kb import curation as kb_admin

    async def work(runtime: Runtime) -> None:
        if dismiss:
            async with runtime.sessions() as session, session.begin():
                for gap_id in dismiss:
                    done = await kb_admin.dismiss_unanswered(
                        session, gap_id, "cli", runtime.clock.now()
                    )
                    typer.echo(
                        f"Đã bỏ câu số {gap_id} khỏi danh sách."
                        if done
                        else f"Không có câu số {gap_id} trong danh sách."
                    )
            return
        async with runtime.sessions() as session:
            gaps = await kb_admin.top_unanswered(session, limit)
        for gap in gaps:
            typer.echo(f"{gap.id}\t{gap.count} lần\t{kb_admin.gap_text(gap)}")
        if not gaps:
            typer.echo(texts.KB_NO_GAPS)

    _with_runtime(_settings(), work)


def _with_runtime(
    settings: Settings, work: Callable[[Runtime], Awaitable[None]], *, seed: bool = True
) -> None:
    """Run one piece of async work against a started runtime, closing it afterwards."""
    import asyncio

    from bot.runtime import prepare_database, start_runtime

    prepare_database(settings)

    async def main() -> None:
        runtime = await start_runtime(settings, seed=seed)
        try:
            await work(runtime)
        finally:
            await runtime.close()

    asyncio.run(main())


def _format_of(path: str, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.lower().endswith(".csv") else "yaml"


@units_app.command("import")
def units_import(
    path: Annotated[Path, typer.Argument(help="Tệp YAML hoặc CSV.")],
    fmt: Annotated[str | None, typer.Option("--format", help="yaml hoặc csv")] = None,
) -> None:
    """Nạp danh sách đơn vị; lỗi ở dòng nào thì không thay đổi gì."""
    from bot import import_files
    from handlers.units import registry as unit_registry

    with import_files.reported(path, unit_registry.UnitImportError):
        specs = unit_registry.parse(
            import_files.text_of(path), _format_of(str(path), fmt), str(path)
        )

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            report = await unit_registry.apply(session, specs, runtime.clock.now(), actor="cli")
        typer.echo(report.summary())

    with import_files.reported(path, unit_registry.UnitImportError):
        _with_runtime(_settings(), work)


@units_app.command("load")
def units_load(
    province: Annotated[str, typer.Option(help='Tỉnh, thành phố (tên hoặc mã), ví dụ "Đồng Nai".')],
    commune: Annotated[
        list[str] | None,
        typer.Option(help="Xã, phường cần nạp (tên hoặc mã; lặp lại được). Bỏ trống: nạp tất cả."),
    ] = None,
) -> None:
    """Nạp tỉnh và các xã, phường từ danh mục đơn vị hành chính 2025 (mã chính thức, tên cũ trước
    sáp nhập làm tên gọi khác); chạy lại chỉ cập nhật, không tạo trùng."""
    from handlers.units import registry as unit_registry

    try:
        specs = unit_registry.official_specs(province, commune)
    except unit_registry.UnitImportError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            report = await unit_registry.load(session, specs, runtime.clock.now(), actor="cli")
        typer.echo(report.summary())

    _with_runtime(_settings(), work)


@units_app.command("build-data")
def units_build_data(
    wheel: Annotated[Path, typer.Argument(help="Tệp .whl của gói vietnamadminunits.")],
) -> None:
    """Dành cho người bảo trì: tạo lại tệp danh mục 2025 từ gói vietnamadminunits."""
    from handlers.units import build_data as admin_units_build
    from handlers.units import reference as admin_units

    try:
        count = admin_units_build.write(wheel)
    except (admin_units_build.BuildError, OSError, KeyError) as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Đã ghi {count} xã, phường vào {admin_units.DATA_PATH}.")


@units_app.command("export")
def units_export(
    path: Annotated[str, typer.Argument(help="Tệp đích, hoặc - để in ra màn hình.")] = "-",
    fmt: Annotated[str | None, typer.Option("--format", help="yaml hoặc csv")] = None,
) -> None:
    """Xuất danh sách đơn vị ra YAML hoặc CSV."""
    from handlers.units import registry as unit_registry

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            exported.append(await unit_registry.export(session, _format_of(path, fmt)))

    exported: list[str] = []
    _with_runtime(_settings(), work)
    _print_or_write(path, exported[0])


@users_app.command("invite")
def users_invite(
    role: Annotated[str, typer.Option(help="official hoặc admin")],
    unit: Annotated[str, typer.Option(help="Mã hoặc tên đơn vị.")],
    name: Annotated[
        str | None,
        typer.Option(help='Họ tên cán bộ, hiện trên trang làm việc, ví dụ "Trần Thị B".'),
    ] = None,
) -> None:
    """Tạo mã mời dùng một lần (hiệu lực 72 giờ) để nhận vai trò cán bộ hoặc quản trị."""
    from db import people
    from handlers import access

    if role not in access.ROLES:
        typer.echo("Vai trò phải là official hoặc admin.", err=True)
        raise typer.Exit(2)
    clean = access.clean_name(name) if name is not None else None
    if name is not None and clean is None:
        typer.echo("Họ tên phải có từ 2 đến 200 ký tự.", err=True)
        raise typer.Exit(2)

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            found = await people.unit_by_code_or_name(session, unit)
            if found is None:
                typer.echo(f'Không tìm thấy đơn vị "{unit}".', err=True)
                raise typer.Exit(1)
            code = await access.issue(
                session,
                purpose=access.INVITE,
                now=runtime.clock.now(),
                actor="cli",
                role=role,
                unit_id=found.id,
                name=clean,
            )
        typer.echo(f"Mã mời: {code}")
        typer.echo("Người được mời gửi mã này cho Trợ lý trong tin nhắn riêng (hoặc /start MÃ).")

    _with_runtime(_settings(), work)


@users_app.command("list")
def users_list() -> None:
    """Liệt kê các vai trò đã cấp."""
    from db import people

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            for grant, person, unit in await people.all_grants(session):
                state = "đã thu hồi" if grant.revoked_at else "đang hiệu lực"
                leader = "\tlãnh đạo" if grant.leader else ""
                typer.echo(
                    f"{grant.id}\t{person.id}\t{person.display_name or '—'}"
                    f"\t{grant.role}\t{unit.name}\t{state}{leader}"
                )

    _with_runtime(_settings(), work)


@users_app.command("login-link")
def users_login_link(
    person_id: Annotated[int, typer.Argument(help="Số tài khoản (cột thứ hai của users list).")],
) -> None:
    """In đường dẫn đăng nhập trang làm việc dùng một lần (hết hạn sau 10 phút) cho một cán bộ."""
    from handlers import texts
    from handlers.desk import login as desk_login

    settings = _settings()
    if not settings.public_url:
        typer.echo(texts.DESK_NO_URL, err=True)
        raise typer.Exit(2)
    public_url = settings.public_url

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            url = await desk_login.issue_link(
                session, person_id, runtime.clock.now(), "cli", "cli", public_url
            )
        if url is None:
            typer.echo("Tài khoản này không có vai trò cán bộ hoặc quản trị.", err=True)
            raise typer.Exit(1)
        typer.echo(url)

    _with_runtime(settings, work)


@users_app.command("rename")
def users_rename(
    person_id: Annotated[int, typer.Argument(help="Số tài khoản (cột thứ hai của users list).")],
    name: Annotated[str, typer.Argument(help='Họ tên, ví dụ "Trần Thị B".')],
) -> None:
    """Đặt họ tên của một cán bộ (hiện trên trang làm việc và lịch sử đơn)."""
    from handlers import access

    clean = access.clean_name(name)
    if clean is None:
        typer.echo("Họ tên phải có từ 2 đến 200 ký tự.", err=True)
        raise typer.Exit(2)

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await access.rename(session, person_id, clean, runtime.clock.now(), "cli")
        if not done:
            typer.echo("Không có tài khoản với số này.", err=True)
            raise typer.Exit(1)
        typer.echo(f"Đã đặt tên: {clean}.")

    _with_runtime(_settings(), work)


@users_app.command("revoke")
def users_revoke(
    grant_id: Annotated[int, typer.Argument(help="Số thứ tự trong users list.")],
) -> None:
    """Thu hồi một vai trò."""
    from handlers import access

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await access.revoke(session, grant_id, runtime.clock.now(), actor="cli")
        if not done:
            typer.echo("Không có vai trò đang hiệu lực với số này.", err=True)
            raise typer.Exit(1)
        typer.echo("Đã thu hồi vai trò.")

    _with_runtime(_settings(), work)


@users_app.command("leader")
def users_leader(
    grant_id: Annotated[int, typer.Argument(help="Số thứ tự trong users list.")],
    off: Annotated[bool, typer.Option("--off", help="Bỏ đánh dấu lãnh đạo.")] = False,
) -> None:
    """Đánh dấu vai trò là Chủ tịch hoặc Phó Chủ tịch UBND của đơn vị: người này không bao giờ
    xem, nhận hoặc giao đơn tố cáo nêu tên lãnh đạo đơn vị."""
    from handlers.petitions.routing import flag_leader

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await flag_leader(session, grant_id, not off, runtime.clock.now(), actor="cli")
        if not done:
            typer.echo("Không có vai trò đang hiệu lực với số này.", err=True)
            raise typer.Exit(1)
        typer.echo("Đã bỏ đánh dấu lãnh đạo." if off else "Đã đánh dấu lãnh đạo đơn vị.")

    _with_runtime(_settings(), work)


@inbox_app.command("failed")
def inbox_failed() -> None:
    """Liệt kê tin nhắn đã thử xử lý nhiều lần đều lỗi (số, kênh, lúc nhận, số lần, lỗi)."""
    from db import inbox
    from handlers.clock import format_datetime

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            items = await inbox.failed(session)
        for item in items:
            typer.echo(
                f"{item.id}\t{item.channel}\t{format_datetime(item.created_at)}"
                f"\t{item.attempts} lần\t{item.error or ''}"
            )
        if not items:
            typer.echo("Không có tin nhắn nào bị gác lại.")

    _with_runtime(_settings(), work, seed=False)


@inbox_app.command("show")
def inbox_show(item_id: Annotated[int, typer.Argument(help="Số trong inbox failed.")]) -> None:
    """In nội dung tin nhắn bị gác lại (có thể chứa thông tin cá nhân: chỉ xem khi cần)."""
    from db import inbox
    from db.models import InboxItem

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            item = await session.get(InboxItem, item_id)
        if item is None or item.status != inbox.FAILED:
            typer.echo("Không có tin nhắn bị gác lại với số này.", err=True)
            raise typer.Exit(1)
        typer.echo(json.dumps(item.payload, ensure_ascii=False, indent=2))

    _with_runtime(_settings(), work, seed=False)


@inbox_app.command("retry")
def inbox_retry(item_id: Annotated[int, typer.Argument(help="Số trong inbox failed.")]) -> None:
    """Đưa tin nhắn bị gác lại vào hàng đợi để xử lý lại (sau khi đã sửa lỗi)."""
    from db import inbox

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await inbox.retry(session, item_id)
        if not done:
            typer.echo("Không có tin nhắn bị gác lại với số này.", err=True)
            raise typer.Exit(1)
        typer.echo("Đã đưa tin nhắn vào hàng đợi; bộ hẹn giờ sẽ xử lý ở lượt sau.")

    _with_runtime(_settings(), work, seed=False)


def main() -> None:
    """`dccs`: a mistyped command is told in Vietnamese, like every other message for people."""
    click_errors = _click_errors()
    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        typer.echo(exc.format_message())
        raise SystemExit(0) from None
    except click_errors.UsageError as exc:
        typer.echo(usage_error(exc), err=True)
        raise SystemExit(exc.exit_code) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _click_errors() -> Any:
    # Typer (from 0.29, as pyproject requires) carries its own copy of Click.
    from typer._click import exceptions

    return exceptions


def usage_error(exc: Any) -> str:
    """Click's English usage errors, said in Vietnamese with the way to the help."""
    click_errors = _click_errors()
    command = exc.ctx.command_path if exc.ctx is not None else "dccs"
    param = getattr(exc, "param", None)
    name = (param.opts[0] if param.opts else param.name) if param is not None else ""
    if isinstance(exc, click_errors.NoSuchOption):
        said = f"Không có tuỳ chọn {exc.option_name}."
    elif isinstance(exc, click_errors.MissingParameter):
        what = "tuỳ chọn" if name.startswith("-") else "giá trị"
        said = f"Thiếu {what} {name.upper() if what == 'giá trị' else name}."
    elif isinstance(exc, click_errors.BadParameter):
        wanted = " Cần một số nguyên." if "integer" in exc.message else ""
        said = f"Giá trị không hợp lệ cho {name.upper()}.{wanted}"
    elif exc.message.startswith("No such command"):
        said = f"Không có lệnh {exc.message.split(' ', 3)[-1].rstrip('.')}."
    else:
        said = f"Lệnh chưa đúng: {exc.message}"
    return f"Lỗi: {said}\nGõ '{command} --help' để xem cách dùng."


def _print_or_write(path: str, text: str) -> None:
    """An export to standard output ("-") or to a file."""
    if path == "-":
        typer.echo(text, nl=False)
    else:
        Path(path).write_text(text, encoding="utf-8")


@calendar_app.command("import")
def calendar_import(
    path: Annotated[Path, typer.Argument(help="Tệp YAML hoặc XLSX (trang schedules, sessions).")],
) -> None:
    """Thêm lịch tiếp định kỳ và các buổi tiếp; lỗi ở dòng nào thì không thay đổi gì."""
    from bot import import_files
    from handlers.file_problems import FileProblem
    from handlers.reception import schedule as reception_calendar

    with import_files.reported(path):
        loaded = import_files.load(path)
        if not isinstance(loaded, dict):
            raise FileProblem(
                f"Tệp {path} phải có danh sách 'schedules' (lịch định kỳ) hoặc 'sessions' "
                "(buổi tiếp), không phải một danh sách trần."
            )
        data = {
            name: import_files.table(loaded, path, name, required=False)[0]
            for name in ("schedules", "sessions")
        }

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            report = await reception_calendar.import_calendar(session, data, runtime.clock.now())
        added = await reception_calendar.generate_sessions(runtime.sessions, runtime.clock)
        for warning in report.warnings:
            typer.echo(f"Cảnh báo: {warning}")
        typer.echo(
            f"Đã thêm {report.schedules} lịch định kỳ, {report.sessions} buổi tiếp; "
            f"{added} buổi được tạo từ lịch định kỳ."
        )

    with import_files.reported(path, reception_calendar.CalendarError):
        _with_runtime(_settings(), work)


@calendar_app.command("move")
def calendar_move(
    session_id: Annotated[int, typer.Argument(help="Số hiệu buổi tiếp.")],
    to: Annotated[str, typer.Option("--to", help='Thời gian mới, "DD/MM/YYYY HH:MM".')],
) -> None:
    """Dời một buổi tiếp; người đã đặt lịch được báo tin trên kênh của họ."""
    from handlers.clock import VN_TZ
    from handlers.reception import schedule as reception_calendar

    try:
        starts = datetime.strptime(to, "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)
    except ValueError:
        typer.echo('Lỗi: --to phải có dạng "DD/MM/YYYY HH:MM".', err=True)
        raise typer.Exit(2) from None

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            told = await reception_calendar.move_session(
                session, session_id, starts, runtime.clock.now()
            )
        typer.echo(f"Đã dời buổi tiếp; {told} người đã đặt lịch được báo tin.")

    try:
        _with_runtime(_settings(), work)
    except reception_calendar.CalendarError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc


@calendar_app.command("export")
def calendar_export(
    path: Annotated[str, typer.Argument(help="Tệp đích, hoặc - để in ra màn hình.")] = "-",
) -> None:
    """Xuất lịch định kỳ và các buổi tiếp sắp tới ra YAML."""
    import yaml

    from handlers.reception import schedule as reception_calendar

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            data = await reception_calendar.export_calendar(session, runtime.clock.now())
        exported.append(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    exported: list[str] = []
    _with_runtime(_settings(), work)
    _print_or_write(path, exported[0])


@calendar_app.command("sheet")
def calendar_sheet(
    session_id: Annotated[int, typer.Argument(help="Số hiệu buổi tiếp.")],
    path: Annotated[Path, typer.Argument(help="Tệp XLSX đích.")],
) -> None:
    """Danh sách người đăng ký một buổi tiếp (XLSX) để cán bộ chuẩn bị."""
    from db import reception as reception_rows
    from db.models import ReceptionSession
    from handlers.reception import staff as reception_staff

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            item = await session.get(ReceptionSession, session_id)
            if item is None:
                typer.echo(f"Không có buổi tiếp số {session_id}.", err=True)
                raise typer.Exit(1)
            bookings = list(await reception_rows.bookings_of_session(session, session_id))
        path.write_bytes(reception_staff.briefing_sheet(item, bookings))
        typer.echo(f"Đã ghi {len(bookings)} người đăng ký vào {path}.")

    _with_runtime(_settings(), work)


@deadlines_app.command("import")
def deadlines_import(
    path: Annotated[Path, typer.Argument(help="Tệp YAML hoặc XLSX (trang deadlines).")],
) -> None:
    """Nạp kế hoạch các hạn (một năm); lỗi ở hạn nào thì không thay đổi gì."""
    from bot import import_files
    from handlers.deadlines import plans as deadline_plans
    from handlers.deadlines import rules as deadline_rules

    with import_files.reported(path):
        rows, _ = import_files.table(
            import_files.load(path), path, "deadlines", bare_list=True, list_columns=("lead_days",)
        )

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await deadline_plans.import_plan(session, rows, runtime.clock.now())
        typer.echo(f"Đã thêm {done.added} hạn, cập nhật {done.updated} hạn đã có.")

    with import_files.reported(path, deadline_rules.DeadlineError):
        _with_runtime(_settings(), work)


def _deadline_work(work: Callable[[Runtime], Awaitable[None]]) -> None:
    from handlers.deadlines import rules as deadline_rules

    try:
        _with_runtime(_settings(), work)
    except deadline_rules.DeadlineError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc


@deadlines_app.command("list")
def deadlines_list() -> None:
    """Các hạn đang nhắc: số, đơn vị, tên, cách lặp, lần hạn gần nhất chưa nộp."""
    from handlers.deadlines import plans as deadline_plans

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            lines = await deadline_plans.listing(session, runtime.clock.now())
        for line in lines:
            typer.echo(line)
        typer.echo(f"Có {len(lines)} hạn.")

    _deadline_work(work)


@deadlines_app.command("show")
def deadlines_show(number: Annotated[int, typer.Argument(help="Số của hạn (xem list).")]) -> None:
    """Chi tiết một hạn: cách lặp, lịch nhắc, các lần chưa nộp và đã nộp."""
    from handlers.deadlines import plans as deadline_plans

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            for line in await deadline_plans.details(session, number, runtime.clock.now()):
                typer.echo(line)

    _deadline_work(work)


@deadlines_app.command("edit")
def deadlines_edit(
    number: Annotated[int, typer.Argument(help="Số của hạn (xem list).")],
    title: Annotated[str | None, typer.Option(help="Tên mới.")] = None,
    basis: Annotated[str | None, typer.Option(help="Căn cứ.")] = None,
    due: Annotated[str | None, typer.Option(help="Hạn một lần DD/MM/YYYY.")] = None,
    recurrence: Annotated[
        str | None, typer.Option(help="Cách lặp: monthly:15, quarterly:3:15, yearly:05/05,…")
    ] = None,
    lead_days: Annotated[
        str | None, typer.Option("--lead-days", help='Nhắc trước bao nhiêu ngày, ví dụ "7,3,1,0".')
    ] = None,
    remind_at: Annotated[str | None, typer.Option("--remind-at", help="Giờ nhắc HH:MM.")] = None,
    escalate_after_days: Annotated[
        int | None, typer.Option("--escalate-after-days", help="Báo cấp trên sau số ngày quá hạn.")
    ] = None,
) -> None:
    """Sửa một hạn; kiểm tra như khi nạp kế hoạch."""
    from handlers.deadlines import plans as deadline_plans
    from knowledge.normalize import ascii_int

    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "title": title,
            "basis": basis,
            "due": due,
            "recurrence": recurrence,
            "remind_at": remind_at,
            "escalate_after_days": escalate_after_days,
        }.items()
        if value is not None
    }
    if lead_days is not None:
        days = [ascii_int(part.strip()) for part in lead_days.split(",")]
        changes["lead_days"] = days if None not in days else lead_days
    if not changes:
        typer.echo("Lỗi: chưa có gì để sửa (xem dccs deadlines edit --help).", err=True)
        raise typer.Exit(2)

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            await deadline_plans.edit(session, number, changes, runtime.clock.now(), "cli")
            lines = await deadline_plans.details(session, number, runtime.clock.now())
        typer.echo("Đã sửa:")
        for line in lines:
            typer.echo(line)

    _deadline_work(work)


@deadlines_app.command("delete")
def deadlines_delete(number: Annotated[int, typer.Argument(help="Số của hạn (xem list).")]) -> None:
    """Thôi nhắc một hạn (các lần đã nộp vẫn được giữ lại)."""
    from handlers.deadlines import plans as deadline_plans

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            gone = await deadline_plans.delete(session, number, runtime.clock.now(), "cli")
        typer.echo(f"Đã thôi nhắc hạn {number}: {gone.title}.")

    _deadline_work(work)


@petitions_app.command("import")
def petitions_import(
    path: Annotated[Path, typer.Argument(help="Tệp YAML hoặc XLSX (trang petitions).")],
) -> None:
    """Vào sổ các đơn nhận bằng giấy, bưu chính, tại bàn tiếp dân hoặc do cơ quan khác chuyển.

    Các cột: so_den (số đến của cơ quan, nên có), kind, unit, source, received (ngày nhận
    DD/MM/YYYY), name, phone, address, summary, accused, second_round, disciplinary. Lỗi ở đâu
    thì báo hết một lượt và không vào sổ đơn nào; nạp lại cùng tệp không tạo đơn trùng."""
    from bot import import_files
    from handlers.petitions import paper as petition_paper
    from handlers.petitions import paper_import

    with import_files.reported(path):
        rows, where = import_files.table(
            import_files.load(path), path, "petitions", bare_list=True, rows_checked_later=True
        )

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            done = await paper_import.import_rows(session, rows, runtime.clock.now(), "cli", where)
        for place, code in done.already:
            typer.echo(f"{place}: đã vào sổ từ lần nạp trước ({code}), bỏ qua.")
        for petition in done.entered:
            due = f"hạn {petition.due_date:%d/%m/%Y}" if petition.due_date else "chưa có hạn"
            typer.echo(f"{petition.code}: {due}")
        typer.echo(f"Đã vào sổ {len(done.entered)} đơn mới; {len(done.already)} đơn đã có.")

    with import_files.reported(path, paper_import.PaperImportError, petition_paper.PetitionError):
        _with_runtime(_settings(), work)


@app.command()
def report(
    date_from: Annotated[str | None, typer.Option("--from", help="Từ ngày DD/MM/YYYY.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Đến ngày DD/MM/YYYY.")] = None,
    period: Annotated[
        str | None,
        # Written out, not read from handlers.reports: --help must not load the reports.
        typer.Option(
            help="Kỳ nhanh: thang-nay, thang-truoc, quy-nay, quy-truoc, 6-thang, 6-thang-truoc, "
            "nam, nam-truoc."
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="Mã hoặc tên đơn vị (gồm đơn vị cấp dưới).")
    ] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Ghi bảng số liệu ra tệp XLSX.")] = None,
    docx: Annotated[Path | None, typer.Option(help="Ghi đoạn văn và bảng ra tệp DOCX.")] = None,
) -> None:
    """Số liệu tiếp công dân, đơn thư cho báo cáo định kỳ, và đoạn văn sẵn để dán."""
    import asyncio

    from db import people
    from handlers import report_files, reports, texts

    settings = _settings()
    try:
        if period is not None:
            chosen = reports.quick_period(
                period, settings.clock().now().date(), settings.report_cutoff_day
            )
        elif date_from and date_to:
            chosen = reports.Period(
                datetime.strptime(date_from, "%d/%m/%Y").date(),
                datetime.strptime(date_to, "%d/%m/%Y").date(),
            )
        else:
            raise ValueError
    except ValueError:
        typer.echo(
            "Lỗi: cần --from và --to dạng DD/MM/YYYY (từ 1 ngày đến 10 năm, trong các năm "
            "2000-2100), hoặc --period hợp lệ.",
            err=True,
        )
        raise typer.Exit(2) from None

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session:
            units = list(await people.units(session))
            found = await reports.find_unit(session, units, unit)
            if found is None or found.id is None:
                listed = "\n".join(
                    f"- {u.name} ({u.code})" if u.code else f"- {u.name}" for u in units
                )
                message = texts.REPORT_NO_UNIT if unit else texts.REPORT_PICK_UNIT
                typer.echo(message.format(unit=unit, units=listed), err=True)
                raise typer.Exit(1)
            built = await reports.build(session, found.id, chosen, runtime.clock.now().date())
        for paragraph in reports.paragraphs(built):
            typer.echo(paragraph)
            typer.echo("")
        if xlsx is not None:
            xlsx.write_bytes(await asyncio.to_thread(report_files.workbook, built))
        if docx is not None:
            docx.write_bytes(await asyncio.to_thread(report_files.document, built))

    _with_runtime(settings, work)
