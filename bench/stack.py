"""A `gradegrad serve` of the benchmarks' own, on a fresh database, with extra live workers and student tokens."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, select, text

GRADEGRAD = [sys.executable, "-c", "from grader.cli import main; main()"]
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
POSTGRES = os.environ.get("GRADEGRAD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("GRADEGRAD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Service:
    """`gradegrad serve` (web, a live worker with the sweep, a regrade worker) plus ``extra_workers`` live workers."""

    def __init__(self, backend: str, folder: Path, concurrency: int, extra_workers: int = 0) -> None:
        # The benchmarks' students post their whole share at once, which the in-flight limit would turn away.
        self.env = {**os.environ, "GRADEGRAD_SECRET_KEY": "bench", "GRADEGRAD_BEAT_SCHEDULE": str(folder / "beat"),
                    "GRADEGRAD_MAX_IN_FLIGHT": "1000"}
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
            self.env.update(GRADEGRAD_CELERY__broker_transport_options=json.dumps(options))
        else:
            self.config = {"DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}",
                           "BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite3'}"}
        self.env.update(GRADEGRAD_DATABASE_URL=self.config["DATABASE_URL"],
                        GRADEGRAD_BROKER_URL=self.config["BROKER_URL"])
        subprocess.run([*GRADEGRAD, "db", "upgrade"], env=self.env, check=True, capture_output=True)
        made = subprocess.run([*GRADEGRAD, "create-user", "bench", "--role", "instructor", "--token"],
                              env=self.env, check=True, capture_output=True, text=True)
        self.token = made.stdout.strip().splitlines()[-1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/v1"
        self.logs = [folder / "serve.log"] + [folder / f"worker-{n}.log" for n in range(extra_workers)]
        self.processes = [self.start([*GRADEGRAD, "serve", "--port", str(port), "--concurrency", str(concurrency)],
                                     self.logs[0])]
        worker = [*GRADEGRAD, "worker", "--queues", "live", "--concurrency", str(concurrency)]
        self.processes += [self.start(worker, log) for log in self.logs[1:]]
        self.http = self.session(self.token)
        self.wait_ready()

    def start(self, argv: list[str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            return subprocess.Popen(argv, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def session(self, token: str) -> requests.Session:
        """A client of the service; it skips requests' per-request proxy and .netrc lookups, since on this one
        machine every millisecond a client spends is taken from the service it measures."""
        http = requests.Session()
        http.trust_env = False
        http.headers["Authorization"] = f"Bearer {token}"
        return http

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            texts = [log.read_text(errors="replace") for log in self.logs]
            if texts[0].count(" ready.") >= 2 and all(" ready." in t for t in texts[1:]):
                try:
                    self.http.get(f"{self.url}/exercises", timeout=2).raise_for_status()
                    return
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        raise SystemExit(f"the service did not start:\n{self.logs[0].read_text()[-3000:]}")

    def students(self, count: int, exercise: str = "mse_grad", lift_limit: bool = True) -> list[str]:
        """API tokens of ``count`` new students; ``exercise``'s hourly limit lifted, as an instructor could, unless
        ``lift_limit`` is False."""
        from web import create_app
        from web.auth import create_user, issue_token
        from web.db import session_factory
        from web.models import CourseExercise
        from web.submissions import publish_catalogue

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
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=60)
        if self.database:
            with self.admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
            self.admin.dispose()
