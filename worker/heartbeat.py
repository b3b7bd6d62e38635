"""A grading worker says it is alive: its main process writes a heartbeat row every second.

The sweep (worker/sweep.py) takes back the rows of a worker run whose heartbeat stopped, at once, instead of
waiting for the task's hard time limit. The row lives in the database, next to the submissions it vouches
for, rather than in Celery's worker events on the broker: it needs no event consumer running beside the
sweep, and a broker restart does not make every worker look dead.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from typing import Any

from celery import bootsteps
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import SQLAlchemyError

from web.models import WorkerHeartbeat, utcnow

RUN: str | None = None
"""This worker run's name: its node name and a random suffix. Set in the main process before the grading
processes are forked, which inherit it and write it on the rows they claim (None outside a worker)."""
log = logging.getLogger(__name__)


class Heartbeat(bootsteps.StartStopStep):
    """A bootstep of the Celery worker: name this run, write its first heartbeat, then beat from a thread.

    It starts before the consumer (Celery starts the consumer last), so the run is alive in the database
    before it claims anything. It does not stop with the other steps: a warm shutdown lets running gradings
    finish, and the worker must look alive until they have; the thread ends with the process.
    """

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        global RUN
        super().__init__(worker, **kwargs)
        RUN = f"{worker.hostname}#{secrets.token_hex(4)}"

    def start(self, worker: Any) -> None:
        from worker.celery_app import flask_app

        engine, every = flask_app.extensions["db_engine"], float(flask_app.config["HEARTBEAT_SECONDS"])
        assert RUN is not None
        beat(engine, RUN)
        threading.Thread(target=keep_beating, args=(engine, RUN, every), name="heartbeat", daemon=True).start()


def beat(engine: Engine, run: str) -> bool:
    """Write ``run``'s heartbeat now; False (logged) if the database cannot be reached."""
    now = utcnow()
    try:
        with engine.begin() as connection:
            beaten = connection.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.name == run)
                                        .values(beat_at=now)).rowcount
            if not beaten:
                connection.execute(insert(WorkerHeartbeat).values(name=run, started_at=now, beat_at=now))
    except SQLAlchemyError as exc:
        log.warning("heartbeat of %s not written: %s", run, type(exc).__name__)
        return False
    return True


def keep_beating(engine: Engine, run: str, every: float) -> None:
    while True:
        time.sleep(every)
        beat(engine, run)
