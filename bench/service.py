"""Measure the service: submit-to-graded latency and graded submissions per second through the HTTP API.

Starts its own `gradegrad serve` in a temporary folder (Redis + PostgreSQL, or the embedded default),
then: LATENCY sequential submissions, each waited for; then THROUGHPUT submissions posted at once
from CLIENTS threads, timed from the first one stored to the last one graded. The baseline, run
in this process before the service starts and after it stops, is the grader alone: the same
right submission graded back to back by as many processes, each with its own sandbox server,
with no web, queue or database. Its ratio tells what the service costs on top of grading, and
stays comparable when this VM's host takes CPU back. Usage:

    .venv/bin/python bench/service.py [--backend redis|embedded] [--latency 30] [--throughput 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import case, create_engine, func, select
from stack import RIGHT, Service, percentile

from exercises import get_exercise

STUDENT_SHARE = 20  # submissions per student, under the default limit of 30 an hour
BASELINE_SECONDS = 5.0


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


def grader_alone(processes: int, seconds: float) -> float:
    """The baseline: gradings per second of ``processes`` processes grading back to back for ``seconds``."""
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return sum(pool.map(grade_back_to_back, [seconds] * processes))


def grade_back_to_back(seconds: float) -> float:
    from grader.pipeline import grade
    from grader.sandbox.runner import ForkServerRunner

    runner = ForkServerRunner()
    try:
        grade(RIGHT, get_exercise("mse_grad"), runner=runner)  # start and warm the server
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            assert grade(RIGHT, get_exercise("mse_grad"), runner=runner).passed
            count += 1
        return count / (time.perf_counter() - started)
    finally:
        runner.close()


def throughput(service: Service, count: int, clients: int, rounds: int) -> float:
    """ROUNDS times, COUNT submissions posted by CLIENTS at once; each round's clock stops when the database
    holds its last result. Rounds differ by up to a fifth on a VM whose host takes CPU back, hence several.

    Students submit, under the course's default hourly limit (so every POST counts their recent
    submissions), and enough of them that none reaches it. The clients do not poll: polling is
    the students' share of the load, which bench/load.py measures.
    """
    tokens = service.students(max(clients, math.ceil(count * rounds / STUDENT_SHARE)), lift_limit=False)
    sessions = [service.session(token) for token in tokens]
    rates = []
    for number in range(rounds):
        mine = sessions[number::rounds]
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            ids = list(pool.map(lambda i, mine=mine: service.submit(mine[i % len(mine)]), range(count)))
        posted = time.perf_counter() - started
        elapsed, graded = time_to_graded(service, ids)
        rates.append(graded / elapsed)
        print(f"round {number + 1}: {count} submissions from {clients} clients posted in {posted:.2f} s, all graded "
              f"{elapsed:.2f} s after the first arrived = {rates[-1]:.1f} graded/s")
    print(f"graded submissions per second, median of {rounds} rounds: {statistics.median(rates):.1f} "
          f"(lowest {min(rates):.1f}, highest {max(rates):.1f})")
    return statistics.median(rates)


def time_to_graded(service: Service, ids: list[int]) -> tuple[float, int]:
    """Seconds from the first of ``ids`` stored to the last graded, read from the database; and how many passed."""
    from web.models import Submission

    done = select(func.count(), func.sum(case((Submission.passed, 1), else_=0)), func.max(Submission.graded_at)) \
        .where(Submission.id.in_(ids), Submission.status.in_(("graded", "error")))
    engine = create_engine(service.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            while (found := connection.execute(done).one())[0] < len(ids):
                connection.rollback()
                time.sleep(0.05)
            first = connection.execute(select(func.min(Submission.created_at)).where(Submission.id.in_(ids))).scalar()
    finally:
        engine.dispose()
    graded, passed, last = found
    assert passed == len(ids), f"only {passed} of {len(ids)} right submissions passed"
    return (last - first).total_seconds(), graded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["redis", "embedded"], default="redis")
    parser.add_argument("--latency", type=int, default=30)
    parser.add_argument("--throughput", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=2, help="grading processes of the live worker")
    args = parser.parse_args()
    baseline = [grader_alone(args.concurrency, BASELINE_SECONDS)]
    with tempfile.TemporaryDirectory(prefix="gradegrad-bench-") as folder:
        service = Service(args.backend, Path(folder), args.concurrency)
        try:
            print(f"backend: {args.backend}; live worker concurrency {args.concurrency}; {os.cpu_count()} CPUs")
            latency(service, args.latency)
            rate = throughput(service, args.throughput, args.clients, args.rounds)
        finally:
            service.stop()
    baseline.append(grader_alone(args.concurrency, BASELINE_SECONDS))
    alone = statistics.mean(baseline)
    print(f"\n{'':44s} per second   ratio to the baseline")
    print(f"{f'grader alone, {args.concurrency} processes (baseline)':44s} {alone:10.1f}   1.00   "
          f"(before {baseline[0]:.1f}, after {baseline[1]:.1f})")
    print(f"{'service through the HTTP API, median':44s} {rate:10.1f}   {rate / alone:.2f}")


if __name__ == "__main__":
    main()
