"""The first submissions to a new course may publish the catalogue at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from exercises import EXERCISES
from web.catalogue import publish_catalogue
from web.db import session_factory
from web.models import CourseExercise


def test_two_requests_publishing_at_once_both_succeed_with_one_row_each(app):
    """The first publisher holds its new rows uncommitted while the second publishes too: before, the
    second one's INSERT failed on the unique name (a 500 for the first submissions of a new course)."""
    factory = session_factory(app)
    first_flushed, errors = threading.Event(), []

    def first() -> None:
        with app.app_context(), factory() as session:
            publish_catalogue(session)
            first_flushed.set()
            threading.Event().wait(0.5)  # the second publisher reaches its INSERT meanwhile
            session.commit()

    def second() -> None:
        first_flushed.wait(30)
        try:
            with app.app_context(), factory() as session:
                rows = publish_catalogue(session)
                session.commit()
                assert [row.name for row in rows] == list(EXERCISES)
        except Exception as exc:  # reported below, with the thread's own exception
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with app.app_context(), factory() as session:
        assert session.scalar(select(func.count()).select_from(CourseExercise)) == len(EXERCISES)
        published = session.scalars(select(CourseExercise)).all()
        assert {(row.visible, row.per_hour, row.show_hidden_results) for row in published} == {(True, 30, True)}
