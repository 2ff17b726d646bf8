"""Demo data for `dccs serve --demo`, so a newcomer can try every flow at once.

By default a sample province with two communes (one with the former names people still use
since the 01/7/2025 merger). With `--demo-unit "Xã Đồng Phú"` the demo runs on a real commune
of the 2025 list instead: its province and the commune with its official code and former
communes, and the same sample calendar and deadlines (their people and places marked "mẫu").
"""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from db import people
from db.engine import SessionFactory
from handlers import access
from handlers.clock import Clock
from handlers.deadlines.plans import import_plan
from handlers.reception.schedule import generate_sessions, import_calendar
from handlers.units.reference import lower_kind, reference
from handlers.units.registry import UnitImportError, UnitSpec, apply, load, official_specs

DEMO_UNIT_NAME = "UBND xã Minh Hòa (dữ liệu mẫu)"
DEMO_UNITS = [
    UnitSpec(name="Tỉnh mẫu", kind="tinh"),
    UnitSpec(
        name="Xã Minh Hòa",
        kind="xa",
        parent="Tỉnh mẫu",
        aliases=["Xã Minh Hưng", "Xã Hòa Bình"],
        profile={
            "address": "Trụ sở UBND xã Minh Hòa (địa chỉ mẫu)",
            "phone": "0000 000 000",
            "hours": "Thứ Hai đến Thứ Sáu, 07:30-11:30 và 13:30-17:00",
        },
    ),
    UnitSpec(name="Phường An Lạc", kind="phuong", parent="Tỉnh mẫu", aliases=["Phường An Phú"]),
]


DEMO_COMMUNE = "Xã Minh Hòa"
# The demo official's name: shown on the desk and printed under "Người lập sổ" on registers.
DEMO_OFFICIAL = "Lê Văn Mẫu"


def demo_settings(settings: Settings, unit: str | None = None) -> Settings:
    name = f"UBND {lower_kind(real_commune(unit)[1].name)} (chạy thử)" if unit else DEMO_UNIT_NAME
    return settings.model_copy(update={"unit_name": settings.unit_name or name})


def real_commune(wanted: str) -> tuple[str, UnitSpec]:
    """The province code and the commune of the 2025 list that ``wanted`` names ("Xã Đồng
    Phú", "Xã Đồng Phú, Đồng Nai" or a code); an error when it names none or several."""
    ref = reference()
    name, _, province = wanted.partition(",")
    codes = ref.province_codes(province) if province.strip() else [None]
    found = [c for code in codes for c in ref.communes_named(name, code)]
    if len(found) != 1:
        where = "; ".join(c.label() for c in found)
        raise UnitImportError(
            f'"{wanted}": có ở nhiều nơi ({where}), ghi thêm tỉnh, ví dụ "{found[0].name}, '
            f'{found[0].province}".'
            if found
            else f'Không có xã, phường "{wanted}" trong danh mục 2025.'
        )
    specs = official_specs(found[0].province_code, [found[0].code])
    return found[0].province_code, specs[1]


# The law's minimum for a commune chairman is one reception day a week (Luật Tiếp công dân
# 42/2013, Điều 15 khoản 2 điểm d); the seeds' communes hold it on Wednesdays. Regular reception
# runs every working day at the one-stop desk.
def demo_calendar(commune: str) -> dict[str, Any]:
    office = f"trụ sở UBND {lower_kind(commune)}"
    return {
        "schedules": [
            {**row, "unit": commune, "place": f"{row['place']}, {office} (mẫu)"}
            for row in _SCHEDULES
        ]
    }


_SCHEDULES: list[dict[str, Any]] = [
    {
        "kind": "dinh_ky",
        "weekday": "Thứ 4",
        "start": "07:30",
        "end": "11:00",
        "place": "Phòng tiếp công dân",
        "receiver_name": "Nguyễn Văn Mẫu",
        "receiver_title": "Chủ tịch UBND xã",
        "capacity": 10,
    },
    *(
        {
            "kind": "thuong_xuyen",
            "weekday": weekday,
            "start": "13:30",
            "end": "16:30",
            "place": "Bộ phận tiếp công dân",
            "receiver_name": "Trần Thị Mẫu",
            "receiver_title": "Công chức tiếp công dân",
            "capacity": 20,
        }
        for weekday in ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6")
    ),
]


# The seeds' plan deadlines (a 2024 district plan: reports "6 tháng (trước ngày 05/5) và cuối
# năm (trước ngày 05/11)", quarterly reports, tasks "thực hiện trong quý II"), moved to recurring
# dates and owned by the commune's officials, since the district offices named there no longer
# exist. The dates are the old plan's; the level above sets the real ones.
DEMO_DEADLINES: list[dict[str, Any]] = [
    {
        "title": "Báo cáo kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm (mẫu)",
        "basis": "Theo mốc của kế hoạch năm 2024 trong tài liệu gốc; cấp trên quy định mốc thật",
        "recurrence": "yearly:05/05",
        "escalate_after_days": 2,
    },
    {
        "title": "Báo cáo kết quả thực hiện dân chủ ở cơ sở năm (mẫu)",
        "basis": "Theo mốc của kế hoạch năm 2024 trong tài liệu gốc; cấp trên quy định mốc thật",
        "recurrence": "yearly:05/11",
        "escalate_after_days": 2,
    },
    {
        "title": "Báo cáo quý về thực hiện dân chủ ở cơ sở (mẫu)",
        "basis": "Báo cáo định kỳ hằng quý (mốc ngày 15 tháng cuối quý là mốc mẫu)",
        "recurrence": "quarterly:3:15",
    },
    {
        "title": "Rà soát, bổ sung quy chế thực hiện dân chủ ở cơ sở và quy định nội bộ (mẫu)",
        "basis": 'Nhiệm vụ "thực hiện trong quý" của kế hoạch (mẫu)',
        "due": "31/12/2026",
    },
]


async def load_demo(sessions: SessionFactory, clock: Clock, unit: str | None = None) -> str:
    """Add the demo units, reception calendar and plan deadlines once (a database that already
    has units is left alone), and return a fresh invitation to the demo commune's official role,
    so a newcomer can see the officials' side, reminders included, from the web chat. With
    ``unit`` the demo commune is that real one of the 2025 list."""
    commune = real_commune(unit) if unit else None
    name = commune[1].name if commune else DEMO_COMMUNE
    async with sessions() as session, session.begin():
        if not await people.units(session):
            if commune:
                specs = official_specs(commune[0], [commune[1].code or ""])
                await load(session, specs, clock.now(), actor="demo")
            else:
                await apply(session, DEMO_UNITS, clock.now(), actor="demo")
            await import_calendar(session, demo_calendar(name), clock.now())
            await import_plan(
                session, [{**row, "unit": name} for row in DEMO_DEADLINES], clock.now()
            )
    await generate_sessions(sessions, clock)
    async with sessions() as session, session.begin():
        found = await people.unit_by_code_or_name(
            session, commune[1].code or "" if commune else name
        )
        if found is None or found.id is None:
            return ""
        return await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="demo",
            role=access.OFFICIAL,
            unit_id=found.id,
            name=DEMO_OFFICIAL,
        )
