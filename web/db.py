"""The database engine, a session per request, and a session scope for the worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from gradegrad_client.strict_json import strict_dumps


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and a busy timeout, since web and worker share the file.

    JSON columns are written as strict JSON (no bare NaN, which PostgreSQL refuses and SQLite would keep).
    """
    if not url.startswith("sqlite"):
        # A pooled connection is tested before each use, so one the database dropped while it sat idle
        # (a restart, a failover) is replaced instead of failing the request or the grading that drew it.
        return create_engine(url, json_serializer=strict_dumps, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=strict_dumps)

    @event.listens_for(engine, "connect")
    def sqlite_pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory and close the request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db"] = sessionmaker(bind=engine, expire_on_commit=False)
    # After each request as well: a refused request's uncommitted writes must not hold SQLite's lock while
    # the app context lives on (the test client reuses an app context that is already pushed).
    app.teardown_request(close_session)
    app.teardown_appcontext(close_session)


def session_factory(app: Flask) -> sessionmaker[Session]:
    return app.extensions["db"]


def get_session() -> Session:
    """The request's session; views commit what they change, teardown closes it."""
    if "db_session" not in g:
        g.db_session = session_factory(current_app)()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises."""
    with factory() as session, session.begin():
        yield session
