"""Importing and exporting units (communes, wards, offices) as YAML or CSV, and loading the
official 2025 units from the reference data (`load`).

YAML: a list of {code, name, kind, parent, aliases, profile}. CSV columns: code, name, kind,
parent, aliases (separated by ";"), address, phone, hours. ``parent`` is the parent's code or
name. Units are matched by code, or by name when they have none; an import is all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, people
from db.models import Unit
from handlers.file_problems import FileProblem, load_yaml
from handlers.sheets import csv_safe, from_csv
from handlers.units.reference import Reference, reference
from knowledge.entries import problem

KINDS = ("tinh", "xa", "phuong", "dac_khu", "co_quan")
CSV_COLUMNS = ("code", "name", "kind", "parent", "aliases", "address", "phone", "hours")
PROFILE_KEYS = ("address", "phone", "hours")


class UnitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(default=None, max_length=16)
    name: str = Field(min_length=2, max_length=200)
    kind: str = Field(pattern="^(" + "|".join(KINDS) + ")$")
    parent: str | None = None
    aliases: list[str] = []
    profile: dict[str, Any] = {}


class UnitImportError(ValueError):
    """A row is wrong; the message names the row and the field."""


@dataclass
class UnitReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Thêm mới: {len(self.added)}; cập nhật: {len(self.updated)}."
        return text + (f" Không đổi: {len(self.unchanged)}." if self.unchanged else "")


def parse(text: str, fmt: str, name: str = "tệp") -> list[UnitSpec]:
    """Every unit of the file, or a UnitImportError naming every row and column that is wrong."""
    if fmt == "csv":
        rows: list[Any] = []
        try:
            for cells in csv.DictReader(io.StringIO(text)):
                raw = {
                    key: from_csv(value) if isinstance(value, str) else value
                    for key, value in cells.items()
                }
                profile = {k: raw.pop(k) for k in PROFILE_KEYS if raw.get(k)}
                for key in PROFILE_KEYS:
                    raw.pop(key, None)
                listed = raw.pop("aliases", "") or ""
                aliases = [a.strip() for a in str(listed).split(";") if a.strip()]
                row: dict[str, Any] = {k: v for k, v in raw.items() if v}
                rows.append({**row, "aliases": aliases, "profile": profile})
        except csv.Error as exc:
            raise UnitImportError(f"Tệp {name}: không đúng dạng CSV ({exc}).") from None
    else:
        try:
            loaded = load_yaml(text, name) or []
        except FileProblem as exc:
            raise UnitImportError(str(exc)) from None
        if not isinstance(loaded, list):
            raise UnitImportError(f"Tệp {name} phải là một danh sách đơn vị, mỗi mục một đơn vị.")
        rows = loaded
    specs = []
    problems = []
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, dict):
            problems.append(f"Dòng {number}: không phải một đơn vị (cần name, kind, ...).")
            continue
        try:
            specs.append(UnitSpec.model_validate(item))
        except ValidationError as exc:
            problems += [
                f"Dòng {number}, cột {'.'.join(str(p) for p in e['loc']) or '?'}: {problem(e)}"
                for e in exc.errors()
            ]
    if problems:
        raise UnitImportError("\n".join(problems))
    return specs


async def apply(
    session: AsyncSession, specs: list[UnitSpec], now: datetime, actor: str
) -> UnitReport:
    """Upsert the units in order (a parent before its children, or already present)."""
    report = UnitReport()
    for number, spec in enumerate(specs, start=1):
        parent_id = None
        if spec.parent:
            parent = await people.unit_by_code_or_name(session, spec.parent)
            if parent is None:
                raise UnitImportError(
                    f'Dòng {number}: không tìm thấy đơn vị cấp trên "{spec.parent}"'
                )
            parent_id = parent.id
        existing = await people.unit_by_code_or_name(session, spec.code or spec.name)
        values: dict[str, Any] = {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "parent_id": parent_id,
            "aliases": spec.aliases,
            "profile": spec.profile,
        }
        if existing is None:
            unit = Unit.model_validate({**values, "created_at": now})
            session.add(unit)
            await session.flush()
            report.added.append(spec.name)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="unit.add",
                target=f"unit:{unit.id}",
                after=values,
            )
        else:
            before = {k: getattr(existing, k) for k in values}
            _update(session, existing, before, values, actor, now)
            report.updated.append(spec.name)
    return report


async def export(session: AsyncSession, fmt: str) -> str:
    units = list(await people.units(session))
    by_id = {u.id: u for u in units}
    rows: list[dict[str, Any]] = []
    for unit in units:
        parent = by_id.get(unit.parent_id) if unit.parent_id else None
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "parent": (parent.code or parent.name) if parent else None,
                "aliases": list(unit.aliases),
                "profile": dict(unit.profile),
            }
        )
    if fmt != "csv":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        profile = row.pop("profile")
        cells = {
            **{k: v or "" for k, v in row.items() if k != "aliases"},
            "aliases": ";".join(row["aliases"]),
            **{k: profile.get(k, "") for k in PROFILE_KEYS},
        }
        writer.writerow({k: csv_safe(v) if isinstance(v, str) else v for k, v in cells.items()})
    return out.getvalue()


def official_specs(
    province: str, communes: list[str] | None = None, ref: Reference | None = None
) -> list[UnitSpec]:
    """The province and the chosen communes (all of them when none is named) as units with
    their official codes, the former units each took in kept as aliases."""
    ref = ref or reference()
    codes = ref.province_codes(province)
    if len(codes) != 1:
        raise UnitImportError(f'Không tìm thấy tỉnh, thành phố "{province}" trong danh mục 2025.')
    code = codes[0]
    chosen = []
    for wanted in communes or []:
        found = ref.communes_named(wanted, code)
        if not found:
            raise UnitImportError(
                f'Không có xã, phường "{wanted}" thuộc {ref.provinces[code]} trong danh mục 2025.'
            )
        chosen.extend(found)
    if not communes:
        chosen = ref.communes_in(code)
    specs = [UnitSpec(code=code, name=ref.provinces[code], kind="tinh")]
    for commune in dict.fromkeys(chosen):
        aliases = [f.address() for f in ref.formers_of.get(commune.code, [])]
        specs.append(
            UnitSpec(
                code=commune.code,
                name=commune.name,
                kind=commune.kind,
                parent=code,
                aliases=list(dict.fromkeys(aliases)),
            )
        )
    return specs


async def load(
    session: AsyncSession, specs: list[UnitSpec], now: datetime, actor: str
) -> UnitReport:
    """Upsert official units by code. A unit typed by hand under the same name and without a
    code is taken over (it gets the code); aliases an admin added and the profile are kept.
    Running it again changes nothing."""
    report = UnitReport()
    units = list(await people.units(session))
    by_code = {u.code: u for u in units if u.code}
    by_name = {u.name: u for u in units if not u.code}
    for spec in specs:
        assert spec.code is not None
        parent = by_code.get(spec.parent) if spec.parent else None
        existing = by_code.get(spec.code) or by_name.get(spec.name)
        values: dict[str, Any] = {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "parent_id": parent.id if parent else None,
        }
        if existing is None:
            unit = Unit.model_validate(
                {**values, "aliases": spec.aliases, "profile": {}, "created_at": now}
            )
            session.add(unit)
            await session.flush()
            by_code[spec.code] = unit
            report.added.append(spec.name)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="unit.load",
                target=f"unit:{unit.id}",
                after={**values, "aliases": spec.aliases},
            )
            continue
        values["aliases"] = list(dict.fromkeys([*existing.aliases, *spec.aliases]))
        before = {k: getattr(existing, k) for k in values}
        by_code[spec.code] = existing
        if before == values:
            report.unchanged.append(spec.name)
            continue
        _update(session, existing, before, values, actor, now)
        report.updated.append(spec.name)
    return report


def _update(
    session: AsyncSession,
    unit: Unit,
    before: dict[str, Any],
    values: dict[str, Any],
    actor: str,
    now: datetime,
) -> None:
    """Write the new values of a unit, audited with what they were."""
    for key, value in values.items():
        setattr(unit, key, value)
    session.add(unit)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="unit.update",
        target=f"unit:{unit.id}",
        before=before,
        after=values,
    )
