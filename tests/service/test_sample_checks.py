"""Checks against the public samples: queued for a worker, free of attempts, apart from submissions, rate-limited."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exercises import get_exercise
from grader.pipeline import check_samples
from web.checks import LOST
from web.models import SampleCheck, Status, Submission, utcnow
from web.student import BOTH_SENT
from worker.checks import claim_check, finish

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def post_check(client, headers, source=RIGHT, exercise="mse_grad"):
    return client.post("/api/v1/checks", json={"exercise": exercise, "source": source}, headers=headers)


@pytest.fixture
def run_check(session):
    """Store a check's outcome as the worker's task does, the samples run in this process's sandbox."""
    def run(check_id: int, source: str) -> None:
        finish(session, check_id, report=check_samples(source, get_exercise("mse_grad")).to_dict())
        session.commit()

    return run


def test_a_check_is_queued_for_a_worker_and_spends_no_attempt(client, session, make_user, token_for, published):
    published("mse_grad").max_attempts = 1
    session.commit()
    headers = token_for(make_user())
    answer = post_check(client, headers)
    assert answer.status_code == 202
    assert answer.json["status"] == "queued" and answer.json["exercise"] == "mse_grad"
    assert set(answer.json) == {"id", "exercise", "status", "filename", "created_at"}
    row = session.get(SampleCheck, answer.json["id"])
    assert row.status == Status.QUEUED and row.task_id and row.source == RIGHT
    assert count(session, Submission) == 0
    assert client.get("/api/v1/submissions", headers=headers).json == []
    assert client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT},
                       headers=headers).status_code == 202  # the only attempt is still there


@pytest.mark.parametrize("source, passed, got", [(RIGHT, True, [-1 / 3, 0.0, 2 / 3]), (WRONG, False, [-1.0, 0.0, 2.0])],
                         ids=["right", "wrong"])
def test_a_finished_check_shows_expected_and_got_for_every_sample(client, session, make_user, token_for, run_check,
                                                                  source, passed, got):
    headers = token_for(make_user())
    check_id = post_check(client, headers, source).json["id"]
    run_check(check_id, source)
    answer = client.get(f"/api/v1/checks/{check_id}", headers=headers).json
    assert answer["status"] == "graded" and answer["passed"] is passed and answer["error"] is None
    assert [s["name"] for s in answer["samples"]] == ["worked example: n = 1", "three points"]
    three = answer["samples"][1]
    assert three["passed"] is passed and three["inputs"] == {"y_hat": [1.0, 2.0, 3.0], "y": [1.5, 2.0, 2.0]}
    assert three["expected"]["dy_hat"] == pytest.approx([-1 / 3, 0.0, 2 / 3])
    assert three["got"]["dy_hat"] == pytest.approx(got)


def test_a_check_is_in_neither_the_history_nor_the_gradebook(client, session, make_user, token_for, sign_in,
                                                             run_check):
    ada = make_user()
    check_id = post_check(client, token_for(ada)).json["id"]
    run_check(check_id, RIGHT)
    assert client.get("/api/v1/submissions", headers=token_for(ada)).json == []
    sign_in(make_user("prof", role="instructor"))
    gradebook = client.get("/instructor/gradebook.csv").text.splitlines()
    assert [line for line in gradebook if line.startswith("ada,")] == [
        "ada," + "," * (len(gradebook[0].split(",")) - 2) + "0.0"]  # nothing attempted, a total of 0


def test_past_the_checks_a_minute_the_api_answers_429_with_when_and_retry_after(make_app, session, make_user,
                                                                                token_for):
    client = make_app(CHECKS_PER_MINUTE=2).test_client()
    ada = make_user()
    headers = token_for(ada)
    first = post_check(client, headers).json["id"]
    assert post_check(client, headers).status_code == 202
    answer = post_check(client, headers)
    assert answer.status_code == 429 and set(answer.json) == {"error"}
    oldest = session.get(SampleCheck, first).created_at
    wait = re.fullmatch(rf"Rate limit: 2 checks against the public samples a minute; your next check is allowed at "
                        rf"{oldest + timedelta(minutes=1):%H:%M:%S} UTC \(in (\d+) s\)", answer.json["error"])
    assert wait is not None, answer.json["error"]
    assert 1 <= int(wait.group(1)) <= 60 and answer.headers["Retry-After"] == wait.group(1)
    assert count(session, SampleCheck) == 2


def test_checks_older_than_a_minute_free_their_place_and_instructors_are_not_limited(make_app, session, make_user,
                                                                                      token_for, published):
    client = make_app(CHECKS_PER_MINUTE=1).test_client()
    ada, prof = make_user(), make_user("prof", role="instructor")
    session.add(SampleCheck(user_id=ada.id, exercise_id=published("mse_grad").id, filename="old.py", source=RIGHT,
                            status=Status.GRADED, created_at=utcnow() - timedelta(seconds=61)))
    session.commit()
    assert post_check(client, token_for(ada)).status_code == 202
    assert post_check(client, token_for(ada)).status_code == 429
    assert [post_check(client, token_for(prof)).status_code for _ in range(3)] == [202] * 3


def test_a_students_checks_are_kept_an_hour(client, session, make_user, token_for, published):
    ada = make_user()
    old = SampleCheck(user_id=ada.id, exercise_id=published("mse_grad").id, filename="old.py", source=RIGHT,
                      status=Status.GRADED, created_at=utcnow() - timedelta(minutes=61))
    session.add(old)
    session.commit()
    new = post_check(client, token_for(ada)).json["id"]
    session.expire_all()
    assert [row.id for row in session.scalars(select(SampleCheck))] == [new]


def test_another_students_check_and_an_unknown_exercise_answer_404(client, session, make_user, token_for):
    check_id = post_check(client, token_for(make_user())).json["id"]
    grace = token_for(make_user("grace"))
    answer = client.get(f"/api/v1/checks/{check_id}", headers=grace)
    assert answer.status_code == 404 and answer.json == {"error": f"No check {check_id}"}
    answer = post_check(client, grace, exercise="nope")
    assert answer.status_code == 404 and answer.json == {"error": "Unknown exercise 'nope'"}


def test_an_unreadable_file_is_refused_before_any_check_is_stored(client, session, make_user, token_for):
    answer = client.post("/api/v1/checks", data={"exercise": "mse_grad", "file": (io.BytesIO(b"\x00\x01"), "a.py")},
                         headers=token_for(make_user()), content_type="multipart/form-data")
    assert answer.status_code == 400
    assert answer.json == {"error": "Cannot grade a.py: the file looks binary (it contains NUL bytes), "
                                    "not Python source or a notebook"}
    assert count(session, SampleCheck) == 0


def test_a_check_still_queued_after_the_lost_time_shows_as_lost(client, session, make_user, token_for):
    headers = token_for(make_user())
    check_id = post_check(client, headers).json["id"]
    session.get(SampleCheck, check_id).created_at = utcnow() - timedelta(seconds=601)
    session.commit()
    answer = client.get(f"/api/v1/checks/{check_id}", headers=headers).json
    assert answer["status"] == "error" and answer["error"] == LOST and answer["samples"] == []


def test_a_check_is_claimed_by_one_delivery_and_failed_after_too_many(client, session, make_user, token_for):
    check_id = post_check(client, token_for(make_user())).json["id"]
    assert claim_check(session, check_id, "task-a", 2) == (RIGHT, "mse_grad")
    assert claim_check(session, check_id, "task-b", 2) is None  # another delivery holds it
    assert claim_check(session, check_id, "task-a", 2) == (RIGHT, "mse_grad")  # its own redelivery takes it back
    assert claim_check(session, check_id, "task-a", 2) is None  # a third time: too many
    session.commit()
    row = session.get(SampleCheck, check_id)
    session.refresh(row)
    assert row.status == Status.ERROR and row.error == "The check failed 2 times; try again later"


def test_the_check_button_posts_the_form_and_shows_a_self_updating_check_page(client, session, make_user, sign_in):
    sign_in(make_user())
    page = client.get("/exercises/mse_grad").text
    assert 'formaction="/exercises/mse_grad/check">Check against the public samples</button>' in page
    answer = client.post("/exercises/mse_grad/check", data={"source": WRONG})
    assert answer.status_code == 302 and re.fullmatch(r"/checks/\d+", answer.location)
    shown = client.get(answer.location).text
    assert 'data-status="queued"' in shown and "poll.js" in shown and "Checking…" in shown
    check_id = int(answer.location.rsplit("/", 1)[1])
    assert client.get(f"/checks/{check_id}/status").json == {"status": "queued"}
    back = client.get(f"/exercises/mse_grad?check={check_id}").text  # without JavaScript: back to the code
    assert "return 2 * (y_hat - y)" in back
    assert count(session, Submission) == 0


def test_the_check_button_refuses_code_and_a_file_together(client, session, make_user, sign_in):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad/check",
                         data={"source": WRONG, "file": (io.BytesIO(WRONG.encode()), "mine.py")},
                         content_type="multipart/form-data")
    assert answer.status_code == 400 and BOTH_SENT in answer.text
    assert count(session, SampleCheck) == 0


def test_the_check_page_shows_expected_and_got_to_six_significant_digits(client, session, make_user, token_for,
                                                                         sign_in):
    ada = make_user()
    check_id = post_check(client, token_for(ada), WRONG).json["id"]
    sample = {"name": "three points", "passed": False, "message": "'dy_hat' is 3 times the true gradient",
              "hint": None, "inputs": {"y": [1.5, 2.0, 2.0]}, "traceback": None,
              "expected": {"dy_hat": [-1 / 3, 0.0, -0.3999999999999999]}, "got": {"dy_hat": [-1.0, 0.0, -1.2]}}
    finish(session, check_id, report={"passed": False, "error": None, "samples": [sample], "output": ""})
    session.commit()
    sign_in(ada)
    page = client.get(f"/checks/{check_id}").text
    assert "expected dy_hat = [-0.333333, 0.0, -0.4]\ngot      dy_hat = [-1.0, 0.0, -1.2]\n" in page
    assert client.get(f"/api/v1/checks/{check_id}", headers=token_for(ada)).json["samples"][0]["expected"] == \
        {"dy_hat": [-1 / 3, 0.0, -0.3999999999999999]}
