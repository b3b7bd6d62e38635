"""A submission's NaN answers and NUL characters are graded results, stored and served as strict JSON."""

import json

import pytest

import worker.tasks  # noqa: F401  (registers the grading task with every Celery app)
from web.models import Submission
from web.queue import GRADE_TASK

NAN_ANSWER = "import numpy as np\ndef mse_grad(y_hat, y):\n    return np.full(len(y), np.nan)\n"
INF_ANSWER = "import numpy as np\ndef mse_grad(y_hat, y):\n    return np.full(len(y), -np.inf)\n"
NUL_RAISER = "def mse_grad(y_hat, y):\n    raise ValueError('a\\x00b')\n"
NUL_PRINTER = "def mse_grad(y_hat, y):\n    print('out\\x00put')\n    return 2 * (y_hat - y) / len(y)\n"


def refuse_constant(name):
    raise ValueError(f"not strict JSON: bare {name}")


def strict_loads(text):
    return json.loads(text, parse_constant=refuse_constant)


def graded_by_the_worker(app, session, submission):
    """Run the worker's grading task on the row, as a worker would, in this process."""
    outcome = app.extensions["celery"].tasks[GRADE_TASK].apply(args=[submission.id], task_id=submission.task_id)
    session.expire_all()
    return outcome, session.get(Submission, submission.id)


@pytest.mark.parametrize("source, got", [(NAN_ANSWER, "NaN"), (INF_ANSWER, "-Infinity")], ids=["nan", "-inf"])
def test_a_non_finite_answer_is_stored_and_served_as_strict_json(app, client, session, make_user, token_for,
                                                                 make_submission, source, got):
    user = make_user()
    submission = make_submission(user, source=source, task_id="task-1")
    outcome, row = graded_by_the_worker(app, session, submission)
    assert outcome.result == f"graded #{submission.id}", outcome.traceback
    assert (row.status, row.passed, row.score, row.attempts) == ("graded", False, 0.0, 1)
    assert row.report["samples"][0]["got"] == {"dy_hat": [got]}
    assert {case.kind for case in row.cases} == {"nonfinite"}
    headers = token_for(user)
    detail = strict_loads(client.get(f"/api/v1/submissions/{submission.id}", headers=headers).text)
    listed = strict_loads(client.get("/api/v1/submissions", headers=headers).text)
    assert detail["samples"][0]["got"] == listed[0]["samples"][0]["got"] == {"dy_hat": [got]}


def test_a_nul_in_an_exception_and_in_output_is_stored_as_a_replacement_character(app, client, session, make_user,
                                                                                 token_for, make_submission):
    user = make_user()
    raiser = make_submission(user, source=NUL_RAISER, task_id="task-1", filename="nul.py")
    printer = make_submission(user, source=NUL_PRINTER, task_id="task-2")
    outcome, row = graded_by_the_worker(app, session, raiser)
    assert outcome.result == f"graded #{raiser.id}", outcome.traceback
    assert (row.status, row.passed) == ("graded", False)
    assert row.error == "Every case raised ValueError: a\ufffdb"
    assert {case.message for case in row.cases} == {"Raised ValueError: a\ufffdb"}
    assert all(case.traceback.endswith("ValueError: a\ufffdb\n") for case in row.cases)
    outcome, row = graded_by_the_worker(app, session, printer)
    assert outcome.result == f"graded #{printer.id}", outcome.traceback
    assert (row.status, row.passed) == ("graded", True)
    assert set(row.report["output"].splitlines()) == {"out\ufffdput"}
    body = strict_loads(client.get(f"/api/v1/submissions/{raiser.id}", headers=token_for(user)).text)
    assert body["samples"][0]["message"] == "Raised ValueError: a\ufffdb"
    assert body["cases"][0]["message"] == "Raised ValueError at line 2 of your code"


def test_a_row_stored_before_reports_were_strict_is_served_as_strict_json(app, client, session, make_user, token_for,
                                                                         make_submission, database_url):
    """SQLite kept bare NaN in the JSON column; such a row must still answer strict JSON."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL never stored a bare NaN: it refused the row")
    from sqlalchemy import text

    user = make_user()
    submission = make_submission(user, status="graded", score=0.0, passed=False)
    session.execute(text("UPDATE submissions SET report = :report WHERE id = :id"),
                    {"report": '{"samples": [{"name": "s", "passed": false, "message": "m", "inputs": {}, '
                               '"expected": {}, "got": {"dy_hat": [NaN, Infinity]}}], "hints": [], "output": ""}',
                     "id": submission.id})
    session.commit()
    body = strict_loads(client.get(f"/api/v1/submissions/{submission.id}", headers=token_for(user)).text)
    assert body["samples"][0]["got"] == {"dy_hat": ["NaN", "Infinity"]}


def test_a_nul_in_the_file_name_is_stored_as_a_replacement_character(client, session, make_user, token_for):
    user = make_user()
    body = json.dumps({"exercise": "mse_grad", "filename": "mine\x00.py",
                       "source": "def mse_grad(y_hat, y):\n    return y_hat\n"})  # the escape \u0000, as sent
    answer = client.post("/api/v1/submissions", headers=token_for(user), data=body, content_type="application/json")
    assert answer.status_code == 202, answer.text
    assert answer.json["filename"] == "mine\ufffd.py"
    assert session.get(Submission, answer.json["id"]).filename == "mine\ufffd.py"
