"""Logical backup and restore: every table as JSON, plus the stored files, in one .tar.gz.

Logical rather than a file copy so a backup taken on SQLite restores into PostgreSQL and back,
and so the archive can be checked by eye. Restore goes into an empty database only.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Integer, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db.models import UTCDateTime

FORMAT = 1
# Rows every fresh database has from its migrations; restore replaces them.
SEEDED_TABLES = frozenset({"kb_state"})


class RestoreError(RuntimeError):
    """The target is not empty, or the archive is not one of ours."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


async def dump(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    async with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(select(table))
            tables[table.name] = [dict(row._mapping) for row in result]
    return tables


def write_archive(path: Path, tables: dict[str, list[dict[str, Any]]], files: Path) -> int:
    payload = json.dumps(
        {"format": FORMAT, "tables": tables}, default=_encode, ensure_ascii=False
    ).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("database.json")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        if files.is_dir():
            archive.add(files, arcname="files")
    return sum(len(rows) for rows in tables.values())


def read_archive(path: Path, files: Path) -> dict[str, list[dict[str, Any]]]:
    with tarfile.open(path, "r:gz") as archive:
        member = archive.extractfile("database.json")
        if member is None:
            raise RestoreError("Tệp sao lưu không có dữ liệu.")
        data = json.loads(member.read())
        stored = [m for m in archive.getmembers() if m.name.startswith("files/")]
        if stored:
            files.parent.mkdir(parents=True, exist_ok=True)
            archive.extractall(files.parent, members=stored, filter="data")
    if data.get("format") != FORMAT:
        raise RestoreError("Tệp sao lưu không đúng định dạng.")
    tables: dict[str, list[dict[str, Any]]] = data["tables"]
    return tables


def _decode(table_name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table = SQLModel.metadata.tables[table_name]
    decoders: dict[str, Callable[[str], date]] = {}
    for column in table.columns:
        if isinstance(column.type, UTCDateTime):
            decoders[column.name] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            decoders[column.name] = date.fromisoformat
    return [
        {k: decoders[k](v) if k in decoders and v is not None else v for k, v in row.items()}
        for row in rows
    ]


async def restore(engine: AsyncEngine, tables: dict[str, list[dict[str, Any]]]) -> int:
    """Load a dump into a migrated, empty database in one transaction."""
    restored = 0
    async with engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in SEEDED_TABLES:
                continue
            count = (await connection.execute(select(table).limit(1))).first()
            if count is not None:
                raise RestoreError(f"Cơ sở dữ liệu đích đã có dữ liệu (bảng {table.name}).")
        for table in SQLModel.metadata.sorted_tables:
            rows = _decode(table.name, tables.get(table.name, []))
            if table.name in SEEDED_TABLES:
                await connection.execute(table.delete())
            if rows:
                await connection.execute(table.insert(), rows)
                restored += len(rows)
        if connection.dialect.name == "postgresql":
            # Explicit ids were inserted; move each sequence past them.
            for table in SQLModel.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, Integer):
                    name, column = table.name, pk[0].name
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                            f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
                        )
                    )
    return restored
