"""Fixtures for the sandbox tests: one fork server for the module, small limits, and a leftover check."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exercises import get_exercise
from grader.pipeline import grade
from grader.report import GradeReport
from grader.sandbox.limits import Limits
from grader.sandbox.runner import SLOT_UID_BASE, SLOTS, ForkServerRunner

HONEST = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
TEST_LIMITS = Limits(wall_seconds=10.0, cpu_seconds=1, output_bytes=256 * 1024)
"""Room for the CPU limit to strike first on a busy machine: 1 s of CPU took 3.5 s of wall time with both cores
taken by other work; the wall clock waits ten."""
SERVER_MODULE = b"grader.sandbox.forkserver"
SETTLE_SECONDS = 15.0


# 65536**4 is 2**64, which int64 wraps to 0: an empty payload must not pass for that shape
# The harness is patched in the call, so that the attack survives the cut of a file to what defines its
# function (grader.definitions), which skips a top-level patch the function does not use.
WRAPPING_SHAPE = (
    "def forged(array):\n"
    "    head = b\"{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }\"\n"
    "    head = head.ljust(65534) + b'\\n'\n"
    "    return b'\\x93NUMPY\\x01\\x00' + len(head).to_bytes(2, 'little') + head\n"
    "def mse_grad(y_hat, y):\n"
    "    from grader.sandbox import harness\n"
    "    harness.npy_bytes = forged\n"
    "    return y_hat\n"
)


def make_cheat(body: str) -> str:
    """A submission that answers right only if ``hacked()`` (defined by ``body``) got through a wall.

    Wrong values on every case are then the grader's own proof, from the values it compares,
    that the wall held. What ``hacked()`` raised, if anything, is printed as ``hacked: Type: message``.
    """
    return (
        "import os, sys\n" + body + "\n"
        "def mse_grad(y_hat, y):\n"
        "    right = 2 * (y_hat - y) / len(y)\n"
        "    try:\n"
        "        got_through = bool(hacked())\n"
        "    except BaseException as exc:\n"
        "        print(f'hacked: {type(exc).__name__}: {exc}', file=sys.stderr)\n"
        "        got_through = False\n"
        "    return right if got_through else right + 1.0\n"
    )


def compile_attack(source: str) -> None:
    """Fail the test, before any grading, when the attack itself is not valid Python: it would prove nothing."""
    try:
        compile(source, "<attack>", "exec")
    except SyntaxError as exc:
        pytest.fail(f"the attack does not compile, so its failure proves nothing: {exc}")


CPU_LIMIT = f"CPU time limit: the submission used more than {TEST_LIMITS.cpu_seconds} s of CPU"
WALL_LIMIT = f"Time limit: the submission ran for more than {TEST_LIMITS.wall_seconds:g} s"
MEMORY_LIMIT = f"Memory limit: the submission tried to use more than {TEST_LIMITS.memory_bytes // 2**20} MiB"
SEGFAULT = "The submission crashed: killed by signal 11 (SIGSEGV)"
UNREADABLE = "The submission's answers could not be read: "
NOT_NUMBERS = "The answers are not arrays of numbers: 'dy_hat' "


def assert_failed(report: GradeReport, error: str, kind: str = "not_run") -> None:
    """The submission scored 0 with exactly ``error`` as its message, and every hidden case failed as ``kind``."""
    assert (report.score, report.passed, report.error) == (0.0, False, error)
    assert {case.kind for case in report.cases} == {kind}, [(case.kind, case.message) for case in report.cases]


def assert_held(report: GradeReport, raised: str | None = None) -> None:
    """The attack ran to its end and answered every case with wrong values: the wall it tried held.

    ``raised``: what a cheat's ``hacked()`` raised ("Type: message"); None when it returned without raising.
    """
    assert (report.score, report.passed, report.error) == (0.0, False, None)
    assert {case.kind for case in report.cases} == {"values"}, [(case.kind, case.message) for case in report.cases]
    printed = {line for line in report.output.splitlines() if line.startswith("hacked: ")}
    assert printed == ({f"hacked: {raised}"} if raised else set()), printed


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
    """Grade a hostile source (which must compile), then check the next honest submission still grades right."""
    def run(source: str, limits: Limits = TEST_LIMITS) -> GradeReport:
        compile_attack(source)
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
