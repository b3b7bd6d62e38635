"""Faults on exam night: a killed worker, a Redis restart, a database outage, a runaway grading; nothing lost.

The web, the sweep (beat) and two live workers run as separate real processes on a private redis-server
(nothing kept on disk) and on PostgreSQL reached through a proxy that the tests cut and restore. The sweep
runs with its default settings: each fault must be over in seconds, well before the old fixed delays (a row
queued for 120 s, a row running for the hard time limit + 30 s = 120 s).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from bench.stack import (
    GRADEGRAD,
    NotStarted,
    PrivateRedis,
    Processes,
    TcpProxy,
    answers,
    children,
    free_port,
    kill_tree,
    tail,
    worker_ready,
)
from tests.service.conftest import GRADING_SECONDS, PASSWORD, RunningService
from web import create_app
from web.auth import create_user, issue_token
from web.catalogue import publish_catalogue
from web.db import session_factory
from web.models import CaseResult, CourseExercise, Submission, User
from web.regrades import regrade_submission

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
# Right only on the hidden cases of even length: its score depends on the seed that drew the cases.
HALF_RIGHT = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size if y.size % 2 == 0 else 0 * y\n"
SOFT_LIMIT, HARD_LIMIT = 4, 6
SHORT_LIMITS = {"GRADEGRAD_TASK_SOFT_TIME_LIMIT": str(SOFT_LIMIT), "GRADEGRAD_TASK_TIME_LIMIT": str(HARD_LIMIT)}
RECOVERY_SECONDS = 60
"""How long a fault may hold up a submission here: the service recovers in seconds on an idle machine, and the
margin holds on a busy one; the sweep's old fixed delays needed 120 s and more."""


def sleepy(seconds: float, exercise: str = "mse_grad") -> str:
    """A right submission that takes ``seconds`` to load: long enough to be caught in the middle. The sleep is a
    default argument's value, since a submission's top-level calls are cut before grading."""
    body = {"mse_grad": "return 2 * (y_hat - y) / y.size", "linreg_grad": "return 0.0, 0.0"}[exercise]
    args = {"mse_grad": "y_hat, y", "linreg_grad": "a, b, x, y"}[exercise]
    return f"import time\n\ndef {exercise}({args}, _loaded=time.sleep({seconds})):\n    {body}\n"


class Stack:
    """The service as separate processes, so that each can be stopped, killed or cut off on its own."""

    def __init__(self, folder: Path, env: dict[str, str], app: Flask, tokens: dict[str, str]) -> None:
        self.app = app
        self.processes = Processes(folder, env)
        self.workers: dict[subprocess.Popen[bytes], Path] = {}
        self.worker_env: dict[str, str] = {}
        port = free_port()
        self.web = self.processes.spawn("web", [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                                                "--workers", "1", "--threads", "4", "--no-control-socket",
                                                "web.wsgi:app"])
        self.beat = self.processes.spawn("beat", [*GRADEGRAD, "beat"])
        self.service = RunningService(f"http://127.0.0.1:{port}", env, tokens, {}, self.processes.logs[self.web], {})
        self.start_workers()
        self.processes.wait_until(lambda: answers(f"{self.service.url}/api/v1/openapi.json"), "the web",
                                  [self.web, self.beat])

    def start_workers(self, queues: tuple[str, ...] = ("live", "live,regrade"), **env: str) -> None:
        """Live workers of one grading process each (by default two, the second also serving regrades), with
        ``worker_env`` and then ``env`` added to their environment."""
        started = [self.processes.spawn(f"worker{n}", [*GRADEGRAD, "worker", "--queues", names, "--concurrency", "1",
                                                       "--name", f"w{n}-{len(self.processes.logs)}@%h"],
                                        {**self.worker_env, **env})
                   for n, names in enumerate(queues)]
        self.workers.update((process, self.processes.logs[process]) for process in started)
        self.processes.wait_until(lambda: all(worker_ready(self.processes.log_text(p)) for p in started),
                                  "a worker", started)

    def stop_workers(self) -> None:
        for process in self.workers:
            self.processes.stop(process)
        self.workers = {}

    def stop(self) -> None:
        self.processes.stop_all()

    def submit(self, source: str, user: str, exercise: str = "mse_grad") -> int:
        answer = self.service.api("POST", "/submissions", user, json={"exercise": exercise, "source": source})
        assert answer.status_code == 202, answer.text
        return answer.json()["id"]

    def row(self, submission_id: int) -> Submission:
        with session_factory(self.app)() as session:
            row = session.get_one(Submission, submission_id)
            session.expunge(row)
            return row

    def case_positions(self, submission_id: int) -> list[int]:
        with session_factory(self.app)() as session:
            return list(session.scalars(select(CaseResult.position).where(CaseResult.submission_id == submission_id)
                                        .order_by(CaseResult.position)))

    def wait_running(self, submission_id: int, timeout: float = GRADING_SECONDS) -> str:
        """The task id of the row once a worker has claimed it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.row(submission_id)
            if row.status == "running":
                return str(row.task_id)
            assert row.status == "queued", f"submission {submission_id} is {row.status} already"
            time.sleep(0.05)
        raise AssertionError(f"submission {submission_id} was never claimed")

    def worker_log_text(self) -> str:
        return "".join(tail(log, chars=sys.maxsize) for log in self.processes.logs.values()
                       if log.name.startswith("worker"))


def assert_graded_once(stack: Stack, submission_id: int, result: dict[str, Any]) -> Submission:
    """Graded, with exactly one verdict per hidden case: nothing half-written, nothing twice."""
    row = stack.row(submission_id)
    assert row.status == "graded" and row.graded_at is not None, (row.status, row.error)
    assert stack.case_positions(submission_id) == list(range(len(result["cases"]))) and result["cases"]
    return row


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, private_redis: PrivateRedis,
          postgres_proxy: tuple[TcpProxy, str, str]) -> Iterator[Stack]:
    _, proxied_url, direct_url = postgres_proxy
    folder = tmp_path_factory.mktemp("faults")
    env = {**os.environ, "GRADEGRAD_SECRET_KEY": "test-secret", "GRADEGRAD_BEAT_SCHEDULE": str(folder / "beat"),
           "GRADEGRAD_DATABASE_URL": proxied_url, "GRADEGRAD_BROKER_URL": private_redis.url,
           "GRADEGRAD_MAX_IN_FLIGHT": "6"}
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": direct_url, "BROKER_URL": private_redis.url})
    tokens = {}
    with session_factory(app)() as session:
        publish_catalogue(session)
        for name, role in (("ada", "student"), ("grace", "student"), ("alan", "student"), ("hedy", "student"),
                           ("emmy", "student"), ("prof", "instructor")):
            tokens[name] = issue_token(session, create_user(session, name, role, PASSWORD)[0])
        session.commit()
    try:
        running = Stack(folder, env, app, tokens)
    except NotStarted as exc:
        pytest.fail(f"the service's processes did not start: {exc}", pytrace=False)
    yield running
    running.stop()
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()


@pytest.fixture
def short_limits(stack: Stack) -> Iterator[None]:
    """The live workers replaced by ones with time limits of seconds, then put back as they were."""
    stack.stop_workers()
    stack.worker_env = SHORT_LIMITS
    stack.start_workers()
    yield
    stack.stop_workers()
    stack.worker_env = {}
    stack.start_workers()


def kill_worker_holding(stack: Stack, task_id: str) -> str:
    """SIGKILL the worker that received ``task_id`` and all its processes at once, as the OOM killer or
    `docker kill` does; returns the queues it served."""
    holder = next(worker for worker, log in stack.workers.items()
                  if f"[{task_id}] received" in log.read_text(errors="replace"))
    queues = holder.args[holder.args.index("--queues") + 1]
    kill_tree(holder)
    del stack.workers[holder]
    return queues


def beat_log(stack: Stack) -> str:
    return tail(stack.processes.logs[stack.beat], chars=sys.maxsize)


def test_a_worker_killed_in_the_middle_of_grading_leaves_its_submission_graded_once(stack):
    submission_id = stack.submit(sleepy(3), "ada")
    task_id = stack.wait_running(submission_id)
    holder = next(worker for worker, log in stack.workers.items()
                  if f"[{task_id}] received" in log.read_text(errors="replace"))
    pool = children(holder.pid)
    assert pool, "the worker has no grading process to kill"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    result = stack.service.wait_graded(submission_id, timeout=60)
    assert result["passed"] is True and result["error"] is None
    row = assert_graded_once(stack, submission_id, result)
    assert row.attempts == 2, "the grading was not interrupted and taken up again"


def test_a_whole_worker_killed_mid_grade_leaves_its_submission_graded_once_by_another_within_seconds(stack):
    submission_id = stack.submit(sleepy(3), "ada")
    task_id = stack.wait_running(submission_id)
    queues = kill_worker_holding(stack, task_id)
    killed_at = time.monotonic()
    try:
        # Its message stays unacknowledged in Redis for an hour; its heartbeat stops, and the sweep queues the row
        # again once it has missed WORKER_LOST_AFTER_SECONDS (6 s), where it used to wait for the hard limit + 30 s.
        result = stack.service.wait_graded(submission_id, timeout=RECOVERY_SECONDS)
        assert time.monotonic() - killed_at < RECOVERY_SECONDS
        assert result["passed"] is True and result["error"] is None
        row = assert_graded_once(stack, submission_id, result)
        assert row.attempts == 2 and row.task_id != task_id, "not graded again by a task of the sweep"
        assert f"[{row.task_id}] received" in next(iter(stack.workers.values())).read_text(errors="replace")
        assert f"submission {submission_id} queued again as {row.task_id}: its worker stopped" in beat_log(stack)
    finally:
        stack.start_workers((queues,))


def test_a_slow_grading_of_a_live_worker_is_not_taken_from_it(stack):
    submission_id = stack.submit(sleepy(15), "grace")  # more than twice the time a silent worker is given
    task_id = stack.wait_running(submission_id)
    result = stack.service.wait_graded(submission_id, user="grace")
    row = assert_graded_once(stack, submission_id, result)
    assert (row.attempts, row.task_id) == (1, task_id)
    assert row.worker is not None and row.worker.startswith("w"), "the row does not name the worker run holding it"
    assert f"submission {submission_id} queued again" not in beat_log(stack)


def test_a_regrade_caught_by_a_killed_worker_is_regraded_once_when_its_worker_is_back(stack):
    submission_id = stack.submit(sleepy(0), "hedy")
    stack.service.wait_graded(submission_id, user="hedy")
    with session_factory(stack.app)() as session, stack.app.app_context():
        prof = session.scalar(select(User).where(User.username == "prof"))
        row = session.get_one(Submission, submission_id)
        row.source = sleepy(3)
        regrade_submission(session, row, prof)
    task_id = stack.wait_running(submission_id)
    queues = kill_worker_holding(stack, task_id)
    assert "regrade" in queues
    killed_at = time.monotonic()
    time.sleep(5)  # its supervisor starts it again
    stack.start_workers((queues,))
    result = stack.service.wait_graded(submission_id, user="hedy", timeout=RECOVERY_SECONDS)
    assert time.monotonic() - killed_at < RECOVERY_SECONDS
    row = assert_graded_once(stack, submission_id, result)
    assert (row.queue, row.attempts) == ("regrade", 2) and row.task_id != task_id


def test_submissions_queued_when_redis_restarts_are_requeued_from_the_database_within_seconds(stack, private_redis):
    stack.stop_workers()
    ids = [stack.submit(RIGHT if i % 2 else WRONG, "grace") for i in range(6)]
    sent = {i: stack.row(i).task_id for i in ids}
    assert all(sent.values()) and {stack.row(i).status for i in ids} == {"queued"}
    private_redis.restart()  # every queued message is gone; only the rows remain
    restarted_at = time.monotonic()
    stack.start_workers()
    for n, submission_id in enumerate(ids):
        result = stack.service.wait_graded(submission_id, user="grace", timeout=RECOVERY_SECONDS)
        assert result["passed"] is bool(n % 2)
        row = assert_graded_once(stack, submission_id, result)
        assert row.attempts == 1 and row.task_id != sent[submission_id], "not graded by a task of the sweep"
    assert time.monotonic() - restarted_at < RECOVERY_SECONDS


def test_a_task_still_in_redis_when_its_identity_changes_is_not_sent_again(stack, private_redis):
    """As after a failover to a replica that kept the queue: Redis restarted from a snapshot, a new run id, the
    same messages. The sweep checks the queued rows against the queues and leaves the one still there alone."""
    stack.stop_workers()
    submission_id = stack.submit(RIGHT, "emmy")
    sent = stack.row(submission_id).task_id
    checks = beat_log(stack).count("checking queued submissions against it")
    with redis.Redis.from_url(private_redis.url) as client:
        client.save()
    private_redis.restart()
    (private_redis.folder / "dump.rdb").unlink()  # the next restarts start empty again
    stack.processes.wait_until(lambda: beat_log(stack).count("checking queued submissions against it") > checks,
                               "the sweep's check of the queues", [stack.beat], timeout=RECOVERY_SECONDS)
    time.sleep(5)  # the sweep checks the queued rows for the next 10 s
    assert stack.row(submission_id).task_id == sent and f"submission {submission_id} queued" not in beat_log(stack)
    stack.start_workers()
    result = stack.service.wait_graded(submission_id, user="emmy")
    row = assert_graded_once(stack, submission_id, result)
    assert (row.attempts, row.task_id) == (1, sent)


def test_the_database_unreachable_for_seconds_mid_grading_stores_the_grading_once_when_it_returns(stack,
                                                                                                   postgres_proxy):
    proxy = postgres_proxy[0]
    waits_before = stack.worker_log_text().count("the database is unreachable")
    submission_id = stack.submit(sleepy(2), "alan")
    task_id = stack.wait_running(submission_id)
    proxy.cut()
    cut_at = time.monotonic()
    refused = stack.service.api("POST", "/submissions", "alan", json={"exercise": "mse_grad", "source": RIGHT})
    assert refused.status_code == 503 and refused.json()["error"], refused.text
    time.sleep(max(0.0, cut_at + 10 - time.monotonic()))  # the grading ends while the database is away
    proxy.restore()
    restored_at = time.monotonic()
    accepted = stack.service.api("POST", "/submissions", "alan", json={"exercise": "mse_grad", "source": RIGHT})
    assert accepted.status_code == 202, f"the first request after the outage failed: {accepted.text}"
    result = stack.service.wait_graded(submission_id, user="alan", timeout=RECOVERY_SECONDS)
    assert time.monotonic() - restored_at < RECOVERY_SECONDS
    assert result["passed"] is True and result["error"] is None
    row = assert_graded_once(stack, submission_id, result)
    assert (row.attempts, row.task_id) == (1, task_id), "the grading was thrown away and done again"
    assert stack.worker_log_text().count("the database is unreachable") > waits_before, "the worker never met it"
    assert stack.service.wait_graded(accepted.json()["id"], user="alan")["passed"] is True


def test_a_grading_that_outlives_the_time_limit_is_an_error_that_says_so(stack, short_limits):
    started = time.monotonic()
    submission_id = stack.submit(sleepy(SOFT_LIMIT + 4), "hedy")
    result = stack.service.wait_graded(submission_id, user="hedy", timeout=60)
    assert time.monotonic() - started < HARD_LIMIT + 10
    assert result["status"] == "error" and result["passed"] is False
    assert "took too long" in result["error"], result["error"]
    assert stack.case_positions(submission_id) == []


def test_a_grading_stopped_at_the_time_limit_does_not_cost_the_student_an_attempt(stack, short_limits):
    with session_factory(stack.app)() as session:
        session.scalar(select(CourseExercise).where(CourseExercise.name == "linreg_grad")).max_attempts = 1
        session.commit()
    submission_id = stack.submit(sleepy(SOFT_LIMIT + 4, "linreg_grad"), "hedy", "linreg_grad")
    assert stack.service.wait_graded(submission_id, user="hedy", timeout=60)["status"] == "error"
    again = stack.service.api("POST", "/submissions", "hedy",
                              json={"exercise": "linreg_grad", "source": sleepy(0, "linreg_grad")})
    assert again.status_code == 202, f"the failed grading cost the student their only attempt: {again.text}"


def test_a_grading_the_soft_limit_cannot_stop_is_an_error_at_the_hard_limit_not_left_running(stack, short_limits):
    stack.stop_workers()
    stack.start_workers(("live",), GRADEGRAD_TASK_SOFT_TIME_LIMIT="null")  # as if the soft limit were swallowed
    submission_id = stack.submit(sleepy(HARD_LIMIT + 3), "ada")
    result = stack.service.wait_graded(submission_id, timeout=HARD_LIMIT + 10)
    assert result["status"] == "error" and "took too long" in result["error"], result
    assert stack.case_positions(submission_id) == []


def test_the_same_submission_regraded_gets_the_same_score_from_its_stored_seed(stack):
    ids = [stack.submit(HALF_RIGHT, "emmy") for _ in range(6)]
    first = {i: stack.service.wait_graded(i, user="emmy")["score"] for i in ids}
    assert len(set(first.values())) > 1, "the score does not depend on the seed: the test would prove nothing"
    with session_factory(stack.app)() as session, stack.app.app_context():
        prof = session.scalar(select(User).where(User.username == "prof"))
        for submission_id in ids:
            regrade_submission(session, session.get_one(Submission, submission_id), prof)
    again = {i: stack.service.wait_graded(i, user="emmy")["score"] for i in ids}
    assert again == first
    with session_factory(stack.app)() as session:
        assert session.scalar(select(func.count()).select_from(Submission).where(
            Submission.id.in_(ids), Submission.queue == "regrade")) == len(ids)
