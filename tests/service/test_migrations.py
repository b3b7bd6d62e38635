"""The schema comes only from the Alembic migrations, and they match the models exactly."""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from web.migrate import alembic_config, upgrade
from web.models import Base


def test_the_migrations_build_exactly_the_models_schema(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_the_migrations_go_down_and_up_again(database_url):
    command.downgrade(alembic_config(database_url), "base")
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(database_url)
    assert {"users", "submissions", "case_results", "regrades"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_db_upgrade_creates_the_embedded_database_and_publishes_the_catalogue(tmp_path):
    env = {"GRADEGRAD_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "GRADEGRAD_SECRET_KEY": "x",
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "gradegrad_client", "db", "upgrade"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "exercises published" in done.stdout and (tmp_path / "fresh.sqlite3").exists()
