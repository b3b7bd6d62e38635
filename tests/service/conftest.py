"""Fixtures of the service tests: real databases and brokers, apps, users and submissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench.stack import (
    COMMAND_SECONDS,
    GRADEGRAD,
    REDIS_SERVER,
    REQUEST_SECONDS,
    NotStarted,
    PrivateRedis,
    Processes,
    TcpProxy,
    start_service,
    tail,
)
from tests.openapi_contract import check_answer
from tests.service.axe import AXE, assert_accessible
from web import create_app
from web.auth import create_user, issue_token
from web.catalogue import publish_catalogue
from web.db import session_factory
from web.migrate import upgrade
from web.models import Base, CourseExercise, Submission, User

POSTGRES_ADMIN_URL = os.environ.get("GRADEGRAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("GRADEGRAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "correct horse battery"


def unavailable(reason: str) -> None:
    """Skip, except in CI (CI=true), where a missing server or browser is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def new_postgres_database() -> Iterator[Callable[[], str]]:
    """Makes PostgreSQL databases of this test session alone, migrated; all are dropped at the end."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        admin.dispose()
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {type(exc).__name__}")
    names: list[str] = []

    def new() -> str:
        names.append(f"gradegrad_test_{uuid.uuid4().hex[:12]}")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{names[-1]}"'))
        url = admin.url.set(database=names[-1]).render_as_string(hide_password=False)
        upgrade(url)
        return url

    yield new
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(new_postgres_database: Callable[[], str]) -> str:
    """The database of the tests that run in this process (emptied after each test)."""
    return new_postgres_database()


@pytest.fixture(scope="session")
def redis_settings() -> Iterator[dict[str, Any]]:
    """The real Redis, with a key prefix of this test session alone; its keys are deleted at the end."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    prefix = f"gradegrad-test-{uuid.uuid4().hex[:12]}:"
    yield {"url": REDIS_URL, "prefix": prefix}
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated once, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """Each test that uses the database runs on the embedded SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "app.sqlite3")
        yield f"sqlite:///{tmp_path / 'app.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a real database whose grading tasks go to a real embedded broker (no worker reads them)."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
        "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
    })
    yield app
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.app_context(), session_factory(app)() as session:
        yield session


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    def make(username: str = "ada", role: str = "student", password: str = PASSWORD) -> User:
        user, _ = create_user(session, username, role, password)
        session.commit()
        return user

    return make


@pytest.fixture
def token_for(session: Session) -> Callable[[User], dict[str, str]]:
    """Authorization headers with a new API token of a user."""
    def headers(user: User) -> dict[str, str]:
        token = issue_token(session, user)
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture
def published(session: Session) -> Callable[[str], CourseExercise]:
    def get(name: str = "mse_grad") -> CourseExercise:
        row = next(row for row in publish_catalogue(session) if row.name == name)
        session.commit()
        return row

    return get


@pytest.fixture
def make_submission(session: Session, published: Callable[[str], CourseExercise]) -> Callable[..., Submission]:
    """A submission row as the web would write it, with a status and score already set if given."""
    def make(user: User, exercise: str = "mse_grad", source: str = "def mse_grad(y_hat, y):\n    return 0\n",
             **fields: Any) -> Submission:
        submission = Submission(user_id=user.id, exercise_id=published(exercise).id, source=source, seed=7,
                                **fields)
        session.add(submission)
        session.commit()
        return submission

    return make


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], None]:
    def login(user: User) -> None:
        answer = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert answer.status_code == 302, answer.text

    return login


# --- The real service: `gradegrad serve` (gunicorn, a live and a regrade Celery worker, the sweep) ---

GRADING_SECONDS = 120.0
"""How long a grading may take, queue included, before a test gives up on it: on a machine whose CPUs are busy
with other work it takes many times the second or so it takes on an idle one."""


@dataclass
class RunningService:
    """A `gradegrad serve` process, its configuration and the API tokens of its users."""

    url: str
    env: dict[str, str]
    tokens: dict[str, str]
    passwords: dict[str, str]
    log: Path
    config: dict[str, Any]

    def api(self, method: str, path: str, user: str = "ada", **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return requests.request(method, f"{self.url}/api/v1{path}", headers=headers, timeout=REQUEST_SECONDS,
                                **kwargs)

    def wait_graded(self, submission_id: int, user: str = "ada", timeout: float = GRADING_SECONDS) -> dict[str, Any]:
        """The submission once graded (or in error); a poll that fails or is slow is retried until the deadline."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                body = self.api("GET", f"/submissions/{submission_id}", user).json()
            except requests.RequestException as exc:
                last = repr(exc)
                time.sleep(0.2)
                continue
            if body["status"] in ("graded", "error"):
                return body
            last = f"status {body['status']}"
            time.sleep(0.05)
        raise AssertionError(f"submission {submission_id} not graded in {timeout:g} s ({last}); "
                             f"log:\n{tail(self.log)}")

    def run(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """A gradegrad command with this service's environment."""
        env = {**self.env, **kwargs.pop("env", {})}
        return subprocess.run([*GRADEGRAD, *args], env=env, capture_output=True, text=True, timeout=COMMAND_SECONDS,
                              **kwargs)


def running_service(env: dict[str, str], folder: Path, config: dict[str, Any]) -> Iterator[RunningService]:
    """The exercises published and users with API tokens, then `gradegrad serve` (as bench/stack.py starts it) on
    the migrated database of ``config``; stopped at the end.

    The users are made in this process, not with `gradegrad create-user`: on a busy machine each gradegrad command
    costs seconds of imports.
    """
    # The load test's students each post ten submissions without waiting for the first to be graded.
    env = {**os.environ, "GRADEGRAD_SECRET_KEY": "test-secret", "GRADEGRAD_BEAT_SCHEDULE": str(folder / "beat"),
           "GRADEGRAD_MAX_IN_FLIGHT": "10", **env}
    app = create_app({"SECRET_KEY": "x", **config})
    try:
        with app.app_context(), session_factory(app)() as session:
            publish_catalogue(session)  # as `gradegrad db upgrade` does
            tokens = {user: issue_token(session, create_user(session, user, role, PASSWORD)[0])
                      for user, role in (("ada", "student"), ("grace", "student"), ("prof", "instructor"))}
            session.commit()
    finally:
        app.extensions["db_engine"].dispose()
        app.extensions["celery"].close()
    processes = Processes(folder, env)
    try:
        url, serve = start_service(processes)
    except NotStarted as exc:
        pytest.fail(f"the service did not start: {exc}", pytrace=False)
    try:
        yield RunningService(url, env, tokens, {user: PASSWORD for user in tokens}, processes.logs[serve], config)
    finally:
        processes.stop_all()


@pytest.fixture(scope="session")
def embedded_service(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[RunningService]:
    """The embedded default: SQLite for the data, kombu's SQLAlchemy transport on SQLite for the queue."""
    folder = tmp_path_factory.mktemp("embedded")
    shutil.copy(sqlite_template, folder / "app.sqlite3")
    config = {"DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}",
              "BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite3'}"}
    env = {"GRADEGRAD_DATABASE_URL": config["DATABASE_URL"], "GRADEGRAD_BROKER_URL": config["BROKER_URL"]}
    yield from running_service(env, folder, config)


@pytest.fixture(scope="session")
def redis_postgres_service(tmp_path_factory: pytest.TempPathFactory, new_postgres_database: Callable[[], str],
                           redis_settings: dict[str, Any]) -> Iterator[RunningService]:
    """Production's parts: PostgreSQL (a database of its own) and Redis (this session's own key prefix)."""
    folder = tmp_path_factory.mktemp("redis-postgres")
    postgres_url = new_postgres_database()
    options = {"global_keyprefix": redis_settings["prefix"]}
    config = {"DATABASE_URL": postgres_url, "BROKER_URL": redis_settings["url"],
              "CELERY": {"broker_transport_options": options}}
    env = {"GRADEGRAD_DATABASE_URL": postgres_url, "GRADEGRAD_BROKER_URL": redis_settings["url"],
           "GRADEGRAD_CELERY__broker_transport_options": json.dumps(options)}
    yield from running_service(env, folder, config)


@pytest.fixture(params=["embedded", "redis+postgresql"])
def service(request: pytest.FixtureRequest) -> RunningService:
    """Each end-to-end test runs on the embedded default and on Redis with PostgreSQL."""
    return request.getfixturevalue("embedded_service" if request.param == "embedded" else "redis_postgres_service")


@pytest.fixture
def service_app(service: RunningService) -> Iterator[Flask]:
    """An app in the test process configured like the service, to read its database and send to its broker."""
    app = create_app({"SECRET_KEY": "x", **service.config})
    yield app
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()


# --- A headless browser: Debian's chromium driven by Playwright (no browser download) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        unavailable(f"no {CHROMIUM}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def accessible() -> Callable[[Any], None]:
    """``accessible(page)`` fails with every serious or critical axe-core violation of the page as it stands."""
    if not AXE.exists():
        unavailable(f"no {AXE}: run npm ci in web/frontend (make test does)")
    return partial(assert_accessible, axe_source=AXE.read_text())


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Path:
    """Where the browser tests save their screenshots: artifacts/screenshots/ in the repository."""
    folder = pytestconfig.rootpath / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- Faults: a private Redis that can be restarted, and a proxy in front of PostgreSQL that can be cut ---

@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    if not Path(REDIS_SERVER).exists():
        unavailable(f"no redis-server binary at {REDIS_SERVER}")
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def postgres_proxy(new_postgres_database: Callable[[], str]) -> Iterator[tuple[TcpProxy, str, str]]:
    """A new database, reached through a proxy the test can cut: (proxy, URL through it, direct URL)."""
    from sqlalchemy.engine import make_url

    direct = new_postgres_database()
    url = make_url(direct)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), direct
    proxy.close()


# --- Apps configured otherwise than the `app` fixture (CSRF on, behind a proxy, small limits) ---

@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Builds apps on this test's database with settings of their own; all are closed at the end."""
    apps: list[Flask] = []

    def make(**settings: Any) -> Flask:
        apps.append(create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                                "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}", **settings}))
        return apps[-1]

    yield make
    for made in apps:
        made.extensions["db_engine"].dispose()
        made.extensions["celery"].close()


@pytest.fixture(autouse=True)
def api_answers_match_the_openapi_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every JSON API answer a test receives, through Flask's test client or over HTTP."""
    test_client_open, http_request = FlaskClient.open, requests.Session.request

    def opened(self: FlaskClient, *args: Any, **kwargs: Any) -> Any:
        answer = test_client_open(self, *args, **kwargs)
        request = answer.request
        check_answer(request.method, request.path, answer.status_code, answer.content_type or "", answer.get_data())
        return answer

    def requested(self: requests.Session, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        answer = http_request(self, method, url, *args, **kwargs)
        check_answer(method, url, answer.status_code, answer.headers.get("Content-Type", ""), answer.content)
        return answer

    monkeypatch.setattr(FlaskClient, "open", opened)
    monkeypatch.setattr(requests.Session, "request", requested)
