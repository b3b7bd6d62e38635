"""The `gradegrad` command line keeps the contract of the spec."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RIGHT = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
GRADEGRAD = [str(Path(sys.executable).parent / "gradegrad")]


def gradegrad(*args, check=True, env=None):
    result = subprocess.run([*GRADEGRAD, *map(str, args)], capture_output=True, text=True, timeout=120, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def right_file(tmp_path):
    path = tmp_path / "right.py"
    path.write_text(RIGHT)
    return path


def test_grade_json_prints_exactly_one_object_with_the_contract_fields(right_file):
    result = gradegrad("grade", "mse_grad", right_file, "--json", "--seed", "4")
    report = json.loads(result.stdout)
    assert {"exercise", "score", "passed", "cases", "error"} <= set(report)
    assert report["exercise"] == "mse_grad" and report["score"] == 1.0 and report["passed"] is True
    assert report["error"] is None and report["seed"] == 4
    assert all({"name", "passed", "message"} <= set(case) for case in report["cases"])


def test_student_output_never_reaches_the_json_stdout(tmp_path):
    path = tmp_path / "noisy.py"
    path.write_text("import sys\n\ndef mse_grad(y_hat, y):\n    print('{\"score\": 1.0}')\n    sys.stderr.write('{}')\n"
                    "    return 2 * (y_hat - y) / len(y)\n")
    report = json.loads(gradegrad("grade", "mse_grad", path, "--json").stdout)
    assert report["passed"] and '{"score": 1.0}' in report["output"]


def test_gradegrad_grade_says_what_of_the_file_it_did_not_run(tmp_path):
    path = tmp_path / "hw.py"
    path.write_text("import numpy as np\nimport matplotlib.pyplot as plt\n" + RIGHT + "plt.plot([1, 2])\n")
    report = json.loads(gradegrad("grade", "mse_grad", path, "--json").stdout)
    assert report["passed"] and report["notes"] == [
        "line 2: skipped, `import matplotlib.pyplot` is not available at grading time",
        "line 5: skipped, it calls plt.plot"]
    shown = gradegrad("grade", "mse_grad", path, env={**os.environ, "COLUMNS": "200"}).stdout
    assert "Not run when graded" in shown
    assert "• line 2: skipped, `import matplotlib.pyplot` is not available at grading time" in shown
    assert "• line 5: skipped, it calls plt.plot" in shown


def test_failing_grade_still_exits_zero(tmp_path):
    path = tmp_path / "wrong.py"
    path.write_text("def mse_grad(y_hat, y):\n    return y_hat\n")
    report = json.loads(gradegrad("grade", "mse_grad", path, "--json").stdout)
    assert report["passed"] is False and 0 <= report["score"] < 1


def test_unknown_exercise_is_misuse_with_a_message_on_stderr(right_file):
    result = gradegrad("grade", "no_such_exercise", right_file, "--json", check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert "unknown exercise 'no_such_exercise'" in result.stderr


def test_missing_file_is_misuse_with_a_message_on_stderr(tmp_path):
    result = gradegrad("grade", "mse_grad", tmp_path / "absent.py", "--json", check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert "does not exist" in result.stderr


def test_empty_file_is_graded_as_a_submission_error(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("")
    report = json.loads(gradegrad("grade", "mse_grad", path, "--json").stdout)
    assert report["error"] == "Cannot grade empty.py: the file is empty" and report["score"] == 0.0


def test_exercises_json_lists_names_and_titles():
    listed = json.loads(gradegrad("exercises", "--json").stdout)
    assert {"name": "mse_grad", "title": "Gradient of the mean squared error",
            "signature": "mse_grad(y_hat, y)"} in listed


def test_text_report_leads_with_the_verdict_and_what_to_fix(tmp_path):
    path = tmp_path / "wrong.py"
    path.write_text("def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n")
    out = gradegrad("grade", "mse_grad", path).stdout
    assert out.startswith("mse_grad: NOT YET  score 10% (1/10 hidden cases)\n")
    assert "What to fix" in out and "keep the factor 1/n" in out


def test_gradescope_results_json(tmp_path):
    path = tmp_path / "wrong.py"
    path.write_text("def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n")
    target = tmp_path / "results.json"
    gradegrad("grade", "mse_grad", path, "--format", "gradescope", "-o", target)
    results = json.loads(target.read_text())
    assert results["max_score"] == 1.0 and 0 < results["score"] < 1
    assert len(results["tests"]) >= 8
    assert sum(t["score"] for t in results["tests"]) == pytest.approx(results["score"])
    assert all({"name", "score", "max_score", "output", "visibility"} <= set(t) for t in results["tests"])


def test_check_exercises_prints_a_table_per_exercise():
    out = gradegrad("check-exercises").stdout
    assert "mse_grad" in out and "error vs check" in out


def test_gradegrad_exercises_says_what_a_submission_may_import():
    shown = gradegrad("exercises", env={**os.environ, "COLUMNS": "400"}).stdout
    assert shown.endswith(
        "When it is graded, your code may import numpy and Python's standard library, nothing else (not matplotlib, "
        "tqdm or IPython). Only what defines your function runs: the imports, and the functions, classes and "
        "constants it uses; plots, loops, prints and self-check asserts are skipped, and the report lists what was "
        "skipped and why.\n")
