"""Blueprint "api": the JSON API under /api/v1, authenticated by ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy.orm import Session

from web.auth import AccountDeactivated, TokenRefused, csrf, issue_token, token_in_use
from web.catalogue import exercise_of, find_published, publish_catalogue
from web.checks import check_dict, start_check, visible_check
from web.db import get_session
from web.errors import error_response
from web.json_body import json_object, string_field
from web.late import Deadlines
from web.limits import Refused
from web.models import CourseExercise, User, utcnow
from web.openapi import HISTORY_PER_PAGE, openapi_document
from web.paging import page_number, page_size
from web.results import result_dict
from web.submissions import history, submit, visible_submission
from web.throttle import TooManyFailures, sign_in
from web.unlocks import unlocked

bp = Blueprint("api", __name__, url_prefix="/api/v1")
T = TypeVar("T")
csrf.exempt(bp)  # token-authenticated, no cookies: CSRF cannot apply
PUBLIC = {"api.openapi", "api.create_token"}


@bp.before_request
def require_token() -> Any:
    if request.endpoint in PUBLIC:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    try:
        g.api_token = token_in_use(get_session(), token.strip() if scheme.lower() == "bearer" else "")
    except TokenRefused as exc:
        return error_response(401, str(exc), {"WWW-Authenticate": "Bearer"})
    if get_session().dirty:
        get_session().commit()  # keep the token's last_used_at
    g.api_user = g.api_token.user
    return None


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.post("/tokens")
def create_token() -> Any:
    body = json_object(request)
    username, password = string_field(body, "username"), string_field(body, "password")
    try:
        user = sign_in(get_session(), username, password)
    except TooManyFailures as exc:
        return error_response(429, str(exc), {"Retry-After": str(exc.wait)})
    except AccountDeactivated as exc:
        return error_response(403, str(exc))
    if user is None:
        return error_response(401, "Wrong username or password")
    lifetime = timedelta(days=current_app.config["API_TOKEN_DAYS"])
    token = issue_token(get_session(), user, lifetime)
    get_session().commit()
    return jsonify(token=token, username=user.username, role=user.role,
                   expires_at=iso(utcnow() + lifetime)), 201


@bp.delete("/tokens/current")
def revoke_token() -> Any:
    """Sign out: the token of this request stops working at once."""
    g.api_token.revoked_at = utcnow()
    get_session().commit()
    return "", 204


@bp.get("/exercises")
def exercises() -> Response:
    rows = [row for row in publish_catalogue(get_session()) if row.visible or g.api_user.is_instructor]
    deadlines = Deadlines.load(get_session(), g.api_user.id)  # due_at: this user's, an extension included
    return jsonify([{"name": row.name, "title": exercise_of(row).title, "signature": exercise_of(row).signature,
                     "opens_at": iso(row.opens_at), "due_at": iso(deadlines.policy(g.api_user.id, row).due)}
                    for row in rows])


@bp.get("/exercises/<name>")
def exercise(name: str) -> Any:
    """One exercise for this user: its due date, the hints their failed attempts unlocked, and the solution
    once their due date has passed (null before)."""
    published = find_published(get_session(), name, g.api_user)
    if published is None:
        return unknown_exercise(name)
    found = exercise_of(published)
    due = Deadlines.load(get_session(), g.api_user.id).policy(g.api_user.id, published).due
    offered = unlocked(get_session(), g.api_user, published, found, due)
    return jsonify(name=published.name, title=found.title, signature=found.signature,
                   opens_at=iso(published.opens_at), due_at=iso(due),
                   hints=list(offered.hints), hints_total=offered.total, failed_attempts=offered.failed_attempts,
                   next_hint_after=offered.next_after, solution=offered.solution)


def accept(start: Callable[[Session, User, CourseExercise, str, bytes], T], view: Callable[[T], Any]) -> Any:
    """Start what the posted code is for (a submission or a check) and answer 202 with its view, or the refusal."""
    name, filename, data = submission_payload()
    published = find_published(get_session(), name, g.api_user) if name else None
    if published is None:
        return unknown_exercise(name)
    try:
        started = start(get_session(), g.api_user, published, filename, data)
    except Refused as exc:
        return error_response(exc.status, exc.message, exc.headers())
    return jsonify(view(started)), 202


@bp.post("/submissions")
def create_submission() -> Any:
    return accept(submit, lambda submission: result_dict(submission, g.api_user))


@bp.post("/checks")
def create_check() -> Any:
    """Check code against the public samples alone: no attempt, not in the history or the gradebook."""
    return accept(start_check, check_dict)


@bp.get("/checks/<int:check_id>")
def check_result(check_id: int) -> Any:
    check = visible_check(get_session(), g.api_user, check_id)
    if check is None:
        return error_response(404, f"No check {check_id}")
    return jsonify(check_dict(check))


def unknown_exercise(name: str) -> tuple[Response, int]:
    return error_response(404 if name else 400, f"Unknown exercise '{name}'" if name else "Say which 'exercise'")


@bp.get("/submissions/<int:submission_id>")
def submission_status(submission_id: int) -> Any:
    submission = visible_submission(get_session(), g.api_user, submission_id)
    if submission is None:
        return error_response(404, f"No submission {submission_id}")
    return jsonify(result_dict(submission, g.api_user))


@bp.get("/submissions")
def own_history() -> Response:
    """A page of one's own submissions, newest first: still a JSON list, the newest HISTORY_PER_PAGE by default."""
    listed = history(get_session(), g.api_user, page_number(request.args),
                     page_size(request.args, HISTORY_PER_PAGE, HISTORY_PER_PAGE))
    deadlines = Deadlines.load(get_session(), g.api_user.id)
    return jsonify([result_dict(s, g.api_user, deadlines) for s in listed.items])


def submission_payload() -> tuple[str, str, bytes]:
    """(exercise, filename, bytes) from a JSON body or a multipart form with a file."""
    if request.is_json:
        body = json_object(request)
        return (string_field(body, "exercise"), string_field(body, "filename", "submission.py"),
                string_field(body, "source").encode("utf-8"))
    upload = request.files.get("file")
    data = upload.read() if upload else request.form.get("source", "").encode("utf-8")
    return request.form.get("exercise", ""), (upload.filename if upload else None) or "submission.py", data


def iso(value: Any) -> str | None:
    return value.isoformat() + "Z" if value else None
