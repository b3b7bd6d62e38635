"""Blueprint "instructor": the dashboard, per-exercise statistics, any submission, regrades, gradebook, roster."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from grader.course import current_course
from web.auth import instructor_required, reset_password, set_active
from web.catalogue import exercise_of, find_published, publish_catalogue
from web.db import get_session
from web.extensions import extensions, grant_extension
from web.failures import unnamed_failures
from web.forms import ActionForm, ExtensionForm, RosterForm, SettingsForm
from web.gradebook import gradebook_csv
from web.models import CourseExercise, User
from web.paging import page_number
from web.plots import score_histogram, submissions_over_time
from web.regrades import regrade_exercise, regrade_submission, regrades_of
from web.results import result_dict
from web.roster import import_roster
from web.settings_form import apply_settings, settings_form
from web.stats import best_scores, exercise_stats, student_record, students
from web.submission_lists import STATUSES, read_filter, submissions_page
from web.submissions import visible_submission

bp = Blueprint("instructor", __name__, url_prefix="/instructor")
SVG = "image/svg+xml"


@bp.context_processor
def list_choices() -> dict[str, Any]:
    return {"submission_statuses": STATUSES}


@bp.get("/")
@instructor_required
def dashboard() -> str:
    session = get_session()
    exercises, shown = publish_catalogue(session), read_filter(get_session(), request.args)
    return render_template("instructor/dashboard.html", exercises=exercises, students=students(session),
                           best=best_scores(session), stats=[exercise_stats(session, e) for e in exercises],
                           shown=shown, recent=submissions_page(session, shown, page_number(request.args)),
                           extension_form=ExtensionForm(), extensions=extensions(session),
                           assignments=current_course().assignments)


@bp.get("/students/<username>")
@instructor_required
def student(username: str) -> str:
    session = get_session()
    user = session.scalar(select(User).where(User.username == username)) or abort(404)
    exercises, shown = publish_catalogue(session), read_filter(session, request.args, student=user)
    return render_template("instructor/student.html", student=user, record=student_record(session, user, exercises),
                           exercises=exercises, shown=shown,
                           recent=submissions_page(session, shown, page_number(request.args)))


@bp.get("/exercises/<name>")
@instructor_required
def exercise(name: str) -> str:
    published = find_published(get_session(), name, current_user) or abort(404)
    return exercise_page(published, settings_form(published))


@bp.post("/exercises/<name>")
@instructor_required
def save_settings(name: str) -> Any:
    published = find_published(get_session(), name, current_user) or abort(404)
    form = SettingsForm()
    if not form.validate_on_submit():  # the page again, with what was typed and a message at each wrong field
        flash("The settings were not saved: correct the fields marked below.", "error")
        return exercise_page(published, form), 400
    apply_settings(published, form)
    get_session().commit()
    flash(f"Saved the settings of {name}.", "info")
    return redirect(url_for("instructor.exercise", name=name))


def exercise_page(published: CourseExercise, form: SettingsForm) -> str:
    session = get_session()
    shown = read_filter(session, request.args, exercise=published)
    return render_template("instructor/exercise.html", published=published, exercise=exercise_of(published),
                           stats=exercise_stats(session, published), failures=unnamed_failures(session, published),
                           form=form, action=ActionForm(formdata=None), students=students(session),
                           shown=shown, recent=submissions_page(session, shown, page_number(request.args)))


@bp.get("/exercises/<name>/<any(histogram, timeline):plot>.svg")
@instructor_required
def plot(name: str, plot: str) -> Response:
    published = find_published(get_session(), name, current_user) or abort(404)
    stats = exercise_stats(get_session(), published)
    if plot == "histogram":
        return Response(score_histogram(stats.scores, f"{name}: scores"), mimetype=SVG)
    return Response(submissions_over_time(stats.times, f"{name}: submissions"), mimetype=SVG)


@bp.post("/exercises/<name>/regrade")
@instructor_required
def regrade_all(name: str) -> Any:
    published = find_published(get_session(), name, current_user) or abort(404)
    if ActionForm().validate_on_submit():
        count = regrade_exercise(get_session(), published, current_user)
        flash(f"Queued {count} submissions of {name} for regrading.", "info")
    return redirect(url_for("instructor.exercise", name=name))


@bp.get("/submissions/<int:submission_id>")
@instructor_required
def submission(submission_id: int) -> str:
    found = visible_submission(get_session(), current_user, submission_id) or abort(404)
    return render_template("instructor/submission.html", submission=found, result=result_dict(found, current_user),
                           action=ActionForm(), regrades=regrades_of(get_session(), found))


@bp.post("/submissions/<int:submission_id>/regrade")
@instructor_required
def regrade(submission_id: int) -> Any:
    found = visible_submission(get_session(), current_user, submission_id) or abort(404)
    if ActionForm().validate_on_submit():
        regrade_submission(get_session(), found, current_user)  # the page shows the regrade's state from its row
    return redirect(url_for("instructor.submission", submission_id=submission_id))


@bp.get("/gradebook.csv", defaults={"layout": "gradegrad"})
@bp.get("/gradebook-<any(canvas, moodle):layout>.csv")
@instructor_required
def gradebook(layout: str) -> Response:
    """The gradebook in points: GradeGrad's own columns, or the layout Canvas or Moodle imports."""
    name = "gradebook.csv" if layout == "gradegrad" else f"gradebook-{layout}.csv"
    return Response(gradebook_csv(get_session(), layout), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.post("/extensions")
@instructor_required
def extend() -> Any:
    """Give one student a new due date on one assignment (as `gradegrad extend` does)."""
    form = ExtensionForm()
    try:
        if not form.validate_on_submit():
            raise ValueError("; ".join(error.rstrip(".") for errors in form.errors.values() for error in errors))
        grant_extension(get_session(), form.username.data, form.assignment.data, form.until.data, current_user)
    except ValueError as exc:  # the dashboard again, with what was typed
        flash(f"No extension was given: {exc}.", "error")
        return dashboard(), 400
    get_session().commit()
    flash(f"{form.username.data} has until {form.until.data:%Y-%m-%d %H:%M} UTC on {form.assignment.data}.", "info")
    return redirect(url_for("instructor.dashboard") + "#extensions")


@bp.route("/roster", methods=["GET", "POST"])
@instructor_required
def roster() -> Any:
    form, added = RosterForm(), None
    if form.validate_on_submit() and form.file.data:
        try:
            added = import_roster(get_session(), form.file.data.read().decode("utf-8-sig"))
            get_session().commit()
        except (ValueError, UnicodeDecodeError) as exc:
            get_session().rollback()  # the rows added before the bad line are not in the database: list none of them
            flash(f"Could not import the roster: {exc}", "error")
    return render_template("instructor/roster.html", form=form, added=added, students=students(get_session()))


def managed_student(username: str) -> User:
    """The student called ``username``, whose account an instructor manages; 404 for anyone else."""
    return get_session().scalar(select(User).where(User.username == username, User.role == "student")) or abort(404)


@bp.post("/students/<username>/password")
@instructor_required
def reset_student_password(username: str) -> Any:
    """The new password is in this answer alone: not stored in clear, not cached, never shown again."""
    student = managed_student(username)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("instructor.roster"))
    password = reset_password(get_session(), student)
    get_session().commit()
    answer = make_response(render_template("instructor/password.html", student=student, password=password))
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.post("/students/<username>/<any(deactivate, reactivate):change>")
@instructor_required
def change_active(username: str, change: str) -> Any:
    student = managed_student(username)
    if ActionForm().validate_on_submit():
        set_active(get_session(), student, change == "reactivate")
        get_session().commit()
        flash(f"Deactivated {username}: they cannot sign in or use their API tokens; their submissions stay in the "
              f"gradebook." if change == "deactivate" else f"Reactivated {username}: they can sign in again.", "info")
    return redirect(url_for("instructor.roster"))
