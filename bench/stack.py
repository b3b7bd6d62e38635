"""The one way the tests and the benchmarks start GradeGrad's processes, and wait for them by deadline.

Both import this module: the benchmarks, run as ``python bench/<name>.py``, as ``stack``; the tests, run from the
repository's root, as ``bench.stack``. It lives here rather than in tests/ because the benchmarks cannot import a
conftest, and rather than in the installed packages because it is no part of what GradeGrad ships.

Every wait here is a deadline on a condition, never a tight per-request timeout: on a machine whose CPUs are busy
with other work a process takes many times longer to start and a request many times longer to answer. A process
that exits or misses its deadline raises :class:`NotStarted` with the tails of the logs, which say why.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, select, text

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
POSTGRES = os.environ.get("GRADEGRAD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("GRADEGRAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

START_SECONDS = 180.0
"""How long a process may take to be ready: a few seconds on an idle machine; gradegrad serve took 70-100 s on
two CPUs shared with a dozen busy processes. It stays well under pytest's 300 s per test, which counts the
start of a fixture too."""
REQUEST_SECONDS = 30.0
"""How long one request may take to be answered before it counts as failed."""
COMMAND_SECONDS = 120.0
"""How long one short gradegrad command (a migration, a new user) may take."""
STOP_SECONDS = 30.0
"""How long a process has to stop after SIGTERM before it is killed."""


class NotStarted(Exception):
    """A process exited, or was not ready by its deadline; the message carries the tails of the logs."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(log: Path, chars: int = 3000) -> str:
    """The end of a log, as text."""
    try:
        return log.read_text(errors="replace")[-chars:]
    except FileNotFoundError:
        return "(no log)"


def answers(url: str) -> bool:
    """Whether a GET of ``url`` answers 200; a refused, reset or slow request is "not yet", not a failure."""
    try:
        return requests.get(url, timeout=REQUEST_SECONDS).status_code == 200
    except requests.RequestException:
        return False


class Processes:
    """Processes started with one environment, each writing its output to a log of its own in ``folder``."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.logs: dict[subprocess.Popen[bytes], Path] = {}

    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start ``argv``; its output goes to ``<name>-<n>.log`` in the folder."""
        log = self.folder / f"{name}-{len(self.logs)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(argv, env={**self.env, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        self.logs[process] = log
        return process

    def command(self, *args: str) -> str:
        """Run a short gradegrad command to its end and return its output; NotStarted with its stderr if it fails."""
        try:
            done = subprocess.run([*GRADEGRAD, *args], env=self.env, capture_output=True, text=True,
                                  timeout=COMMAND_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise NotStarted(f"gradegrad {' '.join(args)} did not end in {COMMAND_SECONDS:g} s:\n"
                             f"{exc.stderr}") from None
        if done.returncode != 0:
            raise NotStarted(f"gradegrad {' '.join(args)} exited with {done.returncode}:\n{done.stderr[-3000:]}")
        return done.stdout

    def log_text(self, process: subprocess.Popen[bytes]) -> str:
        return tail(self.logs[process], chars=sys.maxsize)

    def wait_until(self, ready: Callable[[], bool], what: str,
                   processes: Iterable[subprocess.Popen[bytes]] | None = None,
                   timeout: float = START_SECONDS) -> None:
        """Until ``ready()``; NotStarted if one of ``processes`` (by default all) exits or the deadline passes."""
        watched = list(self.logs if processes is None else processes)
        deadline = time.monotonic() + timeout
        while True:
            exited = [process for process in watched if process.poll() is not None]
            if exited:
                raise NotStarted(f"{what}: {self.describe(exited[0])} exited with {exited[0].returncode}\n"
                                 f"{self.tails(watched)}")
            if ready():
                return
            if time.monotonic() > deadline:
                raise NotStarted(f"{what}: not ready in {timeout:g} s\n{self.tails(watched)}")
            time.sleep(0.2)

    def describe(self, process: subprocess.Popen[bytes]) -> str:
        return self.logs[process].stem

    def tails(self, processes: Iterable[subprocess.Popen[bytes]]) -> str:
        return "\n".join(f"--- {self.logs[process]} (the end) ---\n{tail(self.logs[process])}" for process in processes)

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """SIGTERM, then SIGKILL if it has not stopped within STOP_SECONDS."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        """Stop every process, all signalled at once so that their shutdowns overlap."""
        for process in self.logs:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.logs:
            self.stop(process)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    """The children of ``pid``, theirs, and so on."""
    return [found for child in children(pid) for found in (child, *descendants(child))]


def kill_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and all its descendants at once, as the OOM killer or `docker kill` does."""
    for pid in [process.pid, *descendants(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # one that died with its parent
            pass
    process.wait()


def worker_ready(log: str, count: int = 1) -> bool:
    """Whether ``count`` Celery workers logged that they are ready."""
    return log.count(" ready.") >= count


def start_service(processes: Processes, web_workers: int = 2, concurrency: int = 2,
                  extra_workers: int = 0) -> tuple[str, subprocess.Popen[bytes]]:
    """`gradegrad serve` (web, a live worker with the sweep, a regrade worker) plus ``extra_workers`` live workers,
    on the (migrated) database and the broker of ``processes``' environment; returns its URL once all of it is
    ready: both workers of serve and every extra worker logged " ready.", and the web answered a request.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = processes.spawn("serve", [*GRADEGRAD, "serve", "--port", str(port), "--web-workers", str(web_workers),
                                      "--concurrency", str(concurrency)])
    workers = [processes.spawn("worker", [*GRADEGRAD, "worker", "--queues", "live", "--concurrency", str(concurrency)])
               for _ in range(extra_workers)]

    def ready() -> bool:
        return (worker_ready(processes.log_text(serve), 2)
                and all(worker_ready(processes.log_text(worker)) for worker in workers)
                and answers(f"{url}/api/v1/openapi.json"))

    try:
        processes.wait_until(ready, "gradegrad serve", [serve, *workers])
    except NotStarted:
        processes.stop_all()
        raise
    return url, serve


# --- Faults: a private Redis that can be restarted, and a proxy in front of PostgreSQL that can be cut ---

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class PrivateRedis:
    """A redis-server of this test alone that keeps nothing on disk: a restart loses every queued message."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_SECONDS
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=REQUEST_SECONDS).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server did not listen on {self.port} in {START_SECONDS:g} s "
                             f"(exit status {self.process.poll()})")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=STOP_SECONDS)
            self.process = None

    def restart(self, kill: bool = False) -> None:
        """Stop (SIGTERM, or SIGKILL as a crash) and start again, empty."""
        if kill and self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        self.stop()
        self.start()


class TcpProxy:
    """Forwards 127.0.0.1:port to a server; cut() drops every connection and refuses new ones until restore()."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.cut_off = False
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # the listener was closed: the proxy is done
                return
            if self.cut_off:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=REQUEST_SECONDS)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, target), daemon=True).start()

    def pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        self.drop(source, target)

    def drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self.lock:
                self.open.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self) -> None:
        self.cut_off = True
        with self.lock:
            sockets = list(self.open)
        self.drop(*sockets)

    def restore(self) -> None:
        self.cut_off = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


# --- The benchmarks' service: a fresh database of its own, students with tokens, and a fast client ---

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Service:
    """`gradegrad serve` on a fresh database (a new PostgreSQL database with Redis, or the embedded SQLite), plus
    ``extra_workers`` live workers, and a benchmark's client of it; ``settings`` are GRADEGRAD_* variables of its
    processes."""

    def __init__(self, backend: str, folder: Path, concurrency: int, extra_workers: int = 0,
                 settings: dict[str, str] | None = None) -> None:
        # The benchmarks' students post their whole share at once, which the in-flight limit would turn away.
        env = {**os.environ, "GRADEGRAD_SECRET_KEY": "bench", "GRADEGRAD_BEAT_SCHEDULE": str(folder / "beat"),
               "GRADEGRAD_MAX_IN_FLIGHT": "1000", **(settings or {})}
        self.database = None
        self.config: dict[str, Any] = {}
        if backend == "redis":
            self.database = f"gradegrad_bench_{uuid.uuid4().hex[:8]}"
            self.admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.database}"'))
            options = {"global_keyprefix": f"gradegrad-bench-{uuid.uuid4().hex[:8]}:"}
            self.config = {"DATABASE_URL": self.admin.url.set(database=self.database).render_as_string(False),
                           "BROKER_URL": REDIS, "CELERY": {"broker_transport_options": options}}
            env.update(GRADEGRAD_CELERY__broker_transport_options=json.dumps(options))
        else:
            self.config = {"DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}",
                           "BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite3'}"}
        env.update(GRADEGRAD_DATABASE_URL=self.config["DATABASE_URL"], GRADEGRAD_BROKER_URL=self.config["BROKER_URL"])
        self.processes = Processes(folder, env)
        try:
            self.processes.command("db", "upgrade")
            made = self.processes.command("create-user", "bench", "--role", "instructor", "--token")
            url = self.start(concurrency, extra_workers)
        except NotStarted as exc:
            self.drop_database()
            raise SystemExit(f"the service did not start: {exc}") from None
        self.url = f"{url}/api/v1"
        self.token = made.strip().splitlines()[-1]
        self.http = self.session(self.token)

    def start(self, concurrency: int, extra_workers: int) -> str:
        """Start the service's processes on the prepared database; returns its URL once ready."""
        url, _ = start_service(self.processes, concurrency=concurrency, extra_workers=extra_workers)
        return url

    def session(self, token: str) -> requests.Session:
        """A client of the service; it skips requests' per-request proxy and .netrc lookups, since on this one
        machine every millisecond a client spends is taken from the service it measures."""
        http = requests.Session()
        http.trust_env = False
        http.headers["Authorization"] = f"Bearer {token}"
        return http

    def students(self, count: int, exercise: str = "mse_grad", lift_limit: bool = True) -> list[str]:
        """API tokens of ``count`` new students; ``exercise``'s hourly limit lifted, as an instructor could, unless
        ``lift_limit`` is False."""
        from web import create_app
        from web.auth import create_user, issue_token
        from web.catalogue import publish_catalogue
        from web.db import session_factory
        from web.models import CourseExercise

        app = create_app({"SECRET_KEY": "bench", **self.config})
        try:
            with session_factory(app)() as session:
                publish_catalogue(session)
                if lift_limit:
                    session.scalar(select(CourseExercise).where(CourseExercise.name == exercise)).per_hour = None
                tokens = [issue_token(session, create_user(session, f"student{n}", "student", "bench-password")[0])
                          for n in range(count)]
                session.commit()
        finally:
            app.extensions["db_engine"].dispose()
        return tokens

    def submit(self, http: requests.Session | None = None, source: str = RIGHT, exercise: str = "mse_grad") -> int:
        answer = (http or self.http).post(f"{self.url}/submissions", json={"exercise": exercise, "source": source})
        answer.raise_for_status()
        return answer.json()["id"]

    def wait(self, submission_id: int, http: requests.Session | None = None, delays: Iterable[float] | None = None,
             timeout: float = 600) -> dict:
        """Poll until graded: every 2 ms by default, to time a grading; pass the delays a real client uses."""
        deadline = time.monotonic() + timeout
        for delay in delays or itertools.repeat(0.002):
            if time.monotonic() > deadline:
                break
            body = (http or self.http).get(f"{self.url}/submissions/{submission_id}").json()
            if body["status"] in ("graded", "error"):
                return body
            time.sleep(delay)
        raise TimeoutError(f"submission {submission_id} not graded in {timeout} s")

    def stop(self) -> None:
        self.processes.stop_all()
        self.drop_database()

    def drop_database(self) -> None:
        if self.database:
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
            self.admin.dispose()
