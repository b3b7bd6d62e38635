"""The Celery app the worker runs: ``celery -A worker.celery_app worker``."""

from web import create_app
from worker.heartbeat import Heartbeat

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
celery_app.steps["worker"].add(Heartbeat)
