"""What an instructor sees and does: the matrix, statistics and plots, regrades, the gradebook, the roster."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import event

from web.models import Regrade, Submission, User, utcnow
from worker.grading import record_report


def graded(session, make_submission, user, score, hint=None, **fields):
    submission = make_submission(user, status="running", **fields)
    record_report(session, submission.id, {
        "exercise": "mse_grad", "score": score, "passed": score == 1.0, "error": None,
        "hints": [hint] if hint else [], "samples": [],
        "output": "", "cases": [{"name": "n = 2", "passed": score == 1.0, "message": "m", "kind": "values",
                                 "hint": hint}]})
    session.commit()
    return submission


def test_the_dashboard_shows_each_students_best_score(client, session, make_user, sign_in, make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    graded(session, make_submission, ada, 0.4)
    graded(session, make_submission, ada, 0.9)
    graded(session, make_submission, grace, 1.0)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/").text
    matrix = page.split('id="matrix"')[1].split("</table>")[0]
    assert "90%" in matrix and "100%" in matrix and "40%" not in matrix
    assert "40%" in page.split('id="recent"')[1]  # every attempt is listed under the latest submissions


def test_the_dashboard_has_a_plain_title_and_a_fixed_number_of_queries(app, client, session, make_user, sign_in,
                                                                        make_submission):
    """Its latest submissions are listed once, loaded with their cases, students and exercises in a few queries
    however many there are: no statement runs twice."""
    ada, grace = make_user("ada"), make_user("grace")
    sign_in(make_user("prof", role="instructor"))
    engine = app.extensions["db_engine"]

    def statements_of_the_dashboard() -> tuple[list[tuple[str, str]], str]:
        statements: list[tuple[str, str]] = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, repr(parameters)))

        event.listen(engine, "before_cursor_execute", record)
        try:
            return statements, client.get("/instructor/").text
        finally:
            event.remove(engine, "before_cursor_execute", record)

    graded(session, make_submission, ada, 0.4)
    with_one, _ = statements_of_the_dashboard()
    for score in (0.5, 0.6, 0.7):
        graded(session, make_submission, grace, score)
    with_four, page = statements_of_the_dashboard()
    assert [statement for statement in set(with_four) if with_four.count(statement) > 1] == []
    assert len(with_four) == len(with_one)
    assert "<title>Dashboard · GradeGrad</title>" in page
    assert page.count('id="recent"') == 1


def test_the_exercise_page_names_the_most_frequent_mistake(client, session, make_user, sign_in, make_submission):
    from exercises import get_exercise

    mistake = get_exercise("mse_grad").mistakes[0]
    for name in ("ada", "grace"):
        graded(session, make_submission, make_user(name), 0.1, hint=mistake.hint)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/exercises/mse_grad").text
    assert f"<td>{mistake.name}</td><td>2</td>" in page


def test_the_plots_are_svg_drawn_on_the_server(client, session, make_user, sign_in, make_submission):
    graded(session, make_submission, make_user("ada"), 0.5)
    sign_in(make_user("prof", role="instructor"))
    for plot in ("histogram", "timeline"):
        answer = client.get(f"/instructor/exercises/mse_grad/{plot}.svg")
        assert answer.status_code == 200 and answer.mimetype == "image/svg+xml" and b"<svg" in answer.data


def test_the_gradebook_applies_the_late_penalty(client, session, make_user, sign_in, make_submission, published):
    row = published("mse_grad")
    row.due_at, row.late_penalty_per_day = utcnow() - timedelta(days=3), 0.25
    session.commit()
    ada, grace = make_user("ada"), make_user("grace")
    graded(session, make_submission, ada, 1.0, created_at=utcnow() - timedelta(days=4))  # on time
    graded(session, make_submission, grace, 1.0, created_at=utcnow() - timedelta(days=1, hours=12))  # 2 days late
    sign_in(make_user("prof", role="instructor"))
    answer = client.get("/instructor/gradebook.csv")
    assert answer.mimetype == "text/csv"
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(answer.text))}
    assert float(rows["ada"]["mse_grad"]) == 1.0 and float(rows["grace"]["mse_grad"]) == 0.5
    assert "prof" not in rows


def test_regrading_a_submission_queues_it_on_the_regrade_queue_with_an_audit(client, session, make_user, sign_in,
                                                                              make_submission):
    submission = graded(session, make_submission, make_user("ada"), 0.3)
    prof = make_user("prof", role="instructor")
    sign_in(prof)
    assert client.post(f"/instructor/submissions/{submission.id}/regrade").status_code == 302
    session.expire_all()
    row = session.get(Submission, submission.id)
    assert (row.status, row.queue) == ("queued", "regrade") and row.task_id
    audit = session.query(Regrade).one()
    assert (audit.old_score, audit.requested_by_id, audit.new_score) == (0.3, prof.id, None)
    record_report(session, row.id, {"score": 1.0, "passed": True, "error": None, "cases": []})
    session.commit()
    assert session.query(Regrade).populate_existing().one().new_score == 1.0
    audit_table = client.get(f"/instructor/submissions/{row.id}").text.split('id="regrades"')[1]
    assert "<td>prof</td>" in audit_table and "30%" in audit_table and "100%" in audit_table


def test_a_regrade_stays_announced_when_the_page_reloads_itself(client, session, make_user, sign_in,
                                                                make_submission):
    """The result page reloads itself once graded: the regrade's state comes from its row, not a one-time message."""
    submission = graded(session, make_submission, make_user("ada"), 0.3)
    sign_in(make_user("prof", role="instructor"))
    client.post(f"/instructor/submissions/{submission.id}/regrade")
    for _ in range(2):
        state = client.get(f"/instructor/submissions/{submission.id}").text.split('id="regrade-state"')[1]
        assert "Queued for regrading since" in state.split("</p>")[0] and "(asked by prof)" in state
    record_report(session, submission.id, {"score": 1.0, "passed": True, "error": None, "cases": []})
    session.commit()
    state = client.get(f"/instructor/submissions/{submission.id}").text.split('id="regrade-state"')[1].split("</p>")[0]
    assert "score 30% before, 100% after" in state and "Regraded" in state and "Queued" not in state


def test_an_instructor_reading_a_students_submission_is_not_told_to_fix_it(client, session, make_user, sign_in,
                                                                            make_submission):
    ada = make_user("ada")
    submission = graded(session, make_submission, ada, 0.3)
    sign_in(ada)
    assert "Fix it and submit again" in client.get(f"/submissions/{submission.id}").text
    sign_in(make_user("prof", role="instructor"))
    for path in (f"/instructor/submissions/{submission.id}", f"/submissions/{submission.id}"):
        page = client.get(path).text
        assert "Fix it and submit again" not in page and 'id="resubmit"' not in page and "Your code" not in page
        assert '<a href="/instructor/exercises/mse_grad">The exercise’s submissions' in page
        assert "<h2>ada’s code <small>" in page


def test_regrading_an_exercise_queues_all_its_submissions(client, session, make_user, sign_in, make_submission):
    ada = make_user("ada")
    for score in (0.1, 0.2, 0.3):
        graded(session, make_submission, ada, score)
    sign_in(make_user("prof", role="instructor"))
    client.post("/instructor/exercises/mse_grad/regrade")
    session.expire_all()
    assert [s.status for s in session.query(Submission)] == ["queued"] * 3
    assert session.query(Regrade).count() == 3


def test_settings_set_a_deadline_and_limits(client, session, make_user, sign_in, published):
    sign_in(make_user("prof", role="instructor"))
    answer = client.post("/instructor/exercises/mse_grad", data={
        "visible": "y", "due_at": "2030-01-02T03:04", "accept_late": "", "max_attempts": "3", "per_hour": ""})
    assert answer.status_code == 302
    session.expire_all()
    row = published("mse_grad")
    assert row.due_at.isoformat() == "2030-01-02T03:04:00" and row.late_penalty_per_day is None
    assert (row.max_attempts, row.per_hour, row.show_hidden_results) == (3, None, False)


def test_invalid_settings_keep_what_was_typed_and_say_what_is_wrong_at_the_field(client, session, make_user,
                                                                                 sign_in, published):
    sign_in(make_user("prof", role="instructor"))
    answer = client.post("/instructor/exercises/mse_grad", data={
        "visible": "y", "due_at": "2030-01-02T03:04", "accept_late": "y", "late_penalty_per_day": "1.5",
        "max_attempts": "3", "per_hour": ""})
    assert answer.status_code == 400
    penalty = answer.text.split('name="late_penalty_per_day"')[1].split("</label>")[0]
    assert 'value="1.5"' in penalty
    assert '<span class="field-error">Late penalty per day must be between 0 and 1</span>' in penalty
    assert 'name="due_at" type="datetime-local" value="2030-01-02T03:04"' in answer.text
    assert 'name="max_attempts" type="number" value="3"' in answer.text
    assert "late_penalty_per_day:" not in answer.text
    session.expire_all()
    row = published("mse_grad")
    assert (row.due_at, row.max_attempts) == (None, None)


def test_a_roster_import_adds_students_and_shows_their_passwords_once(client, session, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    roster = b"username,role,password\nada,student,\ngrace,student,given-pw\nprof,instructor,\n"
    page = client.post("/instructor/roster", data={"file": (io.BytesIO(roster), "roster.csv")},
                       content_type="multipart/form-data").text
    assert "already existed" in page and "given-pw" in page
    assert {u.username for u in session.query(User)} == {"prof", "ada", "grace"}
    assert client.post("/login", data={"username": "grace", "password": "given-pw"}).status_code == 302
