"""Where a web chat turn spends its time: transactions and statements per turn, and a cProfile
of the server side of plain FAQ turns, on SQLite and (given a URL) PostgreSQL.

    .venv/bin/python bench/web_profile.py [--postgres URL] [--turns N] [--top 25]

The server runs in this process (aiohttp on loopback, the real `create_app`); each citizen has
its own cookie and asks FAQ questions with a client message id, as the page does. Statements
are counted with SQLAlchemy's cursor events, transactions with its begin/commit events.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, CookieJar  # noqa: E402
from aiohttp.test_utils import TestServer  # noqa: E402
from alembic import command  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.channels.web import RUNTIME  # noqa: E402
from bot.runtime import prepare_database  # noqa: E402
from bot.server import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db.migrate import alembic_config  # noqa: E402

QUESTIONS = [
    "thoi hieu khieu nai la bao lau",
    "to cao nac danh co dc giai quyet ko",
    "huong uoc la gi",
    "ban thanh tra nhan dan lam gi",
]


class Counts:
    def __init__(self) -> None:
        self.statements: Counter[str] = Counter()
        self.begins = 0
        self.commits = 0
        self.pings = 0

    def attach(self, sync_engine: Any) -> None:
        @event.listens_for(sync_engine, "before_cursor_execute")
        def _statement(_c: Any, _cur: Any, sql: str, *_rest: Any) -> None:
            self.statements[" ".join(sql.split())[:90]] += 1

        @event.listens_for(sync_engine, "begin")
        def _begin(_c: Any) -> None:
            self.begins += 1

        @event.listens_for(sync_engine, "commit")
        def _commit(_c: Any) -> None:
            self.commits += 1

        # No event tells of the pool's pings (three round trips each on asyncpg).
        ping = sync_engine.dialect.do_ping

        def _ping(connection: Any) -> bool:
            self.pings += 1
            return bool(ping(connection))

        sync_engine.dialect.do_ping = _ping


AREAS = [
    ("socket/epoll (I/O, waits)", ("select.epoll", "_socket.socket", "selectors.py")),
    ("FAQ engine (knowledge/)", ("/knowledge/",)),
    ("flows and router (handlers/)", ("/handlers/",)),
    ("web route, guard, runtime (bot/)", ("/bot/",)),
    ("repositories (db/)", ("/db/",)),
    ("SQLAlchemy (statements, ORM, pool)", ("sqlalchemy",)),
    ("database drivers", ("asyncpg", "aiosqlite", "sqlite3", "_queue.SimpleQueue")),
    ("aiohttp (server and this client)", ("aiohttp", "multidict", "yarl")),
    ("JSON", ("json/",)),
    ("logging", ("logging/",)),
    ("asyncio event loop", ("asyncio/",)),
]


def by_area(profile: cProfile.Profile) -> Counter[str]:
    """Own time of every function, summed by where it lives."""
    areas: Counter[str] = Counter()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (path, _line, name), (_cc, _nc, own, _cum, _callers) in stats.items():
        where = f"{path}:{name}"
        area = next((a for a, marks in AREAS if any(m in where for m in marks)), "other")
        areas[area] += own
    return areas


async def run(url: str, turns: int, top: int, label: str) -> None:
    settings = Settings(
        database_url=url,
        data_dir=Path(tempfile.mkdtemp()),
        web_session_per_minute=10_000,
        web_address_per_minute=1_000_000,
        web_new_sessions_per_minute=1_000_000,
        log_level="WARNING",
    )
    server = TestServer(create_app(settings, run_clock=False))
    await server.start_server()
    runtime = server.app[RUNTIME]
    counts = Counts()
    counts.attach(runtime.engine.sync_engine)
    base = str(server.make_url("/api/chat"))
    # unsafe: keep cookies for an IP address host (127.0.0.1).
    count = max(1, turns // len(QUESTIONS))
    citizens = [ClientSession(cookie_jar=CookieJar(unsafe=True)) for _ in range(count)]
    try:
        # Warm up: first contacts (a session, a person, a conversation) are not plain turns.
        for n, citizen in enumerate(citizens):
            async with citizen.post(base, json={"text": "xin chao", "id": f"w{n}"}) as response:
                assert response.status == 200, await response.text()
        counts.__init__()  # type: ignore[misc]
        profile = cProfile.Profile()
        started, cpu = time.perf_counter(), time.process_time()
        done = 0
        profile.enable()
        for q, question in enumerate(QUESTIONS):
            for n, citizen in enumerate(citizens):
                body = {"text": question, "id": f"q{q}-{n}"}
                async with citizen.post(base, json=body) as response:
                    assert response.status == 200
                    await response.read()
                done += 1
        profile.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        for citizen in citizens:
            await citizen.close()
        await server.close()
    print(f"\n## {label}: {done} plain FAQ turns, one at a time")
    print(
        f"{elapsed / done * 1000:.2f} ms per turn, {cpu / done * 1000:.2f} ms CPU "
        "(client and server in one process)"
    )
    print(
        f"{counts.begins / done:.2f} transactions, "
        f"{sum(counts.statements.values()) / done:.2f} statements per turn"
        + (
            f" (+ BEGIN and COMMIT per transaction; {counts.pings / done:.2f} pool pings per "
            "turn, three round trips each)"
            if "Postgre" in label
            else ""
        )
    )
    for sql, n in counts.statements.most_common():
        print(f"  {n / done:5.2f}  {sql}")
    print("Time by area (cProfile own time, wall clock: epoll includes waiting for the database):")
    total = sum(row[2] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]
    for area, seconds in by_area(profile).most_common():
        print(f"  {area:<34} {seconds / done * 1000:6.2f} ms/turn  {seconds / total:5.1%}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="also profile on this PostgreSQL database (emptied)")
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    targets = [("SQLite", f"sqlite:///{tempfile.mkdtemp()}/profile.sqlite3")]
    if args.postgres:
        command.downgrade(alembic_config(args.postgres), "base")
        targets.append(("PostgreSQL", args.postgres))
    for label, url in targets:
        prepare_database(Settings(database_url=url, data_dir=Path(tempfile.mkdtemp())))
        asyncio.run(run(url, args.turns, args.top, label))


if __name__ == "__main__":
    main()
