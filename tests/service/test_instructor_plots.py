"""The exercise page's plots read well: an empty one says so, bars fit the span of time, ticks are plain."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.service.test_instructor_pages import graded
from web.models import utcnow


def texts(client, path):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    return answer.text, re.findall(r"<text\b[^>]*>([^<]*)</text>", answer.text)


def test_plots_of_an_exercise_without_submissions_say_so_and_draw_no_axes(client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    for plot, title in (("histogram", "mse_grad: scores"), ("timeline", "mse_grad: submissions")):
        svg, words = texts(client, f"/instructor/exercises/mse_grad/{plot}.svg")
        assert words == ["no submissions yet", title], plot
        assert "0.04" not in svg


def test_a_burst_of_submissions_in_ten_minutes_is_drawn_a_bar_per_minute(client, session, make_user, sign_in,
                                                                         make_submission):
    ada = make_user("ada")
    start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    for i in range(12):
        make_submission(ada, status="queued", created_at=start + timedelta(seconds=50 * i))
    sign_in(make_user("prof", role="instructor"))
    svg, words = texts(client, "/instructor/exercises/mse_grad/timeline.svg")
    assert "submissions per minute" in words
    assert svg.count('id="bar-') == 10  # minutes 0 to 9 of the hour
    ticks = [w for w in words if re.fullmatch(r"\d\d:\d\d", w)]
    assert ticks and all(w.startswith(f"{start:%H}:") for w in ticks)
    assert [w for w in words if re.fullmatch(r"\d+", w)] == ["0", "1", "2"]  # whole submissions only


def test_a_semester_of_submissions_is_drawn_a_bar_per_day_or_week(client, session, make_user, sign_in,
                                                                 make_submission):
    ada = make_user("ada")
    for day in range(0, 120, 3):
        make_submission(ada, status="queued", created_at=utcnow() - timedelta(days=day))
    sign_in(make_user("prof", role="instructor"))
    svg, words = texts(client, "/instructor/exercises/mse_grad/timeline.svg")
    assert "submissions per week" in words and svg.count('id="bar-') <= 40


def test_the_score_histogram_has_percent_ticks_and_whole_counts(client, session, make_user, sign_in,
                                                                make_submission):
    ada = make_user("ada")
    for score in (0.5, 1.0, 1.0):
        graded(session, make_submission, ada, score)
    sign_in(make_user("prof", role="instructor"))
    _, words = texts(client, "/instructor/exercises/mse_grad/histogram.svg")
    assert words == ["0%", "20%", "40%", "60%", "80%", "100%", "score", "0", "1", "2", "submissions",
                     "mse_grad: scores"]
