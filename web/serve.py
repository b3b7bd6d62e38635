"""Run web and workers together as child processes, and stop them all when one stops or on a signal."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

from web.queue import LIVE, REGRADE

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]


def commands(host: str, port: int, web_workers: int, concurrency: int) -> dict[str, list[str]]:
    """The processes of one GradeGrad: regrades get their own worker so they never hold up a student.

    The web keeps idle connections 5 s, longer than the result page waits between polls (2 s at most): a
    shorter keep-alive closes connections just as clients reuse them, and they see "connection reset".
    """
    return {
        "live worker": [*GRADEGRAD, "worker", "--queues", LIVE, "--concurrency", str(concurrency), "--beat"],
        "regrade worker": [*GRADEGRAD, "worker", "--queues", REGRADE, "--concurrency", "1"],
        "web": [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(web_workers),
                "--threads", "4", "--keep-alive", "5", "--graceful-timeout", "5", "--no-control-socket",
                "web.wsgi:app"],
    }


def run_all(host: str, port: int, web_workers: int, concurrency: int) -> None:
    # Own sessions: a Ctrl-C reaches only this process, which stops each child with a warm SIGTERM.
    children = {name: subprocess.Popen(argv, start_new_session=True)
                for name, argv in commands(host, port, web_workers, concurrency).items()}
    print(f"GradeGrad is serving on http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    failed = [name for name, child in children.items() if child.returncode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        sys.exit(f"stopped because the {', '.join(failed)} exited")
