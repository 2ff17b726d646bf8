"""The knowledge-base entry format and the YAML seed files that carry it.

An entry answers one question a citizen or official asks, in several phrasings, with the
legal source it rests on. The YAML files under ``content/`` seed the database; the database
is the source of truth once seeded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONTENT_DIR = Path(__file__).parent / "content"
MAX_ANSWER_CHARS = 900
WHOLE_TEXT = "toàn văn"
# Said after an amendment note: the quoted text has changed since, so the person checks with
# the commune (issue 17: plainly, never "chưa đối chiếu").
AMENDED_ADVICE = "anh/chị nên hỏi cán bộ xã để được hướng dẫn theo quy định hiện hành"


# The topic menu: citizens' topics first, in this order; a group not listed here (one an admin
# made) follows them, and the officials' group is always last (issue 17).
CITIZEN_GROUPS = (
    "Khiếu nại, tố cáo, kiến nghị, phản ánh",
    "Tiếp công dân",
    "Dân chủ ở cơ sở",
    "Chính quyền hai cấp và luật mới",
    "Dân chủ trong cơ quan, doanh nghiệp",
    "Về Trợ lý và dữ liệu cá nhân",
)
STAFF_GROUP = "Dành cho cán bộ"


def menu_rank(group: str) -> int:
    """Where a topic group sits in the browsing menu (lower first)."""
    if group == STAFF_GROUP:
        return len(CITIZEN_GROUPS) + 1
    try:
        return CITIZEN_GROUPS.index(group)
    except ValueError:
        return len(CITIZEN_GROUPS)


class EntryStatus(StrEnum):
    """Whether an entry may be shown to citizens."""

    published = "published"
    draft = "draft"
    retired = "retired"


class Source(BaseModel):
    """A legal source: the instrument, its number, and the article (and clause) relied on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    law: str = Field(min_length=3, description="Tên văn bản, ví dụ 'Luật Khiếu nại'")
    number: str = Field(min_length=3, description="Số hiệu, ví dụ '02/2011/QH13'")
    article: str = Field(min_length=3, description="Điều, khoản, ví dụ 'Điều 9'")
    note: str | None = None

    def instrument(self) -> str:
        """ "Luật Khiếu nại số 02/2011/QH13", "Nghị định 61/2023/NĐ-CP"."""
        joiner = " số " if self.law.startswith("Luật") else " "
        return f"{self.law}{joiner}{self.number}"


class Entry(BaseModel):
    """One curated question and its answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{2,63}$")
    # The browsing menu's heading this entry sits under ("Tiếp công dân").
    group: str = Field(default="Khác", min_length=2, max_length=80)
    topic: str = Field(min_length=2)
    questions: tuple[str, ...] = Field(min_length=2)
    answer: str = Field(min_length=20, max_length=MAX_ANSWER_CHARS)
    sources: tuple[Source, ...] = Field(min_length=1)
    status: EntryStatus = EntryStatus.published
    valid_from: date | None = None
    review_after: date | None = None
    # Extra words people use for this topic that are not in any phrasing ("tiep dan", "kn").
    keywords: tuple[str, ...] = ()
    # Said after the citation when the quoted text has since been amended.
    amended_note: str | None = None

    @field_validator("questions", "keywords")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("không được có dòng trống")
        return value

    def citation(self) -> str:
        """The "Căn cứ: …" line shown under the answer."""
        # Articles of one instrument are listed together: "Điều 9; Điều 48 Luật Khiếu nại …".
        groups: dict[str, list[Source]] = {}
        for source in self.sources:
            groups.setdefault(source.instrument(), []).append(source)
        parts = []
        for instrument, sources in groups.items():
            # "toàn văn" marks a citation of the whole instrument, with no article to name.
            articles = "; ".join(s.article for s in sources if s.article != WHOLE_TEXT)
            notes = [s.note for s in sources if s.note]
            cited = f"{articles} {instrument}" if articles else instrument
            parts.append(cited + (f" ({'; '.join(notes)})" if notes else ""))
        line = "Căn cứ: " + "; ".join(parts)
        if self.amended_note:
            line += f"; {self.amended_note}, {AMENDED_ADVICE}"
        return line + "."

    def content_hash(self) -> str:
        """A stable fingerprint of what the YAML says, to tell seed changes from admin edits."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ContentError(ValueError):
    """A seed file is malformed; the message names the file and entry."""


def _entries_in(path: Path) -> list[Entry]:
    """A seed file: ``{group: …, entries: [...]}``, or a bare list of entries."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: YAML không hợp lệ: {exc}") from exc
    group = None
    if isinstance(raw, dict):
        group, raw = raw.get("group"), raw.get("entries")
    if not isinstance(raw, list):
        raise ContentError(f"{path.name}: phải là một danh sách các mục")
    entries = []
    for position, item in enumerate(raw, start=1):
        label = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
        if group and isinstance(item, dict):
            item = {"group": group, **item}
        try:
            entries.append(Entry.model_validate(item))
        except ValidationError as exc:
            raise ContentError(f"{path.name}, mục {label}: {describe(exc)}") from exc
    return entries


_MESSAGES = {
    "missing": "thiếu",
    "string_too_short": "quá ngắn (ít nhất {min_length} ký tự)",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "too_short": "cần ít nhất {min_length} mục",
    "too_long": "nhiều quá (tối đa {max_length} mục)",
    "string_pattern_mismatch": "không đúng mẫu cho phép",
    "extra_forbidden": "trường này không được dùng",
    "enum": "giá trị không hợp lệ (cho phép: {expected})",
    "date_from_datetime_parsing": "ngày không hợp lệ (dùng dạng NNNN-TT-NN)",
    "date_parsing": "ngày không hợp lệ (dùng dạng NNNN-TT-NN)",
    "date_type": "ngày không hợp lệ (dùng dạng NNNN-TT-NN)",
    "string_type": "phải là chữ",
    "value_error": "{msg}",
    "list_type": "phải là một danh sách",
    "tuple_type": "phải là một danh sách",
    "model_type": "phải là một bảng các trường",
    "model_attributes_type": "phải là một bảng các trường",
    "dict_type": "phải là một bảng các trường",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "bool_type": "phải là có hoặc không",
    "bool_parsing": "phải là có hoặc không",
    "literal_error": "giá trị không hợp lệ (cho phép: {expected})",
    "date_from_datetime_inexact": "ngày không hợp lệ (chỉ ghi ngày, không ghi giờ)",
    "date_future": "ngày không được ở tương lai",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than_equal": "phải không quá {le}",
    "greater_than": "phải lớn hơn {gt}",
}


def problem(err: Any) -> str:
    """One pydantic error in Vietnamese, for the people who fix the file."""
    template = _MESSAGES.get(err["type"])
    if template is None:
        # Never pydantic's English sentence to an admin.
        return "giá trị không hợp lệ"
    try:
        said = str(err["msg"]).removeprefix("Value error, ")
        context = dict(err.get("ctx", {}))
        if isinstance(context.get("expected"), str):
            # pydantic lists the allowed values as "'a', 'b' or 'c'".
            context["expected"] = context["expected"].replace(" or ", " hoặc ")
        return template.format(**{**context, "msg": said})
    except (KeyError, IndexError):
        return "giá trị không hợp lệ"


def describe(exc: ValidationError) -> str:
    """Pydantic's errors as "field: problem; …" for people fixing a file."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {problem(err)}" for err in exc.errors()
    )


def load_entries(paths: Iterable[Path] | None = None) -> list[Entry]:
    """Read and validate every seed file; ids must be unique across files."""
    files = sorted(paths) if paths is not None else sorted(CONTENT_DIR.glob("*.yaml"))
    seen: dict[str, str] = {}
    entries: list[Entry] = []
    for path in files:
        for entry in _entries_in(path):
            if entry.id in seen:
                raise ContentError(
                    f"{path.name}, mục {entry.id}: trùng id với một mục trong {seen[entry.id]}"
                )
            seen[entry.id] = path.name
            entries.append(entry)
    return entries
