"""Exam-night load: many students submit right, wrong, crashing and looping code at once; speed and losses.

How to run (by hand, not in CI; PostgreSQL and Redis on 127.0.0.1, or set GRADEGRAD_BENCH_POSTGRES_URL and
GRADEGRAD_BENCH_REDIS_URL):

    .venv/bin/python bench/load.py [--submissions 1000] [--clients 50] [--workers 2] [--concurrency 1]
                                   [--backends redis,embedded]

Each backend gets its own `gradegrad serve` (web, a live worker with the sweep, a regrade worker) plus
WORKERS - 1 more live workers, on a fresh database. Each client is a student with a token of their own who
submits, polls the API until the result is there, and submits again. One row per backend: graded
submissions per second (first submit to last result), p50/p95/p99 of submit to graded (the row's own
created_at and graded_at), submissions lost (accepted, never graded), duplicated (claimed more than once,
repeated case results, or rows nobody submitted), wrong verdicts (a right one failed, a wrong one passed)
and submissions the API refused.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select
from stack import RIGHT, Service, percentile

from gradegrad_client.cli import poll_delays

SOURCES = {
    "right": RIGHT,
    "wrong": "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n",
    "crashing": "def mse_grad(y_hat, y):\n    return y_hat.gradient()\n",
    "looping": "def mse_grad(y_hat, y):\n    while True:\n        pass\n",
}
# A loop costs the sandbox's whole CPU limit (5 s), so it is rare, as on a real exam night.
WEIGHTS = {"right": 55, "wrong": 25, "crashing": 18, "looping": 2}


@dataclass
class Outcome:
    """What the students saw: accepted ids with the kind each was, results, refusals and give-ups."""

    kinds: dict[int, str] = field(default_factory=dict)
    passed: dict[int, bool] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    gave_up: list[int] = field(default_factory=list)


def student(service: Service, token: str, kinds: list[str], outcome: Outcome, timeout: float) -> None:
    http = service.session(token)
    for kind in kinds:
        try:
            submission_id = service.submit(http, SOURCES[kind])
        except requests.RequestException as exc:
            outcome.refused[str(getattr(exc.response, "status_code", type(exc).__name__))] += 1
            continue
        outcome.kinds[submission_id] = kind
        try:
            # As the result page does (web/static/poll.js): 0.3 s, then growing by half up to 2 s.
            delays = poll_delays(first=0.3, longest=2.0)
            outcome.passed[submission_id] = bool(service.wait(submission_id, http, delays, timeout=timeout)["passed"])
        except TimeoutError:
            outcome.gave_up.append(submission_id)


def run(service: Service, submissions: int, clients: int, timeout: float) -> tuple[Outcome, float]:
    choose = random.Random(submissions)
    kinds = choose.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=submissions)
    tokens = service.students(clients)
    outcome = Outcome()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for done in [pool.submit(student, service, tokens[c], kinds[c::clients], outcome, timeout)
                     for c in range(clients)]:
            done.result()
    return outcome, time.perf_counter() - started


def row(name: str, service: Service, outcome: Outcome, elapsed: float) -> list[str]:
    """The table row, read from the database: what was stored, how fast, and what went missing or twice."""
    from web.models import CaseResult, Submission

    engine = create_engine(service.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(Submission.id, Submission.status, Submission.attempts,
                                             Submission.created_at, Submission.graded_at)).all()
            cases = connection.execute(select(CaseResult.submission_id, func.count(),
                                              func.count(CaseResult.position.distinct()))
                                       .group_by(CaseResult.submission_id)).all()
    finally:
        engine.dispose()
    done = {r.id: r for r in rows if r.status in ("graded", "error")}
    latencies = [(r.graded_at - r.created_at).total_seconds() for r in done.values() if r.id in outcome.kinds]
    lost = sum(1 for i in outcome.kinds if i not in done)
    duplicated = (sum(1 for r in rows if r.attempts > 1 or r.id not in outcome.kinds)
                  + sum(1 for _, total, distinct in cases if total != distinct))
    wrong_verdicts = sum(1 for i, passed in outcome.passed.items() if passed != (outcome.kinds[i] == "right"))
    errors = sum(1 for r in done.values() if r.status == "error")
    refused = ", ".join(f"{n}x{code}" for code, n in outcome.refused.items()) or "0"
    ms = [f"{1000 * percentile(latencies, q):.0f}" if latencies else "-" for q in (0.5, 0.95, 0.99)]
    return [name, str(len(outcome.kinds)), f"{len(done) / elapsed:.1f}", *ms, str(lost), str(duplicated),
            str(wrong_verdicts), str(errors), refused]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="live worker processes")
    parser.add_argument("--concurrency", type=int, default=1, help="grading processes per worker")
    parser.add_argument("--backends", default="redis,embedded")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a student waits for one result")
    args = parser.parse_args()
    names = {"redis": "Redis + PostgreSQL", "embedded": "embedded (SQLite)"}
    header = ["backend", "accepted", "graded/s", "p50 ms", "p95 ms", "p99 ms", "lost", "duplicated",
              "wrong verdicts", "errors", "refused"]
    table = [header]
    print(f"{args.submissions} submissions from {args.clients} students, {args.workers} live workers x "
          f"{args.concurrency} grading processes, {os.cpu_count()} CPUs; mix {WEIGHTS} (%)", flush=True)
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="gradegrad-load-") as folder:
            service = Service(backend, Path(folder), args.concurrency, extra_workers=args.workers - 1)
            try:
                outcome, elapsed = run(service, args.submissions, args.clients, args.timeout)
                table.append(row(names[backend], service, outcome, elapsed))
            finally:
                service.stop()
        print("  ".join(cell.rjust(len(head)) for cell, head in zip(table[-1], header, strict=True)), flush=True)
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print()
    for line in table:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))))


if __name__ == "__main__":
    main()
