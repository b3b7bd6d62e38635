"""Running untrusted submissions: the code inside the jail and the runners around it."""

from __future__ import annotations

import atexit
import os

from grader.sandbox.outcome import Runner
from grader.sandbox.policy import SandboxUnavailable

__all__ = ["Runner", "SandboxUnavailable", "default_runner"]

_runner = None


def default_runner() -> Runner:
    """This process's fork-server runner, started on first use and stopped at exit.

    A process forked from the one that made it (a Celery child, say) gets its own server: a
    server's children must never be shared across processes.
    """
    global _runner
    from grader.sandbox.runner import ForkServerRunner

    if _runner is None or _runner.owner_pid != os.getpid():
        _runner = ForkServerRunner()
        atexit.register(_runner.close)
    return _runner
