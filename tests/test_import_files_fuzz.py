"""Every import command given any file at all: a Vietnamese answer naming the file, never a
traceback (hypothesis writes the files: random bytes, text with control characters, YAML of
any shape, workbooks with cells of any type)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.cli import app
from handlers.kb.files import COLUMNS as KB_COLUMNS
from handlers.petitions.paper_import import COLUMNS as PETITION_COLUMNS

UNIT = "Xã Minh Hòa"
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kb": ("entries", KB_COLUMNS),
    "calendar": (
        "sessions",
        ("unit", "kind", "weekday", "date", "start", "end", "place", "receiver_name", "capacity"),
    ),
    "deadlines": (
        "deadlines",
        ("title", "unit", "due", "recurrence", "lead_days", "remind_at", "escalate_after_days"),
    ),
    "units": ("units", ("name", "kind", "code", "parent", "aliases")),
    "petitions": ("petitions", PETITION_COLUMNS),
}
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**13),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from([UNIT, "02/11/2026", "07:30", "kien_nghi", "monthly:15", "0912345678"]),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


def rows(columns: tuple[str, ...]) -> st.SearchStrategy[list[Any]]:
    keys = st.one_of(st.sampled_from(columns), st.text(max_size=6))
    row = st.dictionaries(keys, VALUE, max_size=len(columns))
    return st.lists(st.one_of(row, row, VALUE), max_size=3)


def yaml_file(table: str, columns: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    document = st.one_of(VALUE, rows(columns), st.fixed_dictionaries({table: rows(columns)}))
    return document.map(lambda data: yaml.safe_dump(data, allow_unicode=True).encode())


def workbook(table: str, columns: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    cell = st.one_of(
        st.none(),
        st.integers(-(10**6), 10**12),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=15
        ),
        st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
        st.sampled_from([UNIT, "02/11/2026", "07:30", "kien_nghi", "0912345678"]),
    )
    body = st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=3)

    def build(data: tuple[str, list[list[Any]]]) -> bytes:
        title, lines = data
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = title
        sheet.append(list(columns))
        for line in lines:
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return st.tuples(st.sampled_from([table, "Sheet"]), body).map(build)


def any_file(table: str, columns: tuple[str, ...]) -> st.SearchStrategy[tuple[str, bytes]]:
    text = st.text(max_size=120).map(lambda t: t.encode("utf-8", "surrogatepass"))
    return st.one_of(
        st.tuples(st.sampled_from([".yaml", ".json", ".csv"]), yaml_file(table, columns)),
        st.tuples(st.sampled_from([".yaml", ".xlsx", ".json", ".csv"]), st.binary(max_size=120)),
        st.tuples(st.sampled_from([".yaml", ".csv"]), text),
        st.tuples(st.just(".xlsx"), workbook(table, columns)),
    )


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dccs-fuzz-") as folder:
        yield Path(folder)


def invoke(data_dir: Path, *args: str) -> Any:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("DCCS_")}
    env |= {"DCCS_DATA_DIR": str(data_dir), "DCCS_TEST_TODAY": "25/11/2026"}
    return CliRunner().invoke(app, list(args), env=env)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_file_makes_an_import_command_show_a_traceback(command: str, data_dir: Path) -> None:
    units = data_dir / "units.yaml"
    units.write_text(f"- {{name: {UNIT}, kind: xa}}\n", encoding="utf-8")
    assert invoke(data_dir, "units", "import", str(units)).exit_code == 0
    table, columns = COMMANDS[command]

    @settings(
        max_examples=int(os.environ.get("DCCS_FUZZ_FILES", "25")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(any_file(table, columns))
    def imports(file: tuple[str, bytes]) -> None:
        suffix, content = file
        path = data_dir / f"tep{suffix}"
        path.write_bytes(content)
        result = invoke(data_dir, command, "import", str(path))
        shown = result.stdout + result.stderr
        assert "Traceback" not in shown
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{type(result.exception).__name__}: {result.exception}"
        )
        assert result.exit_code in (0, 1), shown
        if result.exit_code == 1:
            assert str(path) in result.stderr, result.stderr
            # The last guard's message is for what nobody foresaw: every case here is foreseen.
            assert "có dữ liệu Trợ lý không đọc được" not in result.stderr, result.stderr

    imports()


@pytest.mark.parametrize(
    ("command", "suffix", "content", "said"),
    [
        ("calendar", ".xlsx", b"not a zip", "không phải bảng tính Excel (.xlsx) đọc được"),
        ("kb", ".xlsx", b"PK\x03\x04garbage", "không phải bảng tính Excel (.xlsx) đọc được"),
        ("calendar", ".yaml", b"- a\n- b\n", "không phải một danh sách trần"),
        (
            "deadlines",
            ".yaml",
            b"deadlines:\n  - title: {a: 1}\n",
            "mục thứ 1 của deadlines, cột title: phải là chữ, số hoặc ngày, không phải một bảng",
        ),
        ("deadlines", ".yaml", b"[1, 2]", "mục thứ 2 của deadlines: không phải một dòng có tên"),
        ("petitions", ".yaml", b"petitions:\n  - just text\n", "mục thứ 1 của petitions: không"),
        ("units", ".yaml", b"- name: X\xff\n", "dòng 1, cột 10: không phải chữ mã UTF-8"),
        ("units", ".yaml", b"- name: [1]\n  kind: xa\n", "Dòng 1, cột name: phải là chữ"),
        ("kb", ".yaml", b"- id: a\x07b\n", "dòng 1, cột 8: có ký tự điều khiển không được phép"),
        ("kb", ".yaml", b"- just text\n", "Mục 1: không phải một mục"),
        ("kb", ".json", b'[{"id": 1,', "dòng 1, cột 11: không đúng cú pháp JSON"),
        (
            "calendar",
            ".yaml",
            b"sessions:\n  - unit: 5\n    capacity: [1]\n",
            "mục thứ 1 của sessions, cột capacity: phải là chữ, số hoặc ngày",
        ),
    ],
)
def test_each_kind_of_bad_file_is_named_by_file_row_and_column(
    command: str, suffix: str, content: bytes, said: str, data_dir: Path
) -> None:
    path = data_dir / f"hong{suffix}"
    path.write_bytes(content)
    result = invoke(data_dir, command, "import", str(path))
    assert result.exit_code == 1
    assert str(path) in result.stderr and said in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
