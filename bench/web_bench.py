"""Web chat at province scale: citizens with their own cookies asking FAQ questions over
``POST /api/chat``, against `dccs serve` processes and two reference servers, in one run.

    .venv/bin/python bench/web_bench.py --postgres URL [--citizens 300] [--questions 4]
        [--concurrency 64] [--rounds 1] [--skip-race] [--web-cores 0.4]
        [--only bare,stored,stored2,pg1,pg2,sqlite]

The PostgreSQL database is emptied (downgraded to nothing, upgraded again) before each dccs run.
Servers, each in its own process on 127.0.0.1:
- "bare": aiohttp answering a fixed reply, setting a cookie on first contact (code below);
- "one transaction": the same, storing each message in one asyncpg transaction and reading the
  session back (code below), in one process and in two ("stored2": what this machine gives a
  second process of a server that does next to nothing);
- `dccs serve --no-clock` x1 and x2 on PostgreSQL, with one `dccs clock`;
- `dccs serve` x1 on SQLite (web and clock in one process, as a commune runs it).
With two processes every request goes to the next port in turn (no sticky sessions: a
citizen's turns alternate between the processes, as behind a round-robin proxy).

The load generator is this process, and it shares the cores with the servers and PostgreSQL,
so it does as little as a client can: each of the ``concurrency`` workers keeps one
keep-alive connection per port (as a browser or a reverse proxy does), requests are bytes
built from bodies made before the clock starts, and a response is read by its
Content-Length, its cookie taken from Set-Cookie by hand. (An aiohttp ``ClientSession`` per
citizen, as before, used about as much CPU per turn as the server under test.) Where the
cores went during each measurement is printed (``CpuShares``, from /proc): the web
processes, the clock, PostgreSQL's backends of the bench's database, the rest of PostgreSQL,
the load generator, everything else on the machine, and idle.

Rate limits are production's (bot/settings.py, bot/guard.py) except the two that count per
client address, since all the load comes from 127.0.0.1: DCCS_WEB_ADDRESS_PER_MINUTE and
DCCS_WEB_NEW_SESSIONS_PER_MINUTE are raised (see ``DCCS_ENV``); DCCS_WEB_SESSION_PER_MINUTE
stays at its default of 60 per browser session. The load average (/proc/loadavg) is printed
with every figure: the machine may be shared. ``--web-cores`` caps every web process (cgroup
CPU quota) so that cores stay idle: two processes then show what they cost per turn without
competing for the cores.

Then a booking race across two processes: citizens book the same tiếp công dân session at
once through both; no session may go over capacity, its counter must equal its rows, and
queue numbers must be unique.

Longer than our ~400-line habit on purpose: the issue asks for the two reference servers'
code to live in the bench, beside the load and the race, so one file runs the whole comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, CookieJar, web  # noqa: E402

QUESTIONS = [
    "thoi hieu khieu nai la bao lau",
    "to cao nac danh co dc giai quyet ko",
    "huong uoc la gi",
    "ban thanh tra nhan dan lam gi",
]
REPLY = {"replies": [{"text": "Trợ lý đã nhận câu hỏi của anh/chị.", "buttons": []}]}
COOKIE = "dccs_session"
CGROUP_CPU = Path("/sys/fs/cgroup/cpu")
STORED = "aiohttp + one asyncpg transaction per message"
DCCS = str(ROOT / ".venv" / "bin" / "dccs")
# The production limits, except the two counted per address (every citizen here is 127.0.0.1).
DCCS_ENV = {
    "DCCS_WEB_ADDRESS_PER_MINUTE": "1000000",
    "DCCS_WEB_NEW_SESSIONS_PER_MINUTE": "1000000",
    "DCCS_LOG_LEVEL": "WARNING",
    **{k: v for k, v in os.environ.items() if k == "DCCS_WEB_PARALLEL_GROUPS"},
}


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[0]


# ---------------------------------------------------------------- reference servers


def reference_app(kind: str, database: str | None) -> web.Application:
    """The two reference servers: a fixed reply with a cookie, and the same storing each
    message in one asyncpg transaction and reading the session back."""
    app = web.Application()
    pool_key: web.AppKey[Any] = web.AppKey("pool", object)

    async def chat(request: web.Request) -> web.Response:
        body = await request.json()
        cookie = request.cookies.get(COOKIE)
        new = cookie is None
        token = cookie or secrets.token_urlsafe(32)
        if kind == "stored":
            async with request.app[pool_key].acquire() as conn, conn.transaction():
                if new:
                    await conn.execute(
                        "INSERT INTO bench_ref_session (token, seen_at) VALUES ($1, now())", token
                    )
                await conn.execute(
                    "INSERT INTO bench_ref_message (token, client_id, text, at) "
                    "VALUES ($1, $2, $3, now())",
                    token,
                    body.get("id"),
                    body.get("text"),
                )
                seen = await conn.fetchrow(
                    "SELECT token, seen_at FROM bench_ref_session WHERE token = $1", token
                )
                assert seen is not None
        response = web.json_response(REPLY, dumps=lambda d: json.dumps(d, ensure_ascii=False))
        if new:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Lax")
        return response

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def pool(app: web.Application) -> Any:
        import asyncpg  # type: ignore[import-untyped]

        assert database is not None
        created = await asyncpg.create_pool(database, min_size=10, max_size=20)
        async with created.acquire() as conn:
            await conn.execute(
                "DROP TABLE IF EXISTS bench_ref_message; DROP TABLE IF EXISTS bench_ref_session;"
                "CREATE TABLE bench_ref_session (token text PRIMARY KEY, seen_at timestamptz);"
                "CREATE TABLE bench_ref_message (id bigserial PRIMARY KEY, token text "
                "REFERENCES bench_ref_session, client_id text, text text, at timestamptz)"
            )
        app[pool_key] = created
        yield
        async with created.acquire() as conn:
            await conn.execute(
                "DROP TABLE IF EXISTS bench_ref_message; DROP TABLE IF EXISTS bench_ref_session"
            )
        await created.close()

    if kind == "stored":
        app.cleanup_ctx.append(pool)
    app.router.add_post("/api/chat", chat)
    app.router.add_get("/healthz", healthz)
    return app


# ---------------------------------------------------------------- processes


class Servers:
    """Processes started for one measurement, stopped (SIGTERM, then SIGKILL) at its end."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        self.logs = Path(tempfile.mkdtemp(prefix="web-bench-"))

    def start(self, argv: Sequence[str], env: dict[str, str], port: int | None) -> None:
        log = (self.logs / f"{len(self.procs)}.log").open("wb")
        self.procs.append(
            subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.logs)
        )
        if port is not None:
            self.ports.append(port)

    async def ready(self, port: int, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        async with ClientSession() as client:
            while time.monotonic() < deadline:
                try:
                    async with client.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            return
                except OSError:
                    pass
                if any(proc.poll() is not None for proc in self.procs):
                    break
                await asyncio.sleep(0.2)
        raise RuntimeError(f"server on {port} did not start; logs in {self.logs}")

    def cap(self, cores: float) -> None:
        """Each web process in a cgroup of its own, limited to ``cores`` of CPU time (cgroup
        v1 CPU quota), so that the machine keeps cores to spare: whether two processes cost
        more per turn than one when they do not compete for the cores."""
        for n, proc in enumerate(self.procs[: len(self.ports)]):
            group = CGROUP_CPU / f"web-bench-{n}"
            group.mkdir(exist_ok=True)
            (group / "cpu.cfs_period_us").write_text("100000")
            (group / "cpu.cfs_quota_us").write_text(str(round(cores * 100_000)))
            (group / "cgroup.procs").write_text(str(proc.pid))

    def cpu(self, web_only: bool = True) -> float:
        """CPU seconds the web processes (or all, the clock too) have used, user + system."""
        total = 0
        for proc in self.procs[: len(self.ports)] if web_only else self.procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    async def settled(self, within: float = 90.0, quiet: int = 3) -> None:
        """Wait until every process is done starting (its CPU use stops growing for ``quiet``
        seconds in a row): a clock still importing, migrating or on its first tick would be
        counted against the web processes' turns. On a busy machine a starting process may
        get no core for a second, hence several quiet seconds, not one."""
        deadline = time.monotonic() + within
        before, still = self.cpu(web_only=False), 0
        while time.monotonic() < deadline and still < quiet:
            await asyncio.sleep(1.0)
            now = self.cpu(web_only=False)
            still = still + 1 if now - before < 0.05 else 0
            before = now

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _ticks(pid: int | str) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone since it was listed
        return 0
    return int(fields[11]) + int(fields[12])


def _postgres_processes() -> dict[int, str]:
    """Every PostgreSQL process on this machine, with its title ("postgres: 15/main: postgres
    h22 127.0.0.1(…) idle" for a backend)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "cmdline").read_bytes()
                title = raw.replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres"):
                found[int(entry.name)] = title
    return found


def _machine() -> tuple[int, int]:
    """(busy, all) ticks of every core since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values[:8]) - idle, sum(values[:8])


class CpuShares:
    """Where the cores went during one measurement, in cores (CPU seconds per second): the web
    processes, the clock, PostgreSQL's backends of the bench's database, the rest of
    PostgreSQL (its own background work and other databases' backends), this process (the
    load generator), everything else on the machine, and idle."""

    def __init__(self, servers: Servers, database: str | None) -> None:
        self.servers = servers
        self.database = database
        self.start = self._read()

    def _read(self) -> dict[str, int]:
        web_pids = [p.pid for p in self.servers.procs[: len(self.servers.ports)]]
        others = [p.pid for p in self.servers.procs[len(self.servers.ports) :]]
        ticks = {
            "web": sum(_ticks(pid) for pid in web_pids),
            "clock": sum(_ticks(pid) for pid in others),
            "generator": _ticks("self"),
        }
        # PostgreSQL per process: one that ends during the measurement (another session's
        # backend) is left out rather than counted as negative.
        for pid, title in _postgres_processes().items():
            ours = self.database is not None and f" {self.database} " in title
            ticks[f"{'pg' if ours else 'pg other'} {pid}"] = _ticks(pid)
        ticks["busy"], ticks["all"] = _machine()
        return ticks

    def stop(self) -> dict[str, float]:
        end = self._read()
        spent = {"pg": 0, "pg other": 0}
        for key, value in end.items():
            if key in self.start:
                kind = key.rsplit(" ", 1)[0] if key.startswith("pg") else key
                spent[kind] = spent.get(kind, 0) + value - self.start[key]
        hz = os.sysconf("SC_CLK_TCK")
        seconds = spent["all"] / (os.cpu_count() or 1) / hz
        mine = sum(spent[k] for k in ("web", "clock", "generator", "pg", "pg other"))
        shares = {k: spent[k] / hz / seconds for k in ("web", "clock", "pg", "pg other")}
        shares["generator"] = spent["generator"] / hz / seconds
        shares["elsewhere"] = max(0, spent["busy"] - mine) / hz / seconds
        shares["idle"] = (spent["all"] - spent["busy"]) / hz / seconds
        return shares


def dccs_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCCS_")}
    env.update(DCCS_ENV)
    env["DCCS_DATABASE_URL"] = database_url
    env["DCCS_DATA_DIR"] = str(data_dir)
    return env


def fresh_postgres(url: str) -> None:
    from alembic import command

    from bot.runtime import prepare_database
    from bot.settings import Settings
    from db.migrate import alembic_config

    command.downgrade(alembic_config(url), "base")
    prepare_database(Settings(database_url=url, data_dir=Path(tempfile.mkdtemp())))


async def start_dccs(servers: Servers, url: str, processes: int, port: int, clock: bool) -> None:
    data = Path(tempfile.mkdtemp(prefix="web-bench-data-"))
    env = dccs_env(url, data)
    for n in range(processes):
        argv = [DCCS, "serve", "--port", str(port + n)]
        if clock:
            argv.append("--no-clock")
        servers.start(argv, env, port + n)
        # One at a time: the first seeds the knowledge base.
        await servers.ready(port + n)
    if clock:
        servers.start([DCCS, "clock"], env, None)
    await servers.settled()


# ---------------------------------------------------------------- load


@dataclass
class Result:
    name: str
    turns: int
    seconds: float
    latencies: list[float]
    errors: dict[int, int]
    load_before: str
    load_after: str
    # CPU the web processes used per turn, in ms (not the clock's, nor PostgreSQL's).
    cpu_ms: float
    # Cores used during the measurement, by whom (see CpuShares).
    shares: dict[str, float]

    @property
    def rate(self) -> float:
        return self.turns / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time: the least a client can do
    per request (no cookie jar, no header objects), so the servers get the cores."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[bytes, bytes]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        waiter = self.waiter
        end = self.buffer.find(b"\r\n\r\n")
        if waiter is None or waiter.done() or end < 0:
            return
        head = bytes(self.buffer[:end])
        at = head.lower().find(b"\r\ncontent-length:")
        length = int(head[at + 17 : head.index(b"\r\n", at + 2)]) if at >= 0 else 0
        if len(self.buffer) >= end + 4 + length:
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            waiter.set_result((head, body))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("closed by the server"))

    async def send(self, request: bytes) -> tuple[bytes, bytes]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


def _cookie(head: bytes) -> bytes | None:
    at = head.lower().find(b"\r\nset-cookie: " + COOKIE.encode() + b"=")
    if at < 0:
        return None
    start = at + len(b"\r\nset-cookie: ")
    return head[start : head.index(b";", start)]


async def citizens_ask(
    ports: Sequence[int], citizens: int, questions: int, concurrency: int, tag: str
) -> tuple[float, list[float], dict[int, int]]:
    """``citizens`` browsers, each keeping the cookie the server gives it, asking
    ``questions`` FAQ questions one after another with a client message id; ``concurrency``
    citizens at a time; requests round-robin over ports. Each of the ``concurrency`` workers
    keeps one connection per port open (as a browser, or a reverse proxy, keeps them alive);
    bodies are built before the clock starts."""
    loop = asyncio.get_running_loop()
    turn = itertools.cycle(ports)
    head = b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    bodies = [
        [
            json.dumps({"text": QUESTIONS[k % len(QUESTIONS)], "id": f"{tag}-{n}-{k}"}).encode()
            for k in range(questions)
        ]
        for n in range(citizens)
    ]
    latencies: list[float] = []
    errors: dict[int, int] = {}
    queue = list(range(citizens - 1, -1, -1))

    async def worker() -> None:
        open_: dict[int, _Connection] = {}
        while queue:
            n = queue.pop()
            cookie = b""
            for body in bodies[n]:
                port = next(turn)
                request = b"%sContent-Length: %d\r\n%s\r\n%s" % (head, len(body), cookie, body)
                started = time.perf_counter()
                for attempt in (1, 2):
                    connection = open_.get(port)
                    if connection is None or connection.transport is None:
                        _, connection = await loop.create_connection(_Connection, "127.0.0.1", port)
                        open_[port] = connection
                    try:
                        answer, data = await connection.send(request)
                        break
                    except ConnectionError:
                        if attempt == 2:
                            raise
                status = int(answer[9:12])
                if status != 200 or b'"replies": [{' not in data:
                    errors[status] = errors.get(status, 0) + 1
                latencies.append(time.perf_counter() - started)
                given = _cookie(answer)
                if given is not None:
                    cookie = b"Cookie: " + given + b"\r\n"
        for connection in open_.values():
            if connection.transport is not None:
                connection.transport.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, errors


async def measure(name: str, servers: Servers, args: argparse.Namespace) -> Result:
    if args.web_cores:
        servers.cap(args.web_cores)
    tag = secrets.token_hex(3)
    # Warm up: the first requests open pool connections and prepare statements, in every
    # process (one question from as many citizens as will ask at once).
    await citizens_ask(servers.ports, args.concurrency, 1, args.concurrency, f"warm{tag}")
    before, cpu = load(), servers.cpu()
    shares = CpuShares(servers, database_name(args.postgres))
    seconds, latencies, errors = await citizens_ask(
        servers.ports, args.citizens, args.questions, args.concurrency, tag
    )
    cores = shares.stop()
    cpu_ms = (servers.cpu() - cpu) / max(1, len(latencies)) * 1000
    result = Result(name, len(latencies), seconds, latencies, errors, before, load(), cpu_ms, cores)
    print(
        f"  {name}: {result.rate:.0f} turns/s, p50 {result.pct(0.5):.0f} ms, "
        f"p99 {result.pct(0.99):.0f} ms, web process CPU {cpu_ms:.2f} ms/turn, "
        f"errors {errors or 0}, load {before} -> {load()}; cores: "
        + ", ".join(f"{key} {value:.2f}" for key, value in cores.items()),
        flush=True,
    )
    return result


def database_name(url: str | None) -> str | None:
    return url.rsplit("/", 1)[1].split("?", 1)[0] if url else None


async def run_reference(kind: str, processes: int, port: int, args: argparse.Namespace) -> Result:
    servers = Servers()
    try:
        for n in range(processes):
            argv = [sys.executable, __file__, "--serve-reference", kind, "--port", str(port + n)]
            if args.postgres:
                argv += ["--postgres", args.postgres]
            servers.start(argv, dict(os.environ), port + n)
            # One at a time: the first creates the stored reference's tables.
            await servers.ready(port + n)
        label = "bare aiohttp, fixed reply + cookie" if kind == "bare" else STORED
        return await measure(f"{label} x{processes}", servers, args)
    finally:
        servers.stop()


async def run_dccs(
    label: str, url: str, processes: int, clock: bool, port: int, args: argparse.Namespace
) -> Result:
    servers = Servers()
    try:
        await start_dccs(servers, url, processes, port, clock)
        return await measure(label, servers, args)
    finally:
        servers.stop()


# ---------------------------------------------------------------- booking race


async def booking_race(url: str, citizens: int, capacity: int, port: int) -> str:
    """Citizens book one session at once through two processes; the invariants checked."""
    from sqlmodel import select

    from db.engine import create_engine, session_factory
    from db.models import Booking, ReceptionSession
    from handlers.clock import SystemClock
    from handlers.reception.schedule import import_calendar
    from handlers.units.registry import UnitSpec, apply

    await asyncio.to_thread(fresh_postgres, url)
    clock = SystemClock()
    engine = create_engine(url)
    sessions = session_factory(engine)
    day = date.today() + timedelta(days=14)
    day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday, two weeks or more ahead
    async with sessions() as session, session.begin():
        await apply(
            session,
            [
                UnitSpec(name="Tỉnh mẫu", kind="tinh"),
                UnitSpec(name="Xã Minh Hòa", kind="xa", parent="Tỉnh mẫu"),
            ],
            clock.now(),
            actor="bench",
        )
        one_off = {
            "unit": "Xã Minh Hòa",
            "kind": "dinh_ky",
            "date": f"{day:%d/%m/%Y}",
            "start": "07:30",
            "end": "11:00",
            "place": "Phòng tiếp công dân UBND xã Minh Hòa",
            "receiver_name": "Lê Văn Bình",
            "receiver_title": "Chủ tịch UBND xã",
            "capacity": capacity,
        }
        await import_calendar(session, {"sessions": [one_off]}, clock.now())
    servers = Servers()
    urls = itertools.cycle([f"http://127.0.0.1:{port + n}/api/chat" for n in range(2)])
    booked: list[str] = []
    try:
        await start_dccs(servers, url, 2, port, clock=True)

        async def citizen(n: int) -> None:
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
                step = itertools.count()

                async def send(**body: str) -> list[dict[str, Any]]:
                    body["id"] = f"race-{n}-{next(step)}"
                    async with browser.post(next(urls), json=body) as response:
                        assert response.status == 200, await response.text()
                        replies: list[dict[str, Any]] = (await response.json())["replies"]
                        return replies

                offered = await send(button="menu:book")
                picks = [
                    b["payload"]
                    for r in offered
                    for b in r.get("buttons", [])
                    if b["payload"].startswith("rc:s:")
                ]
                if not picks:
                    return
                await send(button=picks[0])
                await send(button="rc:m:kien_nghi")
                await send(text=f"Nguyễn Văn An {chr(65 + n % 26)}")
                await send(text=f"0912{n:06d}")
                await send(text="Thôn Đông, xã Minh Hòa")
                await send(text="Tranh chấp ranh giới đất với hộ bên cạnh")
                done = await send(button="rc:yes")
                if done and done[-1]["text"].startswith("Đã đặt lịch."):
                    booked.append(str(n))

        await asyncio.gather(*(citizen(n) for n in range(citizens)))
    finally:
        servers.stop()
    async with sessions() as session:
        rows = (await session.exec(select(ReceptionSession))).all()
        bookings = (await session.exec(select(Booking))).all()
    await engine.dispose()
    lines = []
    ok = True
    for row in rows:
        mine = [b for b in bookings if b.session_id == row.id and b.status == "booked"]
        queues = [b.queue_number for b in mine]
        over = len(mine) > row.capacity
        unequal = row.booked != len(mine)
        duplicate = len(set(queues)) != len(queues)
        ok = ok and not (over or unequal or duplicate)
        lines.append(
            f"session {row.id}: capacity {row.capacity}, counter {row.booked}, rows {len(mine)}, "
            f"queue numbers {sorted(queues)}"
        )
    lines.append(
        f"{citizens} citizens, {len(booked)} told 'Đã đặt lịch.'; invariants "
        + ("hold" if ok and len(booked) == len(bookings) else "BROKEN")
    )
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def _ratios(r: Result, results: list[Result]) -> tuple[float | None, float | None]:
    """This result against the one-transaction reference (one process) and, for two
    processes, against one process of the same server, same round."""
    one_tx = next((x for x in results if x.name == f"{STORED} x1"), None)
    same_x1 = next((x for x in results if x.name == r.name.removesuffix("x2") + "x1"), None)
    return (
        r.rate / one_tx.rate if one_tx else None,
        r.rate / same_x1.rate if same_x1 and r.name.endswith("x2") else None,
    )


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(results: list[Result]) -> str:
    """The results of one round, with the ratios within that round and who used the cores."""
    lines = [
        "| server | turns/s | p50 ms | p99 ms | vs one-transaction ref | x2 vs x1 "
        "| web process CPU ms/turn | cores: web / clock / PG backends / PG rest / generator "
        "/ elsewhere / idle | errors | load before/after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ref, own = _ratios(r, results)
        c = r.shares
        cores = " / ".join(
            f"{c[k]:.2f}"
            for k in ("web", "clock", "pg", "pg other", "generator", "elsewhere", "idle")
        )
        lines.append(
            f"| {r.name} | {r.rate:.0f} | {r.pct(0.5):.0f} | {r.pct(0.99):.0f} | {_shown(ref)} "
            f"| {_shown(own)} | {r.cpu_ms:.2f} | {cores} | {sum(r.errors.values())} "
            f"| {r.load_before} / {r.load_after} |"
        )
    return "\n".join(lines)


def medians(rounds: list[list[Result]]) -> str:
    """Each server's median over the rounds; ratios are medians of the per-round ratios."""
    lines = [
        "| server | turns/s | p99 ms | vs one-transaction ref | x2 vs x1 "
        "| web process CPU ms/turn | load (1 min) during its runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, first in enumerate(rounds[0]):
        mine = [(results[n], results) for results in rounds]
        ref = [x for x in (_ratios(r, rs)[0] for r, rs in mine) if x is not None]
        own = [x for x in (_ratios(r, rs)[1] for r, rs in mine) if x is not None]
        loads = [float(v) for r, _ in mine for v in (r.load_before, r.load_after)]
        lines.append(
            f"| {first.name} | {statistics.median(r.rate for r, _ in mine):.0f} "
            f"| {statistics.median(r.pct(0.99) for r, _ in mine):.0f} "
            f"| {_shown(statistics.median(ref) if ref else None)} "
            f"| {_shown(statistics.median(own) if own else None)} "
            f"| {statistics.median(r.cpu_ms for r, _ in mine):.2f} "
            f"| {min(loads):.2f}–{max(loads):.2f} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    print(
        f"# Web chat benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, load {load()}"
    )
    print(
        f"{args.citizens} citizens x {args.questions} FAQ questions, {args.concurrency} at a "
        f"time, {args.rounds} round(s); load generator: this process, raw asyncio "
        f"keep-alive connections; settings: {DCCS_ENV} (others at their defaults)"
        + (f"; every web process capped at {args.web_cores} cores" if args.web_cores else ""),
        flush=True,
    )
    sqlite = f"sqlite:///{tempfile.mkdtemp(prefix='web-bench-sqlite-')}/bench.sqlite3"
    rounds: list[list[Result]] = []
    only = set(args.only.split(","))
    for _ in range(args.rounds):
        results: list[Result] = []
        rounds.append(results)
        if "bare" in only:
            results.append(await run_reference("bare", 1, 18101, args))
        for processes, key in ((1, "stored"), (2, "stored2")):
            if args.postgres and key in only:
                port = 18150 + 10 * processes
                results.append(await run_reference("stored", processes, port, args))
        for processes in (1, 2):
            if args.postgres and f"pg{processes}" in only:
                await asyncio.to_thread(fresh_postgres, args.postgres)
                label = f"dccs serve, PostgreSQL x{processes}"
                port = 18100 + 10 * processes
                results.append(await run_dccs(label, args.postgres, processes, True, port, args))
        if "sqlite" in only:
            results.append(await run_dccs("dccs serve, SQLite x1", sqlite, 1, False, 18130, args))
    for n, results in enumerate(rounds, 1):
        print(f"\nRound {n}:\n")
        print(table(results))
    print(f"\nMedians over {len(rounds)} round(s):\n")
    print(medians(rounds))
    if args.postgres and not args.skip_race:
        print("\nBooking race, 2 processes on PostgreSQL (load " + load() + "):")
        print(await booking_race(args.postgres, args.race_citizens, args.race_capacity, 18140))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="PostgreSQL URL (emptied before each dccs run)")
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--skip-race", action="store_true")
    parser.add_argument(
        "--only",
        default="bare,stored,stored2,pg1,pg2,sqlite",
        help="which servers to measure, comma-separated (default: all six)",
    )
    parser.add_argument(
        "--web-cores",
        type=float,
        help="cap each web process at this many cores (root, cgroup v1 cpu controller at "
        "/sys/fs/cgroup/cpu), leaving cores to spare",
    )
    parser.add_argument("--race-citizens", type=int, default=40)
    parser.add_argument("--race-capacity", type=int, default=10)
    parser.add_argument("--serve-reference", choices=["bare", "stored"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_reference:
        app = reference_app(args.serve_reference, args.postgres)
        web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None)
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
