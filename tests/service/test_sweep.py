"""The sweep's judgement: a silent worker run's rows are queued again and sent, a live run's never, none just
after the database was away, and rows never sent are sent on the next pass."""

from __future__ import annotations

import time
from datetime import timedelta

from web.models import Submission, WorkerHeartbeat, utcnow
from worker.heartbeat import beat
from worker.sweep import Sweeper

DEADLINE_SECONDS = 60.0


def sweep_until_sent(sweeper: Sweeper, alive: str) -> list[int]:
    """Passes a tenth of a second apart, ``alive`` beating before each, until one sends something."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        beat(sweeper.app.extensions["db_engine"], alive)
        if sent := sweeper.sweep():
            return sent
        time.sleep(0.1)
    raise AssertionError(f"nothing was sent in {DEADLINE_SECONDS:g} s")


def test_the_rows_of_a_worker_run_that_stopped_beating_are_queued_again_and_sent(make_app, session, make_user,
                                                                                  make_submission):
    app = make_app(SWEEP_EVERY_SECONDS=1, WORKER_LOST_AFTER_SECONDS=1)
    ada, before = make_user(), utcnow() - timedelta(seconds=30)
    session.add(WorkerHeartbeat(name="dead#1", beat_at=before))
    session.commit()
    of_the_dead = make_submission(ada, status="running", worker="dead#1", task_id="old", started_at=before)
    held = make_submission(ada, status="running", worker="alive#2", task_id="held", started_at=before)
    sweeper = Sweeper(app)
    assert sweeper.sweep() == [], "workers were judged before the database had answered for WORKER_LOST_AFTER"
    assert sweep_until_sent(sweeper, "alive#2") == [of_the_dead.id]
    session.expire_all()
    row = session.get_one(Submission, of_the_dead.id)
    assert row.status == "queued" and row.task_id not in (None, "old")
    assert session.get_one(Submission, held.id).status == "running", "a live worker's grading was taken from it"


def test_no_worker_is_judged_on_the_pass_after_the_sweep_could_not_reach_the_database(make_app, session, make_user,
                                                                                       make_submission):
    app = make_app(SWEEP_EVERY_SECONDS=1, WORKER_LOST_AFTER_SECONDS=2)
    before = utcnow() - timedelta(seconds=30)
    session.add(WorkerHeartbeat(name="silent#1", beat_at=before))
    session.commit()
    silent = make_submission(make_user(), status="running", worker="silent#1", started_at=before)
    sweeper = Sweeper(app)
    sweeper.sweep()
    time.sleep(2.5)  # no pass for longer than two periods: as when the database was away
    assert sweeper.sweep() == [], "the first pass after a gap took a row before its worker could beat again"
    assert sweep_until_sent(sweeper, "other#2") == [silent.id]


def test_a_queued_row_whose_task_was_never_sent_is_sent_on_the_next_pass(make_app, session, make_user,
                                                                         make_submission):
    unsent = make_submission(make_user(), status="queued", task_id=None)
    assert Sweeper(make_app()).sweep() == [unsent.id]
    session.expire_all()
    assert session.get_one(Submission, unsent.id).task_id is not None
