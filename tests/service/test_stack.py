"""bench/stack.py, the one way the tests and the benchmarks start processes: it waits by deadline and says why not."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.stack import NotStarted, Processes, answers

FIRST_ANSWER_SECONDS = 3.0  # longer than the 2 s a readiness request was once given


@pytest.fixture
def slow_web() -> Iterator[str]:
    """A real HTTP server whose first answer takes FIRST_ANSWER_SECONDS, as a web still warming up on a busy
    machine; its URL."""
    first = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not first.is_set():
                first.set()
                time.sleep(FIRST_ANSWER_SECONDS)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_web_whose_first_answer_is_slow_is_waited_for_not_a_failure(tmp_path, slow_web):
    started = time.monotonic()
    Processes(tmp_path, {}).wait_until(lambda: answers(slow_web), "the slow web")
    assert time.monotonic() - started >= FIRST_ANSWER_SECONDS, "the first answer was not the slow one"


def test_a_web_that_refuses_connections_is_not_ready_yet(tmp_path):
    with pytest.raises(NotStarted, match=r"^nothing listening: not ready in 1 s\n$"):
        Processes(tmp_path, {}).wait_until(lambda: answers("http://127.0.0.1:9/"), "nothing listening", timeout=1)


def test_a_process_that_exits_while_awaited_fails_at_once_with_its_status_and_log(tmp_path):
    processes = Processes(tmp_path, {})
    processes.spawn("web", [sys.executable, "-c", "import sys; print('no database here', flush=True); sys.exit(3)"])
    started = time.monotonic()
    with pytest.raises(NotStarted) as raised:
        processes.wait_until(lambda: False, "the web")
    assert time.monotonic() - started < 60, "the exit was not noticed before the deadline"
    assert str(raised.value).startswith("the web: web-0 exited with 3\n")
    assert f"--- {tmp_path / 'web-0.log'} (the end) ---\nno database here\n" in str(raised.value)


def test_a_process_not_ready_by_its_deadline_fails_with_its_log_and_is_stopped_after(tmp_path):
    processes = Processes(tmp_path, {})
    slow = processes.spawn("worker", [sys.executable, "-c", "import time; print('starting', flush=True); "
                                                           "time.sleep(600)"])
    try:
        processes.wait_until(lambda: "starting" in processes.log_text(slow), "the worker's first line")
        with pytest.raises(NotStarted) as raised:
            processes.wait_until(lambda: " ready." in processes.log_text(slow), "the worker", timeout=1)
        assert str(raised.value) == (f"the worker: not ready in 1 s\n--- {tmp_path / 'worker-0.log'} (the end) ---\n"
                                     "starting\n")
    finally:
        processes.stop_all()
    assert slow.returncode == -15


def test_a_gradegrad_command_that_fails_says_why(tmp_path):
    with pytest.raises(NotStarted, match=r"^gradegrad no-such-command exited with 2:\n(.|\n)*No such command"):
        Processes(tmp_path, {"PATH": "/usr/bin:/bin"}).command("no-such-command")
