"""The Celery app of a Flask app: broker, the live and regrade queues, reliability settings, the sweep's scheduler."""

from __future__ import annotations

import uuid
from typing import Any

from celery import Celery, Task
from flask import Flask
from kombu import Exchange, Queue

LIVE, REGRADE = "live", "regrade"
GRADE_TASK = "worker.tasks.grade_submission"
CHECK_TASK = "worker.checks.check_samples"


def celery_init_app(app: Flask) -> Celery:
    """Build the Celery app from the Flask config; tasks run inside the Flask app context."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask, include=["worker.tasks", "worker.checks"])
    celery.config_from_object(celery_config(app.config))
    if app.config["BROKER_URL"].startswith("sqla+"):
        use_sqlalchemy_polling(float(app.config["BROKER_POLL_SECONDS"]))
    app.extensions["celery"] = celery
    return celery


def celery_config(config: dict[str, Any]) -> dict[str, Any]:
    settings = {
        **broker_settings(config["BROKER_URL"]),
        "broker_connection_retry_on_startup": True,
        "task_ignore_result": True,  # results live in the database, not in a result backend
        "task_serializer": "json",
        "accept_content": ["json"],
        # A task is acknowledged after it ran, one at a time per process: a worker that dies
        # mid-grading leaves its message to be delivered again.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": config["TASK_SOFT_TIME_LIMIT"],
        "task_time_limit": config["TASK_TIME_LIMIT"],
        "task_default_queue": LIVE,
        # Each queue has its own exchange and key, or Celery routes both through the default one.
        "task_queues": tuple(Queue(name, Exchange(name, type="direct"), routing_key=name) for name in (LIVE, REGRADE)),
        # Beat runs the sweep in its own process, every SWEEP_EVERY_SECONDS (worker/sweep.py).
        "beat_scheduler": "worker.sweep:SweepScheduler",
        "worker_hijack_root_logger": False,
    }
    settings.update(config.get("CELERY") or {})
    return settings


def broker_settings(url: str) -> dict[str, str]:
    """The broker's URL, and for SQLite through kombu's SQLAlchemy transport (``sqla+sqlite:``) the transport
    whose workers are woken when a message is sent (web/woken_broker.py). CELERY's ``broker_transport`` can
    choose kombu's own again: it then polls every BROKER_POLL_SECONDS."""
    if url.startswith("sqla+sqlite:"):
        return {"broker_url": url.removeprefix("sqla+"), "broker_transport": "web.woken_broker:Transport"}
    return {"broker_url": url}


def use_sqlalchemy_polling(seconds: float) -> None:
    """Set kombu's SQLAlchemy transport poll interval on the class (the woken transport inherits it): as a
    transport option it reaches create_engine() and raises TypeError."""
    from kombu.transport import sqlalchemy

    sqlalchemy.Transport.polling_interval = seconds


def new_task_id() -> str:
    """A grading task's id, chosen before the task is sent so the row can be stored with it in one commit."""
    return str(uuid.uuid4())


def send_grading(celery: Celery, submission_id: int, queue: str, task_id: str | None = None) -> str:
    """Queue the grading of a committed submission; returns the task id."""
    return celery.send_task(GRADE_TASK, args=[submission_id], queue=queue, task_id=task_id).id


def send_check(celery: Celery, check_id: int, task_id: str) -> None:
    """Queue a committed sample check on the live queue: a student waits for it as for a grading."""
    celery.send_task(CHECK_TASK, args=[check_id], queue=LIVE, task_id=task_id)
