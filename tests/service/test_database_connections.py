"""Pooled connections: one the database dropped while it sat idle is replaced, not handed to a request."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.service.conftest import POSTGRES_ADMIN_URL
from web.db import make_engine


def drop_connections_to(url: str) -> None:
    """What a database restart does to every connection a pool holds."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"),
                               {"name": url.rsplit("/", 1)[1]})
    finally:
        admin.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        drop_connections_to(postgres_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != first
    finally:
        engine.dispose()
