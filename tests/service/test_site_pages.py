"""What every page shares: the icon, the error pages and the style sheet's colours."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from web.models import Status


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


STYLE = Path(__file__).parents[2] / "web" / "static" / "style.css"
BADGES = sorted({*Status, "passed", "attempted", "not started", "grading"})
"""Every status a badge shows: a submission's, and a student's standing on an exercise (web/progress.py)."""


@pytest.mark.parametrize("status", BADGES)
def test_every_badge_has_a_contrast_of_at_least_4_5(status):
    """WCAG 2's contrast ratio for normal text, from the colours the style sheet gives the badge's class."""
    css = STYLE.read_text()
    variables = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", css))
    declared: dict[str, str] = {"color": variables["--fg"]}  # a badge without a colour of its own has the page's
    badge = {".badge", f".badge.{status.replace(' ', '-')}"}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if badge & {selector.strip() for selector in selectors.split(",")}:
            for name, value in re.findall(r"(color|background)\s*:\s*([^;]+)", body):
                declared[name] = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value.strip())
    assert contrast(declared["color"], declared["background"]) >= 4.5


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def luminance(colour: str) -> float:
    """The relative luminance of a #rrggbb colour (WCAG 2)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
