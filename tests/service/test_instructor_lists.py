"""The instructor's lists: one student's page, and submissions a page at a time, filtered, in a bounded number of
queries."""

from __future__ import annotations

from sqlalchemy import event

from tests.service.test_instructor_pages import graded


def statements_of(app, client, path):
    """The SQL statements a page's request runs, with their parameters, and its answer."""
    statements: list[tuple[str, str]] = []
    engine = app.extensions["db_engine"]

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, repr(parameters)))

    event.listen(engine, "before_cursor_execute", record)
    try:
        return statements, client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)


def rows_of(page):
    return page.split('id="recent"')[1].split("</tbody>")[0].count("<tr><td><a")


def test_a_students_page_lists_their_scores_per_exercise_and_every_submission(client, session, make_user, sign_in,
                                                                             make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    first = graded(session, make_submission, ada, 0.4)
    best = graded(session, make_submission, ada, 0.9)
    make_submission(ada, exercise="softmax_ce_grad", status="queued")
    graded(session, make_submission, grace, 1.0)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/students/ada").text
    assert "<title>ada · instructor · GradeGrad</title>" in page
    per_exercise = page.split('id="per-exercise"')[1].split("</table>")[0]
    mse = per_exercise.split('<a href="/instructor/exercises/mse_grad">mse_grad</a>')[1].split("</tr>")[0]
    assert "<td>2</td>" in mse and f'<a href="/instructor/submissions/{best.id}">90%</a>' in mse
    softmax = per_exercise.split(">softmax_ce_grad</a>")[1].split("</tr>")[0]
    assert "<td>1</td>" in softmax and "–</td>" in softmax
    listed = page.split('id="recent"')[1]
    assert f'<a href="/instructor/submissions/{first.id}">{first.id}</a>' in listed and "grace" not in listed
    assert rows_of(page) == 3
    assert client.get("/instructor/students/nobody").status_code == 404


def test_the_matrix_and_the_lists_link_to_each_students_page(client, session, make_user, sign_in, make_submission):
    graded(session, make_submission, make_user("ada"), 0.4)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/").text
    link = '<a href="/instructor/students/ada">ada</a>'
    assert link in page.split('id="matrix"')[1].split("</table>")[0]
    assert link in page.split('id="recent"')[1]


def test_a_student_cannot_open_a_students_page(client, make_user, sign_in):
    make_user("grace")
    sign_in(make_user("ada"))
    assert client.get("/instructor/students/grace").status_code == 404


def test_the_submissions_of_an_exercise_come_a_page_at_a_time_newest_first(client, session, make_user, sign_in,
                                                                           make_submission):
    ada = make_user("ada")
    made = [make_submission(ada, status="queued") for _ in range(30)]
    sign_in(make_user("prof", role="instructor"))
    first = client.get("/instructor/exercises/mse_grad").text
    assert rows_of(first) == 25 and f">{made[-1].id}</a>" in first and f">{made[4].id}</a></td>" not in first
    assert "Submissions 1–25 of 30 (page 1 of 2)" in first
    assert '<a rel="next" href="/instructor/exercises/mse_grad?page=2">Older →</a>' in first
    second = client.get("/instructor/exercises/mse_grad?page=2").text
    assert rows_of(second) == 5 and f">{made[0].id}</a>" in second
    assert "Submissions 26–30 of 30 (page 2 of 2)" in second and 'rel="next"' not in second
    assert '<a rel="prev" href="/instructor/exercises/mse_grad?page=1">← Newer</a>' in second


def test_filters_select_by_exercise_student_and_status_and_the_pages_keep_them(client, session, make_user, sign_in,
                                                                              make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    for _ in range(27):
        make_submission(ada, status="queued")
    graded(session, make_submission, ada, 0.5)
    make_submission(ada, exercise="softmax_ce_grad", status="queued")
    graded(session, make_submission, grace, 0.7)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/?exercise=mse_grad&student=ada&status=queued").text
    assert "Submissions 1–25 of 27 (page 1 of 2)" in page
    assert ('<a rel="next" href="/instructor/?exercise=mse_grad&amp;student=ada&amp;status=queued&amp;page=2">'
            in page)
    assert "<option selected>ada</option>" in page and "<option selected>queued</option>" in page
    graded_only = client.get("/instructor/?status=graded").text
    assert "Submissions 1–2 of 2 (page 1 of 1)" in graded_only
    assert "Submissions 1–1 of 1" in client.get("/instructor/students/grace?exercise=mse_grad").text
    assert "Submissions 1–1 of 1" in client.get("/instructor/exercises/mse_grad?student=grace").text
    empty = client.get("/instructor/?student=grace&status=running").text
    assert "No submissions match this filter." in empty and "Submissions 0–0 of 0 (page 1 of 1)" in empty


def test_bad_page_numbers_and_filters_are_refused_saying_why(client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    for path, status, message in [
        ("/instructor/?page=0", 400, "The page must be a whole number from 1, not &#39;0&#39;."),
        ("/instructor/?page=x", 400, "The page must be a whole number from 1, not &#39;x&#39;."),
        ("/instructor/?page=2", 404, "There is no page 2: this list has 1."),
        ("/instructor/?exercise=nope", 400, "There is no exercise &#39;nope&#39;."),
        ("/instructor/?student=nobody", 400, "There is no user &#39;nobody&#39;."),
        ("/instructor/?status=done", 400,
         "The status must be one of queued, running, graded, error, not &#39;done&#39;."),
    ]:
        answer = client.get(path)
        assert (answer.status_code, message in answer.text) == (status, True), (path, answer.text)


def test_a_page_of_submissions_takes_the_same_queries_however_many_students_and_submissions(
        app, client, session, make_user, sign_in, make_submission):
    """The count, the page's rows, then their students, exercises and cases: no statement per row."""
    ada = make_user("ada")
    graded(session, make_submission, ada, 0.4)
    sign_in(make_user("prof", role="instructor"))
    paths = ["/instructor/", "/instructor/exercises/mse_grad?status=graded", "/instructor/students/ada"]
    before = {path: len(statements_of(app, client, path)[0]) for path in paths}
    for n in range(15):
        graded(session, make_submission, make_user(f"s{n}"), 0.5)
        graded(session, make_submission, ada, 0.5)
        make_submission(ada, exercise="softmax_ce_grad", status="queued")
    for path in paths:
        statements, answer = statements_of(app, client, path)
        assert answer.status_code == 200 and rows_of(answer.text) == 25, path
        assert len(statements) == before[path], path
        assert [s for s in set(statements) if statements.count(s) > 1] == [], path
