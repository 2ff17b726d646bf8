"""`dccs serve --demo`: a newcomer can book and see deadlines at once."""

from __future__ import annotations

from sqlmodel import func, select

from bot.demo import load_demo
from db.engine import SessionFactory
from db.models import Deadline, ReceptionSchedule, ReceptionSession
from handlers.clock import VN_TZ, FixedClock


async def test_the_demo_holds_the_chairmans_weekly_reception_and_the_seeds_deadlines(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_demo(sessions, clock)
    await load_demo(sessions, clock)  # a second start adds nothing
    async with sessions() as session:
        schedules = (await session.exec(select(ReceptionSchedule))).all()
        upcoming = (await session.exec(select(ReceptionSession))).all()
        deadlines = (await session.exec(select(func.count()).select_from(Deadline))).one()
    chairman = [s for s in schedules if s.receiver_title == "Chủ tịch UBND xã"]
    assert [(s.weekday, s.kind) for s in chairman] == [(2, "dinh_ky")]  # every Wednesday
    assert len(schedules) == 6
    wednesdays = [s for s in upcoming if s.kind == "dinh_ky"]
    assert wednesdays and all(s.starts_at.astimezone(VN_TZ).weekday() == 2 for s in wednesdays)
    assert deadlines == 4
