"""A student's own history a page at a time: on its page 25 at a time, in the API a JSON list, the newest 200
unless ``?page=`` and ``?per_page=`` ask for another page."""

from __future__ import annotations

from web.models import Submission


def many_submissions(session, published, user, count):
    """``count`` queued submissions of ``user``, oldest first, added in one commit."""
    made = [Submission(user_id=user.id, exercise_id=published("mse_grad").id, source="x = 1\n", seed=7)
            for _ in range(count)]
    session.add_all(made)
    session.commit()
    return [submission.id for submission in made]


def rows_of(page):
    return page.split('id="history"')[1].split("</tbody>")[0].count("<tr><td><a")


def test_the_history_page_lists_ones_own_submissions_a_page_at_a_time_newest_first(client, session, make_user,
                                                                                   sign_in, published):
    ada = make_user("ada")
    made = many_submissions(session, published, ada, 30)
    many_submissions(session, published, make_user("grace"), 3)
    sign_in(ada)
    first = client.get("/submissions").text
    assert rows_of(first) == 25 and f">{made[-1]}</a>" in first and f">{made[4]}</a></td>" not in first
    assert "Submissions 1–25 of 30 (page 1 of 2)" in first
    assert '<a rel="next" href="/submissions?page=2">Older →</a>' in first and 'rel="prev"' not in first
    second = client.get("/submissions?page=2").text
    assert rows_of(second) == 5 and f">{made[0]}</a>" in second
    assert "Submissions 26–30 of 30 (page 2 of 2)" in second and 'rel="next"' not in second
    assert '<a rel="prev" href="/submissions?page=1">← Newer</a>' in second
    sign_in(make_user("hopper"))
    empty = client.get("/submissions").text
    assert "No submissions yet." in empty and 'id="pager"' not in empty


def test_bad_history_page_numbers_are_refused_saying_why(client, make_user, sign_in):
    sign_in(make_user("ada"))
    for path, status, message in [
        ("/submissions?page=0", 400, "The page must be a whole number from 1, not &#39;0&#39;."),
        ("/submissions?page=-1", 400, "The page must be a whole number from 1, not &#39;-1&#39;."),
        ("/submissions?page=x", 400, "The page must be a whole number from 1, not &#39;x&#39;."),
        ("/submissions?page=2", 404, "There is no page 2: this list has 1."),
    ]:
        answer = client.get(path)
        assert (answer.status_code, message in answer.text) == (status, True), (path, answer.text)


def test_the_api_history_is_the_newest_200_and_the_rest_on_page_2(client, session, make_user, token_for, published):
    ada = make_user("ada")
    made = many_submissions(session, published, ada, 205)
    headers = token_for(ada)
    newest = client.get("/api/v1/submissions", headers=headers)
    assert newest.status_code == 200 and [s["id"] for s in newest.json] == made[:4:-1]
    assert [s["id"] for s in client.get("/api/v1/submissions?page=2", headers=headers).json] == made[4::-1]


def test_the_api_history_pages_by_per_page(client, session, make_user, token_for, published):
    ada = make_user("ada")
    made = many_submissions(session, published, ada, 5)
    many_submissions(session, published, make_user("grace"), 2)
    headers = token_for(ada)
    pages = [[s["id"] for s in client.get(f"/api/v1/submissions?per_page=2&page={n}", headers=headers).json]
             for n in (1, 2, 3)]
    assert pages == [[made[4], made[3]], [made[2], made[1]], [made[0]]]
    assert [s["id"] for s in client.get("/api/v1/submissions?per_page=200", headers=headers).json] == made[::-1]


def test_bad_api_history_pages_are_refused_saying_why(client, session, make_user, token_for, published):
    ada = make_user("ada")
    many_submissions(session, published, ada, 3)
    headers = token_for(ada)
    for query, status, message in [
        ("page=0", 400, "The page must be a whole number from 1, not '0'."),
        ("page=1.5", 400, "The page must be a whole number from 1, not '1.5'."),
        ("per_page=0", 400, "The per_page must be a whole number from 1 to 200, not '0'."),
        ("per_page=201", 400, "The per_page must be a whole number from 1 to 200, not '201'."),
        ("per_page=ten", 400, "The per_page must be a whole number from 1 to 200, not 'ten'."),
        ("page=2", 404, "There is no page 2: this list has 1."),
        ("per_page=2&page=3", 404, "There is no page 3: this list has 2."),
    ]:
        answer = client.get(f"/api/v1/submissions?{query}", headers=headers)
        assert (answer.status_code, answer.json) == (status, {"error": message}), query
