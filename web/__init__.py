"""The GradeGrad web service: create_app() builds the Flask app, its database and its Celery."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, redirect, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from gradegrad_client.display import visible
from grader.course import current_course
from web.instance import create_private_file, make_private_folder, prepare_sqlite_file
from web.models import IN_FLIGHT
from web.paging import page_url
from web.strict_json import StrictJSONProvider


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Configure in layers (defaults, then GRADEGRAD_* variables, then ``test_config``) and wire it up."""
    # GRADEGRAD_INSTANCE_PATH: where the embedded databases and the generated secret key live.
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("GRADEGRAD_INSTANCE_PATH"))
    make_private_folder(Path(app.instance_path))
    app.config.from_mapping(default_config(Path(app.instance_path)))
    app.config.from_prefixed_env("GRADEGRAD")
    if "GRADEGRAD_CASE_KEY" in os.environ:  # as typed: from_prefixed_env would read "1e5" as a number
        app.config["CASE_KEY"] = os.environ["GRADEGRAD_CASE_KEY"]
    if test_config:
        app.config.from_mapping(test_config)
    for url in (app.config["DATABASE_URL"], app.config["BROKER_URL"]):
        prepare_sqlite_file(url)
    app.json = StrictJSONProvider(app)
    app.jinja_env.finalize = shown_on_page
    app.jinja_env.globals["IN_FLIGHT"] = IN_FLIGHT
    app.jinja_env.globals["page_url"] = page_url  # every list of submissions, the student's and the instructor's
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path) / "secret_key")
    if not app.config.get("CASE_KEY"):
        # The hidden cases' key: a deployment whose workers do not share this folder sets GRADEGRAD_CASE_KEY.
        app.config["CASE_KEY"] = instance_secret(Path(app.instance_path) / "case_key")
    if app.config["MAX_CONTENT_LENGTH"] is None:
        # Room for a file at the limit and its form or JSON wrapping (escaping can double a source's length).
        app.config["MAX_CONTENT_LENGTH"] = 2 * app.config["MAX_UPLOAD_BYTES"] + 64 * 1024

    from web import auth, db, errors, security
    from web.queue import celery_init_app

    current_course()  # a course folder that cannot be loaded stops the start, with every problem

    db.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    celery_init_app(app)
    register_blueprints(app)
    return app


def default_config(instance: Path) -> dict[str, Any]:
    """The embedded default: SQLite for the data and, through kombu's SQLAlchemy transport, the queue."""
    from web.auth import TOKEN_LIFETIME

    return {
        "DATABASE_URL": f"sqlite:///{instance / 'gradegrad.sqlite3'}",
        "BROKER_URL": f"sqla+sqlite:///{instance / 'broker.sqlite3'}",
        # How often a worker reads an idle SQL broker's tables. On SQLite a sender wakes the workers at once
        # (web/woken_broker.py), so this only bounds the wait for a wake-up that never came, and the fewer
        # reads, the less an idle worker costs. kombu's own transport (another SQL database) waits this long
        # for every task that arrives while it is idle: set it lower there.
        "BROKER_POLL_SECONDS": 1.0,
        "TASK_SOFT_TIME_LIMIT": 60,
        "TASK_TIME_LIMIT": 90,
        "MAX_GRADING_ATTEMPTS": 3,
        # The sweep (worker/sweep.py, in beat's process): how often it looks, when a worker run whose heartbeat
        # (written every HEARTBEAT_SECONDS) stopped is taken for dead and its rows queued again, and its
        # backstops: a queued row whose task is not in the broker after REQUEUE_AFTER_SECONDS, and a running
        # row older than RUNNING_LOST_AFTER_SECONDS (None: TASK_TIME_LIMIT + 30; Celery kills a task at the
        # hard limit, and the margin covers queue and clock delays).
        "SWEEP_EVERY_SECONDS": 1,
        "HEARTBEAT_SECONDS": 1,
        "WORKER_LOST_AFTER_SECONDS": 6,
        "REQUEUE_AFTER_SECONDS": 120,
        "RUNNING_LOST_AFTER_SECONDS": None,
        "MAX_UPLOAD_BYTES": 256 * 1024,
        # How many of a student's submissions may be queued or running at once (instructors are not limited).
        "MAX_IN_FLIGHT": 2,
        # Checks against the public samples a student may run a minute (instructors are not limited).
        "CHECKS_PER_MINUTE": 6,
        # A check still queued or running this long after it was asked for was lost (a broker restart,
        # a killed worker): it is then shown as failed, and the student checks again.
        "CHECK_LOST_AFTER_SECONDS": 600,
        "API_TOKEN_DAYS": TOKEN_LIFETIME.days,
        # The number of reverse proxies whose X-Forwarded-* headers to trust (0: none, served directly).
        "PROXY_FIX_HOPS": 0,
        "CELERY": {},
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
    }


def instance_secret(path: Path) -> str:
    """A secret kept in the instance folder, so that sessions (and hidden cases) survive restarts
    without configuration.

    Web and workers start together and may all find it missing: each writes a candidate aside and
    links it into place, which only the first does, so every process reads the same secret.
    """
    if not path.exists():
        candidate = path.with_name(f".{path.name}.{os.getpid()}")
        create_private_file(candidate)
        candidate.write_text(secrets.token_hex(32))
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text().strip()


def shown_on_page(value: Any) -> Any:
    """Every ``{{ value }}`` of a page: text shows its control and invisible characters (a U+202E in a
    student's output or file name must not reverse what follows); Markup the app built passes as it is."""
    return visible(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def register_blueprints(app: Flask) -> None:
    from web import api, instructor, student

    app.register_blueprint(student.bp)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(api.bp)
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon() -> Response:
    """Where browsers look for an icon when a page names none (a file, an API answer): the pages' SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
