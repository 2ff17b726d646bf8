"""Demo data for `dccs serve --demo`, so a newcomer can try every flow at once.

A sample province with two communes (one with the former names people still use since the
01/7/2025 merger). The reception, petition and reminder issues add their own sample data here.
"""

from __future__ import annotations

from bot.settings import Settings
from db import people
from db.engine import SessionFactory
from handlers.clock import Clock
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


async def load_demo(sessions: SessionFactory, clock: Clock) -> None:
    """Add the demo units once; a database that already has units is left alone."""
    async with sessions() as session, session.begin():
        if not await people.units(session):
            await apply(session, DEMO_UNITS, clock.now(), actor="demo")
