"""``gradegrad worker`` and ``gradegrad beat``: a grading worker, and the scheduler of the lost-work sweep."""

from __future__ import annotations

import os
import tempfile

import click
from flask import Flask

from grader.cli import course_option, load_course
from web.instance import keep_new_files_private
from web.queue import LIVE, REGRADE


@click.command("worker")
@click.option("--queues", "-Q", default=f"{LIVE},{REGRADE}", show_default=True,
              help=f"Queues to consume: '{LIVE}' (students submitting now), '{REGRADE}' (bulk regrades).")
@click.option("--concurrency", "-c", type=int, default=None, help="Grading processes (default: the CPU count).")
@click.option("--name", help="The worker's node name (default: QUEUES@HOST.PID); %h is the host name.")
@click.option("--loglevel", default="INFO", show_default=True)
@course_option
def worker(queues: str, concurrency: int | None, name: str | None, loglevel: str) -> None:
    """Run a grading worker (Celery, prefork) on the configured broker."""
    load_course()  # a broken course folder stops here, with every problem
    keep_new_files_private()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # a grading must not spawn BLAS threads
    from worker.celery_app import celery_app

    argv = ["worker", "--queues", queues, "--loglevel", loglevel, "--pool", "prefork",
            "--without-gossip", "--without-mingle",
            "--hostname", name or f"{queues.replace(',', '+')}@%h.{os.getpid()}"]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    celery_app.worker_main(argv)


@click.command("beat")
@click.option("--loglevel", default="INFO", show_default=True)
def beat(loglevel: str) -> None:
    """Run only the scheduler of the lost-work sweep (one per deployment)."""
    keep_new_files_private()
    from worker.celery_app import celery_app, flask_app

    celery_app.start(["beat", "--loglevel", loglevel, "--schedule", schedule_file(flask_app)])


def schedule_file(flask_app: Flask) -> str:
    """Where beat keeps its schedule: BEAT_SCHEDULE, else the instance folder if writable, else a temp dir."""
    if flask_app.config.get("BEAT_SCHEDULE"):
        return str(flask_app.config["BEAT_SCHEDULE"])
    instance = flask_app.instance_path
    folder = instance if os.access(instance, os.W_OK) else tempfile.gettempdir()
    return os.path.join(folder, "celerybeat-schedule")
