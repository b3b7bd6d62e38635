"""The database engine, a session per request, and a session scope for the worker."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from gradegrad_client.strict_json import strict_dumps

IDLE_BEFORE_PING_SECONDS = 2.0


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and a busy timeout, since web and worker share the file.

    JSON columns are written as strict JSON (no bare NaN, which PostgreSQL refuses and SQLite would keep).
    """
    if not url.startswith("sqlite"):
        engine = create_engine(url, json_serializer=strict_dumps)
        ping_after_idle(engine, IDLE_BEFORE_PING_SECONDS)
        return engine
    engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=strict_dumps)

    @event.listens_for(engine, "connect")
    def sqlite_pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def ping_after_idle(engine: Engine, seconds: float) -> None:
    """Test a pooled connection before it is used, as ``pool_pre_ping`` does, but only one idle for ``seconds``.

    A database restarted while the pool slept is still caught before a request or a grading
    fails on it; a connection handed from one use to the next in a busy moment is not tested
    again (with a ping per use, pings were two of every seventeen statements of a submission).
    A failed ping makes the pool replace the connection and try again.
    """
    @event.listens_for(engine, "checkin")
    def note_idle(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", math.inf) < seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"the database did not answer a pooled connection: {exc}") from exc


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
