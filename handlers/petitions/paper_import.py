"""A book of paper đơn imported at once (`dccs petitions import`).

Every row is checked as the chat checks a citizen's answers (name, phone, a received date not in
the future), every problem of the file is reported at once and nothing is entered until the
file is clean. A re-import enters nothing twice: a row with the office's own số đến (the
optional ``so_den`` column) is keyed on it; otherwise the same unit, received date, phone and
summary are the same đơn, and the row is reported as already imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Petition, PetitionParty
from handlers import texts
from handlers.clock import VN_TZ
from handlers.forms import is_name, normalize_phone
from handlers.petitions.filing import FIRST_STEP
from handlers.petitions.paper import enter_paper
from knowledge.normalize import fold

COLUMNS = (
    "so_den",
    "kind",
    "unit",
    "source",
    "source_note",
    "received",
    "name",
    "phone",
    "address",
    "summary",
    "accused",
    "second_round",
    "disciplinary",
)
MAX_SUMMARY = 2000
_YES = frozenset({"true", "co", "x", "1", "yes"})
_NO = frozenset({"false", "khong", "", "0", "no"})


class PaperImportError(ValueError):
    """The file has problems; ``problems`` lists each one with its row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class PaperImport:
    entered: list[Petition] = field(default_factory=list)
    # (where in the file, the code of the đơn entered before)
    already: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Row:
    where: str
    number: int
    values: dict[str, Any]
    unit_id: int
    received: datetime


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    folded = fold(_text(value))
    return True if folded in _YES else False if folded in _NO else None


def _phone(value: Any) -> tuple[str, str | None]:
    """The phone as stored, and a problem (Vietnamese) if it is not a Vietnamese number."""
    if value is None or _text(value) == "":
        return "", None
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if normalize_phone("0" + digits) is not None:
            return "", (
                f"số điện thoại {digits} mất số 0 ở đầu (ô Excel dạng số): đặt cột là "
                "Văn bản (Text) rồi gõ lại số có số 0"
            )
    found = normalize_phone(_text(value))
    if found is None:
        return "", f"số điện thoại {_text(value)} không đúng (10 số, bắt đầu bằng 0)"
    return found, None


def _received(value: Any, today: date) -> tuple[datetime | None, str | None]:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = datetime.strptime(_text(value), "%d/%m/%Y").date()
        except ValueError:
            return None, "ngày nhận phải có dạng ngày/tháng/năm, ví dụ 02/11/2026"
    if day > today:
        return None, f"ngày nhận {day:%d/%m/%Y} ở tương lai (hôm nay là {today:%d/%m/%Y})"
    return datetime(day.year, day.month, day.day, 8, tzinfo=VN_TZ), None


async def _check(
    session: AsyncSession, item: Any, where: str, number: int, today: date
) -> tuple[_Row | None, list[str]]:
    if not isinstance(item, dict):
        return None, [
            f"{where}: không phải một đơn (mỗi đơn là một dòng có các cột kind, unit, "
            "received, name, summary)"
        ]
    problems: list[str] = []

    def bad(column: str, said: str) -> None:
        problems.append(f"{where}, cột {column}: {said}")

    for column, value in item.items():
        if str(column) not in COLUMNS:
            bad(str(column), "cột này không dùng (các cột: " + ", ".join(COLUMNS) + ")")
        elif isinstance(value, dict | list | tuple | set):
            bad(str(column), "phải là chữ, số hoặc ngày, không phải danh sách")
    values = {k: v for k, v in item.items() if str(k) in COLUMNS}
    kind = _text(values.get("kind"))
    if kind not in FIRST_STEP:
        bad("kind", "phải là khieu_nai, to_cao, kien_nghi, phan_anh hoặc kien_nghi_btnd")
    source = _text(values.get("source")) or "paper"
    if source not in texts.PETITION_SOURCES or source == "chat":
        bad("source", "phải là paper, post, desk hoặc forwarded")
    unit_name = _text(values.get("unit"))
    unit = await people.unit_by_code_or_name(session, unit_name) if unit_name else None
    if unit is None or unit.id is None:
        bad("unit", f"không có đơn vị '{unit_name}'" if unit_name else "thiếu đơn vị")
    received, wrong = _received(values.get("received"), today)
    if wrong:
        bad("received", wrong)
    name = _text(values.get("name"))
    # A Ban Thanh tra nhân dân's kiến nghị is signed by the board, not by a person.
    named = is_name(name) if kind != "kien_nghi_btnd" else len(name) >= 2
    if not named:
        bad("name", "cần họ và tên người gửi (ít nhất hai chữ, không có chữ số)")
    phone, wrong = _phone(values.get("phone"))
    if wrong:
        bad("phone", wrong)
    summary = _text(values.get("summary"))
    if not summary:
        bad("summary", "thiếu nội dung đơn")
    elif len(summary) > MAX_SUMMARY:
        bad("summary", f"quá dài ({len(summary)} ký tự, tối đa {MAX_SUMMARY})")
    for flag in ("second_round", "disciplinary"):
        if flag in values and _flag(values[flag]) is None:
            bad(flag, "phải là có hoặc không")
    if problems or unit is None or unit.id is None or received is None:
        return None, problems
    cleaned = {
        **{k: _text(v) for k, v in values.items() if k not in ("second_round", "disciplinary")},
        "kind": kind,
        "source": source,
        "name": name,
        "phone": phone,
        "summary": summary,
        "received": f"{received:%d/%m/%Y}",
        "second_round": bool(_flag(values.get("second_round"))),
        "disciplinary": bool(_flag(values.get("disciplinary"))),
    }
    return _Row(where, number, cleaned, unit.id, received), []


def _key(row: _Row) -> tuple[Any, ...]:
    number = row.values.get("so_den")
    if number:
        return (row.unit_id, "so_den", number)
    values = row.values
    return (row.unit_id, row.received, values["phone"], values["summary"])


async def _entered_before(session: AsyncSession, row: _Row) -> Petition | None:
    """The đơn a previous import made of this row, if any."""
    of_unit = or_(
        col(Petition.unit_id) == row.unit_id, col(Petition.routed_from_unit_id) == row.unit_id
    )
    number = row.values.get("so_den")
    if number:
        query = select(Petition).where(of_unit, col(Petition.office_number) == number)
    else:
        query = (
            select(Petition)
            .join(PetitionParty, col(PetitionParty.petition_id) == col(Petition.id))
            .where(
                of_unit,
                col(Petition.source) != "chat",
                col(Petition.received_at) == row.received,
                col(Petition.summary) == row.values["summary"],
                col(PetitionParty.phone) == row.values["phone"],
            )
        )
    return (await session.exec(query.limit(1))).first()


async def import_rows(
    session: AsyncSession,
    rows: list[Any],
    now: datetime,
    actor: str,
    where: Callable[[int], str],
) -> PaperImport:
    """Enter every new đơn of the file, in the caller's transaction; nothing if any row is
    wrong (``PaperImportError`` lists them all). ``where(n)`` names the n-th row (from 1)."""
    today = now.astimezone(VN_TZ).date()
    checked: list[_Row] = []
    problems: list[str] = []
    seen: dict[tuple[Any, ...], str] = {}
    for number, item in enumerate(rows, start=1):
        row, found = await _check(session, item, where(number), number, today)
        problems += found
        if row is None:
            continue
        key = _key(row)
        if key in seen:
            problems.append(f"{row.where}: trùng với {seen[key]} (cùng một đơn)")
            continue
        seen[key] = row.where
        checked.append(row)
    if problems:
        raise PaperImportError(problems)
    done = PaperImport()
    for row in checked:
        before = await _entered_before(session, row)
        if before is not None:
            done.already.append((row.where, before.code))
            continue
        done.entered.append(await enter_paper(session, row.values, row.number, now, actor))
    return done
