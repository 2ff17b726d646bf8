"""Reading plan files officials keep in Excel: one sheet per table, a header row of field names.

Cells come back as the text a YAML file would hold: dates as DD/MM/YYYY, times as HH:MM, whole
numbers as numbers, lists ("7, 3, 1, 0") as lists of numbers.
"""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO
from typing import Any
from zipfile import BadZipFile, ZipFile

from handlers import texts
from handlers.file_problems import FileProblem, TooManyRows

LIST_FIELDS = frozenset({"lead_days"})
TIME_FIELDS = frozenset({"start", "end", "remind_at"})


def _value(field: str, cell: Any) -> Any:
    if isinstance(cell, datetime):
        return f"{cell:%H:%M}" if field in TIME_FIELDS else f"{cell:%d/%m/%Y}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, time):
        return f"{cell:%H:%M}"
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if field in LIST_FIELDS and isinstance(cell, str):
        return [int(part) for part in cell.replace(";", ",").split(",") if part.strip().isdigit()]
    if field in LIST_FIELDS and isinstance(cell, int):
        return [cell]
    return cell


class SheetRows(list[dict[str, Any]]):
    """A sheet's rows, with the number each row has in the sheet: blank rows are skipped, and
    an error must still name the row the office sees in Excel."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[int] = []


# No import file of ours has more than a few dozen columns.
MAX_COLUMNS = 64
# What a workbook may unpack to. An XLSX is a zip of XML: a few hundred KB can hold millions
# of rows, and openpyxl reads a sheet without a size whole before its first row.
MAX_UNPACKED = 10_000_000


def check_unpacked(data: bytes) -> None:
    """Refuse a workbook that unpacks to more than ``MAX_UNPACKED`` bytes, before parsing it
    (a file that is no zip is left for the reader to name)."""
    try:
        with ZipFile(BytesIO(data)) as packed:
            unpacked = sum(item.file_size for item in packed.infolist())
    except (BadZipFile, ValueError):
        return
    if unpacked > MAX_UNPACKED:
        raise FileProblem(texts.WORKBOOK_TOO_BIG.format(megabytes=MAX_UNPACKED // 1_000_000))


def read_sheets(data: bytes, max_rows: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every sheet as a list of rows keyed by the header row; empty rows are skipped (each
    sheet is a ``SheetRows``, which keeps the rows' numbers in the sheet). A sheet longer than
    ``max_rows`` is refused as soon as it is seen: a few KB of XLSX unpack to millions of rows."""
    # Imported here: CSV helpers of this module are on the start-up path, openpyxl need not be.
    from openpyxl import load_workbook

    if max_rows is not None:
        check_unpacked(data)
    book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    tables: dict[str, list[dict[str, Any]]] = {}
    for sheet in book.worksheets:
        # Bounds given, or openpyxl measures an unsized sheet by reading all of it first.
        rows = sheet.iter_rows(
            max_row=max_rows + 2 if max_rows is not None else None,
            max_col=MAX_COLUMNS if max_rows is not None else None,
            values_only=True,
        )
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        table = SheetRows()
        # The header is row 1 of the sheet.
        for number, values in enumerate(rows, start=2):
            if max_rows is not None and number > max_rows + 1:
                raise TooManyRows(max_rows)
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            table.numbers.append(number)
            table.append(
                {
                    field: _value(field, cell)
                    for field, cell in zip(header, values, strict=False)
                    if field and cell is not None
                }
            )
        tables[sheet.title.strip().lower()] = table
    return tables


# A cell starting with one of these is a formula to Excel and LibreOffice ("=HYPERLINK(…)",
# "@SUM(…)", "+cmd|…"); a leading apostrophe makes it text, and is taken off on import.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def from_csv(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value
