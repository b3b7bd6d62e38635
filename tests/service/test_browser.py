"""In headless Chromium: a student fixes mse_grad with the hint's help; the instructor sees it and takes the CSV;
every page fits a phone's width.

Screenshots of the student's result page and of the dashboard, and of every page at 1280 and 390 px wide, are saved
under artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from exercises import EXERCISES

WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


def sign_in(context, service, username):
    page = context.new_page()
    page.goto(f"{service.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", service.passwords[username])
    page.click("button[type=submit]")
    return page


def submit_from_the_editor(page, source):
    page.fill("textarea[name=source]", source)
    page.click("text=Submit for grading")
    page.wait_for_selector("#verdict", timeout=30_000)  # the page reloads itself once graded


def test_a_student_fixes_a_wrong_gradient_and_the_instructor_sees_it(browser, embedded_service, screenshots):
    student = browser.new_context(viewport={"width": 1200, "height": 900})
    page = sign_in(student, embedded_service, "grace")
    assert "Gradient of the mean squared error" in page.inner_text("main")

    page.goto(f"{embedded_service.url}/exercises/mse_grad")
    submit_from_the_editor(page, WRONG)
    assert "Not yet" in page.inner_text("#verdict")
    assert "keep the factor 1/n" in page.inner_text(".hints")

    page.click("#resubmit")
    assert page.input_value("textarea[name=source]") == WRONG
    submit_from_the_editor(page, RIGHT)
    assert "Passed: score 100%" in page.inner_text("#verdict")
    page.screenshot(path=str(screenshots / "student-result.png"), full_page=True)
    student.close()

    instructor = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = sign_in(instructor, embedded_service, "prof")
    grace_row = page.locator("#matrix tr", has_text="grace")
    assert "100%" in grace_row.inner_text()
    recent = [row.inner_text() for row in page.locator("#recent tbody tr", has_text="grace").all()]
    assert any("100%" in row for row in recent) and any("10%" in row or "0%" in row for row in recent)
    page.screenshot(path=str(screenshots / "instructor-dashboard.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#gradebook")
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(Path(download.value.path()).read_text()))}
    assert float(rows["grace"]["mse_grad"]) == 1.0

    page.click("#matrix >> text=mse_grad")
    page.wait_for_load_state("load")
    widths = page.eval_on_selector_all(".plots img", "images => images.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(width > 0 for width in widths), "the SVG plots did not load"
    assert "missing 1/n" in page.inner_text("#mistakes")
    page.screenshot(path=str(screenshots / "instructor-exercise.png"), full_page=True)
    instructor.close()


PHONE, DESKTOP = 390, 1280
"""Widths in CSS pixels: an iPhone 12 to 15's, and a laptop's."""


def test_buttons_use_the_pages_font(browser, embedded_service):
    context = browser.new_context(viewport={"width": DESKTOP, "height": 800})
    page = context.new_page()
    page.goto(f"{embedded_service.url}/login")
    fonts = page.evaluate("""() => [document.body, document.querySelector("button[type=submit]")]
                                   .map(e => getComputedStyle(e).font)""")
    assert fonts[1] == fonts[0]
    context.close()


def test_a_not_started_badge_stays_on_one_line(browser, embedded_service):
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = sign_in(context, embedded_service, "ada")
    lines = page.eval_on_selector_all(".badge.not-started", "badges => badges.map(b => b.getClientRects().length)")
    assert lines and set(lines) == {1}
    context.close()


def test_every_page_fits_a_phone(browser, embedded_service, screenshots):
    """At 390 px no page scrolls sideways (wide tables scroll in their own box, display math too) and the
    navigation wraps between its links, never inside one; each page is photographed at 1280 and 390 px."""
    submission = embedded_service.api("POST", "/submissions", json={"exercise": "mse_grad", "source": WRONG}).json()
    embedded_service.wait_graded(submission["id"])
    pages = {
        "ada": {"student-exercises": "/", "student-history": "/submissions",
                "student-result": f"/submissions/{submission['id']}",
                **{f"student-exercise-{name}": f"/exercises/{name}" for name in EXERCISES}},
        "prof": {"instructor-dashboard": "/instructor/", "instructor-exercise": "/instructor/exercises/mse_grad",
                 "instructor-submission": f"/instructor/submissions/{submission['id']}",
                 "instructor-roster": "/instructor/roster"},
    }
    too_wide = {}
    for user, paths in pages.items():
        context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
        page = sign_in(context, embedded_service, user)
        for name, path in paths.items():
            page.set_viewport_size({"width": DESKTOP, "height": 900})
            page.goto(f"{embedded_service.url}{path}")
            page.screenshot(path=str(screenshots / f"{name}-{DESKTOP}.png"), full_page=True)
            page.set_viewport_size({"width": PHONE, "height": 844})
            page.screenshot(path=str(screenshots / f"{name}-{PHONE}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                too_wide[name] = width
            split = page.eval_on_selector_all("header nav > *", "items => items.filter(i => "
                                              "i.getClientRects().length > 1).map(i => i.textContent.trim())")
            assert split == [], f"{name}: the navigation breaks inside {split}"
        context.close()
    assert too_wide == {}, f"pages wider than {PHONE} px: {too_wide}"
