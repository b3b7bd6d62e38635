"""Alembic's entry point: migrate the URL that web.migrate passes in."""

from alembic import context

from web.db import make_engine
from web.models import Base

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "web.migrate sets sqlalchemy.url"
    engine = make_engine(url)
    with engine.connect() as connection:
        # Batch mode lets ALTER TABLE work on SQLite by copying the table.
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
