"""Admin commands: ``gradegrad db upgrade``, ``create-user``, ``reset-password``, ``deactivate``, ``import-roster``,
``extend`` and ``serve``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grader.cli import course_option, load_course

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from web.models import User


@click.group("db")
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the database or migrate it to the latest schema."""
    from web import create_app
    from web.catalogue import publish_catalogue
    from web.db import session_factory, session_scope
    from web.migrate import upgrade

    app = create_app()
    upgrade(app.config["DATABASE_URL"])
    with app.app_context(), session_scope(session_factory(app)) as session:
        published = publish_catalogue(session)
    click.echo(f"Database is up to date ({len(published)} exercises published).")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["student", "instructor"]), default="student", show_default=True)
@click.option("--password", help="The password (default: a generated one, printed).")
@click.option("--token", is_flag=True, help="Also issue an API token, printed on the last line.")
@click.option("--if-missing", is_flag=True, help="Do nothing, successfully, if the user exists.")
def create_user(username: str, role: str, password: str | None, token: bool, if_missing: bool) -> None:
    """Create a user who can sign in to the web pages and the API."""
    from sqlalchemy import select

    from web import auth, create_app
    from web.db import session_factory, session_scope
    from web.models import User

    app = create_app()
    with session_scope(session_factory(app)) as session:
        if if_missing and session.scalar(select(User).where(User.username == username)):
            click.echo(f"{username} already exists")
            return
        try:
            user, password = auth.create_user(session, username, role, password)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"created {role} {username} with password {password}")
        if token:
            click.echo(auth.issue_token(session, user, timedelta(days=app.config["API_TOKEN_DAYS"])))


def existing_user(session: Session, username: str) -> User:
    """The user called ``username``, or a ClickException naming the missing one."""
    from sqlalchemy import select

    from web.models import User

    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user '{username}'")
    return user


@click.command("reset-password")
@click.argument("username")
def reset_password(username: str) -> None:
    """Give a user a new generated password, printed once; their sessions and API tokens stop working."""
    from web import auth, create_app
    from web.db import session_factory, session_scope

    with session_scope(session_factory(create_app())) as session:
        password = auth.reset_password(session, existing_user(session, username))
    click.echo(f"new password for {username}: {password}")


@click.command("deactivate")
@click.argument("username")
@click.option("--reactivate", is_flag=True, help="Make a deactivated user active again.")
def deactivate(username: str, reactivate: bool) -> None:
    """Stop a user signing in or using API tokens; their submissions stay in the gradebook, marked inactive."""
    from web import auth, create_app
    from web.db import session_factory, session_scope

    with session_scope(session_factory(create_app())) as session:
        auth.set_active(session, existing_user(session, username), reactivate)
    click.echo(f"{'reactivated' if reactivate else 'deactivated'} {username}")


@click.command("import-roster")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster(path: Path) -> None:
    """Add the users of a CSV roster (header: username[,role][,password]) and print new passwords."""
    from web import create_app
    from web.db import session_factory, session_scope
    from web.roster import import_roster as add_roster

    app = create_app()
    with session_scope(session_factory(app)) as session:
        try:
            lines = add_roster(session, path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(f"{line.username},{line.role},{line.password or '(already existed, unchanged)'}")


@click.command("extend")
@click.argument("username")
@click.argument("assignment")
@click.option("--until", required=True, metavar="DATETIME",
              help="The new due date, ISO 8601 (2026-12-12T23:59Z; without a time zone: UTC).")
@course_option
def extend(username: str, assignment: str, until: str) -> None:
    """Give one student a new due date on one assignment; the late penalty then counts from it."""
    from web import create_app
    from web.db import session_factory, session_scope
    from web.extensions import grant_extension, parse_until

    load_course()
    app = create_app()
    try:
        with session_scope(session_factory(app)) as session:
            extension = grant_extension(session, username, assignment, parse_until(until))
            click.echo(f"{username} has until {extension.due_at:%Y-%m-%d %H:%M} UTC on {assignment}")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        app.extensions["db_engine"].dispose()
        app.extensions["celery"].close()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--web-workers", default=2, type=int, show_default=True, help="gunicorn worker processes.")
@click.option("--concurrency", default=2, type=int, show_default=True, help="Grading processes for live submissions.")
@click.option("--welcome", default="", help="A line to print under the address once every process answers "
                                           "(make run: how to sign in).")
@course_option
def serve(host: str, port: int, web_workers: int, concurrency: int, welcome: str) -> None:
    """Run the web server (gunicorn) with a live worker, a regrade worker and the sweep, together; print the
    address once all of them answer."""
    from web.instance import keep_new_files_private
    from web.serve import run_all

    load_course()  # a broken course folder stops here, with every problem, before any process starts
    keep_new_files_private()
    run_all(host, port, web_workers, concurrency, welcome)
