"""The sweep: finds submissions whose grading was lost and queues them again, every SWEEP_EVERY_SECONDS.

It runs inside Celery beat's own process (one per deployment), not as a task: a task would wait in the live
queue behind the very backlog it may have to rescue. Each pass, in one short transaction:

- running rows whose worker run stopped beating for WORKER_LOST_AFTER_SECONDS (worker/heartbeat.py), or that
  outlived every time limit, are queued again under a new task id;
- queued rows never sent (no task id: the broker was down when they were submitted) are sent;
- after the broker's identity changed (Redis restarted empty, or a replica took over), for RECONCILE_SECONDS,
  queued rows whose task is neither waiting in the broker nor delivered to a worker are sent again; and every
  REQUEUE_AFTER_SECONDS / 4, the same for rows queued longer than REQUEUE_AFTER_SECONDS, in case messages
  vanished some other way. A broker that cannot be inspected gets those old rows sent again blindly.

When all is well a pass is two index lookups that find nothing and one INFO command to Redis.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from celery.beat import PersistentScheduler
from flask import Flask
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from web.db import session_factory, session_scope
from web.models import Submission, utcnow
from web.queue import LIVE, REGRADE, send_grading
from worker.broker import RedisQueues, inspect
from worker.grading import forget_old_heartbeats, held_by_lost_workers, mark_requeued, queued_submissions

RECONCILE_SECONDS = 10.0
"""How long after a change of the broker's identity queued rows are checked against its queues: a row sent to
the old broker just before it went away may have been queued moments before the change was seen."""
SENDING_SECONDS = 2.0
"""A row queued this recently may still be on its way to the broker: it is not checked yet."""
HEARTBEATS_KEPT = timedelta(days=1)
log = logging.getLogger(__name__)


class Sweeper:
    """The sweep's state between passes: since when the database has answered, and the broker's identity."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.broker: RedisQueues | None = inspect(app.extensions["celery"])
        self.identity: str | None = None
        self.reconcile_until = 0.0
        self.next_backstop = 0.0
        self.every = float(app.config["SWEEP_EVERY_SECONDS"])
        self.reachable_since = 0.0
        self.last_reached: float | None = None

    def sweep(self) -> list[int]:
        """One pass; returns the ids of the rows sent. A database or broker that is away is logged, not raised."""
        try:
            self.check_broker()
            return self.requeue()
        except (RedisError, OSError) as exc:
            log.warning("sweep: the broker is unreachable (%s); trying again", exc)
        except SQLAlchemyError as exc:
            log.warning("sweep: the database is unreachable (%s: %s); trying again", type(exc).__name__,
                        str(getattr(exc, "orig", None) or exc).splitlines()[0])
        return []

    def check_broker(self) -> None:
        """Start checking queued rows against the broker when its identity changed since the last pass."""
        if self.broker is None:
            return
        identity = self.broker.identity()
        if self.identity is not None and identity != self.identity:
            log.warning("sweep: the broker restarted or failed over; checking queued submissions against it")
            self.reconcile_until = time.monotonic() + RECONCILE_SECONDS
        self.identity = identity

    def requeue(self) -> list[int]:
        config = self.app.config
        lost_after = float(config["WORKER_LOST_AFTER_SECONDS"])
        running_after = config["RUNNING_LOST_AFTER_SECONDS"]
        if running_after is None:
            running_after = config["TASK_TIME_LIMIT"] + 30
        clock, now = time.monotonic(), utcnow()
        # Workers are judged only once the database has answered every pass for a whole WORKER_LOST_AFTER: after
        # an outage (or a pass that stalled) every heartbeat is old, and a live worker needs a beat to say so.
        if self.last_reached is None or clock - self.last_reached > 2 * self.every:
            self.reachable_since = clock
        judged = clock - self.reachable_since >= lost_after
        with session_scope(session_factory(self.app)) as session:
            lost = held_by_lost_workers(session, lost_after if judged else None, running_after, now)
            reasons = {row.id: "its worker stopped" for row in lost}
            queued_before = None
            if clock < self.reconcile_until:
                queued_before = now - timedelta(seconds=SENDING_SECONDS)
            elif clock >= self.next_backstop:
                queued_before = now - timedelta(seconds=config["REQUEUE_AFTER_SECONDS"])
                self.next_backstop = clock + config["REQUEUE_AFTER_SECONDS"] / 4
                forget_old_heartbeats(session, HEARTBEATS_KEPT, now)
            queued = queued_submissions(session, unsent=True, queued_before=queued_before)
            if queued and queued_before is not None and self.broker is not None:
                present = self.broker.task_ids((LIVE, REGRADE))
                queued = [row for row in queued if row.task_id is None or row.task_id not in present]
            reasons.update((row.id, "its task was never sent" if row.task_id is None else "its task was lost")
                           for row in queued)
            rows = [*lost, *queued]
            mark_requeued(rows, now)
            found = [(row.id, row.queue, str(row.task_id)) for row in rows]
        self.last_reached = time.monotonic()
        return self.send(found, reasons)

    def send(self, found: list[tuple[int, str, str]], reasons: dict[int, str]) -> list[int]:
        """Send each row's task; after a failure the rest keep no task id, so the next pass sends them."""
        celery = self.app.extensions["celery"]
        for n, (submission_id, queue, task_id) in enumerate(found):
            try:
                send_grading(celery, submission_id, queue, task_id)
            except BrokerError as exc:
                log.warning("sweep: the broker is unreachable (%s); %d submissions wait", exc, len(found) - n)
                unsent = [row for row, _, _ in found[n:]]
                with session_scope(session_factory(self.app)) as session:
                    session.execute(update(Submission).where(Submission.id.in_(unsent)).values(task_id=None))
                return [row for row, _, _ in found[:n]]
            log.info("sweep: submission %d queued again as %s: %s", submission_id, task_id, reasons[submission_id])
        return [row for row, _, _ in found]


class SweepScheduler(PersistentScheduler):
    """Celery beat's scheduler, which also runs the sweep in its own loop (``beat_scheduler`` in web/queue.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from worker.celery_app import flask_app

        self.sweeper = Sweeper(flask_app)
        self.next_sweep = time.monotonic()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + self.sweeper.every
            self.sweeper.sweep()
        return min(super().tick(*args, **kwargs), max(0.0, self.next_sweep - time.monotonic()))
