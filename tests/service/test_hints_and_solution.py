"""Hints that unlock after every N failed graded attempts, and the solution released once the student's own due date
(an extension included) has passed: on the exercise page and at GET /api/v1/exercises/<name>."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from exercises import get_exercise
from web.models import Extension, utcnow

MSE = get_exercise("mse_grad")
FIRST_HINT = "Only the $i$-th term of the sum"
SOLUTION_LINE = "return 2.0 * (y_hat - y) / n"


def fail(make_submission, user, times: int) -> None:
    for _ in range(times):
        make_submission(user, status="graded", score=0.0, passed=False)


def hint_line(page: str) -> str:
    return page.split('<p class="meta" id="next-hint">')[1].split("</p>")[0]


@pytest.mark.parametrize("failures, shown, line", [
    (0, 0, "3 more failed attempts unlock the first hint."),
    (2, 0, "1 more failed attempt unlocks the first hint."),
    (3, 1, "3 more failed attempts unlock the next hint."),
    (7, 2, "2 more failed attempts unlock the next hint."),
    (9, 3, "Every hint is unlocked."),
    (30, 3, "Every hint is unlocked."),
], ids=["none", "two", "three", "seven", "nine", "thirty"])
def test_every_three_failed_attempts_unlock_the_next_hint(client, make_user, sign_in, make_submission, failures,
                                                         shown, line):
    ada = make_user()
    fail(make_submission, ada, failures)
    sign_in(ada)
    page = client.get("/exercises/mse_grad").text
    assert hint_line(page) == line
    assert page.count('<div class="card hint">') == shown
    assert ("<h3>Hint 1 of 3</h3>" in page) == (shown > 0)
    assert ("Mind the sign it brings." in page) == (shown > 1)


def test_passed_attempts_and_gradings_the_host_failed_unlock_nothing(client, make_user, sign_in, make_submission):
    ada = make_user()
    fail(make_submission, ada, 2)
    make_submission(ada, status="graded", score=1.0, passed=True)
    make_submission(ada, status="error", error="the sandbox is unavailable")
    make_submission(ada, status="queued")
    sign_in(ada)
    assert hint_line(client.get("/exercises/mse_grad").text) == "1 more failed attempt unlocks the first hint."


def test_only_the_student_s_own_failures_count(client, make_user, sign_in, make_submission):
    fail(make_submission, make_user("bob"), 6)
    sign_in(make_user("ada"))
    assert hint_line(client.get("/exercises/mse_grad").text) == "3 more failed attempts unlock the first hint."


def test_the_instructor_s_setting_sets_how_many_failures_unlock_a_hint(client, session, make_user, sign_in,
                                                                       make_submission, published):
    ada = make_user()
    fail(make_submission, ada, 2)
    sign_in(make_user("prof", role="instructor"))
    settings = client.get("/instructor/exercises/mse_grad").text
    assert 'name="hint_every" type="number" value="3"' in settings
    answer = client.post("/instructor/exercises/mse_grad", data={"visible": "y", "per_hour": "30", "hint_every": "1"})
    assert answer.status_code == 302
    session.expire_all()
    assert published("mse_grad").hint_every == 1
    sign_in(ada)
    page = client.get("/exercises/mse_grad").text
    assert hint_line(page) == "1 more failed attempt unlocks the next hint."
    assert page.count('<div class="card hint">') == 2


def test_zero_failures_per_hint_keeps_the_hints_locked(client, session, make_user, sign_in, make_submission,
                                                      published):
    published("mse_grad").hint_every = 0
    session.commit()
    ada = make_user()
    fail(make_submission, ada, 12)
    sign_in(ada)
    page = client.get("/exercises/mse_grad").text
    assert hint_line(page) == "Hints are not offered on this exercise."
    assert FIRST_HINT not in page


def test_a_negative_number_of_failures_per_hint_is_refused_at_the_field(client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    answer = client.post("/instructor/exercises/mse_grad", data={"visible": "y", "per_hour": "30", "hint_every": "-1"})
    assert answer.status_code == 400
    field = answer.text.split('name="hint_every"')[1].split("</label>")[0]
    assert '<span class="field-error">Failed attempts per hint must be 0 or more</span>' in field


def test_only_an_exercise_with_hints_shows_a_hint_section(client, make_user, sign_in):
    sign_in(make_user())
    assert '<section id="hints">\n<h2>Hints</h2>' in client.get("/exercises/mse_grad").text
    assert 'id="hints"' not in client.get("/exercises/rnn_bptt").text


def test_the_instructor_sees_every_hint_and_the_solution_before_the_due_date(client, session, make_user, sign_in,
                                                                             published):
    published("mse_grad").due_at = utcnow() + timedelta(days=7)
    session.commit()
    sign_in(make_user("prof", role="instructor"))
    page = html.unescape(client.get("/exercises/mse_grad").text)
    assert hint_line(page) == "Every hint is unlocked." and page.count('<div class="card hint">') == 3
    assert SOLUTION_LINE in page


def due(session, published, days: float) -> None:
    published("mse_grad").due_at = utcnow() + timedelta(days=days)
    session.commit()


def api_exercise(client, headers) -> dict:
    answer = client.get("/api/v1/exercises/mse_grad", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def test_before_the_due_date_neither_the_page_nor_the_api_carries_the_solution(client, session, make_user, sign_in,
                                                                               published, token_for):
    due(session, published, 1)
    ada = make_user()
    sign_in(ada)
    page = client.get("/exercises/mse_grad").text
    assert 'id="solution"' not in page and "(y_hat - y) / n" not in page
    body = api_exercise(client, token_for(ada))
    assert body["solution"] is None
    assert "(y_hat - y) / n" not in client.get("/api/v1/exercises/mse_grad", headers=token_for(ada)).text


def test_after_the_due_date_the_page_and_the_api_show_the_solution(client, session, make_user, sign_in, published,
                                                                   token_for):
    due(session, published, -1)
    ada = make_user()
    sign_in(ada)
    page = html.unescape(client.get("/exercises/mse_grad").text)
    assert '<section id="solution">\n<h2>Solution</h2>' in page and SOLUTION_LINE in page
    assert api_exercise(client, token_for(ada))["solution"] == MSE.solution


def test_without_a_due_date_the_solution_is_never_shown_to_students(client, make_user, sign_in, token_for):
    ada = make_user()
    sign_in(ada)
    assert 'id="solution"' not in client.get("/exercises/mse_grad").text
    assert api_exercise(client, token_for(ada))["solution"] is None


def test_an_extension_holds_the_solution_back_for_that_student_alone(client, session, make_user, sign_in, published,
                                                                     token_for):
    due(session, published, -1)
    ada, bob = make_user("ada"), make_user("bob")
    session.add(Extension(user_id=ada.id, assignment="mse_grad", due_at=utcnow() + timedelta(days=2)))
    session.commit()
    sign_in(ada)
    assert 'id="solution"' not in client.get("/exercises/mse_grad").text
    assert api_exercise(client, token_for(ada))["solution"] is None
    sign_in(bob)
    assert SOLUTION_LINE in html.unescape(client.get("/exercises/mse_grad").text)
    assert api_exercise(client, token_for(bob))["solution"] == MSE.solution


def test_an_extension_that_has_passed_releases_the_solution(client, session, make_user, published, token_for):
    due(session, published, 3)
    ada = make_user()
    session.add(Extension(user_id=ada.id, assignment="mse_grad", due_at=utcnow() - timedelta(hours=1)))
    session.commit()
    assert api_exercise(client, token_for(ada))["solution"] == MSE.solution


def test_the_api_lists_the_unlocked_hints_and_what_unlocks_the_next(client, make_user, make_submission, token_for):
    ada = make_user()
    fail(make_submission, ada, 4)
    body = api_exercise(client, token_for(ada))
    assert body["hints"] == [MSE.hints[0]]
    assert (body["hints_total"], body["failed_attempts"], body["next_hint_after"]) == (3, 4, 2)
    assert (body["name"], body["signature"], body["due_at"]) == ("mse_grad", "mse_grad(y_hat, y)", None)


def test_the_api_answers_404_for_an_unknown_or_hidden_exercise(client, session, make_user, published, token_for):
    published("linreg_grad").visible = False
    session.commit()
    headers = token_for(make_user())
    for name in ("nope", "linreg_grad"):
        answer = client.get(f"/api/v1/exercises/{name}", headers=headers)
        assert (answer.status_code, answer.get_json()) == (404, {"error": f"Unknown exercise '{name}'"})
