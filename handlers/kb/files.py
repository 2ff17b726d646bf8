"""The knowledge base as files officials edit: YAML, JSON and XLSX (one row per entry).

Reading a file checks every row and reports every problem by row and column before anything
is changed. In XLSX, multi-valued cells hold one item per line; a source is written
"Tên văn bản | Số hiệu | Điều, khoản" (and "| ghi chú" when there is one). Every cell is
written as text, never as a formula.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.entries import Entry, problem

FORMATS = ("yaml", "json", "xlsx")
COLUMNS = (
    "id",
    "group",
    "topic",
    "questions",
    "keywords",
    "answer",
    "sources",
    "status",
    "valid_from",
    "review_after",
    "amended_note",
)
LIST_COLUMNS = frozenset({"questions", "keywords"})
SHEET = "Kho câu hỏi"


class KbFileError(ValueError):
    """The file has problems; ``problems`` lists each as "Dòng N, cột X: …"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def format_of(name: str) -> str:
    lower = name.lower()
    for fmt in FORMATS:
        if lower.endswith(f".{fmt}") or (fmt == "yaml" and lower.endswith(".yml")):
            return fmt
    return "yaml"


def _plain(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_none=True)


def _cell(entry: Entry, column: str) -> str:
    value = getattr(entry, column)
    if value is None:
        return ""
    if column in LIST_COLUMNS:
        return "\n".join(value)
    if column == "sources":
        return "\n".join(
            " | ".join((s.law, s.number, s.article, *((s.note,) if s.note else ()))) for s in value
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def export(entries: Sequence[Entry], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps([_plain(e) for e in entries], ensure_ascii=False, indent=2).encode()
    if fmt == "yaml":
        text = yaml.safe_dump([_plain(e) for e in entries], allow_unicode=True, sort_keys=False)
        return text.encode()
    # openpyxl is imported here, not at start-up: only exports and imports need it.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for entry in entries:
        sheet.append([_cell(entry, column) for column in COLUMNS])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # Text a person typed stays text: "=1+1" must not become a formula in Excel.
            cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_from_cells(values: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, raw in values.items():
        text = raw.strip()
        if not text:
            continue
        if column in LIST_COLUMNS:
            row[column] = [line.strip() for line in text.splitlines() if line.strip()]
        elif column == "sources":
            sources = []
            for line in (part for part in text.splitlines() if part.strip()):
                parts = [p.strip() for p in line.split("|")]
                keys = ("law", "number", "article", "note")
                sources.append(dict(zip(keys, parts, strict=False)))
            row[column] = sources
        else:
            row[column] = text
    return row


def _rows(data: bytes, fmt: str) -> list[tuple[int, Any]]:
    if fmt == "xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except (InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise KbFileError([f"Không đọc được tệp Excel: {exc}"]) from exc
        sheet = book.worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
        if not lines:
            raise KbFileError(["Tệp Excel không có dòng nào."])
        header = [str(h or "").strip() for h in lines[0]]
        missing = [c for c in ("id", "topic", "questions", "answer", "sources") if c not in header]
        if missing:
            raise KbFileError([f"Dòng 1: thiếu cột {', '.join(missing)}"])
        return [
            (
                number,
                _row_from_cells(
                    {
                        name: "" if value is None else str(value)
                        for name, value in zip(header, line, strict=False)
                        if name
                    }
                ),
            )
            for number, line in enumerate(lines[1:], start=2)
            if any(value not in (None, "") for value in line)
        ]
    try:
        loaded = json.loads(data) if fmt == "json" else yaml.safe_load(data)
    except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KbFileError([f"Tệp không đúng định dạng {fmt}: {exc}"]) from exc
    if isinstance(loaded, dict):
        group = loaded.get("group")
        loaded = [
            {"group": group, **item} if group and isinstance(item, dict) else item
            for item in loaded.get("entries") or []
        ]
    if not isinstance(loaded, list):
        raise KbFileError(["Tệp phải là một danh sách các mục."])
    return list(enumerate(loaded, start=1))


def parse(data: bytes, fmt: str) -> list[Entry]:
    """Every entry of the file, or every problem in it (nothing half-read)."""
    problems: list[str] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, row in _rows(data, fmt):
        try:
            entry = Entry.model_validate(row)
        except ValidationError as exc:
            for err in exc.errors():
                column = ".".join(str(p) for p in err["loc"]) or "?"
                problems.append(f"Dòng {number}, cột {column}: {problem(err)}")
            continue
        if entry.id in seen:
            problems.append(f"Dòng {number}, cột id: trùng id {entry.id}")
        seen.add(entry.id)
        entries.append(entry)
    if problems:
        raise KbFileError(problems)
    return entries
