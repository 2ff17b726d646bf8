"""Start-up time of the command line: `dccs --help` and a `dccs serve` restart.

    .venv/bin/python bench/startup_bench.py [--rounds 5] [--code DIR]

`--help` is timed from process start to exit; `serve` from process start to /healthz answering
200 (the machine is shared, so the CPU seconds the process used are printed too: they
depend less on the other sessions' load than the wall time), on a data folder already
migrated and seeded (a restart, which is what an operator waits for after a deploy). Each
figure is the median of ``--rounds`` runs. ``--code DIR`` runs another checkout (for
before/after figures) with this checkout's interpreter. Targets: --help under 0.5 s, serve
ready under 1.5 s (issue 19); the figures and the machine's load go in README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCCS_")}
    env["DCCS_DATA_DIR"] = str(data)
    return env


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def help_seconds(code: Path) -> tuple[float, float]:
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=code, check=True, capture_output=True
    )
    return time.perf_counter() - start, _cpu() - cpu


def serve_ready_seconds(code: Path, data: Path) -> tuple[float, float]:
    """Wall seconds to ready, and CPU seconds of the process (to ready, plus its shutdown)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cpu, start = _cpu(), time.perf_counter()
    ready = 0.0
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=_env(data),
        cwd=code,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - start < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    ready = time.perf_counter() - start
                    break
            except OSError:
                time.sleep(0.01)
        else:
            raise RuntimeError("server did not become ready in 60 s")
    finally:
        server.terminate()
        server.wait()
    return ready, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    code = args.code.resolve()
    load = os.getloadavg()
    helps = [help_seconds(code) for _ in range(args.rounds)]
    data = Path(tempfile.mkdtemp(prefix="dccs-startup-"))
    try:
        serve_ready_seconds(code, data)  # migrate and seed once: what follows are restarts
        serves = [serve_ready_seconds(code, data) for _ in range(args.rounds)]
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"code: {code}")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for label, runs in (("dccs --help", helps), ("dccs serve restart to /healthz 200", serves)):
        wall = [w for w, _ in runs]
        cpu = [c for _, c in runs]
        print(
            f"{label}: median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max "
            f"{max(wall):.2f}; {args.rounds} runs), CPU median {statistics.median(cpu):.2f} s"
        )


if __name__ == "__main__":
    main()
