"""The one delivery path: pushes are rows first, sent once, paced, retried, never lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import col, func, select

from bot.delivery import Deliverer, RetryAfter, Unreachable
from db import inbox, outbox, web_sessions
from db.engine import SessionFactory, create_engine, session_factory
from db.models import Identity, Outbox, Person, WebPush
from handlers.clock import FixedClock
from handlers.contract import Incoming, Reply
from handlers.conversation.assistant import Assistant


class Recorder:
    """A channel that records what it was asked to send, and fails on command."""

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures = list(failures or [])

    async def send(self, chat_id: str, reply: Reply) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, reply.text))


async def enqueue(
    sessions: SessionFactory,
    clock: FixedClock,
    n: int,
    channel: str = "test",
    key: str | None = None,
) -> None:
    async with sessions() as session, session.begin():
        for i in range(n):
            await outbox.enqueue(
                session,
                channel,
                f"chat-{i % 7}",
                Reply(f"tin {i}").to_json(),
                clock.now(),
                dedupe_key=key,
            )


async def statuses(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        rows = (
            await session.exec(select(Outbox.status, func.count()).group_by(col(Outbox.status)))
        ).all()
    return dict(rows)


async def test_a_dedupe_key_makes_a_second_enqueue_a_no_op(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await enqueue(sessions, clock, 1, key="deadline-7:2026-12-01:person-3:3d")
    await enqueue(sessions, clock, 1, key="deadline-7:2026-12-01:person-3:3d")
    assert await statuses(sessions) == {"pending": 1}


async def test_two_senders_on_one_outbox_send_every_row_once(
    database_url: str, sessions: SessionFactory, clock: FixedClock
) -> None:
    await enqueue(sessions, clock, 120)
    # Two "processes": separate engines and connection pools on the same database.
    engines = [create_engine(database_url) for _ in range(2)]
    recorders = [Recorder(), Recorder()]
    senders = [
        Deliverer(session_factory(engine), clock, {"test": recorder}, batch=7)
        for engine, recorder in zip(engines, recorders, strict=True)
    ]
    try:
        await asyncio.gather(*(sender.deliver_due(max_batches=100) for sender in senders))
    finally:
        for engine in engines:
            await engine.dispose()
    texts = [text for recorder in recorders for _, text in recorder.sent]
    assert sorted(texts) == sorted(f"tin {i}" for i in range(120))
    assert await statuses(sessions) == {"sent": 120}


async def test_a_push_due_while_nothing_ran_is_sent_once_and_marked_late(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await enqueue(sessions, clock, 2)
    clock.advance(timedelta(hours=3))  # the server was down
    channel = Recorder()
    deliverer = Deliverer(sessions, clock, {"test": channel})
    assert await deliverer.deliver_due() == 2
    assert await deliverer.deliver_due() == 0
    async with sessions() as session:
        assert all(row.late for row in (await session.exec(select(Outbox))).all())


async def test_retry_after_is_honoured(sessions: SessionFactory, clock: FixedClock) -> None:
    await enqueue(sessions, clock, 1)
    channel = Recorder([RetryAfter(30)])
    deliverer = Deliverer(sessions, clock, {"test": channel})
    assert await deliverer.deliver_due() == 0
    clock.advance(timedelta(seconds=20))
    assert await deliverer.deliver_due() == 0
    clock.advance(timedelta(seconds=11))
    assert await deliverer.deliver_due() == 1
    assert channel.sent == [("chat-0", "tin 0")]


async def test_a_person_who_blocked_the_assistant_is_marked_unreachable(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    async with sessions() as session, session.begin():
        person = Person(created_at=clock.now())
        session.add(person)
        await session.flush()
        assert person.id is not None
        session.add(
            Identity(
                person_id=person.id, channel="test", external_id="chat-0", created_at=clock.now()
            )
        )
    await enqueue(sessions, clock, 1)
    channel = Recorder([Unreachable("bot was blocked by the user")])
    assert await Deliverer(sessions, clock, {"test": channel}).deliver_due() == 0
    assert await statuses(sessions) == {"unreachable": 1}
    async with sessions() as session:
        identity = (await session.exec(select(Identity))).one()
    assert identity.unreachable_at == clock.now()


async def test_failures_back_off_and_give_up_after_the_last_attempt(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await enqueue(sessions, clock, 1)
    channel = Recorder([ConnectionError("down")] * 3)
    deliverer = Deliverer(
        sessions, clock, {"test": channel}, max_attempts=3, backoff=timedelta(seconds=5)
    )
    for wait in (0, 5, 10):
        clock.advance(timedelta(seconds=wait))
        assert await deliverer.deliver_due() == 0
    assert await statuses(sessions) == {"failed": 1}
    assert channel.sent == []


async def test_a_long_fan_out_is_recorded_every_few_sends(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    """A process killed in the middle repeats at most ``record_every`` pushes."""
    async with sessions() as session, session.begin():
        for i in range(10):
            await outbox.enqueue(session, "test", "chat", Reply(f"tin {i}").to_json(), clock.now())
    unrecorded_before_each_send: list[int] = []

    class Watching:
        async def send(self, chat_id: str, reply: Reply) -> None:
            done = len(unrecorded_before_each_send)
            recorded = (await statuses(sessions)).get("sent", 0)
            unrecorded_before_each_send.append(done - recorded)

    deliverer = Deliverer(sessions, clock, {"test": Watching()}, record_every=3)
    assert await deliverer.deliver_due() == 10
    assert unrecorded_before_each_send == [0, 1, 2] * 3 + [0]
    assert await statuses(sessions) == {"sent": 10}


KILLER = """
import asyncio, os, signal, sys
from datetime import UTC, datetime, timedelta
from db import outbox
from db.engine import create_engine, session_factory
from datetime import datetime

async def main() -> None:
    engine = create_engine(sys.argv[1])
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        now = datetime.fromisoformat(sys.argv[2])
        rows = await outbox.claim(session, now, timedelta(seconds=60), 10)
    print(len(rows), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # dies after claiming, before sending

asyncio.run(main())
"""


async def test_a_row_claimed_by_a_killed_process_is_sent_after_restart(
    database_url: str, sessions: SessionFactory, clock: FixedClock, project_root: Path
) -> None:
    await enqueue(sessions, clock, 3)
    killed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", KILLER, database_url, clock.now().isoformat()],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(project_root)},
    )
    assert killed.returncode == -signal.SIGKILL and killed.stdout.strip() == "3"
    assert await statuses(sessions) == {"sending": 3}
    channel = Recorder()
    restarted = Deliverer(sessions, clock, {"test": channel})
    # The dead process's lease (60 s) has to run out first.
    assert await restarted.deliver_due() == 0
    clock.advance(timedelta(seconds=61))
    assert await restarted.deliver_due() == 3
    assert sorted(text for _, text in channel.sent) == ["tin 0", "tin 1", "tin 2"]


async def test_an_update_stored_by_a_process_that_died_is_answered_after_restart(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    question = Incoming(
        channel="web",
        chat_id="c1",
        user_id="c1",
        text="thoi hieu khieu nai la bao lau",
        update_id="u-crash",
    )
    async with sessions() as session, session.begin():
        inbox.add(session, "web", "u-crash", "c1", question.to_json(), clock.now())
    clock.advance(timedelta(minutes=5))
    assert await assistant.replay_abandoned() == 1
    channel = Recorder()
    assert await Deliverer(sessions, clock, {"web": channel}).deliver_due() == 1
    assert "90 ngày" in channel.sent[0][1]
    async with sessions() as session:
        item = await inbox.find(session, "web", "u-crash")
    assert item is not None and item.status == "done" and item.payload is None
    # A redelivery now gets the stored answer and queues nothing new.
    [again] = await assistant.dispatch(question)
    assert "90 ngày" in again.text
    assert await statuses(sessions) == {"sent": 1}


async def test_two_clock_processes_deliver_every_web_push_once(
    database_url: str, sessions: SessionFactory, clock: FixedClock, cli_env: dict[str, str]
) -> None:
    now = clock.now()  # the clock processes start at this moment too (DCCS_TEST_TODAY)
    async with sessions() as session, session.begin():
        for chat in ("s1", "s2", "s3"):
            web_sessions.create(session, chat, now)
        await session.flush()
        for i in range(150):
            await outbox.enqueue(session, "web", f"s{i % 3 + 1}", Reply(f"tin {i}").to_json(), now)
    env = {**cli_env, "DCCS_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "bot", "clock", "--once"]
    runs = await asyncio.gather(
        *(
            asyncio.to_thread(
                subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
            )
            for _ in range(2)
        )
    )
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    # Each process reports what it sent; together, exactly the 150 rows.
    counts = [int(run.stdout.split("gửi ")[1].split()[0]) for run in runs]
    assert sum(counts) == 150
    async with sessions() as session:
        delivered = [push.reply["text"] for push in (await session.exec(select(WebPush))).all()]
    assert sorted(delivered) == sorted(f"tin {i}" for i in range(150))
    assert await statuses(sessions) == {"sent": 150}
