"""Build `handlers/data/units_2025.json` from the `vietnamadminunits` wheel (MIT licence).

The package is not a run-time dependency: it pulls shapely, geopy and tqdm, and for an old
commune split between several new ones it geocodes the street over the network, which the
product never does at run time. Its data is what we need, so a maintainer regenerates our file
from the wheel when the package publishes new data:

    pip download --no-deps -d /tmp/w vietnamadminunits==1.0.4
    dccs units build-data /tmp/w/vietnamadminunits-1.0.4-py3-none-any.whl

The package's licence is copied beside the data (`units_2025.LICENSE.txt`).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from handlers.units.reference import DATA_PATH, KIND_OF_TYPE, LICENSE_PATH

PACKAGE = "vietnamadminunits"


class BuildError(ValueError):
    """The wheel is not the package, or its data has a shape we do not know."""


def _member(archive: zipfile.ZipFile, suffix: str) -> str:
    names = [n for n in archive.namelist() if n.endswith(suffix)]
    if len(names) != 1:
        raise BuildError(f"Gói không có đúng một tệp {suffix}")
    return names[0]


def _metadata(archive: zipfile.ZipFile) -> dict[str, str]:
    text = archive.read(_member(archive, ".dist-info/METADATA")).decode("utf-8")
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            break
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    if fields.get("Name") != PACKAGE:
        raise BuildError(f"Đây không phải gói {PACKAGE}")
    return fields


def build(wheel: Path) -> tuple[dict[str, Any], str]:
    """The reference data and the licence text, read from the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        meta = _metadata(archive)
        licence = archive.read(_member(archive, ".dist-info/licenses/LICENSE")).decode("utf-8")
        converter = json.loads(archive.read(_member(archive, "data/converter_2025.json")))
        database = archive.read(_member(archive, "data/dataset.db"))
        dated = archive.getinfo(_member(archive, "data/dataset.db")).date_time
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dataset.db"
        path.write_bytes(database)
        with sqlite3.connect(path) as connection:
            new_rows = connection.execute(
                "SELECT provinceKey, provinceCode, province, wardKey, wardCode, ward, wardType "
                "FROM admin_units ORDER BY wardCode"
            ).fetchall()
            old_rows = connection.execute(
                "SELECT provinceKey, districtKey, wardKey, province, district, ward, wardCode,"
                " districtCode FROM admin_units_legacy ORDER BY districtCode, wardCode"
            ).fetchall()
    provinces: dict[str, str] = {}
    communes: list[dict[str, str]] = []
    code_of: dict[tuple[str, str], str] = {}
    for p_key, p_code, p_name, w_key, w_code, w_name, w_type in new_rows:
        if w_type not in KIND_OF_TYPE:
            raise BuildError(f"Loại đơn vị lạ: {w_type}")
        provinces[p_code] = p_name
        code_of[(p_key, w_key)] = w_code
        communes.append(
            {"code": w_code, "name": w_name, "kind": KIND_OF_TYPE[w_type], "province": p_code}
        )
    now_of: dict[str, list[str]] = {}
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, olds in wards.items():
            for old in olds:
                now_of.setdefault(old, []).append(code_of[(p_key, w_key)])
    for p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            # The default new commune first: where most of the old one went.
            ordered = sorted(parts, key=lambda part: not part["isDefaultNewWard"])
            codes = [code_of[(p_key, part["newWardKey"])] for part in ordered]
            now_of[old] = list(dict.fromkeys([*now_of.get(old, []), *codes]))
    former: dict[str, dict[str, list[list[Any]]]] = {}
    for p_key, d_key, w_key, p_name, d_name, w_name, w_code, d_code in old_rows:
        now = now_of.get(f"{p_key}_{d_key}_{w_key or ''}")
        if not now:
            raise BuildError(f"Không biết {w_name or d_name}, {d_name}, {p_name} nay thuộc đâu")
        # An island district had no communes: the district itself is the former unit.
        entry = [w_name or d_name, w_code or d_code, now]
        former.setdefault(p_name, {}).setdefault(d_name, []).append(entry)
    data = {
        "source": {
            "package": PACKAGE,
            "version": meta.get("Version", ""),
            "licence": "MIT",
            "home": meta.get("Home-page", ""),
            "data_date": f"{dated[0]:04d}-{dated[1]:02d}-{dated[2]:02d}",
        },
        "provinces": [{"code": c, "name": n} for c, n in sorted(provinces.items())],
        "communes": communes,
        "former": former,
    }
    return data, licence


def dump(data: dict[str, Any]) -> str:
    """JSON with one line per old district, so a data update reads as a short diff."""
    lines = ["{"]
    lines.append(f'"source": {json.dumps(data["source"], ensure_ascii=False)},')
    lines.append('"provinces": [')
    lines.append(",\n".join(json.dumps(p, ensure_ascii=False) for p in data["provinces"]))
    lines.append("],")
    lines.append('"communes": [')
    lines.append(",\n".join(json.dumps(c, ensure_ascii=False) for c in data["communes"]))
    lines.append("],")
    lines.append('"former": {')
    blocks = []
    for province, districts in data["former"].items():
        rows = ",\n".join(
            f"  {json.dumps(d, ensure_ascii=False)}: {json.dumps(w, ensure_ascii=False)}"
            for d, w in districts.items()
        )
        blocks.append(f"{json.dumps(province, ensure_ascii=False)}: {{\n{rows}\n}}")
    lines.append(",\n".join(blocks))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(wheel: Path, data_path: Path = DATA_PATH, license_path: Path = LICENSE_PATH) -> int:
    """Regenerate the data file and its licence; the number of communes written."""
    data, licence = build(wheel)
    source = data["source"]
    data_path.write_text(dump(data), encoding="utf-8")
    license_path.write_text(
        f"handlers/data/{data_path.name} is derived from the data of the Python package "
        f"{source['package']} {source['version']} ({source['home']}), data dated "
        f"{source['data_date']}, under this licence:\n\n{licence}",
        encoding="utf-8",
    )
    return len(data["communes"])
