"""What isolation costs per submission: the in-process floor, a plain fork, a fresh interpreter and the sandbox.

Every runner grades the same submissions, one right answer per exercise of the catalogue,
interleaved in a shuffled order so that the machine's noise falls on all of them alike (and so the sandbox has
its next child sealed by the time a submission comes, as a worker that stores results has). The time measured is
``runner.run(job, limits)``: all the hidden and sample cases of one submission, until the
answers are read back and checked. Run with 1 and then 2 concurrent workers (processes,
each with its own runners, as Celery workers would have).

    .venv/bin/python bench/sandbox.py [--reps 30] [--fresh-reps 4]
"""

from __future__ import annotations

import argparse
import inspect
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from exercises import EXERCISES  # noqa: E402
from grader.exercise import Exercise  # noqa: E402
from grader.sandbox import harness  # noqa: E402
from grader.sandbox.fresh import FreshInterpreterRunner  # noqa: E402
from grader.sandbox.limits import DEFAULT_LIMITS, Limits  # noqa: E402
from grader.sandbox.outcome import JailResult, Runner, judge_run  # noqa: E402
from grader.sandbox.process import apply_rlimits, collect  # noqa: E402
from grader.sandbox.protocol import ChannelReply, Job, JobCase, encode_job  # noqa: E402
from grader.sandbox.runner import ForkServerRunner  # noqa: E402

RUNNERS = ("floor", "fork", "fresh", "sandbox")


class InProcessRunner:
    """The floor: the submission's function called directly in this process, no isolation, no protocol."""

    def run(self, job: Job, limits: Limits) -> JailResult:
        function, problem = harness.load_function(job.source, job.function, list(job.params))
        if function is None:
            return JailResult(status="exited", detail=str(problem))
        for case in job.cases:
            function(*(_fresh(case.inputs[name]) for name in job.params))
        return JailResult(status="ok", reply=ChannelReply(complete=True))


def _fresh(value: object) -> object:
    if isinstance(value, list):
        return [part.copy() for part in value]
    return value.copy() if isinstance(value, np.ndarray) else value


class PlainForkRunner:
    """A plain fork of this numpy-loaded process per submission: rlimits only, nothing isolated."""

    def run(self, job: Job, limits: Limits) -> JailResult:
        payload = encode_job(job)
        channel_r, channel_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(out_w, 1)
                os.dup2(err_w, 2)
                apply_rlimits(limits)
                harness.run_job(payload, lambda blob: harness.write_all(channel_w, blob))
            finally:
                for fd in (1, 2, channel_w):  # the parent sees the end now, as with the sandbox
                    os.close(fd)
                os._exit(0)
        for fd in (channel_w, out_w, err_w):
            os.close(fd)
        collected = collect(b"", None, channel_r, out_r, err_r, limits, time.monotonic() + limits.wall_seconds)
        for fd in (channel_r, out_r, err_r):
            os.close(fd)
        _, status, usage = os.wait4(pid, 0)
        return judge_run(job, collected, status, usage.ru_utime + usage.ru_stime, limits, ())


def right_submission(exercise: Exercise) -> str:
    """The reference module as a student would hand it in: shared helpers inlined, the function renamed."""
    function = exercise.reference_function
    assert function is not None  # jobs() leaves out exercises whose reference comes from finite differences
    module = inspect.getmodule(function)
    helpers = inspect.getsource(sys.modules["exercises.common"])
    own = "".join(line for line in inspect.getsourcelines(module)[0] if not line.startswith("from exercises"))
    return f"{helpers}\n{own}\n{exercise.name} = {function.__name__}\n"


def jobs() -> dict[str, Job]:
    """One job per exercise, built as the pipeline builds it (samples and hidden cases, seed 0)."""
    built = {}
    for name, exercise in EXERCISES.items():
        if exercise.reference_function is None:
            continue
        cases = list(exercise.public_cases) + exercise.hidden_cases(0)
        built[name] = Job(right_submission(exercise), name, exercise.params,
                          [JobCase(c.name, c.inputs, exercise.slots(c)) for c in cases])
    return built


def measure(reps: int, fresh_reps: int) -> dict[tuple[str, str], list[float]]:
    """Seconds per submission, keyed by (runner, exercise); the runners take turns on each submission."""
    runners: dict[str, Runner] = {"floor": InProcessRunner(), "fork": PlainForkRunner(),
                                  "fresh": FreshInterpreterRunner(), "sandbox": ForkServerRunner()}
    timings: dict[tuple[str, str], list[float]] = {}
    try:
        for name, job in jobs().items():
            for rep in range(reps):
                for kind, runner in random.Random(rep).sample(list(runners.items()), len(runners)):
                    if kind == "fresh" and rep >= fresh_reps:
                        continue
                    started = time.perf_counter()
                    result = runner.run(job, DEFAULT_LIMITS)
                    elapsed = time.perf_counter() - started
                    if result.status != "ok" or not result.reply.complete or result.reply.load_error:
                        raise SystemExit(f"{kind} did not grade {name}: {result.status} {result.reply.load_error}")
                    timings.setdefault((kind, name), []).append(elapsed)
    finally:
        runners["sandbox"].close()
    return timings


def back_to_back(reps: int) -> int:
    """Grade every job ``reps`` times in a row in the sandbox, with no pause; returns the count."""
    runner = ForkServerRunner()
    try:
        for _ in range(reps):
            for job in jobs().values():
                runner.run(job, DEFAULT_LIMITS)
    finally:
        runner.close()
    return reps * len(jobs())


def throughput(workers: int, reps: int) -> float:
    """Sandboxed gradings per second with ``workers`` processes grading back to back."""
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        count = sum(pool.map(back_to_back, [reps] * workers))
    return count / (time.perf_counter() - started)


def _worker(args: tuple[int, int]) -> dict[tuple[str, str], list[float]]:
    return measure(*args)


def run_workers(workers: int, reps: int, fresh_reps: int) -> tuple[dict[tuple[str, str], list[float]], float]:
    started = time.perf_counter()
    if workers == 1:
        return measure(reps, fresh_reps), time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(_worker, [(reps, fresh_reps)] * workers)
    merged: dict[tuple[str, str], list[float]] = {}
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, []).extend(values)
    return merged, time.perf_counter() - started


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(timings: dict[tuple[str, str], list[float]], workers: int) -> list[str]:
    exercises = sorted({name for _, name in timings}, key=list(EXERCISES).index)
    head = f"{'exercise':<18}" + "".join(f"{kind + ' med/p95 ms':>22}" for kind in RUNNERS)
    lines = [f"{workers} worker{'s' if workers > 1 else ''}", head + f"{'fresh/sandbox':>15}{'sandbox/fork':>14}"]
    for name in exercises + ["overall"]:
        row = {kind: [t for (k, n), values in timings.items() if k == kind and name in (n, "overall") for t in values]
               for kind in RUNNERS}
        cells = "".join(f"{statistics.median(row[k]) * 1e3:>13.2f} /{p95(row[k]) * 1e3:>7.2f}" for k in RUNNERS)
        medians = {k: statistics.median(row[k]) for k in RUNNERS}
        lines.append(f"{name:<18}{cells}{medians['fresh'] / medians['sandbox']:>14.1f}x"
                     f"{medians['sandbox'] / medians['fork']:>13.2f}x")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30, help="submissions per exercise and runner")
    parser.add_argument("--fresh-reps", type=int, default=4, help="submissions per exercise for the fresh interpreter")
    args = parser.parse_args()
    print(f"layers of the sandbox on this host: {', '.join(ForkServerRunner().start())}")
    goals = []
    for workers in (1, 2):
        timings, seconds = run_workers(workers, args.reps, args.fresh_reps)
        print()
        print("\n".join(table(timings, workers)))
        count = sum(len(v) for (k, _), v in timings.items() if k == "sandbox")
        print(f"({count} sandboxed submissions among {sum(len(v) for v in timings.values())} runs in {seconds:.1f} s)")
        overall = {k: statistics.median([t for (kind, _), v in timings.items() if kind == k for t in v])
                   for k in RUNNERS}
        goals.append((workers, overall["fresh"] / overall["sandbox"], overall["sandbox"] / overall["fork"]))
    print()
    for workers in (1, 2):
        print(f"sandbox back to back, no pause between submissions: {throughput(workers, args.reps // 3 or 1):.0f} "
              f"gradings/s with {workers} worker(s)")
    for workers, fresh_ratio, fork_ratio in goals:
        print(f"goal with {workers} worker(s): sandbox at most 1/25 of a fresh interpreter: 1/{fresh_ratio:.0f} "
              f"({'met' if fresh_ratio >= 25 else 'NOT met'}); at most 1.5x a plain fork: {fork_ratio:.2f}x "
              f"({'met' if fork_ratio <= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
