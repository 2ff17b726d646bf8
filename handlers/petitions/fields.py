"""Lĩnh vực of đơn thư: the office's own list (``handlers/data/petition_fields.yaml``), the
label a report shows for a key, and the chat's choice of one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

FIELDS_FILE = Path(__file__).parent.parent / "data" / "petition_fields.yaml"


def load(path: Path = FIELDS_FILE) -> dict[str, str]:
    """key -> label, in the file's order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(row["key"]): str(row["label"]) for row in data.get("fields", [])}


@lru_cache(maxsize=1)
def field_list() -> dict[str, str]:
    return load()


def label(key: str, known: dict[str, str] | None = None) -> str:
    """A key's label; a key no longer listed shows as itself, never disappears."""
    return (field_list() if known is None else known).get(key, key)
