"""What every page shares: the icon, the error pages and the style sheet's colours."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest


def test_every_page_links_the_svg_icon_and_favicon_ico_leads_to_it(client):
    login = client.get("/login").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer.headers["Location"]) == (301, "/static/favicon.svg")
    with client.get("/static/favicon.svg") as icon:
        assert (icon.status_code, icon.mimetype) == (200, "image/svg+xml")
        assert ElementTree.fromstring(icon.data).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(("method", "path", "status", "title", "message"), [
    ("GET", "/nope", 404, "Page not found", "There is nothing at this address"),
    ("DELETE", "/login", 405, "Not allowed here", "This address does not take that kind of request"),
    ("GET", "/boom", 500, "Something went wrong", "The server failed to answer this request"),
], ids=["404", "405", "500"])
def test_error_pages_are_the_apps_own(make_app, method, path, status, title, message):
    app = make_app(TESTING=False)  # as served: an exception becomes a 500 instead of reaching the test
    app.add_url_rule("/boom", "boom", fail)
    answer = app.test_client().open(path, method=method)
    assert answer.status_code == status and answer.mimetype == "text/html"
    assert f"<title>{title} · GradeGrad</title>" in answer.text
    assert f"<h1>{status} · {title}</h1>" in answer.text and message in answer.text
    assert '<a class="brand" href="/">GradeGrad</a>' in answer.text and "favicon.svg" in answer.text
    assert "If you entered the URL manually" not in answer.text and "Either the server is overloaded" not in answer.text


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/api/v1/nope", 404, "There is nothing at this address: the link may be mistyped or out of date."),
    ("/api/v1/boom", 500, "The server failed to answer this request and has logged why. Please try again; "
                          "if it keeps happening, tell your instructor what you were doing."),
], ids=["404", "500"])
def test_api_errors_keep_the_json_shape(make_app, path, status, message):
    app = make_app(TESTING=False)
    app.add_url_rule("/api/v1/boom", "api_boom", fail)
    answer = app.test_client().get(path)
    assert (answer.status_code, answer.mimetype, answer.json) == (status, "application/json", {"error": message})


def fail() -> str:
    raise RuntimeError("a bug in a view")
