"""Demo data for `dccs serve --demo`, so a newcomer can try every flow at once.

A sample province with two communes (one with the former names people still use since the
01/7/2025 merger). The reception, petition and reminder issues add their own sample data here.
"""

from __future__ import annotations

from bot.settings import Settings
from db import people
from db.engine import SessionFactory
from handlers.clock import Clock
from handlers.reception_calendar import generate_sessions, import_calendar
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


async def load_demo(sessions: SessionFactory, clock: Clock) -> None:
    """Add the demo units and reception calendar once; a database that already has units is
    left alone."""
    async with sessions() as session, session.begin():
        if not await people.units(session):
            await apply(session, DEMO_UNITS, clock.now(), actor="demo")
            await import_calendar(session, DEMO_CALENDAR, clock.now())
    await generate_sessions(sessions, clock)
