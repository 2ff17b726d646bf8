"""`dccs serve --demo`: a newcomer can book and see deadlines at once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select

from bot.demo import load_demo
from db.engine import SessionFactory
from db.models import Deadline, Outbox, ReceptionSchedule, ReceptionSession
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.conversation.turn import AssistantSettings
from handlers.deadlines.reminders import queue_reminders
from handlers.faq.knowledge import KnowledgeBase
from tests.test_access import msg


async def test_the_demo_holds_the_chairmans_weekly_reception_and_the_seeds_deadlines(
    sessions: SessionFactory, clock: FixedClock, seeded: None
) -> None:
    await load_demo(sessions, clock)
    code = await load_demo(sessions, clock)  # a second start adds nothing but a new invitation
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

    # The newcomer types the printed code in the web chat and is the demo commune's official,
    # who is then reminded of the demo plan's deadlines in the web chat.
    assistant = Assistant(sessions, KnowledgeBase(0), clock, AssistantSettings())
    [granted] = await assistant.dispatch(msg(code, chat="newcomer"))
    assert "staff:menu" in [b.payload for b in granted.buttons]
    clock.advance(datetime(2026, 12, 8, 7, 30, tzinfo=VN_TZ) - clock.now())
    await queue_reminders(sessions, clock)
    async with sessions() as session:
        queued = (await session.exec(select(Outbox))).all()
    assert any(
        row.chat_id == "newcomer"
        and "Báo cáo quý về thực hiện dân chủ ở cơ sở" in row.reply["text"]
        for row in queued
    )
