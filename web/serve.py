"""Run web and workers together as child processes, say where to sign in once all of them answer, and stop them
all when one stops or on a signal."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import IO

import requests

from web.queue import LIVE, REGRADE

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]
WORKER_READY = b" ready."
"""What a Celery worker logs once it consumes from its queues ("celery@host ready.")."""
PROBE_SECONDS = 5.0
"""How long one request that asks whether the web answers may take; a slow answer is asked again."""


def commands(host: str, port: int, web_workers: int, concurrency: int) -> dict[str, list[str]]:
    """The processes of one GradeGrad: regrades get their own worker so they never hold up a student, and the
    sweep runs in beat, a process of its own: Celery's `worker --beat` forks beat from a worker that has its SQLite
    database open, and SQLite's locks do not survive a fork (every sweep failed with "locking protocol").

    The web keeps idle connections 5 s, longer than the result page waits between polls (2 s at most): a
    shorter keep-alive closes connections just as clients reuse them, and they see "connection reset".
    """
    return {
        "live worker": [*GRADEGRAD, "worker", "--queues", LIVE, "--concurrency", str(concurrency)],
        "regrade worker": [*GRADEGRAD, "worker", "--queues", REGRADE, "--concurrency", "1"],
        "beat": [*GRADEGRAD, "beat"],
        "web": [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(web_workers),
                "--threads", "4", "--keep-alive", "5", "--graceful-timeout", "5", "--no-control-socket",
                "web.wsgi:app"],
    }


class Output:
    """Copies a child's output to this process's, line by line, and notes when a worker says it is ready."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        self.ready = threading.Event()
        threading.Thread(target=self.copy, args=(child.stdout,), daemon=True).start()

    def copy(self, lines: IO[bytes]) -> None:
        for line in iter(lines.readline, b""):
            try:
                sys.stdout.buffer.write(line)
                sys.stdout.buffer.flush()
            except OSError:  # the terminal went away: keep reading, or the child would block on a full pipe
                pass
            if WORKER_READY in line:
                self.ready.set()


def web_answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=PROBE_SECONDS).status_code == 200
    except requests.RequestException:
        return False


def local_url(host: str, port: int) -> str:
    """The address at which this machine reaches a server bound to ``host`` (all interfaces: the loopback)."""
    reach = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{reach}]:{port}/" if ":" in reach else f"http://{reach}:{port}/"


def run_all(host: str, port: int, web_workers: int, concurrency: int, welcome: str = "") -> None:
    """Start every process and wait for them; once both workers are ready and the web answers, print the address
    (and ``welcome``) last, below the workers' banners, where it does not scroll away."""
    # Own sessions: a Ctrl-C reaches only this process, which stops each child with a warm SIGTERM.
    children = {name: subprocess.Popen(argv, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                for name, argv in commands(host, port, web_workers, concurrency).items()}
    outputs = {name: Output(child) for name, child in children.items()}
    url, announced, stopping = local_url(host, port), False, False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(child.poll() is None for child in children.values()):
        if not announced and all(out.ready.is_set() for name, out in outputs.items() if "worker" in name) \
                and web_answers(f"{url}login"):
            print(f"\nGradeGrad is ready on {url} (Ctrl-C stops it)", *([welcome] if welcome else []), sep="\n",
                  flush=True)
            announced = True
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
