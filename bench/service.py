"""Measure the service: submit-to-graded latency and graded submissions per second through the HTTP API.

Starts its own `gradegrad serve` in a temporary folder (Redis + PostgreSQL, or the embedded default),
then: LATENCY sequential submissions, each waited for; then THROUGHPUT submissions posted at once
from CLIENTS threads, timed until the last is graded. Usage:

    .venv/bin/python bench/service.py [--backend redis|embedded] [--latency 30] [--throughput 200]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

GRADEGRAD = [sys.executable, "-c", "from grader.cli import main; main()"]
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
POSTGRES = os.environ.get("GRADEGRAD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("GRADEGRAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Service:
    """A `gradegrad serve` of its own, on a fresh database."""

    def __init__(self, backend: str, folder: Path, concurrency: int) -> None:
        self.env = {**os.environ, "GRADEGRAD_SECRET_KEY": "bench", "GRADEGRAD_BEAT_SCHEDULE": str(folder / "beat")}
        self.database = None
        if backend == "redis":
            self.database = f"gradegrad_bench_{uuid.uuid4().hex[:8]}"
            self.admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.database}"'))
            prefix = f"gradegrad-bench-{uuid.uuid4().hex[:8]}:"
            self.env.update(GRADEGRAD_DATABASE_URL=self.admin.url.set(database=self.database).render_as_string(False),
                            GRADEGRAD_BROKER_URL=REDIS,
                            GRADEGRAD_CELERY__broker_transport_options=json.dumps({"global_keyprefix": prefix}))
        else:
            self.env.update(GRADEGRAD_DATABASE_URL=f"sqlite:///{folder / 'app.sqlite3'}",
                            GRADEGRAD_BROKER_URL=f"sqla+sqlite:///{folder / 'broker.sqlite3'}")
        subprocess.run([*GRADEGRAD, "db", "upgrade"], env=self.env, check=True, capture_output=True)
        made = subprocess.run([*GRADEGRAD, "create-user", "bench", "--role", "instructor", "--token"],
                              env=self.env, check=True, capture_output=True, text=True)
        self.token = made.stdout.strip().splitlines()[-1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/v1"
        self.log = (folder / "serve.log").open("wb")
        self.process = subprocess.Popen([*GRADEGRAD, "serve", "--port", str(port), "--concurrency", str(concurrency)],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.wait_ready(folder / "serve.log")

    def wait_ready(self, log: Path) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if log.read_text(errors="replace").count(" ready.") >= 2:
                try:
                    self.http.get(f"{self.url}/exercises", timeout=2).raise_for_status()
                    return
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        raise SystemExit(f"the service did not start:\n{log.read_text()[-3000:]}")

    def submit(self, http: requests.Session | None = None) -> int:
        answer = (http or self.http).post(f"{self.url}/submissions", json={"exercise": "mse_grad", "source": RIGHT})
        answer.raise_for_status()
        return answer.json()["id"]

    def wait(self, submission_id: int, http: requests.Session | None = None, poll: float = 0.002) -> dict:
        while True:
            body = (http or self.http).get(f"{self.url}/submissions/{submission_id}").json()
            if body["status"] in ("graded", "error"):
                return body
            time.sleep(poll)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()
        if self.database:
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
            self.admin.dispose()


def latency(service: Service, count: int) -> None:
    service.wait(service.submit())  # warm the worker's processes
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        result = service.wait(service.submit())
        seconds.append(time.perf_counter() - started)
        assert result["passed"], result
    print(f"submit-to-graded, one at a time ({count}): median {1000 * statistics.median(seconds):.0f} ms, "
          f"p90 {1000 * percentile(seconds, 0.9):.0f} ms, min {1000 * min(seconds):.0f} ms")


def throughput(service: Service, count: int, clients: int) -> None:
    sessions = [requests.Session() for _ in range(clients)]
    for http in sessions:
        http.headers["Authorization"] = f"Bearer {service.token}"
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        ids = list(pool.map(lambda i: service.submit(sessions[i % clients]), range(count)))
        posted = time.perf_counter() - started
        results = list(pool.map(lambda i: service.wait(ids[i], sessions[i % clients], poll=0.2), range(count)))
    elapsed = time.perf_counter() - started
    assert all(r["passed"] for r in results)
    print(f"{count} submissions from {clients} clients: posted in {posted:.2f} s, all graded in {elapsed:.2f} s "
          f"= {count / elapsed:.1f} graded/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["redis", "embedded"], default="redis")
    parser.add_argument("--latency", type=int, default=30)
    parser.add_argument("--throughput", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=2, help="grading processes of the live worker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradegrad-bench-") as folder:
        service = Service(args.backend, Path(folder), args.concurrency)
        try:
            print(f"backend: {args.backend}; live worker concurrency {args.concurrency}; {os.cpu_count()} CPUs")
            latency(service, args.latency)
            throughput(service, args.throughput, args.clients)
        finally:
            service.stop()


if __name__ == "__main__":
    main()
