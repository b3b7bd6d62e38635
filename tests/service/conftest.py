"""Fixtures of the service tests: real databases and brokers, apps, users and submissions."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from web import create_app
from web.auth import create_user, issue_token
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
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session alone, dropped at the end."""
    name = f"gradegrad_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        admin.dispose()
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {type(exc).__name__}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
    from web.submissions import publish_catalogue

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
