"""Faults under load: how much longer than usual the submissions caught in each fault wait; nothing lost or twice.

How to run (by hand, not in CI; PostgreSQL on 127.0.0.1 or GRADEGRAD_BENCH_POSTGRES_URL, and redis-server):

    .venv/bin/python bench/faults.py [--submissions 1000] [--clients 50] [--every 7]

Two runs, side by side, each on a fresh PostgreSQL database reached through a proxy that can be cut and on a
redis-server of its own that keeps nothing on disk, with the service as separate processes and default settings:
the web (gunicorn, as `gradegrad serve` runs it), beat, two live workers of one grading process each and a
regrade worker. Students submit bench/load.py's mix less its looping code, each waiting for a result
before the next, as the result page polls; one whose request fails (503 while the database is away) tries again.
The first run has no fault. In the second, every EVERY seconds one fault in turn: a whole live worker SIGKILLed
with all its processes and started again 5 s later, as its supervisor would; Redis SIGKILLed and started again
empty; the database unreachable for 10 s; one grading process SIGKILLed.

Per fault it prints the submissions caught in it (accepted before it ended, graded after it began) and how much
longer than the usual wait their p95 and their slowest waited; the usual wait is the median from submit to graded
of the same kind of submission in the run without faults (a looping one takes its 5 s of CPU every time).
Per run: accepted, lost (accepted, never graded), graded twice (each grading that completed is logged by its
worker with the submission's id), wrong verdicts, errors, refused requests, graded/s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests
from load import SOURCES, WEIGHTS
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from stack import (
    GRADEGRAD,
    REQUEST_SECONDS,
    NotStarted,
    PrivateRedis,
    Service,
    TcpProxy,
    answers,
    children,
    free_port,
    kill_tree,
    percentile,
    worker_ready,
)

from gradegrad_client.cli import poll_delays
from web.models import CaseResult, Submission, utcnow
from web.queue import LIVE
from web.serve import commands

# bench/load.py's mix without its looping submissions: each costs the sandbox's 5 s of CPU, so one in the queue
# makes the usual wait vary by tens of seconds and hides what a fault adds.
MIX = {kind: weight for kind, weight in WEIGHTS.items() if kind != "looping"}
RESTART_AFTER_SECONDS = 5.0  # a supervisor's restart delay
OUTAGE_SECONDS = 10.0
COMPLETED = re.compile(r"grade_submission\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: '(?:graded|error) #(\d+)'")


class SeparateService(Service):
    """The service as separate processes on a private Redis and behind a database proxy, so each can fail alone."""

    def start(self, concurrency: int, extra_workers: int) -> str:
        self.redis = PrivateRedis(self.processes.folder)
        self.redis.start()
        direct = make_url(self.config["DATABASE_URL"])
        self.proxy = TcpProxy((direct.host or "127.0.0.1", direct.port or 5432))
        self.processes.env.update(
            GRADEGRAD_DATABASE_URL=direct.set(host="127.0.0.1", port=self.proxy.port).render_as_string(False),
            GRADEGRAD_BROKER_URL=self.redis.url)
        port = free_port()
        argv = commands("127.0.0.1", port, 2, concurrency)
        self.web = self.processes.spawn("web", argv["web"])
        self.beat = self.processes.spawn("beat", [*GRADEGRAD, "beat"])
        self.regrade = self.processes.spawn("regrade", argv["regrade worker"])
        self.live = [self.start_live(n, concurrency) for n in range(1 + extra_workers)]
        url = f"http://127.0.0.1:{port}"
        workers = [self.regrade, *self.live]
        self.processes.wait_until(lambda: all(worker_ready(self.processes.log_text(w)) for w in workers)
                                  and answers(f"{url}/api/v1/openapi.json"), "the service")
        return url

    def start_live(self, n: int, concurrency: int) -> subprocess.Popen[bytes]:
        return self.processes.spawn(f"live{n}", [*GRADEGRAD, "worker", "--queues", LIVE, "--concurrency",
                                                 str(concurrency), "--name", f"live{n}-{len(self.processes.logs)}@%h"])

    def stop(self) -> None:
        super().stop()
        self.redis.stop()
        self.proxy.close()

    def beat_cpu_seconds(self) -> float:
        """The CPU time beat (the sweep) has used so far, from /proc."""
        fields = Path(f"/proc/{self.beat.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def completed_gradings(self) -> Counter[int]:
        """How many gradings of each submission completed, from every worker's log."""
        found: Counter[int] = Counter()
        for process in self.processes.logs:
            found.update(int(m) for m in COMPLETED.findall(self.processes.log_text(process)))
        return found


# --- The faults: each returns when it is over, the service left to recover on its own ---

def kill_live_worker(service: SeparateService) -> None:
    victim = service.live.pop(0)
    name = service.processes.describe(victim).split("-")[0]
    kill_tree(victim)
    time.sleep(RESTART_AFTER_SECONDS)
    service.live.append(service.start_live(int(name.removeprefix("live")), 1))


def kill_redis(service: SeparateService) -> None:
    service.redis.restart(kill=True)


def cut_database(service: SeparateService) -> None:
    service.proxy.cut()
    time.sleep(OUTAGE_SECONDS)
    service.proxy.restore()


def kill_grading_process(service: SeparateService) -> None:
    for worker in service.live:
        pool = children(worker.pid)
        if pool:
            os.kill(pool[0], signal.SIGKILL)
            return


FAULTS: list[tuple[str, Callable[[SeparateService], None]]] = [
    ("a whole live worker SIGKILLed, back 5 s later", kill_live_worker),
    ("Redis SIGKILLed and started again empty", kill_redis),
    ("the database unreachable for 10 s", cut_database),
    ("one grading process SIGKILLed", kill_grading_process),
]


@dataclass
class Run:
    """What the students saw, and when each fault began and ended."""

    kinds: dict[int, str] = field(default_factory=dict)
    passed: dict[int, bool] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    gave_up: list[int] = field(default_factory=list)
    faults: list[tuple[str, datetime, datetime]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def student(service: Service, token: str, kinds: list[str], run: Run, timeout: float) -> None:
    http = service.session(token)
    for kind in kinds:
        submission_id = None
        while submission_id is None:
            try:
                answer = http.post(f"{service.url}/submissions", json={"exercise": "mse_grad", "source": SOURCES[kind]},
                                   timeout=REQUEST_SECONDS)
            except requests.RequestException as exc:
                answer, code = None, type(exc).__name__
            else:
                code = str(answer.status_code)
            if answer is not None and answer.status_code == 202:
                submission_id = answer.json()["id"]
            else:
                with run.lock:
                    run.refused[code] += 1
                time.sleep(1)
        run.kinds[submission_id] = kind
        result = wait(service, http, submission_id, timeout)
        if result is None:
            run.gave_up.append(submission_id)
        else:
            run.passed[submission_id] = bool(result["passed"])


def wait(service: Service, http: requests.Session, submission_id: int, timeout: float) -> dict | None:
    """Poll as the result page does (0.3 s, growing by half up to 2 s); a failed poll is tried again."""
    deadline = time.monotonic() + timeout
    for delay in poll_delays(first=0.3, longest=2.0):
        if time.monotonic() > deadline:
            return None
        try:
            answer = http.get(f"{service.url}/submissions/{submission_id}", timeout=REQUEST_SECONDS)
            if answer.status_code == 200 and answer.json()["status"] in ("graded", "error"):
                return answer.json()
        except requests.RequestException:
            pass
        time.sleep(delay)
    return None


def inject(service: SeparateService, run: Run, every: float, finished: threading.Event) -> None:
    for name, fault in FAULTS:
        if finished.wait(every):
            return
        began = utcnow()
        fault(service)
        run.faults.append((name, began, utcnow()))
        print(f"  injected: {name}", flush=True)


@dataclass(frozen=True)
class Stored:
    """An accepted submission as stored: when it arrived, when it was graded (None: never), its status."""

    created_at: datetime
    graded_at: datetime | None
    status: str

    @property
    def wait(self) -> float:
        return (self.graded_at - self.created_at).total_seconds() if self.graded_at else float("inf")


def measure(service: SeparateService, submissions: int, clients: int, every: float | None,
            timeout: float) -> tuple[Run, float, dict[int, Stored]]:
    """Run the students (and the faults, every ``every`` s); returns what they saw, the seconds it took, and
    each accepted submission as stored."""
    kinds = random.Random(submissions).choices(list(MIX), weights=list(MIX.values()), k=submissions)
    tokens = service.students(clients)
    run, finished = Run(), threading.Event()
    injector = None
    if every is not None:
        injector = threading.Thread(target=inject, args=(service, run, every, finished))
        injector.start()
    started, beat_cpu = time.perf_counter(), service.beat_cpu_seconds()
    with ThreadPoolExecutor(clients) as pool:
        for done in [pool.submit(student, service, tokens[c], kinds[c::clients], run, timeout) for c in range(clients)]:
            done.result()
    elapsed = time.perf_counter() - started
    print(f"  the sweep (beat's process) used {service.beat_cpu_seconds() - beat_cpu:.2f} s of CPU in {elapsed:.0f} s",
          flush=True)
    finished.set()
    if injector is not None:
        injector.join()
    engine = create_engine(service.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(Submission.id, Submission.status, Submission.created_at,
                                             Submission.graded_at).where(Submission.id.in_(list(run.kinds)))).all()
    finally:
        engine.dispose()
    return run, elapsed, {r.id: Stored(r.created_at, r.graded_at, r.status) for r in rows}


def duplicate_case_results(service: Service) -> int:
    engine = create_engine(service.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(
                select(CaseResult.submission_id).group_by(CaseResult.submission_id, CaseResult.position)
                .having(func.count() > 1).subquery())).scalar_one()
    finally:
        engine.dispose()


def summary(name: str, service: SeparateService, run: Run, elapsed: float, stored: dict[int, Stored]) -> list[str]:
    completed = service.completed_gradings()
    graded = [row.wait for row in stored.values() if row.graded_at is not None]
    lost = sum(1 for i in run.kinds if i not in stored or stored[i].graded_at is None)
    twice = sum(1 for i in run.kinds if completed[i] > 1) + duplicate_case_results(service)
    wrong = sum(1 for i, passed in run.passed.items() if passed != (run.kinds[i] == "right"))
    errors = sum(1 for row in stored.values() if row.status == "error")
    refused = ", ".join(f"{n}x{code}" for code, n in sorted(run.refused.items())) or "0"
    return [name, str(len(run.kinds)), f"{len(graded) / elapsed:.1f}", f"{percentile(graded, 0.5):.1f}",
            f"{percentile(graded, 0.95):.1f}", f"{max(graded):.1f}", str(lost), str(twice), str(wrong), str(errors),
            refused]


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                        strict=True))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--every", type=float, default=7.0, help="seconds between the end of one fault and the "
                                                                 "start of the next (four fit in 1,000 submissions)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a student waits for one result")
    parser.add_argument("--logs", type=Path, help="keep the processes' logs in this folder (default: a temporary one)")
    args = parser.parse_args()
    print(f"{args.submissions} submissions from {args.clients} students, 2 live workers x 1 grading process, "
          f"a regrade worker, beat and the web as separate processes, default settings, {os.cpu_count()} CPUs; "
          f"mix {MIX} (%)", flush=True)
    results = {}
    for label, every in (("no faults", None), ("four faults", args.every)):
        print(f"run: {label}", flush=True)
        with tempfile.TemporaryDirectory(prefix="gradegrad-faults-") as folder:
            if args.logs:
                folder = str(args.logs / label.replace(" ", "-"))
                os.makedirs(folder, exist_ok=True)
            try:
                service = SeparateService("redis", Path(folder), 1, extra_workers=1)
            except NotStarted as exc:
                sys.exit(f"the service did not start: {exc}")
            try:
                run, elapsed, waits = measure(service, args.submissions, args.clients, every, args.timeout)
                results[label] = (run, waits, summary(label, service, run, elapsed, waits))
            finally:
                service.stop()
    clean_run, clean = results["no faults"][0], results["no faults"][1]
    usual = {kind: percentile([row.wait for i, row in clean.items() if clean_run.kinds[i] == kind], 0.5)
             for kind in MIX}
    run, stored = results["four faults"][0], results["four faults"][1]
    print("\nthe usual wait, submit to graded, without faults (the median of each kind): "
          + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in usual.items()) + "\n")
    table = [["fault", "caught", "beyond the usual (s): median", "p95", "slowest"]]
    for name, began, ended in run.faults:
        caught = [row.wait - usual[run.kinds[i]] for i, row in stored.items()
                  if row.created_at <= ended and (row.graded_at is None or row.graded_at >= began)]
        table.append([name, str(len(caught)), *(f"{percentile(caught, q):.1f}" if caught else "-"
                                                for q in (0.5, 0.95, 1.0))])
    for name, _ in FAULTS[len(run.faults):]:
        table.append([name, "not injected: the run ended first", "-", "-", "-"])
    print_table(table)
    print()
    print_table([["run", "accepted", "graded/s", "p50 s", "p95 s", "max s", "lost", "graded twice", "wrong verdicts",
                  "errors", "refused"], *(summary for _, _, summary in results.values())])


if __name__ == "__main__":
    main()
