"""The `dccs` command as an operator or a script uses it, in its own process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

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
