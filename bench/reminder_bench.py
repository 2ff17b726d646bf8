"""Reminder fan-out benchmark: 5 000 officials due the same reminder at the same minute, sent
through the real aiogram client to the fake Bot API, which answers 429 beyond N messages/s; the
limiter is set to the same N.

    .venv/bin/python bench/reminder_bench.py [--recipients 5000] [--rate 100] [--postgres URL]

Reports: time from the tick that queues the reminders to the last one accepted, against the
bound recipients / N; duplicates and losses (per chat, from the fake's log); 429s received.
Target: within 1.15× the bound, zero duplicates, zero losses.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.channels.telegram import TelegramSender, make_bot  # noqa: E402
from bot.delivery import Deliverer, Pace  # noqa: E402
from bot.runtime import prepare_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db.engine import create_engine, session_factory  # noqa: E402
from db.models import Identity, Person, RoleGrant  # noqa: E402
from handlers.clock import VN_TZ, FixedClock  # noqa: E402
from handlers.deadlines.plans import import_plan  # noqa: E402
from handlers.deadlines.reminders import plan_reminders  # noqa: E402
from handlers.units.registry import UnitSpec, apply  # noqa: E402
from handlers.working_days import working_calendar  # noqa: E402
from tests.fake_telegram import FakeBotApi  # noqa: E402

DUE = datetime(2026, 12, 10, 7, 30, tzinfo=VN_TZ)


async def run(recipients: int, rate: float, database: str) -> dict[str, float]:
    engine = create_engine(database)
    sessions = session_factory(engine)
    clock = FixedClock(DUE - timedelta(days=30))
    async with sessions() as session, session.begin():
        await apply(session, [UnitSpec(name="Xã Mẫu", kind="xa")], clock.now(), actor="bench")
        await import_plan(
            session,
            [{"title": "Báo cáo năm", "unit": "Xã Mẫu", "due": f"{DUE:%d/%m/%Y}"}],
            clock.now(),
        )
        unit_id = 1
        now = clock.now()
        connection = await session.connection()
        await connection.execute(
            insert(Person),
            [{"display_name": f"CB {i}", "created_at": now} for i in range(recipients)],
        )
        await connection.execute(
            insert(Identity),
            [
                {
                    "person_id": i + 1,
                    "channel": "telegram",
                    "external_id": str(100000 + i),
                    "last_seen_at": now,
                    "created_at": now,
                }
                for i in range(recipients)
            ],
        )
        await connection.execute(
            insert(RoleGrant),
            [
                {"person_id": i + 1, "role": "official", "unit_id": unit_id, "granted_at": now}
                for i in range(recipients)
            ],
        )
    fake = await FakeBotApi().start()
    fake.limit_rate(rate)
    bot = make_bot(fake.token, fake.base)
    deliverer = Deliverer(
        sessions,
        clock,
        {"telegram": TelegramSender(bot)},
        {"telegram": Pace(overall=1.0 / rate, per_chat=1.0)},
        batch=200,
    )
    clock.advance(DUE - clock.now())  # the on-the-day reminder comes due
    started = time.monotonic()
    async with sessions() as session, session.begin():
        planned = await plan_reminders(session, clock.now(), working_calendar())
    queued_at = time.monotonic()
    while len(fake.sent) < recipients:
        if await deliverer.deliver_due(max_batches=1000) == 0:
            await asyncio.sleep(0.05)
            clock.advance(timedelta(seconds=1))  # lets rows told to "retry after" come due
        if time.monotonic() - started > recipients / rate * 3 + 60:
            break
    elapsed = time.monotonic() - started
    per_chat = Counter(s.chat_id for s in fake.sent)
    await bot.session.close()
    await fake.stop()
    await engine.dispose()
    return {
        "planned": len(planned),
        "queue_seconds": queued_at - started,
        "elapsed": elapsed,
        "bound": recipients / rate,
        "ratio": elapsed / (recipients / rate),
        "duplicates": sum(n - 1 for n in per_chat.values() if n > 1),
        "losses": recipients - len(per_chat),
        "throttled": fake.throttled,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=args.postgres)
        prepare_database(settings)
        figures = asyncio.run(run(args.recipients, args.rate, settings.database()))
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{backend}: {args.recipients} reminders at {args.rate:g}/s: queued in "
        f"{figures['queue_seconds']:.1f} s, all accepted in {figures['elapsed']:.1f} s "
        f"(bound {figures['bound']:.1f} s, ratio {figures['ratio']:.3f}); duplicates "
        f"{figures['duplicates']:.0f}, losses {figures['losses']:.0f}, "
        f"429s {figures['throttled']:.0f}"
    )


if __name__ == "__main__":
    main()
