"""What a submission prints, raises and returns reaches a terminal or a JSON parser only as inert text."""

import io
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from exercises import get_exercise
from gradegrad_client.display import visible
from gradegrad_client.render import render_report
from gradegrad_client.strict_json import strict_dumps, strict_value
from grader.pipeline import grade

GRADEGRAD = [str(Path(sys.executable).parent / "gradegrad")]
RIGHT = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
NAN_ANSWER = "import numpy as np\ndef mse_grad(y_hat, y):\n    return np.full(len(y), np.nan)\n"
NUL_RAISER = "def mse_grad(y_hat, y):\n    raise ValueError('a\\x00b')\n"
# Clears the screen, then prints a verdict of its own, in escapes and in Rich markup.
FAKE_VERDICT = ("def mse_grad(y_hat, y):\n"
                "    print('\\x1b[2J\\x1b[H\\x1b[1;32mPASSED\\x1b[0m [bold green]PASSED[/] \\u202eDESSAP\\r')\n"
                "    raise ValueError('\\x1b[2J[green]PASSED[/]')\n")


def refuse_constant(name):
    raise ValueError(f"not strict JSON: bare {name}")


def strict_loads(text):
    """A parser as strict as JavaScript's JSON.parse about NaN and the infinities."""
    return json.loads(text, parse_constant=refuse_constant)


def gradegrad(*args):
    done = subprocess.run([*GRADEGRAD, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_nan_answer_is_graded_and_its_json_is_strict(tmp_path):
    path = tmp_path / "nan.py"
    path.write_text(NAN_ANSWER)
    report = strict_loads(gradegrad("grade", "mse_grad", path, "--json"))
    assert report["passed"] is False and report["score"] == 0.0
    assert report["samples"][0]["got"]["dy_hat"] == ["NaN"]
    assert {case["kind"] for case in report["cases"]} == {"nonfinite"}
    gradescope = strict_loads(gradegrad("grade", "mse_grad", path, "--format", "gradescope"))
    assert gradescope["score"] == 0.0


def test_a_nul_in_an_exception_is_replaced_in_the_json(tmp_path):
    path = tmp_path / "nul.py"
    path.write_text(NUL_RAISER)
    report = strict_loads(gradegrad("grade", "mse_grad", path, "--json"))
    assert report["error"] == "Every case raised ValueError: a\ufffdb"
    assert "\x00" not in json.dumps(report)


def test_strict_value_spells_non_finite_numbers_and_replaces_unstorable_characters():
    value = {"a\x00": [float("nan"), float("inf"), -float("inf"), 1.5, ("x\ud800", 2, None, True)]}
    assert strict_value(value) == {"a\ufffd": ["NaN", "Infinity", "-Infinity", 1.5, ["x\ufffd", 2, None, True]]}
    assert strict_loads(strict_dumps(value))


def test_visible_shows_control_and_invisible_characters_and_keeps_newlines_and_tabs():
    assert visible("a\x1b[2Jb\r\x00\x07\x7f") == "a\u241b[2Jb\u240d\u2400\u2407\u2421"
    assert visible("x\u202ey\u200bz\ufeff\u2028\x85") == "x\\u202ey\\u200bz\\ufeff\\u2028\\u0085"
    assert visible("line\n\tindented é ∇ 😀") == "line\n\tindented é ∇ 😀"


def rendered(report):
    out = io.StringIO()
    render_report(report, Console(file=out, force_terminal=True, color_system="truecolor", width=200))
    return out.getvalue()


def test_the_text_report_shows_escapes_and_markup_as_text_not_as_effects():
    report = grade(FAKE_VERDICT, get_exercise("mse_grad")).to_dict()
    text = rendered(report)
    assert "\x1b[2J" not in text and "\x1b[1;32m" not in text and "\r" not in text and "\u202e" not in text
    assert "\u241b[2J\u241b[H\u241b[1;32mPASSED\u241b[0m [bold green]PASSED[/] \\u202eDESSAP\u240d" in text
    assert "ValueError: \u241b[2J[green]PASSED[/]" in text
    assert "NOT YET" in text


def test_gradegrad_grade_prints_no_escape_the_student_wrote(tmp_path):
    path = tmp_path / "fake.py"
    path.write_text(FAKE_VERDICT)
    text = gradegrad("grade", "mse_grad", path)
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text
    assert "\u241b[1;32mPASSED" in text and "[bold green]PASSED[/]" in text


def test_a_hidden_verdict_renders_as_neither_passed_nor_failed():
    report = grade(RIGHT, get_exercise("mse_grad")).to_dict()
    for case in report["cases"]:
        case.update(passed=None, message="Hidden by the instructor", kind="hidden")
    text = rendered(report)
    assert "✓" not in text and "✗" not in text and f"({len(report['cases'])} hidden cases)" in text
