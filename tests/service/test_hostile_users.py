"""A student cannot reach another student's work or an instructor's page by any route, nor use a dead token."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from web import auth
from web.models import ApiToken, FailedSignIn, Regrade, SampleCheck, Status, Submission, User, utcnow

SECRET = "GRACES_SECRET_ANSWER"
REPORT = {"score": 1.0, "passed": True, "error": None, "hints": [], "samples": [], "output": SECRET + "_OUTPUT",
          "cases": []}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routes(app, prefix=""):
    """Every rule of the app (but static files) under ``prefix``, with the methods it answers."""
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and rule.rule.startswith(prefix)]


def fill(rule, victims_submission, victims_check):
    """The rule's URL aimed at the victim's work; a new kind of argument must be taught here, or this fails."""
    values = {"submission_id": victims_submission.id, "check_id": victims_check.id, "name": "mse_grad",
              "plot": "histogram", "username": victims_submission.user.username, "change": "deactivate",
              "layout": "canvas", **(rule.defaults or {})}
    unknown = set(rule.arguments) - values.keys()
    assert not unknown, f"{rule.rule}: teach this test what to put in {unknown}"
    return rule.endpoint, {key: values[key] for key in rule.arguments}


@pytest.fixture
def graces_work(make_user, make_submission):
    grace = make_user("grace")
    return make_submission(grace, source=f"# {SECRET}\ndef mse_grad(y_hat, y):\n    return 0\n",
                           status="graded", score=1.0, passed=True, report=REPORT)


@pytest.fixture
def graces_check(session, graces_work):
    check = SampleCheck(user_id=graces_work.user_id, exercise_id=graces_work.exercise_id, filename="mine.py",
                        source=graces_work.source, status=Status.GRADED, passed=True, report=REPORT)
    session.add(check)
    session.commit()
    return check


def test_every_route_with_an_id_refuses_another_students_submission(app, client, session, make_user, sign_in,
                                                                    token_for, graces_work, graces_check):
    ada = make_user("ada")
    sign_in(ada)
    urls = app.url_map.bind("localhost")
    tried = []
    for rule in routes(app):
        if not {"submission_id", "check_id"} & rule.arguments:
            continue
        url = urls.build(*fill(rule, graces_work, graces_check))
        for method in set(METHODS) & rule.methods:
            answer = client.open(url, method=method, headers=token_for(ada))
            assert answer.status_code in (403, 404), f"{method} {url} answered {answer.status_code}"
            assert SECRET not in answer.text, f"{method} {url} showed grace's work"
            tried.append(f"{method} {url}")
    assert {f"GET /submissions/{graces_work.id}", f"GET /api/v1/submissions/{graces_work.id}",
            f"POST /instructor/submissions/{graces_work.id}/regrade", f"GET /checks/{graces_check.id}",
            f"GET /api/v1/checks/{graces_check.id}"} <= set(tried)
    session.expire_all()
    assert session.get(Submission, graces_work.id).status == "graded"
    assert session.scalar(select(func.count()).select_from(Regrade)) == 0


def test_no_page_or_api_route_shows_another_students_work(app, client, session, make_user, sign_in, token_for,
                                                          graces_work, graces_check):
    ada = make_user("ada")
    sign_in(ada)
    urls = app.url_map.bind("localhost")
    for rule in routes(app):
        endpoint, values = fill(rule, graces_work, graces_check)
        for method in set(METHODS) & rule.methods:
            url = urls.build(endpoint, values)
            answer = client.open(url, method=method, headers=token_for(ada),
                                 query_string={"from": graces_work.id, "check": graces_check.id})
            assert SECRET not in answer.text, f"{method} {url} showed grace's work"
    assert "grace" not in client.get("/submissions").text


def test_a_student_reaches_no_instructor_route_by_any_method(app, client, session, make_user, sign_in, graces_work,
                                                             graces_check, published):
    sign_in(make_user("ada"))
    urls = app.url_map.bind("localhost")
    instructor_routes = routes(app, "/instructor")
    assert len(instructor_routes) >= 8
    for rule in instructor_routes:
        url = urls.build(*fill(rule, graces_work, graces_check))
        for method in set(METHODS) & rule.methods:
            answer = client.open(url, method=method, data={"visible": "", "per_hour": "1000"})
            assert answer.status_code == 404, f"{method} {url} answered {answer.status_code}"
    session.expire_all()
    assert published("mse_grad").visible and published("mse_grad").per_hour == 30
    assert session.scalar(select(func.count()).select_from(Regrade)) == 0
    grace = session.get(User, graces_work.user_id)
    assert (grace.active, grace.session_version) == (True, 0)


def test_an_expired_token_is_refused_with_the_reason(client, session, make_user, token_for):
    headers = token_for(make_user())
    session.scalar(select(ApiToken)).expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    answer = client.get("/api/v1/exercises", headers=headers)
    assert answer.status_code == 401 and "expired" in answer.json["error"]


def test_a_new_token_says_when_it_expires_and_works_until_then(client, session, make_user):
    make_user()
    answer = client.post("/api/v1/tokens", json={"username": "ada", "password": "correct horse battery"})
    expires = session.scalar(select(ApiToken)).expires_at
    assert answer.json["expires_at"].startswith(f"{expires:%Y-%m-%dT%H:%M}")
    assert timedelta(days=119) < expires - utcnow() <= timedelta(days=120)


def test_a_revoked_token_stops_working_at_once_and_others_keep_working(client, make_user, token_for):
    ada = make_user()
    revoked, other = token_for(ada), token_for(ada)
    assert client.delete("/api/v1/tokens/current", headers=revoked).status_code == 204
    answer = client.get("/api/v1/submissions", headers=revoked)
    assert answer.status_code == 401 and "revoked" in answer.json["error"]
    assert client.get("/api/v1/submissions", headers=other).status_code == 200


def test_the_revoke_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "204" in paths["/tokens/current"]["delete"]["responses"]


def test_a_password_guesser_is_held_back_after_ten_failures_even_with_the_right_password(client, make_user):
    make_user("ada")
    for guess in range(10):
        answer = client.post("/api/v1/tokens", json={"username": "ada", "password": f"guess{guess}"})
        assert answer.status_code == 401
    answer = client.post("/api/v1/tokens", json={"username": "ada", "password": "correct horse battery"})
    assert answer.status_code == 429 and "Too many failed sign-ins" in answer.json["error"]
    assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
    page = client.post("/login", data={"username": "ada", "password": "correct horse battery"})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.text


def test_failures_on_one_name_do_not_lock_out_another_and_successes_never_count(client, make_user):
    make_user("ada")
    make_user("grace")
    for _ in range(10):
        client.post("/login", data={"username": "ada", "password": "wrong"})
    for _ in range(15):
        answer = client.post("/api/v1/tokens", json={"username": "grace", "password": "correct horse battery"})
        assert answer.status_code == 201
    assert client.post("/login", data={"username": "grace", "password": "correct horse battery"}).status_code == 302


def test_the_openapi_document_names_retry_after_on_every_429_and_503(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    answers = [(path, status, answer) for path, item in paths.items() for operation in item.values()
               for status, answer in operation["responses"].items() if status in ("429", "503")]
    assert ("/tokens", "429") in {(path, status) for path, status, _ in answers}
    assert all("Retry-After" in answer["headers"] for _, _, answer in answers)


def test_forty_guesses_at_once_get_no_more_than_ten_passwords_checked(app, session, make_user, monkeypatch):
    make_user("ada")
    checked, lock = [], threading.Lock()

    class CountingHasher(PasswordHasher):
        """The real hasher, noting each password it checks."""

        def verify(self, hashed: str | bytes, password: str | bytes) -> bool:
            with lock:
                checked.append(password)
            return super().verify(hashed, password)

    monkeypatch.setattr(auth, "hasher", CountingHasher())
    start = threading.Barrier(40)

    def guess(n: int) -> tuple[int, str]:
        client = app.test_client()
        start.wait()
        answer = client.post("/api/v1/tokens", json={"username": "ada", "password": f"guess{n}"})
        return answer.status_code, answer.json["error"]

    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(guess, range(40)))
    wrong = [error for status, error in answers if status == 401]
    held = [error for status, error in answers if status == 429]
    assert len(checked) <= 10 and len(wrong) == len(checked), (len(checked), answers)
    assert len(wrong) + len(held) == 40 and all(error == "Wrong username or password" for error in wrong)
    assert all(error.startswith("Too many failed sign-ins; try again in") for error in held)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(FailedSignIn)) == len(wrong)
