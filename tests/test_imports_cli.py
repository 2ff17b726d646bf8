"""Imports an office runs from the command line: đơn from its paper book, and any file at all
given to any import command, answered in Vietnamese and never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

DCCS = [sys.executable, "-m", "bot"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DCCS, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def unit_file(tmp_path: Path) -> Path:
    units = tmp_path / "units.yaml"
    units.write_text("- {name: Xã Minh Hòa, kind: xa}\n", encoding="utf-8")
    return units


GOOD = [
    {
        "so_den": "125/TD",
        "kind": "kien_nghi",
        "unit": "Xã Minh Hòa",
        "source": "post",
        "received": "02/11/2026",
        "name": "Nguyễn Văn An",
        "phone": "0912 345 678",
        "summary": "Đề nghị sửa đường liên thôn",
    },
    {
        "kind": "phan_anh",
        "unit": "Xã Minh Hòa",
        "source": "desk",
        "received": "20/11/2026",
        "name": "Trần Thị Bình",
        "phone": "0987654321",
        "summary": "Phản ánh đèn đường hỏng",
    },
]


def test_a_paper_book_is_checked_whole_and_a_second_import_enters_nothing_twice(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run(["units", "import", str(unit_file(tmp_path))], cli_env).returncode == 0
    bad = tmp_path / "sai.yaml"
    rows = [
        dict(GOOD[0], phone="12345"),
        dict(GOOD[1], phone=987654321),
        dict(GOOD[1], name="A"),
        dict(GOOD[1], received="30/11/2026"),
        "chỉ một dòng chữ",
    ]
    bad.write_text(yaml.safe_dump({"petitions": rows}, allow_unicode=True), encoding="utf-8")
    failed = run(["petitions", "import", str(bad)], cli_env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    said = failed.stderr
    assert f"Tệp {bad}, mục thứ 1 của petitions, cột phone: số điện thoại 12345 không đúng" in said
    assert "mục thứ 2 của petitions, cột phone: số điện thoại 987654321 mất số 0 ở đầu" in said
    assert "mục thứ 3 của petitions, cột name: cần họ và tên" in said
    assert "mục thứ 4 của petitions, cột received: ngày nhận 30/11/2026 ở tương lai" in said
    assert "mục thứ 5 của petitions: không phải một đơn" in said

    good = tmp_path / "so-den.yaml"
    good.write_text(yaml.safe_dump({"petitions": GOOD}, allow_unicode=True), encoding="utf-8")
    first = run(["petitions", "import", str(good)], cli_env)
    assert first.returncode == 0, first.stderr
    assert "Đã vào sổ 2 đơn mới; 0 đơn đã có." in first.stdout
    # The office fixed a typo in the summary of the đơn with a số đến, then imported again.
    fixed = [dict(GOOD[0], summary="Đề nghị sửa đường liên thôn 3"), GOOD[1]]
    good.write_text(yaml.safe_dump({"petitions": fixed}, allow_unicode=True), encoding="utf-8")
    again = run(["petitions", "import", str(good)], cli_env)
    assert again.returncode == 0, again.stderr
    assert "Đã vào sổ 0 đơn mới; 2 đơn đã có." in again.stdout
    assert "mục thứ 1 của petitions: đã vào sổ từ lần nạp trước (" in again.stdout
    twice = tmp_path / "hai-lan.yaml"
    twice.write_text(
        yaml.safe_dump({"petitions": [GOOD[1], GOOD[1]]}, allow_unicode=True), encoding="utf-8"
    )
    doubled = run(["petitions", "import", str(twice)], cli_env)
    assert doubled.returncode == 1
    assert "mục thứ 2 của petitions: trùng với" in doubled.stderr


def test_the_command_line_is_quiet_by_default_and_the_log_level_still_works(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    fresh = run(["db", "upgrade"], cli_env)
    assert fresh.stdout == "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n" and fresh.stderr == ""
    tick = run(["clock", "--once"], cli_env)
    assert tick.returncode == 0 and tick.stderr == ""
    loud = dict(cli_env, DCCS_DATA_DIR=str(tmp_path / "other"), DCCS_LOG_LEVEL="debug")
    assert "alembic.runtime.migration" in run(["db", "upgrade"], loud).stderr
    wrong = run(["db", "upgrade"], dict(cli_env, DCCS_LOG_LEVEL="to"))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("Lỗi cấu hình: DCCS_LOG_LEVEL:")
