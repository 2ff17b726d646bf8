"""The files `dccs … import` reads, and the one place their errors become a message.

A person running an import never sees a traceback: a file Trợ lý cannot read, or a row it
cannot take, is answered with a Vietnamese error naming the file, the row and the column, and
nothing is changed (each import runs in one transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import typer

from handlers.file_problems import (
    FileProblem,
    TooManyRows,
    check_rows,
    decode,
    load_yaml,
    read_workbook,
)

log = logging.getLogger("dccs.import")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None


def load(path: Path) -> Any:
    """A YAML file, or an XLSX workbook whose sheets are the YAML file's lists."""
    return load_bytes(read_bytes(path), path)


def load_bytes(raw: bytes, path: Path, max_rows: int | None = None) -> Any:
    """What ``load`` reads, from bytes already in hand (a file uploaded on the desk); with
    ``max_rows``, a workbook sheet or a YAML list longer than that is refused."""
    if is_workbook(path):
        # openpyxl is imported only when a workbook is read (it costs start-up time).
        from handlers.sheets import read_sheets

        return read_workbook(raw, str(path), partial(read_sheets, max_rows=max_rows))
    data = load_yaml(decode(raw, str(path)), str(path))
    if max_rows is not None:
        lists = [data] if isinstance(data, list) else []
        if isinstance(data, dict):
            lists = list(data.values())
        if any(isinstance(rows, list) and len(rows) > max_rows for rows in lists):
            raise TooManyRows(max_rows)
    return data


def text_of(path: Path) -> str:
    return decode(read_bytes(path), str(path))


def table(
    data: Any,
    path: Path,
    name: str,
    *,
    bare_list: bool = False,
    required: bool = True,
    list_columns: Collection[str] = (),
    rows_checked_later: bool = False,
) -> tuple[list[Any], Callable[[int], str]]:
    """The rows of one table of an import file (a YAML key or a workbook sheet), checked to be
    rows of plain cells (unless the import checks them itself, with everything else at once),
    and how to name the n-th of them."""
    if isinstance(data, dict):
        rows = data.get(name)
    elif isinstance(data, list) and bare_list:
        rows = data
    elif data is None:
        rows = None
    else:
        raise FileProblem(
            f"Tệp {path} phải có danh sách '{name}'"
            + (" (một trang tên như vậy trong tệp Excel)." if is_workbook(path) else ".")
        )
    if rows is None and required:
        raise FileProblem(f"Tệp {path} không có danh sách '{name}'.")
    # A workbook's rows know their numbers in the sheet (blank rows were skipped).
    numbers: list[int] = list(getattr(rows, "numbers", ()))

    def where(number: int) -> str:
        if not is_workbook(path):
            return f"Tệp {path}, mục thứ {number} của {name}"
        # The header is row 1 of the sheet.
        row = numbers[number - 1] if 0 < number <= len(numbers) else number + 1
        return f"Tệp {path}, trang {name}, dòng {row}"

    if rows_checked_later and isinstance(rows, list):
        return rows, where
    return check_rows(rows, where, f"Tệp {path}: '{name}'", list_columns), where


@contextmanager
def reported(path: Path, *known: type[Exception]) -> Iterator[None]:
    """Run an import, turning what goes wrong with the file into a message and exit code 1."""
    try:
        yield
    except typer.Exit:
        raise
    except FileProblem as exc:
        typer.echo(f"Lỗi, không thay đổi gì:\n{exc}", err=True)
        raise typer.Exit(1) from None
    except known as exc:
        typer.echo(f"Lỗi ở tệp {path}, không thay đổi gì:\n{exc}", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:
        log.debug("import of %s failed", path, exc_info=True)
        typer.echo(
            f"Lỗi ở tệp {path}, không thay đổi gì: có dữ liệu Trợ lý không đọc được "
            f"({type(exc).__name__}). Kiểm tra các cột theo mẫu rồi nạp lại.",
            err=True,
        )
        raise typer.Exit(1) from None
