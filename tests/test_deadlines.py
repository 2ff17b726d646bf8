"""Officials' deadline reminders: on time, once, to whoever holds the duty, stopped when done."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from subprocess import DEVNULL

import pytest
from sqlmodel import col, select

from bot.delivery import Deliverer, Unreachable
from db import outbox, people
from db.engine import SessionFactory
from db.models import Deadline, DeadlineDone, Identity, Outbox, RoleGrant
from handlers import access, texts
from handlers.clock import TEST_TODAY_ENV, VN_TZ, FixedClock
from handlers.contract import Reply
from handlers.conversation.assistant import Assistant
from handlers.deadlines import reminders as deadline_reminders
from handlers.deadlines import rules as deadline_rules
from handlers.deadlines.plans import import_plan
from handlers.deadlines.reminders import plan_reminders
from handlers.deadlines.rules import DeadlineError, adjusted
from handlers.petitions.paper import enter_paper
from handlers.reception.schedule import import_calendar
from handlers.staff.digest import weekly_digests
from handlers.working_days import working_calendar
from tests.fake_telegram import FakeBotApi, Sent
from tests.test_access import invite, msg, setup_units
from tests.test_reception import ONE_OFF, Chat

PLAN = [
    {
        "title": "Báo cáo kết quả thực hiện dân chủ ở cơ sở năm",
        "basis": "Kế hoạch thực hiện dân chủ ở cơ sở năm (mẫu từ kế hoạch 2024)",
        "unit": "Xã Minh Hòa",
        "owner_role": "official",
        "recurrence": "yearly:05/05,10/12",
        "escalate_after_days": 2,
    }
]
DUE = date(2026, 12, 10)  # a Thursday


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ)


async def setup_plan(sessions: SessionFactory, clock: FixedClock, plan: list = PLAN) -> None:  # type: ignore[type-arg]
    await setup_units(sessions, clock)
    async with sessions() as session, session.begin():
        await import_plan(session, plan, clock.now())


async def tick(sessions: SessionFactory, clock: FixedClock) -> list[deadline_reminders.Planned]:
    async with sessions() as session, session.begin():
        return await plan_reminders(session, clock.now(), working_calendar())


async def deadline_id(sessions: SessionFactory) -> int:
    async with sessions() as session:
        found = (await session.exec(select(Deadline))).one()
    assert found.id is not None
    return found.id


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.sent.append(chat_id)


async def queued(sessions: SessionFactory) -> list[Outbox]:
    async with sessions() as session:
        return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


async def become_official(
    assistant: Assistant,
    sessions: SessionFactory,
    clock: FixedClock,
    chat: str,
    unit: str = "Xã Minh Hòa",
) -> None:
    await assistant.dispatch(
        msg(await invite(sessions, clock, unit=unit), chat=chat, channel="telegram")
    )


async def test_an_official_is_reminded_7_3_1_and_0_days_before_once_each(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    clock.advance(at(DUE - timedelta(days=7), 7, 29) - clock.now())
    assert await tick(sessions, clock) == []
    clock.advance(timedelta(minutes=1))
    await tick(sessions, clock)
    await tick(sessions, clock)  # a second tick (or a second clock process) adds nothing
    rows = await queued(sessions)
    assert [(r.channel, r.chat_id) for r in rows] == [("telegram", "501")]
    assert (
        rows[0]
        .reply["text"]
        .startswith(
            "Nhắc hạn: Báo cáo kết quả thực hiện dân chủ ở cơ sở năm\nHạn: 10/12/2026 (còn 7 ngày)"
        )
    )
    number = await deadline_id(sessions)
    assert [b["payload"] for b in rows[0].reply["buttons"]][:2] == [
        f"staff:dl:done:{number}:20261210",
        f"staff:dl:snooze:{number}:20261210",
    ]
    for days in (3, 1, 0):
        clock.advance(at(DUE - timedelta(days=days)) - clock.now())
        await tick(sessions, clock)
    texts_sent = [r.reply["text"].split("\n")[1] for r in await queued(sessions)]
    assert texts_sent == [
        "Hạn: 10/12/2026 (còn 7 ngày).",
        "Hạn: 10/12/2026 (còn 3 ngày).",
        "Hạn: 10/12/2026 (còn 1 ngày).",
        "Hạn: 10/12/2026 (hôm nay là hạn).",
    ]


async def test_marking_done_stops_the_remaining_reminders(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    clock.advance(at(DUE - timedelta(days=7)) - clock.now())
    await tick(sessions, clock)
    await Deliverer(sessions, clock, {"telegram": Recorder()}).deliver_due()
    [first] = await queued(sessions)
    done_payload = first.reply["buttons"][0]["payload"]
    # The button on the push is pressed (role checked, no need to have been "offered").
    [reply] = await assistant.dispatch(msg(button=done_payload, chat="501", channel="telegram"))
    assert reply.text.startswith("Đã ghi nhận hoàn thành: Báo cáo kết quả")
    for days in (3, 1, 0):
        clock.advance(at(DUE - timedelta(days=days)) - clock.now())
        await tick(sessions, clock)
    assert len(await queued(sessions)) == 1
    clock.advance(timedelta(days=5))  # no escalation either
    await tick(sessions, clock)
    assert len(await queued(sessions)) == 1


async def test_a_typed_done_command_works_where_pushes_have_no_buttons(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "zb1")
    command = f"/xong {await deadline_id(sessions)} 10/12/2026"
    [reply] = await assistant.dispatch(msg(command, chat="zb1", channel="telegram"))
    assert reply.text.startswith("Đã ghi nhận hoàn thành")
    [again] = await assistant.dispatch(msg(command, chat="zb1", channel="telegram"))
    assert again.text.startswith('Việc "Báo cáo')
    [citizen] = await assistant.dispatch(msg(command, chat="c9"))
    assert citizen.text == texts.FORBIDDEN


async def test_a_clock_that_was_down_sends_only_the_latest_missed_reminder_marked_late(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    # Down from before the 7-day reminder until the afternoon of the day before.
    clock.advance(at(DUE - timedelta(days=1), 15, 0) - clock.now())
    await tick(sessions, clock)
    [row] = await queued(sessions)
    assert "(còn 1 ngày)" in row.reply["text"]
    assert row.available_at == at(DUE - timedelta(days=1))

    assert await Deliverer(sessions, clock, {"telegram": Recorder()}).deliver_due() == 1
    [row] = await queued(sessions)
    assert row.status == outbox.SENT and row.late


async def test_two_clock_processes_queue_each_reminder_once(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    for chat in ("501", "502", "503"):
        await become_official(assistant, sessions, clock, chat)
    clock.advance(at(DUE - timedelta(days=7)) - clock.now())
    await asyncio.gather(*(tick(sessions, clock) for _ in range(6)))
    rows = await queued(sessions)
    assert sorted(r.chat_id for r in rows) == ["501", "502", "503"]


async def test_reminders_follow_whoever_holds_the_role(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "old")
    clock.advance(at(DUE - timedelta(days=7)) - clock.now())
    await tick(sessions, clock)
    async with sessions() as session, session.begin():
        grant = (await session.exec(select(RoleGrant))).one()
        assert grant.id is not None
        await access.revoke(session, grant.id, clock.now(), actor="test")
    await become_official(assistant, sessions, clock, "new")
    clock.advance(at(DUE - timedelta(days=3)) - clock.now())
    await tick(sessions, clock)
    assert [r.chat_id for r in await queued(sessions)] == ["old", "new"]


async def test_a_recipient_who_blocked_the_bot_is_skipped_after_the_channel_says_so(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    clock.advance(at(DUE - timedelta(days=7)) - clock.now())
    await tick(sessions, clock)

    class Blocked:
        async def send(self, chat_id: str, reply: Reply) -> None:
            raise Unreachable("bot was blocked by the user")

    await Deliverer(sessions, clock, {"telegram": Blocked()}).deliver_due()
    async with sessions() as session:
        identity = (await session.exec(select(Identity))).one()
    assert identity.unreachable_at is not None
    clock.advance(at(DUE - timedelta(days=3)) - clock.now())
    await tick(sessions, clock)
    assert [r.status for r in await queued(sessions)] == [outbox.UNREACHABLE]


async def test_an_overdue_deadline_is_escalated_to_the_supervising_unit(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "commune")
    await become_official(assistant, sessions, clock, "province", unit="Tỉnh mẫu")
    clock.advance(at(DUE + timedelta(days=2)) - clock.now())
    await tick(sessions, clock)
    escalations = [r for r in await queued(sessions) if r.reply["text"].startswith("Quá hạn")]
    assert [r.chat_id for r in escalations] == ["province"]
    assert "(đã quá 2 ngày)" in escalations[0].reply["text"]


def test_a_due_date_on_a_day_off_moves_to_the_working_day_before() -> None:
    calendar = working_calendar()
    assert adjusted(date(2026, 11, 8), "before", calendar) == date(2026, 11, 6)  # Sunday
    assert adjusted(date(2026, 11, 8), "after", calendar) == date(2026, 11, 9)
    assert adjusted(date(2026, 9, 2), "before", calendar) < date(2026, 9, 2)  # Quốc khánh
    assert adjusted(date(2026, 11, 8), "keep", calendar) == date(2026, 11, 8)


def test_recurrences_monthly_quarterly_yearly_and_rrule() -> None:
    between = partial(deadline_rules.occurrences_between, anchor=date(2026, 1, 1))
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert len(between("monthly:31", start, end)) == 12
    assert between("monthly:31", start, end)[1] == date(2026, 2, 28)
    assert between("quarterly:3:15", start, end) == [
        date(2026, 3, 15),
        date(2026, 6, 15),
        date(2026, 9, 15),
        date(2026, 12, 15),
    ]
    assert between("yearly:05/05,05/11", start, end) == [date(2026, 5, 5), date(2026, 11, 5)]
    assert between("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=1000", start, end)[0] == date(
        2026, 1, 31
    )
    with pytest.raises(DeadlineError, match="Cách lặp"):
        between("weekly:mon", start, end)


async def test_a_plan_file_with_a_bad_row_is_refused_with_the_row_named(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    bad = [PLAN[0], dict(PLAN[0], recurrence=None, due="31/02/2026")]
    async with sessions() as session, session.begin():
        with pytest.raises(DeadlineError, match="Hạn thứ 2: 'due' phải có dạng"):
            await import_plan(session, bad, clock.now())


async def test_an_official_chooses_the_channel_where_reminders_arrive(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "tg-1")
    [code] = await assistant.dispatch(msg("/lienket", chat="tg-1", channel="telegram"))
    link = code.text.split("là ")[1].split(",")[0]
    await assistant.dispatch(msg(link, chat="zb-1", channel="zalo_bot"))
    # Last written on the Zalo Bot, but asks for reminders on Telegram.
    [chosen] = await assistant.dispatch(
        msg(button="staff:notify-here", chat="tg-1", channel="telegram")
    )
    assert chosen.text.startswith("Từ nay nhắc hạn và cảnh báo cho anh/chị sẽ gửi qua Telegram")
    await assistant.dispatch(msg("xin chao", chat="zb-1", channel="zalo_bot"))
    clock.advance(at(DUE - timedelta(days=7)) - clock.now())
    await tick(sessions, clock)
    assert [(r.channel, r.chat_id) for r in await queued(sessions)] == [("telegram", "tg-1")]


async def test_an_official_adds_a_deadline_in_the_chat_and_is_reminded_of_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await become_official(assistant, sessions, clock, "501")

    async def say(text: str | None = None, button: str | None = None) -> str:
        replies = await assistant.dispatch(msg(text, button=button, chat="501", channel="telegram"))
        return replies[-1].text

    assert (await say(button="staff:deadlines")) == texts.NO_DEADLINES
    assert (await say(button="staff:dl:new")) == texts.ASK_DEADLINE_TITLE
    assert (await say("Báo cáo công tác tiếp công dân quý IV")) == texts.ASK_DEADLINE_KIND
    assert (await say(button="staff:dl:kind:once")) == texts.ASK_DEADLINE_ONCE
    assert (await say("31/13/2026")).startswith(texts.BAD_DEADLINE_DUE)
    assert (await say("15/12/2026")) == (
        "Đã thêm: Báo cáo công tác tiếp công dân quý IV, hạn 15/12/2026. "
        "Nhắc trước 7, 3 và 1 ngày và vào ngày hạn, lúc 07:30."
    )
    assert "15/12/2026: Báo cáo công tác tiếp công dân quý IV" in await say(
        button="staff:deadlines"
    )
    clock.advance(at(date(2026, 12, 8)) - clock.now())
    await tick(sessions, clock)
    assert [r.chat_id for r in await queued(sessions)] == ["501"]


async def test_the_monday_digest_lists_the_weeks_deadlines_overdue_petitions_and_bookings(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    async with sessions() as session, session.begin():
        await import_calendar(
            session, {"sessions": [dict(ONE_OFF, date="02/12/2026")]}, clock.now()
        )
        petition = await enter_paper(
            session,
            {
                "kind": "kien_nghi",
                "unit": "Xã Minh Hòa",
                "source": "post",
                "received": "02/11/2026",
                "name": "Người gửi",
                "summary": "Nội dung",
            },
            1,
            clock.now(),
            "test",
        )
    await Chat(assistant, "citizen").book()
    # Monday, a minute early: not yet.
    clock.advance(datetime(2026, 11, 30, 7, 29, tzinfo=VN_TZ) - clock.now())
    async with sessions() as session, session.begin():
        assert await weekly_digests(session, clock.now(), working_calendar()) == 0
    clock.advance(timedelta(minutes=1))
    for _ in range(2):  # the second tick adds nothing
        async with sessions() as session, session.begin():
            await weekly_digests(session, clock.now(), working_calendar())
    digests = [r for r in await queued(sessions) if (r.dedupe_key or "").startswith("digest:")]
    assert [(d.channel, d.chat_id) for d in digests] == [("telegram", "501")]
    text = digests[0].reply["text"]
    assert text.startswith("Việc trong tuần 30/11 - 06/12/2026:")
    assert "- 10/12" not in text  # next week's deadline is not this week's
    assert f"- {petition.code}: quá hạn" in text
    assert "- 02/12 07:30: 1/20 người đặt" in text


def reminders(fake: FakeBotApi) -> list[Sent]:
    # The weekly digest goes out on the same clock; only the reminders are counted here.
    return [s for s in fake.sent if s.text.startswith("Nhắc hạn")]


@pytest.mark.any_day
async def test_a_clock_killed_in_the_middle_of_a_fan_out_loses_nothing_after_a_restart(
    database_url: str,
    sessions: SessionFactory,
    clock: FixedClock,
    project_root: Path,
    tmp_path: Path,
) -> None:
    """Real `dccs clock` processes sending through the real aiogram client to the fake Bot API
    (held to 20 messages/s): the first is killed with SIGKILL mid fan-out, a second finishes.
    At-least-once: a reminder sent but not yet recorded when the process died goes out again
    once the lease (8 s here) runs out; nothing else may repeat and nothing may be lost."""
    officials = 60
    await setup_units(sessions, clock)
    # The processes start at the test's own moment (DCCS_TEST_TODAY, as the fixture) and run
    # on from there; the due date is kept on a Sunday or Tết so the reminders still go out.
    today = clock.now().date()
    async with sessions() as session, session.begin():
        await import_plan(
            session,
            [
                {
                    "title": "Báo cáo nhanh",
                    "unit": "Xã Minh Hòa",
                    "due": f"{today:%d/%m/%Y}",
                    "remind_at": "00:00",
                    "lead_days": [0],
                    "day_off_rule": "keep",
                }
            ],
            clock.now(),
        )
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert unit is not None and unit.id is not None
        for number in range(officials):
            person = await people.resolve(
                session, "telegram", str(900000 + number), f"CB {number}", clock.now()
            )
            assert person.id is not None
            session.add(
                RoleGrant(
                    person_id=person.id, role="official", unit_id=unit.id, granted_at=clock.now()
                )
            )
    fake = await FakeBotApi().start()
    fake.limit_rate(20)
    env = {
        **os.environ,
        "PYTHONPATH": str(project_root),
        "DCCS_DATABASE_URL": database_url,
        "DCCS_DATA_DIR": str(tmp_path),
        "DCCS_TICK_SECONDS": "0.2",
        "DCCS_OUTBOX_LEASE_SECONDS": "8",
        "DCCS_TELEGRAM_RATE_PER_SECOND": "20",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE": fake.base,
        TEST_TODAY_ENV: f"{clock.now():%d/%m/%Y}",
    }
    command = [sys.executable, "-m", "bot", "clock"]
    try:
        first = await asyncio.create_subprocess_exec(
            *command, cwd=project_root, env=env, stdout=DEVNULL, stderr=DEVNULL
        )
        await fake.wait_sent(officials // 3, within=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        sent_before = len(fake.sent)
        assert sent_before < officials  # really killed in the middle
        second = await asyncio.create_subprocess_exec(
            *command, cwd=project_root, env=env, stdout=DEVNULL, stderr=DEVNULL
        )
        try:
            deadline = asyncio.get_running_loop().time() + 120
            while len({s.chat_id for s in reminders(fake)}) < officials:
                assert asyncio.get_running_loop().time() < deadline, "reminders were lost"
                await asyncio.sleep(0.2)
            await asyncio.sleep(3)  # anything that would still repeat has time to show up
        finally:
            second.terminate()
            await second.wait()
    finally:
        await fake.stop()
    per_chat = Counter(s.chat_id for s in reminders(fake))
    assert len(per_chat) == officials
    repeated = sum(n - 1 for n in per_chat.values())
    # Only what the killed process sent after its last recorded outcomes can repeat: outcomes
    # are written every 10 sends (the runs here repeat 10 of 60; per-batch recording repeated 20).
    assert repeated <= 20


MONTHLY_20 = [
    {
        "title": "Báo cáo tháng về tiếp công dân",
        "unit": "Xã Minh Hòa",
        "recurrence": "monthly:20",
        "escalate_after_days": 2,
    }
]


async def say(
    assistant: Assistant, chat: str, text: str | None = None, button: str | None = None
) -> Reply:
    replies = await assistant.dispatch(msg(text, button=button, chat=chat, channel="telegram"))
    return replies[-1]


async def test_an_official_types_the_due_date_the_reminder_showed_and_the_occurrence_is_recorded(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_plan(sessions, clock, MONTHLY_20)
    await become_official(assistant, sessions, clock, "501")
    number = await deadline_id(sessions)
    # 20/12/2026 is a Sunday: the report is due on Friday 18/12.
    clock.advance(at(date(2026, 12, 18)) - clock.now())
    await tick(sessions, clock)
    [shown] = [
        r.reply["text"] for r in await queued(sessions) if "20261220" in (r.dedupe_key or "")
    ]
    assert "Hạn: 18/12/2026 (hôm nay là hạn)." in shown
    assert f"/xong {number} 18/12/2026" in shown and "20/12" not in shown
    done = await say(assistant, "501", f"/xong {number} 18/12/2026")
    assert done.text.startswith("Đã ghi nhận hoàn thành: Báo cáo tháng về tiếp công dân (hạn 18/12")
    async with sessions() as session:
        marks = (await session.exec(select(DeadlineDone))).all()
    assert [m.occurrence for m in marks] == [date(2026, 12, 20)]
    before = len(await queued(sessions))
    for days in (1, 3, 7):
        clock.advance(at(date(2026, 12, 18) + timedelta(days=days)) - clock.now())
        await tick(sessions, clock)
    assert len(await queued(sessions)) == before  # the reminders stop
    # With no date, /xong marks the next open occurrence (20/01/2027).
    nxt = await say(assistant, "501", f"/xong {number}")
    assert "(hạn 20/01/2027)" in nxt.text
    unknown = await say(assistant, "501", "/xong 999")
    assert unknown.text.startswith("Không có việc số 999")
    wrong_day = await say(assistant, "501", f"/xong {number} 19/12/2026")
    assert "không có lần hạn nào vào ngày 19/12/2026" in wrong_day.text


async def test_a_plan_imported_late_in_the_year_sends_nothing_for_the_months_before_it(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    clock.advance(at(date(2026, 11, 29), 9, 0) - clock.now())
    await setup_plan(sessions, clock, MONTHLY_20)
    await become_official(assistant, sessions, clock, "commune")
    await become_official(assistant, sessions, clock, "province", unit="Tỉnh mẫu")
    assert await tick(sessions, clock) == []
    [listed] = [await say(assistant, "commune", button="staff:deadlines")]
    assert "quá" not in listed.text and "18/12/2026: Báo cáo tháng" in listed.text


async def test_the_owner_is_told_on_the_due_day_and_after_it_when_there_is_nobody_above(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    plan = [dict(PLAN[0], unit="Tỉnh mẫu", lead_days=[7], escalate_after_days=3)]
    await setup_plan(sessions, clock, plan)
    await become_official(assistant, sessions, clock, "owner", unit="Tỉnh mẫu")
    seen: list[str] = []
    for days in (0, 1, 2, 3, 5, 7, 8):
        clock.advance(at(DUE + timedelta(days=days)) - clock.now())
        await tick(sessions, clock)
        rows = await queued(sessions)
        seen += [r.reply["text"].split("\n")[1] for r in rows[len(seen) :]]
    assert seen == [
        "Hạn: 10/12/2026 (hôm nay là hạn).",
        "Hạn: 10/12/2026 (đã quá 1 ngày).",
        "Hạn: 10/12/2026 (đã quá 3 ngày).",
        "Hạn: 10/12/2026 (đã quá 7 ngày).",
    ]
    # Monday 14/12: the weekly digest lists it as overdue.
    clock.advance(at(date(2026, 12, 14)) - clock.now())
    async with sessions() as session, session.begin():
        await weekly_digests(session, clock.now(), working_calendar())
    [digest] = [r for r in await queued(sessions) if (r.dedupe_key or "").startswith("digest:")]
    assert (
        "Hạn báo cáo đã qua, chưa nộp:\n- 10/12: Báo cáo kết quả thực hiện dân chủ ở cơ sở năm "
        "(quá hạn 4 ngày)" in digest.reply["text"]
    )


async def test_a_recurrence_firing_more_than_daily_is_refused_and_a_stored_one_sends_nothing(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    every_minute = (
        "RRULE:FREQ=DAILY;BYHOUR="
        + ",".join(map(str, range(24)))
        + ";BYMINUTE="
        + ",".join(map(str, range(60)))
    )
    for rule in ("RRULE:FREQ=MINUTELY", "RRULE:FREQ=HOURLY;INTERVAL=24", every_minute):
        async with sessions() as session, session.begin():
            with pytest.raises(DeadlineError, match="mỗi ngày một lần"):
                await import_plan(session, [dict(PLAN[0], recurrence=rule)], clock.now())
    async with sessions() as session, session.begin():
        with pytest.raises(DeadlineError, match="không có ngày hạn nào"):
            await import_plan(
                session,
                [dict(PLAN[0], recurrence="RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")],
                clock.now(),
            )
        unit = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert unit is not None and unit.id is not None
        # As a database written before the rule was refused holds it.
        session.add(
            Deadline(
                title="Số liệu", unit_id=unit.id, recurrence=every_minute, created_at=clock.now()
            )
        )
        session.add(
            Deadline(
                title="Số liệu ngày",
                unit_id=unit.id,
                recurrence="RRULE:FREQ=DAILY",
                created_at=clock.now() - timedelta(days=1000),
            )
        )
    await become_official(assistant, sessions, clock, "501")
    clock.advance(timedelta(days=2))
    planned = await tick(sessions, clock)
    assert {p.deadline.title for p in planned} == {"Số liệu ngày"}
    async with sessions() as session:
        daily = (await session.exec(select(Deadline).where(Deadline.title == "Số liệu ngày"))).one()
    assert (
        len(deadline_rules.occurrences(daily, date(2000, 1, 1), date(2099, 1, 1)))
        == deadline_rules.MAX_OCCURRENCES
    )


async def test_the_deadline_list_marks_what_is_submitted_and_every_item_has_its_button(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    long_title = "Báo cáo kết quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý"
    plan = [
        {
            "title": long_title,
            "unit": "Xã Minh Hòa",
            "recurrence": "quarterly:3:18",
            "lead_days": [0],
        },
        *[
            {"title": f"Báo cáo chuyên đề số {n}", "unit": "Xã Minh Hòa", "due": f"{n:02d}/12/2026"}
            for n in range(1, 10)
        ],
    ]
    await setup_plan(sessions, clock, plan)
    await become_official(assistant, sessions, clock, "501")
    listed = await say(assistant, "501", button="staff:deadlines")
    views = [b for b in listed.buttons if b.payload.startswith("staff:dl:view:")]
    assert len(views) == listed.text.count("\n") == 10  # a head line, then one per button
    assert all(len(b.label) <= 48 for b in views)
    [quarter] = [b for b in views if "Báo cáo kết quả" in b.label]
    # Cut at a word, never inside one.
    cut, full = quarter.label.removesuffix("…").rstrip(), f"10. 18/12 {long_title}"
    assert quarter.label.endswith("…") and full.startswith(cut) and full[len(cut)] == " "
    detail = await say(assistant, "501", button=quarter.payload)
    assert "Lặp lại: ngày 18 tháng cuối quý" in detail.text
    assert "Nhắc vào ngày hạn, lúc 07:30." in detail.text
    assert "Lần hạn 18/12/2026: chưa nộp." in detail.text
    [submit] = [b for b in detail.buttons if b.label == texts.DEADLINE_DONE]
    await say(assistant, "501", button=submit.payload)
    again = await say(assistant, "501", button="staff:deadlines")
    assert f"18/12/2026: {long_title} (đã nộp)" in again.text
    assert any(
        b.label.startswith(tuple(f"{n}. ✓ 18/12" for n in range(1, 11))) for b in again.buttons
    )


async def test_adding_a_deadline_in_the_chat_offers_plain_choices(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await become_official(assistant, sessions, clock, "501")
    await say(assistant, "501", button="staff:dl:new")
    kinds = await say(assistant, "501", "Báo cáo quý về dân chủ ở cơ sở")
    assert [b.label for b in kinds.buttons][:4] == ["Một lần", "Hằng tháng", "Hằng quý", "Hằng năm"]
    assert "monthly:" not in kinds.text
    asked = await say(assistant, "501", button="staff:dl:kind:quarterly")
    assert asked.text == texts.ASK_DEADLINE_QUARTERLY
    wrong = await say(assistant, "501", "40")
    assert wrong.text.startswith(texts.BAD_DEADLINE_DAY)
    # Every step of the form has "Quay lại" and "Huỷ"; back keeps the title typed.
    assert [b.label for b in wrong.buttons] == [texts.BACK_STEP, texts.QUIT_FLOW]
    again = await say(assistant, "501", button="staff:dl:back")
    assert again.text == texts.ASK_DEADLINE_KIND
    await say(assistant, "501", button="staff:dl:kind:quarterly")
    added = await say(assistant, "501", "ngay 18")
    assert added.text.startswith(
        "Đã thêm: Báo cáo quý về dân chủ ở cơ sở, hạn ngày 18 tháng cuối quý."
    )


async def test_an_official_types_deadlines_the_way_people_write_days_and_can_stop_any_time(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    """Found in a walk: "thôi" was taken as a title, a past day was accepted and then never
    listed, "18/12" and "15/6 và 15/12" were refused."""
    await setup_units(sessions, clock)
    await become_official(assistant, sessions, clock, "502")
    await say(assistant, "502", button="staff:dl:new")
    stopped = await say(assistant, "502", "thôi không thêm nữa")
    assert stopped.text.startswith(texts.STEPS_STOPPED)

    await say(assistant, "502", button="staff:dl:new")
    await say(assistant, "502", "Báo cáo công tác hòa giải")
    assert (await say(assistant, "502", "01/01/2020")).text == texts.BAD_DEADLINE_ONCE
    added = await say(assistant, "502", "18/12")  # typed at the kind step: a one-off
    assert added.text.startswith("Đã thêm: Báo cáo công tác hòa giải, hạn 18/12/2026.")

    await say(assistant, "502", button="staff:dl:new")
    await say(assistant, "502", "Báo cáo sáu tháng về tiếp công dân")
    await say(assistant, "502", button="staff:dl:kind:yearly")
    twice = await say(assistant, "502", "15/6 và 15/12")
    assert twice.text.startswith("Đã thêm: Báo cáo sáu tháng về tiếp công dân"), twice.text
    await say(assistant, "502", button="staff:dl:new")
    assert (await say(assistant, "502", "huỷ")).text.startswith(texts.STEPS_STOPPED)
    async with sessions() as session:
        titles = sorted(d.title for d in (await session.exec(select(Deadline))).all())
    assert titles == ["Báo cáo công tác hòa giải", "Báo cáo sáu tháng về tiếp công dân"]
