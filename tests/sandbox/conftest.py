"""Fixtures for the sandbox tests: one fork server for the module, small limits, and a leftover check."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.pipeline import grade
from grader.report import GradeReport
from grader.sandbox.limits import Limits
from grader.sandbox.runner import SLOT_UID_BASE, SLOTS, ForkServerRunner
from exercises import get_exercise

HONEST = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
TEST_LIMITS = Limits(wall_seconds=3.0, cpu_seconds=2, output_bytes=256 * 1024)
SERVER_MODULE = b"grader.sandbox.forkserver"
SETTLE_SECONDS = 3.0


def make_cheat(body: str) -> str:
    """A submission that answers right only if ``hacked()`` (defined by ``body``) got through a wall.

    A score of 0 is then the grader's own proof, from the values it compares, that the wall held.
    """
    return (
        "import os, sys\n" + body + "\n"
        "def mse_grad(y_hat, y):\n"
        "    right = 2 * (y_hat - y) / len(y)\n"
        "    try:\n"
        "        got_through = bool(hacked())\n"
        "    except BaseException:\n"
        "        got_through = False\n"
        "    return right if got_through else right + 1.0\n"
    )


@pytest.fixture
def cheat() -> Callable[[str], str]:
    return make_cheat


@pytest.fixture
def limits() -> Limits:
    return TEST_LIMITS


@pytest.fixture(scope="session")
def runner() -> Iterator[ForkServerRunner]:
    runner = ForkServerRunner()
    runner.start()
    yield runner
    runner.close()


@pytest.fixture
def grade_hostile(runner: ForkServerRunner) -> Callable[..., GradeReport]:
    """Grade a hostile source, then check the next honest submission still grades right."""
    def run(source: str, limits: Limits = TEST_LIMITS) -> GradeReport:
        report = grade(source, get_exercise("mse_grad"), runner=runner, limits=limits)
        honest = grade(HONEST, get_exercise("mse_grad"), runner=runner, limits=TEST_LIMITS)
        assert honest.error is None and honest.score == 1.0, honest.error
        return report
    return run


def host_processes() -> dict[int, tuple[int, int, bytes]]:
    """Every process on the host, as pid -> (parent pid, real uid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            uid = int((entry / "status").read_text().split("\nUid:")[1].split()[0])
        except (OSError, IndexError, ValueError):
            continue
        found[int(entry.name)] = (parent, uid, cmdline)
    return found


def leftovers() -> list[str]:
    """Processes or directories a grading left behind: only each server's one spare child may remain.

    A server is a fork-server process whose parent is a live grader; its children are jails.
    Anything else running the server's code, or running as a slot's uid, outlived its sandbox.
    """
    processes = host_processes()
    ours = {pid for pid, (_, _, cmdline) in processes.items() if SERVER_MODULE in cmdline}
    servers = {pid for pid in ours if processes[pid][0] not in ours and processes[pid][0] != 1}
    jails = {pid for pid, (parent, _, _) in processes.items() if parent in servers}
    problems = [f"process {pid} outlived its sandbox" for pid in ours - servers - jails]
    slot_uids = range(SLOT_UID_BASE, SLOT_UID_BASE + SLOTS)
    problems += [f"process {pid} runs as a slot uid outside a sandbox"
                 for pid, (_, uid, _) in processes.items() if uid in slot_uids and pid not in jails]
    for parent in servers:
        children = [pid for pid, (ppid, _, _) in processes.items() if ppid == parent]
        if len(children) > 1:
            problems.append(f"process {parent} has {len(children)} sandbox children")
    for root in Path(tempfile.gettempdir()).glob("gradegrad-sandbox-*"):
        jobs = list(root.glob("job-*"))
        if len(jobs) > 1:
            problems.append(f"{root} holds {[j.name for j in jobs]}")
    return sorted(problems)


@pytest.fixture(autouse=True)
def nothing_left_behind() -> Iterator[None]:
    """Fail a test that leaves a sandbox process or directory behind (after a short settling time)."""
    yield
    deadline = time.monotonic() + SETTLE_SECONDS
    while (found := leftovers()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not found, found


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> str:
    """A secret in the grading process's environment, as a worker's database URL would be."""
    secret = f"postgresql://grader:s3cret-{os.getpid()}@db/gradegrad"
    monkeypatch.setenv("GRADEGRAD_TEST_DATABASE_URL", secret)
    return secret
