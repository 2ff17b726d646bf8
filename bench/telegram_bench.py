"""Telegram pipeline benchmark: fake Bot API → polling → inbox → dispatch → outbox → sendMessage,
beside a bare aiogram echo bot on the same fake server, in the same run.

    .venv/bin/python bench/telegram_bench.py [--postgres URL] [--updates N]

Throughput: N updates (one per user) are queued at once; updates per second until the last
reply is sent. Latency: 20 and 100 updates per second for 5 s each, after 2 s of quiet; time
from queuing an update to its sendMessage, p50/p99. Our pipeline runs with the flood limiter
opened (the default limiter caps Telegram at 25 messages/s by design; the figures measure what
the pipeline itself can carry).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Dispatcher, Router  # noqa: E402
from aiogram.types import Message  # noqa: E402
from alembic import command  # noqa: E402

from bot.channels.telegram import make_bot  # noqa: E402
from bot.runtime import prepare_database, start_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db.migrate import alembic_config  # noqa: E402
from tests.fake_telegram import FakeBotApi  # noqa: E402

QUESTION = "thoi hieu khieu nai la bao lau"
SETTLE_SECONDS = 2.0


async def throughput(fake: FakeBotApi, n: int, first_user: int) -> float:
    start = time.monotonic()
    before = len(fake.sent)
    for i in range(n):
        fake.text(first_user + i, QUESTION)
    await fake.wait_sent(before + n, within=300)
    return n / (time.monotonic() - start)


async def latency(fake: FakeBotApi, rate: int, seconds: int, first_user: int) -> list[float]:
    pushed: dict[str, float] = {}
    before = len(fake.sent)
    total = rate * seconds
    start = time.monotonic()
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        user = first_user + i
        pushed[str(user)] = time.monotonic()
        fake.text(user, QUESTION)
    await fake.wait_sent(before + total, within=300)
    return [(s.at - pushed[s.chat_id]) * 1000 for s in fake.sent[before:] if s.chat_id in pushed]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


Row = tuple[str, float, tuple[float, float], tuple[float, float]]


async def measure(
    start_bot: Callable[[FakeBotApi], Awaitable[Callable[[], Awaitable[None]]]],
    name: str,
    updates: int,
) -> Row:
    fake = await FakeBotApi().start()
    stop = await start_bot(fake)
    try:
        await throughput(fake, 20, 100)  # warm up
        rate = await throughput(fake, updates, 10_000)
        # Latency is measured at a steady rate, not in the wake of the burst above.
        await asyncio.sleep(SETTLE_SECONDS)
        light = await latency(fake, 20, 5, 30_000)
        await asyncio.sleep(SETTLE_SECONDS)
        heavy = await latency(fake, 100, 5, 50_000)
    finally:
        await stop()
        await fake.stop()
    return name, rate, percentiles(light), percentiles(heavy)


def pipeline(database_url: str) -> Callable[[FakeBotApi], Awaitable[Callable[[], Awaitable[None]]]]:
    async def start(fake: FakeBotApi) -> Callable[[], Awaitable[None]]:
        settings = Settings(
            database_url=database_url,
            data_dir=Path(tempfile.mkdtemp()),
            telegram_bot_token=fake.token,
            telegram_api_base=fake.base,
            telegram_rate_per_second=100_000.0,
            telegram_chat_gap_seconds=0.0,
            log_level="WARNING",
        )
        runtime = await start_runtime(settings)
        await runtime.start_channels()
        return runtime.close

    return start


async def echo(fake: FakeBotApi) -> Callable[[], Awaitable[None]]:
    bot = make_bot(fake.token, fake.base)
    router = Router(name="echo")

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    task = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))

    async def stop() -> None:
        await dispatcher.stop_polling()
        await asyncio.gather(task, return_exceptions=True)
        await bot.session.close()

    return stop


async def main_async(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    rows = [await measure(echo, "bare aiogram echo bot", args.updates)]
    for label, url in args.databases:
        rows.append(await measure(pipeline(url), f"dccs pipeline ({label})", args.updates))
    print(f"# Telegram benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    print(f"{args.updates} updates at once for throughput; 20/s and 100/s for 5 s for latency\n")
    print("| bot | updates/s | ratio to echo | p50/p99 ms at 20/s | p50/p99 ms at 100/s |")
    print("|---|---|---|---|---|")
    echo_rate = rows[0][1]
    for name, rate, (l50, l99), (h50, h99) in rows:
        print(
            f"| {name} | {rate:.0f} | {rate / echo_rate:.0%} | {l50:.1f} / {l99:.1f} "
            f"| {h50:.1f} / {h99:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (emptied)")
    parser.add_argument("--updates", type=int, default=500)
    args = parser.parse_args()
    sqlite = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    args.databases = [("SQLite", sqlite)]
    if args.postgres:
        args.databases.append(("PostgreSQL", args.postgres))
    if args.postgres:
        # Emptied: the fake's update ids start again at 1, so an earlier run's inbox rows
        # would pass for redeliveries.
        command.downgrade(alembic_config(args.postgres), "base")
    for _, url in args.databases:
        prepare_database(Settings(database_url=url, data_dir=Path(tempfile.mkdtemp())))
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
