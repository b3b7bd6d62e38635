"""Measure the service: submit-to-graded latency and graded submissions per second through the HTTP API.

Starts its own `gradegrad serve` in a temporary folder (Redis + PostgreSQL, or the embedded default),
then: LATENCY sequential submissions, each waited for; then THROUGHPUT submissions posted at once
from CLIENTS threads, each waiting for its results as `gradegrad submit` does, timed until the last
is graded. Usage:

    .venv/bin/python bench/service.py [--backend redis|embedded] [--latency 30] [--throughput 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from stack import Service, percentile

from grader.client import poll_delays


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
    sessions = [service.session(service.token) for _ in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        ids = list(pool.map(lambda i: service.submit(sessions[i % clients]), range(count)))
        posted = time.perf_counter() - started
        results = list(pool.map(lambda i: service.wait(ids[i], sessions[i % clients], poll_delays()), range(count)))
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
