"""A small exam night on Redis and PostgreSQL: every submission of many students at once is graded exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from web import create_app
from web.auth import create_user, issue_token
from web.db import session_factory
from web.models import CaseResult, Submission

SUBMISSIONS, CLIENTS = 100, 10
SOURCES = {
    "right": "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n",
    "wrong": "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n",
    "crashing": "def mse_grad(y_hat, y):\n    return y_hat.gradient()\n",
    "looping": "def mse_grad(y_hat, y):\n    while True:\n        pass\n",
}


def kind_of(n: int) -> str:
    """Mostly right and wrong, some crashing, and two loops that cost the sandbox's whole CPU limit."""
    return "looping" if n % 50 == 49 else ("crashing" if n % 5 == 4 else ("wrong" if n % 3 == 0 else "right"))


def test_a_hundred_submissions_from_ten_students_at_once_are_each_graded_exactly_once(redis_postgres_service):
    service = redis_postgres_service
    app = create_app({"SECRET_KEY": "x", **service.config})
    with session_factory(app)() as session:
        users = [create_user(session, f"crowd{c}", "student", "crowd-password")[0] for c in range(CLIENTS)]
        service.tokens.update({user.username: issue_token(session, user) for user in users})
        session.commit()
        user_ids = [user.id for user in users]

    def student(c: int) -> dict[int, str]:
        sent = {}
        for n in range(c, SUBMISSIONS, CLIENTS):
            answer = service.api("POST", "/submissions", f"crowd{c}",
                                 json={"exercise": "mse_grad", "source": SOURCES[kind_of(n)]})
            assert answer.status_code == 202, answer.text
            sent[answer.json()["id"]] = kind_of(n)
        for submission_id in sent:
            service.wait_graded(submission_id, f"crowd{c}", timeout=50)
        return sent

    with ThreadPoolExecutor(CLIENTS) as pool:
        kinds = {i: kind for sent in pool.map(student, range(CLIENTS)) for i, kind in sent.items()}
    assert len(kinds) == SUBMISSIONS

    with session_factory(app)() as session:
        rows = {row.id: row for row in session.scalars(select(Submission).where(Submission.user_id.in_(user_ids)))}
        positions: dict[int, list[int]] = {}
        for submission_id, position in session.execute(select(CaseResult.submission_id, CaseResult.position)
                                                       .where(CaseResult.submission_id.in_(rows))):
            positions.setdefault(submission_id, []).append(position)
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()
    assert rows.keys() == kinds.keys(), "a row nobody submitted, or a submission without its row"
    for submission_id, row in rows.items():
        assert (row.status, row.attempts) == ("graded", 1), (submission_id, kinds[submission_id], row.error)
        assert row.passed is (kinds[submission_id] == "right"), (submission_id, kinds[submission_id], row.error)
        assert sorted(positions.get(submission_id, [])) == list(range(len(positions.get(submission_id, [])))), \
            f"submission {submission_id} has repeated or missing case results"
    assert all(positions.get(i) for i, kind in kinds.items() if kind != "looping")
