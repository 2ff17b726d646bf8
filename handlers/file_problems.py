"""Reading the files officials import (YAML, XLSX) and saying in Vietnamese what is wrong with
one: not a spreadsheet, not UTF-8, a YAML syntax error or control character (with its line and
column), the wrong shape, a row that is not a mapping, a cell that is a list. Every message names
the file; the import commands print it instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime, time
from typing import Any

import yaml

SCALARS = (str, int, float, bool, date, datetime, time)


class FileProblem(ValueError):
    """A file that cannot be imported; the message is Vietnamese and names the file."""


class TooManyRows(FileProblem):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Tệp có hơn {limit} dòng. Anh/chị chia thành nhiều tệp nhỏ hơn rồi nạp lần lượt."
        )
        self.limit = limit


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblem(
            f"Tệp {name}, dòng {line}, cột {column}: không phải chữ mã UTF-8 (byte "
            f"0x{raw[exc.start]:02x}). Mở tệp và lưu lại với mã UTF-8."
        ) from None


def load_yaml(text: str, name: str) -> Any:
    """The YAML document, or a FileProblem naming the line and column."""
    try:
        return yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:
        # A control character (or other character YAML refuses) at a position of the text.
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise FileProblem(
            f"Tệp {name}, dòng {line}, cột {column}: có ký tự điều khiển không được phép "
            f"(U+{code:04X}). Xoá ký tự đó rồi nạp lại."
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise FileProblem(
            f"Tệp {name}{where}: không đúng cú pháp YAML (kiểm tra dấu hai chấm, thụt lề, "
            "dấu ngoặc kép)."
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise FileProblem(f"Tệp {name}: không đọc được nội dung YAML ({exc}).") from None


def read_workbook(raw: bytes, name: str, reader: Callable[[bytes], Any]) -> Any:
    """A spreadsheet read by ``reader``; anything that is not one is said so."""
    try:
        return reader(raw)
    except FileProblem:
        raise
    except Exception:  # zip, XML and openpyxl errors all mean "not a workbook"
        raise FileProblem(
            f"Tệp {name} không phải bảng tính Excel (.xlsx) đọc được. Mở tệp bằng Excel hoặc "
            "LibreOffice rồi lưu lại dưới dạng .xlsx."
        ) from None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "một bảng con"
    if isinstance(value, list | tuple | set):
        return "một danh sách"
    return "giá trị lạ"


def check_rows(
    rows: Any,
    where: Callable[[int], str],
    what: str,
    list_columns: Collection[str] = (),
) -> list[dict[str, Any]]:
    """``rows`` as a list of mappings of plain cells, or a FileProblem listing every row and
    column that is not (``where(n)`` names the n-th row, from 1)."""
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise FileProblem(f"{what} phải là một danh sách, mỗi dòng một mục.")
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"{where(number)}: không phải một dòng có tên cột (cột: giá trị).")
            continue
        for column, value in row.items():
            if not isinstance(column, str):
                problems.append(f"{where(number)}: tên cột {column!r} phải là chữ.")
            elif column in list_columns and isinstance(value, list):
                if not all(isinstance(item, SCALARS) for item in value):
                    problems.append(f"{where(number)}, cột {column}: chỉ gồm chữ hoặc số.")
            elif value is not None and not isinstance(value, SCALARS):
                problems.append(
                    f"{where(number)}, cột {column}: phải là chữ, số hoặc ngày, không phải "
                    f"{_kind(value)}."
                )
    if problems:
        raise FileProblem("\n".join(problems))
    return rows
