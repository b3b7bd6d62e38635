"""Blueprint "student": sign in, the exercises, submitting, results and one's own history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from grader.pipeline import to_plain
from grader.sandbox.imports import available_sentence
from web.auth import AccountDeactivated, end_sessions
from web.catalogue import exercise_of, find_published
from web.checks import check_dict, start_check, visible_check
from web.db import get_session
from web.forms import ActionForm, LoginForm, SubmitForm
from web.late import Deadlines
from web.limits import Refused, quota
from web.mathtext import render_statement
from web.models import CourseExercise
from web.paging import page_number
from web.progress import assignment_groups
from web.result_page import register as register_result_page
from web.results import result_dict
from web.submissions import history, submit, visible_submission
from web.throttle import TooManyFailures, sign_in
from web.unlocks import unlocked

bp = Blueprint("student", __name__)
register_result_page(bp)
BOTH_SENT = "Both code written on the page and an uploaded file were sent: send one or the other, not both"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = sign_in(get_session(), form.username.data, form.password.data)
        except TooManyFailures as exc:
            user, status = None, 429
            flash(f"{exc}.", "error")
        except AccountDeactivated as exc:
            user, status = None, 403
            flash(f"{exc}.", "error")
        else:
            if user is not None:
                login_user(user)
                return redirect(url_for("instructor.dashboard" if user.is_instructor else "student.index"))
            flash("Wrong username or password.", "error")
    return render_template("student/login.html", form=form), 400 if form.errors else status


@bp.post("/logout")
def logout() -> Any:
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(get_session(), current_user)
            get_session().commit()
        logout_user()
    return redirect(url_for("student.login"))


@bp.get("/")
@login_required
def index() -> str:
    return render_template("student/index.html", groups=assignment_groups(get_session(), current_user))


@bp.get("/exercises/<name>")
@login_required
def exercise(name: str) -> str:
    form = SubmitForm()
    earlier, checked = request.args.get("from", type=int), request.args.get("check", type=int)
    if earlier and (submission := visible_submission(get_session(), current_user, earlier)):
        form.source.data = submission.source  # "fix it and submit again" starts from the code that failed
    elif checked and (check := visible_check(get_session(), current_user, checked)):
        form.source.data = check.source  # back from a check's page (without JavaScript) to the code checked
    return exercise_page(name, form)


@bp.post("/exercises/<name>")
@login_required
def submit_exercise(name: str) -> Any:
    return take_code(name, lambda published, filename, data: url_for(
        "student.result", submission_id=submit(get_session(), current_user, published, filename, data).id))


@bp.post("/exercises/<name>/check")
@login_required
def check_exercise(name: str) -> Any:
    """Check the code against the public samples: no attempt is spent (see web/checks.py)."""
    return take_code(name, lambda published, filename, data: url_for(
        "student.check", check_id=start_check(get_session(), current_user, published, filename, data).id))


def take_code(name: str, send: Callable[[CourseExercise, str, bytes], str]) -> Any:
    """Validate the exercise form, ``send`` the code the student chose, and redirect to where ``send`` says;
    a refusal shows the form again with the reason."""
    form = SubmitForm()
    published = find_published(get_session(), name, current_user) or abort(404)
    if not form.validate_on_submit():
        return exercise_page(name, form), 400
    try:
        return redirect(send(published, *chosen_code(form)))
    except Refused as exc:
        flash(exc.message, "error")
        return exercise_page(name, form), exc.status, exc.headers()


def chosen_code(form: SubmitForm) -> tuple[str, bytes]:
    """(file name, bytes) of what the student chose to send: the code written on the page or a file.

    The page's script sends only the chosen one; a form that carries both (without the script, say)
    is refused rather than one of them silently winning.
    """
    upload, source = form.file.data, form.source.data or ""
    if upload and source.strip():
        raise Refused(400, BOTH_SENT)
    return (upload.filename, upload.read()) if upload else ("editor.py", source.encode())


def exercise_page(name: str, form: SubmitForm) -> str:
    published = find_published(get_session(), name, current_user) or abort(404)
    exercise = exercise_of(published)
    policy = Deadlines.load(get_session(), current_user.id).policy(current_user.id, published)
    return render_template("student/exercise.html", published=published, exercise=exercise, form=form,
                           statement=render_statement(exercise.statement), available=available_sentence(),
                           samples=[(case.name, {k: to_plain(v) for k, v in case.inputs.items()})
                                    for case in exercise.public_cases],
                           quota=quota(get_session(), current_user, published),
                           unlocked=unlocked(get_session(), current_user, published, exercise, policy.due),
                           render_hint=render_statement, policy=policy)


@bp.get("/checks/<int:check_id>")
@login_required
def check(check_id: int) -> str:
    found = visible_check(get_session(), current_user, check_id) or abort(404)
    return render_template("student/check.html", check=check_dict(found))


@bp.get("/checks/<int:check_id>/status")
@login_required
def check_status(check_id: int) -> Any:
    found = visible_check(get_session(), current_user, check_id) or abort(404)
    return jsonify(status=found.status)


@bp.get("/submissions/<int:submission_id>")
@login_required
def result(submission_id: int) -> str:
    submission = visible_submission(get_session(), current_user, submission_id) or abort(404)
    return render_template("student/result.html", submission=submission,
                           result=result_dict(submission, current_user))


@bp.get("/submissions/<int:submission_id>/status")
@login_required
def result_status(submission_id: int) -> Any:
    submission = visible_submission(get_session(), current_user, submission_id) or abort(404)
    return jsonify(status=submission.status)


@bp.get("/submissions")
@login_required
def submissions() -> str:
    return render_template("student/history.html",
                           submissions=history(get_session(), current_user, page_number(request.args)))


@bp.app_context_processor
def sign_out_form() -> dict[str, Any]:
    """Every page's sign-out button posts a form with a CSRF token (never read from this request's body,
    which an error page may be answering because it was too large to read)."""
    return {"action_form": ActionForm(formdata=None)}
