"""The knowledge base as files officials edit: YAML, JSON and XLSX (one row per entry).

Reading a file checks every row and reports every problem by row and column before anything
is changed. In XLSX, multi-valued cells hold one item per line; a source is written
"Tên văn bản | Số hiệu | Điều, khoản" (and "| ghi chú" when there is one). Every cell is
written as text, never as a formula. The workbook reads like an office's own sheet: Vietnamese
headers, dates DD/MM/YYYY, the status in words; it reads back workbooks with either the
Vietnamese or the field-name headers (files exported before). YAML and JSON keep field names
and ISO dates: they are the seed format.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import yaml
from pydantic import ValidationError

from handlers import texts
from handlers.file_problems import FileProblem, decode, load_yaml, read_workbook
from handlers.sheets import check_unpacked
from knowledge.entries import Entry, problem
from knowledge.normalize import fold

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
DATE_COLUMNS = frozenset({"valid_from", "review_after"})
SHEET = "Kho câu hỏi"
# The workbook's headers, and how wide each column is (in characters).
HEADERS = {
    "id": ("Mã mục", 24),
    "group": ("Chủ đề", 22),
    "topic": ("Tiêu đề", 30),
    "questions": ("Cách hỏi", 45),
    "keywords": ("Từ khoá", 24),
    "answer": ("Câu trả lời", 70),
    "sources": ("Căn cứ", 45),
    "status": ("Trạng thái", 12),
    "valid_from": ("Hiệu lực từ", 13),
    "review_after": ("Rà soát từ ngày", 15),
    "amended_note": ("Ghi chú sửa đổi", 30),
}
SOURCE_PARTS = ("law", "number", "article", "note")
REQUIRED = ("id", "topic", "questions", "answer", "sources")


def _key(header: str) -> str:
    return " ".join(fold(header).replace("_", " ").split())


# A header as written in a file (either language, any case or diacritics) -> the field.
_FIELD_OF = {_key(name): field for field, (name, _) in HEADERS.items()} | {
    _key(field): field for field in COLUMNS
}
_STATUS_OF = {_key(label): value for value, label in texts.KB_STATUS.items()}


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
        return f"{value:%d/%m/%Y}"
    if column == "status":
        return str(texts.KB_STATUS.get(value.value, value.value))
    return str(value.value if hasattr(value, "value") else value)


def export(entries: Sequence[Entry], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps([_plain(e) for e in entries], ensure_ascii=False, indent=2).encode()
    if fmt == "yaml":
        text = yaml.safe_dump([_plain(e) for e in entries], allow_unicode=True, sort_keys=False)
        return text.encode()
    # openpyxl is imported here, not at start-up: only exports and imports need it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([HEADERS[column][0] for column in COLUMNS])
    for entry in entries:
        sheet.append([_cell(entry, column) for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = HEADERS[column][1]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # Text a person typed stays text: "=1+1" must not become a formula in Excel.
            cell.data_type = "s"
            cell.alignment = wrap
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_from_cells(values: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, raw in values.items():
        if isinstance(raw, datetime | date) and column in DATE_COLUMNS:
            row[column] = (raw.date() if isinstance(raw, datetime) else raw).isoformat()
            continue
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if column in LIST_COLUMNS:
            row[column] = [line.strip() for line in text.splitlines() if line.strip()]
        elif column == "sources":
            sources = []
            for line in (part for part in text.splitlines() if part.strip()):
                parts = [p.strip() for p in line.split("|")]
                sources.append(dict(zip(SOURCE_PARTS, parts, strict=False)))
            row[column] = sources
        elif column == "status":
            row[column] = _STATUS_OF.get(_key(text), text)
        elif column in DATE_COLUMNS:
            row[column] = _iso_date(text)
        else:
            row[column] = text
    return row


def _iso_date(text: str) -> str:
    """DD/MM/YYYY (as exported) or an ISO date; anything else is left for the check to name."""
    try:
        return datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    except ValueError:
        return text


def _sheet_lines(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    check_unpacked(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    return list(book.worksheets[0].iter_rows(values_only=True))


def _rows(data: bytes, fmt: str, name: str) -> list[tuple[int, Any]]:
    if fmt == "xlsx":
        try:
            lines = read_workbook(data, name, _sheet_lines)
        except FileProblem as exc:
            raise KbFileError([str(exc)]) from None
        if not lines:
            raise KbFileError(["Tệp Excel không có dòng nào."])
        header = [_FIELD_OF.get(_key(str(h or "")), "") for h in lines[0]]
        missing = [HEADERS[c][0] for c in REQUIRED if c not in header]
        if missing:
            raise KbFileError([f"Dòng 1: thiếu cột {', '.join(missing)}"])
        return [
            (
                number,
                _row_from_cells(
                    {name: value for name, value in zip(header, line, strict=False) if name}
                ),
            )
            for number, line in enumerate(lines[1:], start=2)
            if any(value not in (None, "") for value in line)
        ]
    try:
        text = decode(data, name)
        if fmt == "json":
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FileProblem(
                    f"Tệp {name}, dòng {exc.lineno}, cột {exc.colno}: không đúng cú pháp JSON."
                ) from None
            except (ValueError, RecursionError):
                raise FileProblem(f"Tệp {name}: không đọc được nội dung JSON.") from None
        else:
            loaded = load_yaml(text, name)
    except FileProblem as exc:
        raise KbFileError([str(exc)]) from None
    if isinstance(loaded, dict):
        group = loaded.get("group")
        entries = loaded.get("entries") or []
        if not isinstance(entries, list):
            raise KbFileError([f"Tệp {name}: 'entries' phải là một danh sách các mục."])
        loaded = [
            {"group": group, **item} if group and isinstance(item, dict) else item
            for item in entries
        ]
    if not isinstance(loaded, list):
        raise KbFileError([f"Tệp {name} phải là một danh sách các mục."])
    return list(enumerate(loaded, start=1))


def _row_name(number: int, fmt: str) -> str:
    # A spreadsheet's rows are numbered as Excel shows them; a YAML or JSON list by position.
    return f"Dòng {number}" if fmt == "xlsx" else f"Mục {number}"


def _where(loc: tuple[int | str, ...], fmt: str) -> str:
    """The column (XLSX: its Vietnamese header) or field of a problem."""
    if not loc:
        return "cột ?"
    field = str(loc[0])
    name = f"cột {HEADERS[field][0]}" if fmt == "xlsx" and field in HEADERS else f"cột {field}"
    if field == "sources" and len(loc) >= 2:
        part = f", {texts.KB_SOURCE_PARTS.get(str(loc[2]), str(loc[2]))}" if len(loc) > 2 else ""
        return f"{name} (căn cứ thứ {int(loc[1]) + 1}{part})"
    if len(loc) >= 2 and isinstance(loc[1], int):
        return f"{name} (dòng {loc[1] + 1} trong ô)"
    return name


def parse(data: bytes, fmt: str, name: str = "tệp") -> list[Entry]:
    """Every entry of the file, or every problem in it (nothing half-read)."""
    problems: list[str] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, row in _rows(data, fmt, name):
        if not isinstance(row, dict):
            problems.append(
                f"{_row_name(number, fmt)}: không phải một mục (cần các trường "
                + ", ".join(REQUIRED)
                + ")"
            )
            continue
        try:
            entry = Entry.model_validate(row)
        except ValidationError as exc:
            for err in exc.errors():
                where = _where(err["loc"], fmt)
                said = problem(err)
                if fmt == "xlsx" and err["loc"] and err["loc"][0] in DATE_COLUMNS:
                    said = "ngày không hợp lệ (dùng dạng ngày/tháng/năm, ví dụ 31/01/2027)"
                problems.append(f"{_row_name(number, fmt)}, {where}: {said}")
            continue
        if entry.id in seen:
            where = _where(("id",), fmt)
            problems.append(f"{_row_name(number, fmt)}, {where}: trùng mã {entry.id}")
        seen.add(entry.id)
        entries.append(entry)
    if problems:
        raise KbFileError(problems)
    return entries
