"""Measure what the embedded default costs while nobody uses it, and how soon it grades after a quiet spell.

Starts `gradegrad serve` on the embedded default (SQLite for the data and the queue) twice in one run, one after
the other: as it was (kombu's own SQLAlchemy transport polling the broker every 50 ms) and as it is (the woken
transport of web/woken_broker.py, polling once a second as a backstop). For each: the CPU seconds, read from
/proc, that each worker process and its children spend over WINDOW seconds with nothing queued; then single
submissions, each posted after a quiet spell longer than the poll interval and timed to graded; then a burst
posted at once, timed from the first post to the last graded (a worker must take the next task as soon as one
is done, not at its next poll). Usage:

    .venv/bin/python bench/idle.py [--window 30] [--latency 15] [--quiet 1.5] [--burst 20] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from stack import Service, children, descendants, percentile

TICKS = os.sysconf("SC_CLK_TCK")
SETTINGS = {
    "kombu's transport, 50 ms polls (before)": {"GRADEGRAD_BROKER_POLL_SECONDS": "0.05",
                                                "GRADEGRAD_CELERY__broker_transport": "sqlalchemy"},
    "woken transport, 1 s backstop (now)": {},
}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far (0 if it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15 of stat(5)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def worker_processes(service: Service) -> dict[str, list[int]]:
    """The serve's workers, each as its main process (the one that reads the broker) and then its children
    (grading processes; beat with the sweep under the live worker)."""
    serve = next(iter(service.processes.logs))
    return {f"{queue} worker": [pid, *descendants(pid)] for pid in children(serve.pid)
            for queue in ("live", "regrade") if f"worker --queues {queue} " in command_line(pid)}


def idle_cpu(service: Service, window: float) -> dict[str, tuple[float, float]]:
    """Per worker: the share of one core its main process and its children used over ``window`` idle seconds."""
    workers = worker_processes(service)
    before = {pid: cpu_seconds(pid) for pids in workers.values() for pid in pids}
    time.sleep(window)
    used = {pid: cpu_seconds(pid) - start for pid, start in before.items()}
    return {name: (used[pids[0]] / window, sum(used[pid] for pid in pids[1:]) / window)
            for name, pids in workers.items()}


def single_latency(service: Service, count: int, quiet: float) -> list[float]:
    seconds = []
    for _ in range(count):
        time.sleep(quiet)  # the workers settle into their idle wait
        started = time.perf_counter()
        result = service.wait(service.submit())
        seconds.append(time.perf_counter() - started)
        assert result["passed"], result
    return seconds


def burst(service: Service, count: int) -> float:
    started = time.perf_counter()
    ids = [service.submit() for _ in range(count)]
    for submission_id in ids:
        assert service.wait(submission_id, delays=[0.01] * 100_000)["passed"]
    return time.perf_counter() - started


def measure(name: str, settings: dict[str, str], args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="gradegrad-bench-") as folder:
        service = Service("embedded", Path(folder), concurrency=2, settings=settings)
        try:
            service.wait(service.submit())  # warm the grading processes
            time.sleep(5)  # let the start's work end
            cpu = idle_cpu(service, args.window)
            seconds = single_latency(service, args.latency, args.quiet)
            took = burst(service, args.burst)
        finally:
            service.stop()
    print(f"\n{name}")
    for worker, (main, rest) in sorted(cpu.items()):
        print(f"  idle CPU over {args.window:g} s, {worker}: main process {100 * main:.2f} % of a core, "
              f"its children {100 * rest:.2f} %")
    print(f"  submit-to-graded after {args.quiet:g} s quiet ({args.latency}): "
          f"median {1000 * statistics.median(seconds):.0f} ms, p90 {1000 * percentile(seconds, 0.9):.0f} ms, "
          f"max {1000 * max(seconds):.0f} ms")
    print(f"  a burst of {args.burst} posted at once: all graded in {took:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=30.0, help="idle seconds over which CPU is read")
    parser.add_argument("--latency", type=int, default=15, help="single submissions, each after a quiet spell")
    parser.add_argument("--quiet", type=float, default=1.5, help="seconds of quiet before each single submission")
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="times to measure both settings, in turn")
    args = parser.parse_args()
    print(f"embedded default; live worker concurrency 2; {os.cpu_count()} CPUs")
    for _ in range(args.rounds):
        for name, settings in SETTINGS.items():
            measure(name, settings, args)


if __name__ == "__main__":
    main()
