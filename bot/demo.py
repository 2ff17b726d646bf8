"""Demo data for `dccs serve --demo`, so a newcomer can try every flow at once.

A sample province with two communes (one with the former names people still use since the
01/7/2025 merger). The reception, petition and reminder issues add their own sample data here.
"""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from db import people
from db.engine import SessionFactory
from handlers import access
from handlers.clock import Clock
from handlers.deadlines import import_plan
from handlers.reception.schedule import generate_sessions, import_calendar
from handlers.unit_registry import UnitSpec, apply

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


def demo_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"unit_name": settings.unit_name or DEMO_UNIT_NAME})


# The law's minimum for a commune chairman is one reception day a week (Luật Tiếp công dân
# 42/2013, Điều 15 khoản 2 điểm d); the seeds' communes hold it on Wednesdays. Regular reception
# runs every working day at the one-stop desk.
DEMO_CALENDAR = {
    "schedules": [
        {
            "unit": "Xã Minh Hòa",
            "kind": "dinh_ky",
            "weekday": "Thứ 4",
            "start": "07:30",
            "end": "11:00",
            "place": "Phòng tiếp công dân, trụ sở UBND xã Minh Hòa (mẫu)",
            "receiver_name": "Nguyễn Văn Mẫu",
            "receiver_title": "Chủ tịch UBND xã",
            "capacity": 10,
        },
        *(
            {
                "unit": "Xã Minh Hòa",
                "kind": "thuong_xuyen",
                "weekday": weekday,
                "start": "13:30",
                "end": "16:30",
                "place": "Bộ phận tiếp công dân, trụ sở UBND xã Minh Hòa (mẫu)",
                "receiver_name": "Trần Thị Mẫu",
                "receiver_title": "Công chức tiếp công dân",
                "capacity": 20,
            }
            for weekday in ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6")
        ),
    ]
}


# The seeds' plan deadlines (a 2024 district plan: reports "6 tháng (trước ngày 05/5) và cuối
# năm (trước ngày 05/11)", quarterly reports, tasks "thực hiện trong quý II"), moved to recurring
# dates and owned by the commune's officials, since the district offices named there no longer
# exist. The dates are the old plan's; the level above sets the real ones.
DEMO_DEADLINES: list[dict[str, Any]] = [
    {
        "title": "Báo cáo kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm (mẫu)",
        "basis": "Theo mốc của kế hoạch năm 2024 trong tài liệu gốc; cấp trên quy định mốc thật",
        "unit": "Xã Minh Hòa",
        "recurrence": "yearly:05/05",
        "escalate_after_days": 2,
    },
    {
        "title": "Báo cáo kết quả thực hiện dân chủ ở cơ sở năm (mẫu)",
        "basis": "Theo mốc của kế hoạch năm 2024 trong tài liệu gốc; cấp trên quy định mốc thật",
        "unit": "Xã Minh Hòa",
        "recurrence": "yearly:05/11",
        "escalate_after_days": 2,
    },
    {
        "title": "Báo cáo quý về thực hiện dân chủ ở cơ sở (mẫu)",
        "basis": "Báo cáo định kỳ hằng quý (mốc ngày 15 tháng cuối quý là mốc mẫu)",
        "unit": "Xã Minh Hòa",
        "recurrence": "quarterly:3:15",
    },
    {
        "title": "Rà soát, bổ sung quy chế thực hiện dân chủ ở cơ sở và quy định nội bộ (mẫu)",
        "basis": 'Nhiệm vụ "thực hiện trong quý" của kế hoạch (mẫu)',
        "unit": "Xã Minh Hòa",
        "due": "31/12/2026",
    },
]


async def load_demo(sessions: SessionFactory, clock: Clock) -> str:
    """Add the demo units, reception calendar and plan deadlines once (a database that already
    has units is left alone), and return a fresh invitation to the demo commune's official role,
    so a newcomer can see the officials' side, reminders included, from the web chat."""
    async with sessions() as session, session.begin():
        if not await people.units(session):
            await apply(session, DEMO_UNITS, clock.now(), actor="demo")
            await import_calendar(session, DEMO_CALENDAR, clock.now())
            await import_plan(session, DEMO_DEADLINES, clock.now())
    await generate_sessions(sessions, clock)
    async with sessions() as session, session.begin():
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        if unit is None or unit.id is None:
            return ""
        return await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="demo",
            role=access.OFFICIAL,
            unit_id=unit.id,
        )
