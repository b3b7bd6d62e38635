"""The default runner: one fork server per process, restarted when it dies, gone when its grader goes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from exercises import get_exercise
from grader.pipeline import grade
from grader.sandbox import default_runner
from grader.sandbox.runner import ForkServerRunner

HONEST = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"


def server_pid() -> int:
    runner = default_runner()
    assert isinstance(runner, ForkServerRunner) and runner._process is not None
    return runner._process.pid


def wait_gone(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.02)
    return False


def test_grading_uses_the_fork_server() -> None:
    assert grade(HONEST, get_exercise("mse_grad")).score == 1.0
    assert isinstance(default_runner(), ForkServerRunner) and "seccomp" in default_runner().layers


def test_a_dead_server_is_restarted() -> None:
    assert grade(HONEST, get_exercise("mse_grad")).score == 1.0
    first = server_pid()
    os.kill(first, signal.SIGKILL)
    assert wait_gone(first)
    assert grade(HONEST, get_exercise("mse_grad")).score == 1.0
    assert server_pid() != first


def test_a_forked_process_gets_its_own_server() -> None:
    assert grade(HONEST, get_exercise("mse_grad")).score == 1.0
    parent_server = server_pid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            score = grade(HONEST, get_exercise("mse_grad")).score
            os.write(write, f"{server_pid()} {score}".encode())
            default_runner().close()
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode().split()
    os.close(read)
    os.waitpid(child, 0)
    assert int(answer[0]) != parent_server and float(answer[1]) == 1.0
    assert server_pid() == parent_server and grade(HONEST, get_exercise("mse_grad")).score == 1.0


def test_server_and_children_end_when_the_grader_is_killed() -> None:
    script = ("import os, time\nfrom grader.sandbox.runner import ForkServerRunner\n"
              "runner = ForkServerRunner()\nrunner.start()\n"
              "print(runner._process.pid, runner._root, flush=True)\ntime.sleep(60)\n")
    grader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pid, root = grader.stdout.readline().split()
    grader.kill()
    grader.wait()
    grader.stdout.close()
    assert wait_gone(int(pid))
    deadline = time.monotonic() + 30
    while Path(root).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not Path(root).exists()
