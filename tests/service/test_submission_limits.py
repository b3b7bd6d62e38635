"""Limits checked before anything is queued: the hourly rate, attempts, upload size and unreadable files."""

from __future__ import annotations

import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from web.models import Submission, utcnow

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
KIB = 1024


def stored(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Submission))


def post_json(client, headers, source=RIGHT):
    return client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": source}, headers=headers)


def test_the_api_429_says_when_the_next_submission_is_allowed_with_retry_after(client, session, make_user, token_for,
                                                                               make_submission, published):
    published("mse_grad").per_hour = 2
    session.commit()
    ada, now = make_user(), utcnow()
    make_submission(ada, created_at=now - timedelta(minutes=50), status="graded")
    make_submission(ada, created_at=now - timedelta(minutes=10), status="graded")
    answer = post_json(client, token_for(ada))
    assert answer.status_code == 429 and set(answer.json) == {"error"}
    next_at = re.search(r"allowed at (\S+ \S+) UTC", answer.json["error"]).group(1)
    expected = now - timedelta(minutes=50) + timedelta(hours=1)
    assert abs(datetime.fromisoformat(next_at) - expected) <= timedelta(seconds=1)
    assert 590 <= int(answer.headers["Retry-After"]) <= 600
    assert stored(session) == 2


def test_the_submit_form_says_when_the_next_submission_is_allowed_and_stores_nothing(client, session, make_user,
                                                                                    sign_in, make_submission,
                                                                                    published):
    published("mse_grad").per_hour = 1
    session.commit()
    ada = make_user()
    make_submission(ada, created_at=utcnow() - timedelta(minutes=30), status="graded")
    sign_in(ada)
    answer = client.post("/exercises/mse_grad", data={"source": RIGHT})
    assert answer.status_code == 429 and "your next submission is allowed at" in answer.text
    assert 1790 <= int(answer.headers["Retry-After"]) <= 1800
    assert stored(session) == 1


def test_submissions_older_than_an_hour_free_the_hourly_limit(client, session, make_user, token_for, make_submission,
                                                              published):
    published("mse_grad").per_hour = 1
    session.commit()
    ada = make_user()
    make_submission(ada, created_at=utcnow() - timedelta(minutes=61), status="graded")
    assert post_json(client, token_for(ada)).status_code == 202


def graded_meanwhile(session):
    """What a worker does between two submissions: every queued row is graded."""
    session.execute(update(Submission).where(Submission.status == "queued").values(status="graded"))
    session.commit()


def test_only_a_fault_of_the_host_is_free_one_the_submission_provoked_counts(client, session, make_user, token_for,
                                                                             make_submission, published):
    published("mse_grad").per_hour, published("mse_grad").max_attempts = 2, 3
    session.commit()
    ada = make_user()
    for _ in range(3):
        make_submission(ada, status="error", error="The grading server cannot isolate code right now", charged=False)
    make_submission(ada, status="error", error="The grader failed on this submission (KeyError)", charged=True)
    headers = token_for(ada)
    assert post_json(client, headers).status_code == 202
    graded_meanwhile(session)
    answer = post_json(client, headers)
    assert answer.status_code == 429 and answer.json["error"].startswith("Rate limit: mse_grad takes 2 submissions")
    session.execute(update(Submission).values(created_at=utcnow() - timedelta(hours=2)))
    session.commit()
    assert post_json(client, headers).status_code == 202
    graded_meanwhile(session)
    answer = post_json(client, headers)
    assert answer.status_code == 429 and answer.json["error"].startswith("No attempts left: mse_grad allows 3")


def test_spent_attempts_are_refused_before_a_row_is_written(client, session, make_user, token_for, make_submission,
                                                            published):
    published("mse_grad").max_attempts, published("mse_grad").per_hour = 1, None
    session.commit()
    ada = make_user()
    make_submission(ada, created_at=utcnow() - timedelta(days=2), status="graded")
    answer = post_json(client, token_for(ada))
    assert answer.status_code == 429 and "No attempts left" in answer.json["error"]
    assert stored(session) == 1


def test_an_instructor_is_never_rate_limited(client, session, make_user, token_for, published):
    published("mse_grad").per_hour = 1
    session.commit()
    headers = token_for(make_user("prof", role="instructor"))
    assert [post_json(client, headers).status_code for _ in range(2)] == [202, 202]


def test_the_default_upload_limit_is_256_kib_and_the_api_says_so(client, session, make_user, token_for):
    answer = post_json(client, token_for(make_user()), source="# " + "x" * (257 * KIB))
    assert answer.status_code == 413 and "256 KiB" in answer.json["error"]
    assert stored(session) == 0


def multipart(data: bytes) -> dict[str, object]:
    """A form with an exercise and a file, built in memory (the test client would spool a big one to disk)."""
    body = (b"--B\r\nContent-Disposition: form-data; name=\"exercise\"\r\n\r\nmse_grad\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.py\"\r\n\r\n" + data +
            b"\r\n--B--\r\n")
    return {"data": body, "content_type": "multipart/form-data; boundary=B"}


def test_a_huge_upload_is_cut_off_with_a_json_413(client, session, make_user, token_for):
    answer = client.post("/api/v1/submissions", headers=token_for(make_user()), **multipart(b"#" * (5 * KIB * KIB)))
    assert answer.status_code == 413 and set(answer.json) == {"error"} and "256 KiB" in answer.json["error"]
    assert stored(session) == 0


def test_a_huge_upload_on_the_form_gets_a_clear_page(client, session, make_user, sign_in):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", **multipart(b"#" * (5 * KIB * KIB)))
    assert answer.status_code == 413 and "files up to 256 KiB are accepted" in answer.text
    assert stored(session) == 0


def test_the_upload_limit_is_configurable(make_app, session, make_user, token_for, monkeypatch):
    monkeypatch.setenv("GRADEGRAD_MAX_UPLOAD_BYTES", str(2 * KIB))
    app = make_app()
    assert app.config["MAX_UPLOAD_BYTES"] == 2 * KIB and app.config["MAX_CONTENT_LENGTH"] < 256 * KIB
    answer = post_json(app.test_client(), token_for(make_user()), source="# " + "x" * (3 * KIB))
    assert answer.status_code == 413 and "2 KiB" in answer.json["error"]


NOTEBOOK_WITHOUT_THE_FUNCTION = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None, "id": "a"}]})
UNREADABLE = [
    ("empty.py", b"\n  \n", "the file is empty"),
    ("binary.py", b"def mse_grad(y_hat, y):\x00\x01\x02", "looks binary"),
    ("latin1.py", "# café\ndef mse_grad(y_hat, y):\n    return 0\n".encode("latin-1"), "not UTF-8"),
    ("notjson.ipynb", b"def mse_grad(y_hat, y): return 0", "notebook"),
    ("nofunction.ipynb", NOTEBOOK_WITHOUT_THE_FUNCTION.encode(), "mse_grad"),
]


@pytest.mark.parametrize(("filename", "data", "reason"), UNREADABLE, ids=[row[0] for row in UNREADABLE])
def test_an_unreadable_file_is_refused_by_the_api_with_its_reason_and_nothing_stored(client, session, make_user,
                                                                                    token_for, filename, data, reason):
    answer = client.post("/api/v1/submissions", headers=token_for(make_user()),
                         data={"exercise": "mse_grad", "file": (io.BytesIO(data), filename)})
    assert answer.status_code == 400 and reason in answer.json["error"] and filename in answer.json["error"]
    assert stored(session) == 0


@pytest.mark.parametrize(("filename", "data", "reason"), UNREADABLE, ids=[row[0] for row in UNREADABLE])
def test_an_unreadable_file_is_refused_on_the_form_with_its_reason_and_nothing_stored(client, session, make_user,
                                                                                     sign_in, filename, data, reason):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"file": (io.BytesIO(data), filename)})
    assert answer.status_code == 400 and reason in answer.text
    assert stored(session) == 0


def test_two_submissions_at_once_cannot_both_take_the_last_place(app, session, make_user, token_for, published):
    published("mse_grad").per_hour = 1
    session.commit()
    headers, start = token_for(make_user()), threading.Barrier(2)

    def submit_together() -> int:
        start.wait()
        return post_json(app.test_client(), headers).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda _: submit_together(), range(2)))
    assert statuses[0] == 202 and statuses[1] in (429, 503)  # SQLite may refuse the loser's stale write outright
    assert stored(session) == 1


STILL_GRADING = ("A previous submission is still being graded: 2 of your submissions may wait for or be in grading "
                 "at once; submit again once one has finished")


def test_a_third_submission_while_two_are_in_flight_is_refused_until_one_is_graded(client, session, make_user,
                                                                                  token_for, make_submission):
    ada = make_user()
    make_submission(ada, status="running")
    headers = token_for(ada)
    assert post_json(client, headers).status_code == 202
    answer = post_json(client, headers)
    assert answer.status_code == 429 and answer.json == {"error": STILL_GRADING}
    assert answer.headers["Retry-After"] == "10"
    assert stored(session) == 2
    graded_meanwhile(session)
    assert post_json(client, headers).status_code == 202


def test_the_submit_form_flashes_why_a_submission_in_flight_holds_the_next_back(client, session, make_user, sign_in,
                                                                               make_submission):
    ada = make_user()
    make_submission(ada, status="queued", exercise="linreg_grad")
    make_submission(ada, status="running")
    sign_in(ada)
    answer = client.post("/exercises/mse_grad", data={"source": RIGHT})
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "10"
    assert 'class="flash error" role="alert">A previous submission is still being graded' in answer.text
    assert stored(session) == 2


def test_regrades_and_instructors_are_not_held_to_the_in_flight_limit(client, session, make_user, token_for,
                                                                     make_submission):
    ada, prof = make_user(), make_user("prof", role="instructor")
    for _ in range(3):
        make_submission(ada, status="queued", queue="regrade")
    assert post_json(client, token_for(ada)).status_code == 202
    prof_headers = token_for(prof)
    assert [post_json(client, prof_headers).status_code for _ in range(3)] == [202, 202, 202]


def test_the_in_flight_limit_is_an_app_setting(make_app, session, make_user, token_for, monkeypatch):
    monkeypatch.setenv("GRADEGRAD_MAX_IN_FLIGHT", "1")
    client, headers = make_app().test_client(), token_for(make_user())
    assert post_json(client, headers).status_code == 202
    answer = post_json(client, headers)
    assert answer.status_code == 429 and "1 of your submissions may wait" in answer.json["error"]


def test_submissions_at_once_never_put_more_than_the_limit_in_flight(app, session, make_user, token_for, published):
    published("mse_grad")
    headers, start = token_for(make_user()), threading.Barrier(6)

    def submit_together() -> tuple[int, dict]:
        start.wait()
        answer = post_json(app.test_client(), headers)
        return answer.status_code, answer.json

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: submit_together(), range(6)))
    accepted = [status for status, _ in answers if status == 202]
    refused = [body for status, body in answers if status == 429]
    assert 1 <= len(accepted) <= 2 and refused and all(body == {"error": STILL_GRADING} for body in refused), answers
    assert all(status in (202, 429, 503) for status, _ in answers)  # SQLite may refuse a stale write outright
    assert stored(session) == len(accepted)
