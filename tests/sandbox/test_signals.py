"""Every way a child can end is said in words: any signal number, named or not, never an exception."""

from __future__ import annotations

import faulthandler
import os
import signal

import pytest

from grader.sandbox.limits import Limits
from grader.sandbox.outcome import judge_run, signal_text
from grader.sandbox.process import Collected
from grader.sandbox.protocol import Job


@pytest.mark.parametrize(("number", "text"), [
    (signal.SIGSEGV, "signal 11 (SIGSEGV)"),
    (signal.SIGRTMIN, f"signal {signal.SIGRTMIN} (SIGRTMIN)"),
    (signal.SIGRTMIN + 6, f"signal {signal.SIGRTMIN + 6} (SIGRTMIN+6)"),
    (signal.SIGRTMAX, f"signal {signal.SIGRTMAX} (SIGRTMAX)"),
    (32, "signal 32"),
    (0, "signal 0"),
    (200, "signal 200"),
], ids=["segv", "rtmin", "rtmin+6", "rtmax", "glibc-reserved", "zero", "out-of-range"])
def test_signal_text_names_what_it_can(number: int, text: str) -> None:
    assert signal_text(number) == text


def killed_by(number: int) -> int:
    """The real wait status of a process killed by signal ``number``."""
    pid = os.fork()
    if pid == 0:
        faulthandler.disable()  # pytest's handler would print a traceback for SIGSEGV first
        signal.pthread_sigmask(signal.SIG_SETMASK, ())  # as a jail starts: nothing blocked
        os.kill(os.getpid(), number)
        os._exit(0)
    return os.waitpid(pid, 0)[1]


@pytest.mark.parametrize("number", [signal.SIGRTMIN + 6, signal.SIGRTMAX - 1, signal.SIGSEGV])
def test_a_child_killed_by_any_signal_is_judged(number: int) -> None:
    job = Job("", "f", ("x",), [])
    result = judge_run(job, Collected(), killed_by(number), 0.0, Limits(), ("seccomp",))
    assert (result.status, result.signal) == ("signal", signal_text(number))
