"""Start-up does only what a command needs: an up-to-date database is not migrated again, and
`dccs --help` loads none of the product (times are in bench/startup_bench.py, not here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from db.migrate import alembic_config, heads, upgrade


def test_the_newest_revision_read_from_the_files_is_alembics_head(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    assert heads() == set(script.get_heads())


def loaded_after_upgrade(url: str) -> str:
    code = (
        "import sys; from db.migrate import upgrade; "
        f"upgrade({url!r}); print('alembic' in sys.modules)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


def test_an_up_to_date_sqlite_database_is_not_migrated_again_and_an_old_one_is(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'dccs.sqlite3'}"
    assert loaded_after_upgrade(url) == "True"  # a new database is migrated
    assert loaded_after_upgrade(url) == "False"  # then left alone
    from alembic import command

    command.downgrade(alembic_config(url), "0013")
    assert loaded_after_upgrade(url) == "True"
    upgrade(url)
    assert loaded_after_upgrade(url) == "False"


def test_help_loads_none_of_the_product() -> None:
    code = (
        "import sys, runpy; sys.argv = ['dccs', '--help']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'aiohttp', 'numpy', 'openpyxl', 'alembic', 'rich', "
        "'handlers.conversation.router', 'db.models', 'handlers.reports', 'docx', 'matplotlib') "
        "if m in sys.modules]\n"
        "print('loaded:', heavy, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "loaded: []" in done.stderr and "Trợ lý dân chủ cơ sở" in done.stdout


def test_the_report_help_written_out_lists_every_quick_period() -> None:
    from typer.testing import CliRunner

    from bot.cli import app
    from handlers.reports import QUICK_PERIODS

    shown = CliRunner().invoke(app, ["report", "--help"], env={"COLUMNS": "400"}).stdout
    assert all(name in shown for name in QUICK_PERIODS), shown


def test_the_server_starts_without_spreadsheets_reports_or_alembic() -> None:
    code = (
        "import sys; import bot.server, bot.cli\n"
        "heavy = [m for m in ('openpyxl', 'alembic', 'holidays', 'handlers.reports', 'docx', "
        "'matplotlib') if m in sys.modules]\n"
        "print('loaded:', heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "loaded: []"


def test_a_mistyped_command_is_answered_in_vietnamese_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DCCS_DATA_DIR": str(tmp_path)}
    for args, said in (
        (["nosuch"], "Không có lệnh 'nosuch'."),
        (["users", "rename"], "Thiếu giá trị PERSON_ID."),
        (["report", "--bogus"], "Không có tuỳ chọn --bogus."),
        (["users", "login-link", "abc"], "Cần một số nguyên."),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 2, args
        assert said in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert "--help' để xem cách dùng" in done.stderr


def test_a_workbook_row_is_named_by_its_number_in_the_sheet_even_after_blank_rows(
    tmp_path: Path,
) -> None:
    """An office finds the row Excel shows: blank rows above it do not shift the number."""
    from openpyxl import Workbook

    from bot.import_files import load, table

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "petitions"
    sheet.append(["kind", "summary"])
    sheet.append(["phan_anh", "Đường xóm ngập"])
    sheet.append([None, None])
    sheet.append([None, None])
    sheet.append(["kien_nghi", "Lắp đèn đường"])
    path = tmp_path / "so-theo-doi.xlsx"
    book.save(path)
    rows, where = table(load(path), path, "petitions")
    assert [row["kind"] for row in rows] == ["phan_anh", "kien_nghi"]
    assert where(2).endswith("trang petitions, dòng 5")
