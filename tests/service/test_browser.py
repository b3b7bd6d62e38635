"""In headless Chromium: a student fixes mse_grad with the hint's help (without JavaScript: the plain form works);
the instructor sees it and takes the CSV. Another student writes in the editor, keeps a draft, checks against the
public samples and submits. A third uploads a homework notebook with plots and reads what was not run; the
instructor then gives an extension, takes the gradebook in points and for Canvas, and opens her page. Every page
fits a phone's width.

Screenshots of the student's result page, the editor and the dashboard, and of every page at 1280 and 390 px wide,
are saved under artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from exercises import EXERCISES
from tests.service.conftest import GRADING_SECONDS

WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


PHONE, DESKTOP = 390, 1280
"""Widths in CSS pixels: an iPhone 12 to 15's, and a laptop's."""


def sign_in(context, service, username):
    page = context.new_page()
    page.goto(f"{service.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", service.passwords[username])
    page.click("button[type=submit]")
    return page


def paste_into_the_editor(page, text):
    """Paste as a person does (the editor reads the clipboard event), replacing what is selected."""
    page.eval_on_selector(".cm-content", """(editor, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", text)


def submit_from_the_editor(page, source):
    page.fill("textarea[name=source]", source)
    page.click("text=Submit for grading")
    page.wait_for_selector("#verdict", timeout=30_000)  # the page reloads itself once graded


def at_both_widths(page, name, screenshots, accessible):
    """Audit the page as it stands at 1280 px, photograph it at 1280 and 390 px as ``name``, check that its
    navigation wraps between its links, never inside one, and give its width at 390 px (back at 1280 after)."""
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    accessible(page)
    page.screenshot(path=str(screenshots / f"{name}-{DESKTOP}.png"), full_page=True)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.screenshot(path=str(screenshots / f"{name}-{PHONE}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    split = page.eval_on_selector_all("header nav > *", "items => items.filter(i => "
                                      "i.getClientRects().length > 1).map(i => i.textContent.trim())")
    assert split == [], f"{name}: the navigation breaks inside {split}"
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    return width


def test_a_student_fixes_a_wrong_gradient_and_the_instructor_sees_it(browser, embedded_service, screenshots,
                                                                    accessible):
    student = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page = sign_in(student, embedded_service, "grace")
    assert "Gradient of the mean squared error" in page.inner_text("main")
    accessible(page, scripts=False)

    page.goto(f"{embedded_service.url}/exercises/mse_grad")
    accessible(page, scripts=False)
    assert page.is_hidden("#send-choice") and page.is_visible("text=Write your code or upload a file, not both")
    page.fill("textarea[name=source]", WRONG)
    page.click("#check-button")  # without JavaScript: the check's own page, which refreshes itself until done
    page.wait_for_selector("#check-result[data-status=graded]", timeout=30_000)
    assert "got      dy_hat = [-1.0, 0.0, 2.0]" in page.inner_text("#check-result")
    accessible(page, scripts=False)
    page.click("#back-to-code")
    assert page.input_value("textarea[name=source]") == WRONG
    submit_from_the_editor(page, WRONG)
    assert "Not yet" in page.inner_text("#verdict")
    assert "keep the factor 1/n" in page.inner_text("#diagnosis")  # the one hint, under the verdict
    accessible(page, scripts=False)

    page.click("#resubmit")
    assert page.input_value("textarea[name=source]") == WRONG
    submit_from_the_editor(page, RIGHT)
    assert "Passed: score 100%" in page.inner_text("#verdict")
    accessible(page, scripts=False)
    page.screenshot(path=str(screenshots / "student-result.png"), full_page=True)
    student.close()

    instructor = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = sign_in(instructor, embedded_service, "prof")
    grace_row = page.locator("#matrix tr", has_text="grace")
    assert "100%" in grace_row.inner_text()
    recent = [row.inner_text() for row in page.locator("#recent tbody tr", has_text="grace").all()]
    assert any("100%" in row for row in recent) and any("10%" in row or "0%" in row for row in recent)
    accessible(page)
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
    accessible(page)
    page.screenshot(path=str(screenshots / "instructor-exercise.png"), full_page=True)
    instructor.close()


def test_a_student_writes_in_the_editor_keeps_the_draft_checks_the_samples_and_submits(
        browser, embedded_service, screenshots, accessible):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = sign_in(context, embedded_service, "ada")
    refused = []  # what the pages' CSP refused: an inline script, a style without the page's nonce, another origin
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    page.goto(f"{embedded_service.url}/exercises/mse_grad")
    assert page.is_hidden("textarea[name=source]") and page.is_visible("text=Write here")
    assert "press Esc, then Tab" in page.inner_text("#editor-help")
    assert page.get_attribute(".cm-content", "aria-labelledby") == "source-label"
    accessible(page)

    page.click(".cm-content")
    page.keyboard.type("import numpy as np\n\ndef mse_grad(y_hat, y):\n")  # Enter indents the body by itself
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # Tab indents, rather than leaving the editor
    page.keyboard.type("return 2 * (y_hat - y)")
    assert page.input_value("textarea[name=source]") == WRONG.rstrip("\n")
    assert page.locator(".cm-lineNumbers .cm-gutterElement", has_text="4").count() == 1
    assert page.locator(".cm-content span", has_text="return").first.get_attribute("class")  # highlighted
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc, then Tab: the keyboard leaves the editor
    assert page.evaluate("document.activeElement.id") == "check-button"

    page.reload()
    assert page.input_value("textarea[name=source]") == WRONG.rstrip("\n"), "the draft was not kept"
    assert "return 2 * (y_hat - y)" in page.inner_text(".cm-content")

    page.click("#check-button")
    result = page.wait_for_selector("#check-panel #check-result[data-status=graded]", timeout=30_000)
    shown = result.inner_text()
    assert "✓ Public sample “worked example: n = 1”" in shown
    assert "✗ Public sample “three points”" in shown
    assert "expected dy_hat = [-0.333333, 0.0, 0.666667]" in shown  # six significant digits
    assert "got      dy_hat = [-1.0, 0.0, 2.0]" in shown
    accessible(page)
    page.screenshot(path=str(screenshots / "student-editor-check.png"), full_page=True)

    page.click(".cm-content")
    page.keyboard.press("Control+a")
    paste_into_the_editor(page, RIGHT)
    assert page.input_value("textarea[name=source]") == RIGHT
    page.click("text=Submit for grading")
    page.wait_for_selector("#verdict", timeout=30_000)
    assert "Passed: score 100%" in page.inner_text("#verdict")
    history = embedded_service.api("GET", "/submissions", "ada").json()
    assert [row["status"] for row in history] == ["graded"], "the check was counted as a submission"
    accessible(page)
    assert refused == []
    context.close()


def test_a_student_who_chooses_upload_sends_the_file_and_not_the_editor(browser, embedded_service, tmp_path,
                                                                         accessible):
    context = browser.new_context()
    page = sign_in(context, embedded_service, "grace")
    page.goto(f"{embedded_service.url}/exercises/linreg_grad")
    page.click(".cm-content")
    paste_into_the_editor(page, "this draft is not sent")
    page.check("text=Upload a file")
    assert page.is_hidden(".cm-editor") and page.is_visible("input[type=file]")
    accessible(page)
    upload = tmp_path / "answer.py"
    upload.write_text("def linreg_grad(a, b, x, y):\n    return 0\n")
    page.set_input_files("input[type=file]", str(upload))
    page.click("text=Submit for grading")
    page.wait_for_selector("#verdict", timeout=30_000)
    assert "answer.py" in page.inner_text("main")
    accessible(page)
    context.close()


HOMEWORK_CELLS = [
    ("markdown", "# Homework 1: the gradient of the mean squared error"),
    ("code", "import numpy as np\nimport matplotlib.pyplot as plt"),
    ("code", RIGHT.split("\n\n", 1)[1]),
    ("code", "x = np.linspace(-2, 2, 50)\nplt.plot(x, [mse_grad(np.array([v]), np.zeros(1))[0] for v in x])\n"
             "plt.title('dL/dy_hat')\nplt.show()"),
    ("code", "w, losses = np.zeros(3), []\nfor step in range(100):\n    w -= 0.1 * mse_grad(w, np.ones(3))\n"
             "    losses.append(float(np.mean((w - 1) ** 2)))"),
    ("code", "plt.semilogy(losses)\nplt.xlabel('step')"),
    # The student's own check, wrong by the 1/n: it would fail if it ran.
    ("code", "assert np.allclose(mse_grad(np.ones(2), np.zeros(2)), [2.0, 2.0]), 'my own check'"),
]
HOMEWORK_NOTES = [
    "cell 2, line 2: skipped, `import matplotlib.pyplot` is not available at grading time",
    "cell 4, line 1: skipped, `x` is not used by `mse_grad`",
    "cell 4, line 2: skipped, it calls plt.plot",
    "cell 4, line 3: skipped, it calls plt.title",
    "cell 4, line 4: skipped, it calls plt.show",
    "cell 5, line 1: skipped, `w` is not used by `mse_grad`",
    "cell 5, lines 2-4: skipped, it is a loop (it calls mse_grad)",
    "cell 6, line 1: skipped, it calls plt.semilogy",
    "cell 6, line 2: skipped, it calls plt.xlabel",
    "cell 7: skipped, it is a self-check `assert`",
]


def homework_notebook(path):
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "metadata": {}, "source": source,
         **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for kind, source in HOMEWORK_CELLS]}))
    return path


def download(page, selector):
    """(file name, text) of the file a link on the page downloads."""
    with page.expect_download() as started:
        page.click(selector)
    return started.value.suggested_filename, Path(started.value.path()).read_text()


def test_a_notebook_with_plots_is_graded_on_its_function_and_the_instructor_extends_exports_and_looks(
        browser, embedded_service, screenshots, accessible, tmp_path):
    """Grace uploads her homework notebook (plots, a training loop, a self-check that would fail, and the right
    mse_grad) and reads which cells were not run; the instructor gives her an extension from the dashboard, takes
    the gradebook in points and in Canvas's layout, and opens her page. Every page of the walk fits a phone."""
    too_wide = {}
    student = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = sign_in(student, embedded_service, "grace")
    page.goto(f"{embedded_service.url}/exercises/mse_grad")
    page.check("text=Upload a file")
    page.set_input_files("input[type=file]", str(homework_notebook(tmp_path / "homework1.ipynb")))
    too_wide["student-exercise-upload"] = at_both_widths(page, "student-exercise-upload", screenshots, accessible)
    page.click("text=Submit for grading")
    page.wait_for_selector("#verdict", timeout=GRADING_SECONDS * 1000)  # the page reloads itself once graded
    assert "Passed: score 100%" in page.inner_text("#verdict")
    assert page.inner_text(".notes h2") == "Not run when graded"
    assert page.locator(".notes li.note").all_inner_texts() == HOMEWORK_NOTES
    assert "(homework1.ipynb)" in page.inner_text("main")
    too_wide["student-result-notebook"] = at_both_widths(page, "student-result-notebook", screenshots, accessible)
    student.close()

    instructor = browser.new_context(viewport={"width": DESKTOP, "height": 900}, accept_downloads=True)
    page = sign_in(instructor, embedded_service, "prof")
    page.fill("input[name=username]", "grace")
    page.select_option("#assignment", "mse_grad")  # the built-in course: one assignment per exercise
    page.fill("input[name=until]", "2030-06-30T12:00")
    page.click("text=Give the extension")
    page.wait_for_url("**/instructor/#extensions")
    assert "grace has until 2030-06-30 12:00 UTC on mse_grad." in page.inner_text("main")
    assert (page.locator("#extension-list tbody tr", has_text="grace").inner_text().split("\t")
            == ["grace", "mse_grad", "2030-06-30 12:00 UTC"])
    too_wide["instructor-dashboard-extension"] = at_both_widths(page, "instructor-dashboard-extension", screenshots,
                                                                accessible)

    name, text = download(page, "#gradebook")
    grace = next(row for row in csv.DictReader(io.StringIO(text)) if row["username"] == "grace")
    assert name == "gradebook.csv" and grace["mse_grad"] == "1.0"  # points: the built-in assignments are worth 1
    assert float(grace["total"]) == sum(float(points) for column, points in grace.items()
                                        if column not in ("username", "total") and points)
    name, text = download(page, "#gradebook-canvas")
    header, possible, *students = csv.reader(io.StringIO(text))
    mse = next(n for n, column in enumerate(header) if column.endswith("(mse_grad)"))
    grace = next(row for row in students if row[3] == "grace")
    assert name == "gradebook-canvas.csv" and header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert (possible[0], possible[mse], grace[0], grace[mse]) == ("    Points Possible", "1.0", "grace", "1.0")

    page.click("#matrix >> text=grace")
    page.wait_for_url("**/instructor/students/grace")
    mse_row = page.locator("#per-exercise tr", has_text="mse_grad").inner_text()
    assert "100%" in mse_row
    too_wide["instructor-student-grace"] = at_both_widths(page, "instructor-student-grace", screenshots, accessible)
    instructor.close()
    assert {name: width for name, width in too_wide.items() if width > PHONE} == {}, f"wider than {PHONE} px"


def test_a_statements_math_is_drawn_in_the_math_font_served_here(browser, embedded_service, accessible):
    context = browser.new_context(viewport={"width": DESKTOP, "height": 800})
    page = sign_in(context, embedded_service, "ada")
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto(f"{embedded_service.url}/exercises/mse_grad")
    state = page.evaluate("""async () => {
        await document.fonts.ready;
        const faces = [...document.fonts].filter(face => face.family.replaceAll('"', "") === "STIX Two Math");
        return {family: getComputedStyle(document.querySelector(".statement math")).fontFamily,
                faces: faces.map(face => face.status)};
    }""")
    assert state == {"family": '"STIX Two Math", math', "faces": ["loaded"]} and refused == []
    accessible(page)
    context.close()


def test_buttons_use_the_pages_font(browser, embedded_service, accessible):
    context = browser.new_context(viewport={"width": DESKTOP, "height": 800})
    page = context.new_page()
    page.goto(f"{embedded_service.url}/login")
    accessible(page)
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


def test_every_page_fits_a_phone_and_passes_axe(browser, embedded_service, screenshots, accessible):
    """At 390 px no page scrolls sideways (wide tables scroll in their own box, display math too) and the
    navigation wraps between its links, never inside one; each page is photographed at 1280 and 390 px, and
    audited by axe-core at 1280."""
    submission = embedded_service.api("POST", "/submissions", json={"exercise": "mse_grad", "source": WRONG}).json()
    embedded_service.wait_graded(submission["id"])
    pages = {
        "ada": {"student-exercises": "/", "student-history": "/submissions",
                "student-result": f"/submissions/{submission['id']}",
                **{f"student-exercise-{name}": f"/exercises/{name}" for name in EXERCISES}},
        "prof": {"instructor-dashboard": "/instructor/", "instructor-exercise": "/instructor/exercises/mse_grad",
                 "instructor-submission": f"/instructor/submissions/{submission['id']}",
                 "instructor-roster": "/instructor/roster", "instructor-student": "/instructor/students/ada"},
    }
    too_wide = {}
    for user, paths in pages.items():
        context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
        page = sign_in(context, embedded_service, user)
        for name, path in paths.items():
            page.goto(f"{embedded_service.url}{path}")
            if (width := at_both_widths(page, name, screenshots, accessible)) > PHONE:
                too_wide[name] = width
        context.close()
    assert too_wide == {}, f"pages wider than {PHONE} px: {too_wide}"


def test_the_audit_names_a_serious_violation_its_page_and_element(browser, embedded_service, accessible):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{embedded_service.url}/login")
    page.eval_on_selector("main", "main => main.insertAdjacentHTML('beforeend', "
                                  "'<img id=\"unlabelled\" src=\"/static/favicon.svg\">')")
    with pytest.raises(AssertionError) as failed:
        accessible(page)
    assert str(failed.value).splitlines()[:2] == [
        "axe-core: serious or critical violations",
        'critical image-alt on /login: #unlabelled <img id="unlabelled" src="/static/favicon.svg"> '
        "(Images must have alternative text)"]
    context.close()
