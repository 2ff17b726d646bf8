"""The `dccs` command as an operator or a script uses it, in its own process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import yaml
from openpyxl import Workbook

from db import people
from db.engine import create_engine, session_factory
from db.models import RoleGrant
from handlers.clock import VN_TZ

DCCS = [sys.executable, "-m", "bot"]


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*DCCS, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_ask_json_answers_one_question(cli_env: dict[str, str]) -> None:
    out = run(["ask", "thoi hieu khieu nai la bao lau", "--json"], cli_env).stdout
    data = json.loads(out)
    assert data["intent"] == "faq" and data["matched"] is True
    assert data["entry_id"] == "kn-thoi-hieu" and "90 ngày" in data["answer"]
    assert data["sources"] and data["alternatives"] == []
    assert isinstance(data["score"], float)


def test_ask_json_reads_a_batch_one_line_per_question(cli_env: dict[str, str]) -> None:
    questions = [
        "xin chao",
        "toi muon gui don khieu nai",
        "giá vàng hôm nay bao nhiêu",
        "khieu nai",
        "tra cứu đơn",
        "dang ky lich tiep cong dan",
    ]
    out = run(["ask", "--json", "-"], cli_env, stdin="\n".join(questions) + "\n").stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["intent"] for line in lines] == [
        "greeting",
        "petition",
        "fallback",
        "faq",
        "petition_status",
        "reception",
    ]
    readback = lines[3]
    assert readback["matched"] is False and len(readback["alternatives"]) >= 2
    assert "Có phải anh/chị muốn hỏi" in readback["answer"]
    assert lines[2]["entry_id"] is None and lines[2]["sources"] == []


def test_kb_import_reports_and_keeps_what_it_cannot_read(
    cli_env: dict[str, str], tmp_path: Path, project_root: Path
) -> None:
    first = run(["kb", "import"], cli_env).stdout
    assert "Thêm mới: " in first and "Thêm mới: 0" not in first
    again = run(["kb", "import"], cli_env).stdout
    assert "Thêm mới: 0" in again

    broken = tmp_path / "seed"
    broken.mkdir()
    shutil.copy(project_root / "knowledge/content/khieu-nai-to-cao.yaml", broken / "a.yaml")
    data = yaml.safe_load((broken / "a.yaml").read_text(encoding="utf-8"))
    data["entries"][1]["sources"] = []
    (broken / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    failed = run(["kb", "import", "--path", str(broken)], cli_env, check=False)
    assert failed.returncode == 1
    assert "a.yaml" in failed.stderr and data["entries"][1]["id"] in failed.stderr


def test_db_upgrade_and_clock_are_safe_to_run(cli_env: dict[str, str]) -> None:
    assert "mới nhất" in run(["db", "upgrade"], cli_env).stdout
    assert "mới nhất" in run(["db", "upgrade"], cli_env).stdout
    assert "gửi 0 tin chờ gửi" in run(["clock", "--once"], cli_env).stdout


def test_console_chat_numbers_buttons_and_typed_numbers_work(cli_env: dict[str, str]) -> None:
    out = run(["chat"], cli_env, stdin="khieu nai\n1\nthoat\n").stdout
    assert "Gõ 1 để:" in out
    assert "Căn cứ:" in out.split("Gõ 1 để:", 1)[1]


def test_kb_export_json_prints_every_entry_with_sources_and_status(
    cli_env: dict[str, str], curated: list[object]
) -> None:
    entries = json.loads(run(["kb", "export", "--format", "json", "-"], cli_env).stdout)
    assert len(entries) == len(curated)
    for entry in entries:
        assert entry["sources"] and entry["status"] == "published"
        assert all({"law", "number", "article"} <= set(s) for s in entry["sources"])


def test_an_excel_round_trip_keeps_typed_text_as_text_and_rejects_bad_rows_whole(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    book_path = tmp_path / "kho.xlsx"
    run(["kb", "export", str(book_path)], cli_env)
    book = load_workbook(book_path)
    sheet = book.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    answer_col = header.index("Câu trả lời") + 1
    sheet.cell(row=2, column=answer_col).value = "=1+1 là điều người dân gõ, không phải công thức."
    sheet.cell(row=2, column=answer_col).data_type = "s"
    book.save(book_path)
    assert "Cập nhật: 1" in run(["kb", "import", str(book_path)], cli_env).stdout

    again = tmp_path / "lan-hai.xlsx"
    run(["kb", "export", str(again)], cli_env)
    cell = load_workbook(again).active.cell(row=2, column=answer_col)  # type: ignore[union-attr]
    assert cell.data_type == "s" and str(cell.value).startswith("=1+1")

    broken = load_workbook(again)
    sheet = broken.active
    assert sheet is not None
    sheet.cell(row=3, column=answer_col).value = "ngắn"
    sheet.cell(row=4, column=header.index("Căn cứ") + 1).value = "Luật không đủ cột"
    broken.save(tmp_path / "hong.xlsx")
    failed = run(["kb", "import", str(tmp_path / "hong.xlsx")], cli_env, check=False)
    assert failed.returncode == 1
    assert "Dòng 3, cột Câu trả lời: quá ngắn" in failed.stderr
    assert "Dòng 4, cột Căn cứ (căn cứ thứ 1, số hiệu): thiếu" in failed.stderr
    # Nothing of the broken file was applied.
    assert "Không đổi: " in run(["kb", "import", str(again)], cli_env).stdout


def test_an_admin_file_edit_survives_a_later_seed_import_and_can_be_reverted(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    exported = json.loads(run(["kb", "export", "--format", "json", "-"], cli_env).stdout)
    edited = next(e for e in exported if e["id"] == "kn-thoi-hieu")
    edited["answer"] = "Thời hiệu khiếu nại là 90 ngày (câu trả lời xã đã biên tập lại)."
    (tmp_path / "sua.json").write_text(json.dumps([edited], ensure_ascii=False), "utf-8")
    run(["kb", "import", str(tmp_path / "sua.json")], cli_env)
    seeds = run(["kb", "import"], cli_env).stdout
    assert "Giữ nguyên bản quản trị viên đã sửa: 1" in seeds and "kn-thoi-hieu" in seeds
    assert "biên tập lại" in run(["ask", "thoi hieu khieu nai la bao lau"], cli_env).stdout
    history = run(["kb", "history", "kn-thoi-hieu"], cli_env).stdout.splitlines()
    assert [line.split("\t")[3] for line in history] == ["import", "import"]
    run(["kb", "revert", "kn-thoi-hieu"], cli_env)
    assert "biên tập lại" not in run(["ask", "thoi hieu khieu nai la bao lau"], cli_env).stdout


def test_entries_due_for_review_are_listed(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert "0 mục cần rà soát." in run(["kb", "stale"], cli_env).stdout
    exported = json.loads(run(["kb", "export", "--format", "json", "-"], cli_env).stdout)
    old = next(e for e in exported if e["id"] == "tc-rut-to-cao")
    old["review_after"] = "2025-01-01"
    (tmp_path / "cu.json").write_text(json.dumps([old], ensure_ascii=False), "utf-8")
    run(["kb", "import", str(tmp_path / "cu.json")], cli_env)
    stale = run(["kb", "stale"], cli_env).stdout
    assert "tc-rut-to-cao\t01/01/2025" in stale and "1 mục cần rà soát." in stale


async def test_an_operator_imports_a_plan_and_rehearses_a_day_with_the_clock(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "- {name: Tỉnh mẫu, kind: tinh}\n- {name: Xã Minh Hòa, kind: xa, parent: Tỉnh mẫu}\n",
        encoding="utf-8",
    )
    run(["units", "import", str(units)], cli_env)
    await add_official_on_telegram(Path(cli_env["DCCS_DATA_DIR"]) / "dccs.sqlite3")

    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "deadlines:\n"
        "  - title: Báo cáo quý về thực hiện dân chủ ở cơ sở\n"
        "    unit: Xã Minh Hòa\n"
        "    recurrence: quarterly:3:15\n",
        encoding="utf-8",
    )
    assert "Đã thêm 1 hạn, cập nhật 0 hạn đã có." in (
        run(["deadlines", "import", str(plan)], cli_env).stdout
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("deadlines:\n  - title: Thiếu đơn vị\n    due: 01/12/2026\n", encoding="utf-8")
    refused = run(["deadlines", "import", str(bad)], cli_env, check=False)
    assert refused.returncode == 1 and "Hạn thứ 1: không có đơn vị" in refused.stderr

    # 15/12/2026 is a Tuesday; 7 days before is 08/12.
    rehearsal = run(["clock", "--once", "--now", "08/12/2026 07:30", "--dry-run"], cli_env)
    assert (
        "08/12/2026 07:30 nhắc trước 7 ngày: Báo cáo quý về thực hiện dân chủ ở cơ sở "
        "(hạn 15/12/2026) -> Cán bộ xã (tài khoản #1) qua telegram" in rehearsal.stdout
    )
    assert "Sẽ gửi 1 nhắc việc" in rehearsal.stdout
    wrong = run(["clock", "--once", "--now", "8/12 7h"], cli_env, check=False)
    assert wrong.returncode == 2 and "DD/MM/YYYY HH:MM" in wrong.stderr
    # Without --dry-run a rehearsal would send the official's real reminders early.
    live = run(["clock", "--once", "--now", "08/12/2026 07:30"], cli_env, check=False)
    assert live.returncode == 2 and "Thêm --dry-run" in live.stderr
    assert "Sẽ gửi 1 nhắc việc" in (
        run(["clock", "--once", "--now", "08/12/2026 07:30", "--dry-run"], cli_env).stdout
    )


async def test_a_plan_imported_as_yaml_then_as_xlsx_is_one_deadline_listed_edited_and_deleted(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Xã Minh Hòa, code: minh-hoa, kind: xa}\n", encoding="utf-8")
    run(["units", "import", str(units)], cli_env)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "deadlines:\n"
        "  - title: Báo cáo quý về thực hiện dân chủ ở cơ sở\n"
        "    unit: Xã Minh Hòa\n"
        "    recurrence: quarterly:3:18\n",
        encoding="utf-8",
    )
    run(["deadlines", "import", str(plan)], cli_env)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "deadlines"
    sheet.append(["title", "unit", "recurrence", "lead_days"])
    sheet.append(
        ["Báo cáo quý về thực hiện  dân chủ ở cơ sở", "minh-hoa", "quarterly:3:18", "3, 0"]
    )
    xlsx = tmp_path / "plan.xlsx"
    book.save(xlsx)
    again = run(["deadlines", "import", str(xlsx)], cli_env).stdout
    assert "Đã thêm 0 hạn, cập nhật 1 hạn đã có." in again
    listed = run(["deadlines", "list"], cli_env).stdout
    assert "Có 1 hạn." in listed
    assert (
        "1. [Xã Minh Hòa] Báo cáo quý về thực hiện dân chủ ở cơ sở — Lặp lại: ngày 18 tháng cuối "
        "quý; lần hạn gần nhất chưa nộp: 18/12/2026" in listed
    )
    shown = run(["deadlines", "show", "1"], cli_env).stdout
    assert "Nhắc trước 3 ngày và vào ngày hạn, lúc 07:30." in shown
    edited = run(["deadlines", "edit", "1", "--lead-days", "0", "--remind-at", "08:00"], cli_env)
    assert "Nhắc vào ngày hạn, lúc 08:00." in edited.stdout
    refused = run(
        ["deadlines", "edit", "1", "--recurrence", "RRULE:FREQ=MINUTELY"], cli_env, check=False
    )
    assert refused.returncode == 1 and "lặp nhiều nhất mỗi ngày một lần" in refused.stderr
    assert "Đã thôi nhắc hạn 1" in run(["deadlines", "delete", "1"], cli_env).stdout
    assert "Có 0 hạn." in run(["deadlines", "list"], cli_env).stdout
    missing = run(["deadlines", "show", "1"], cli_env, check=False)
    assert missing.returncode == 1 and "Không có hạn số 1" in missing.stderr


async def add_official_on_telegram(database: Path) -> None:
    engine = create_engine(f"sqlite:///{database}")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ)
    async with session_factory(engine)() as session, session.begin():
        person = await people.resolve(session, "telegram", "777", "Cán bộ xã", now)
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert person.id is not None and unit is not None and unit.id is not None
        session.add(
            RoleGrant(person_id=person.id, role="official", unit_id=unit.id, granted_at=now)
        )
    await engine.dispose()


def test_officials_import_the_calendar_and_the_plan_from_excel(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Xã Minh Hòa, kind: xa}\n", encoding="utf-8")
    run(["units", "import", str(units)], cli_env)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "sessions"
    fields = [
        "unit",
        "kind",
        "date",
        "start",
        "end",
        "place",
        "receiver_name",
        "receiver_title",
        "capacity",
    ]
    sheet.append(fields)
    sheet.append(
        [
            "Xã Minh Hòa",
            "dinh_ky",
            datetime(2027, 1, 6),
            "07:30",
            "11:00",
            "Phòng tiếp công dân",
            "Lê Văn Bình",
            "Chủ tịch UBND xã",
            15,
        ]
    )
    calendar = tmp_path / "lich.xlsx"
    book.save(calendar)
    out = run(["calendar", "import", str(calendar)], cli_env).stdout
    assert "0 lịch định kỳ, 1 buổi tiếp" in out
    exported = yaml.safe_load(run(["calendar", "export"], cli_env).stdout)
    assert exported["sessions"][0]["date"] == "06/01/2027"
    assert exported["sessions"][0]["capacity"] == 15

    plan = Workbook()
    sheet = plan.active
    assert sheet is not None
    sheet.title = "deadlines"
    sheet.append(["title", "unit", "due", "lead_days"])
    sheet.append(["Báo cáo năm", "Xã Minh Hòa", datetime(2027, 11, 5), "7, 1"])
    sheet.append(["Báo cáo quý", "Xã Không Có", "15/03/2027", "3"])
    path = tmp_path / "ke-hoach.xlsx"
    plan.save(path)
    refused = run(["deadlines", "import", str(path)], cli_env, check=False)
    assert refused.returncode == 1 and "Hạn thứ 2: không có đơn vị 'Xã Không Có'" in refused.stderr
    sheet.delete_rows(3)
    plan.save(path)
    assert (
        "Đã thêm 1 hạn, cập nhật 0 hạn đã có."
        in run(["deadlines", "import", str(path)], cli_env).stdout
    )
