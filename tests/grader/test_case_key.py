"""Hidden suites keyed by a deployment's secret: the stored seed alone reproduces nothing."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from exercises import EXERCISES, get_exercise
from gradegrad_client.command import main
from grader.exercise import suite_entropy
from grader.pipeline import grade

# Prints the inputs of every call: what the graded run saw, in the report's hidden_output.
SHOWS_INPUTS = ("import numpy as np\n\ndef mse_grad(y_hat, y):\n    print(np.round(y_hat, 6).tolist())\n"
                "    return 2 * (y_hat - y) / y.size\n")


def inputs(cases) -> list[np.ndarray]:
    return [value for case in cases for value in case.inputs.values() if isinstance(value, np.ndarray)]


def same(first, second) -> bool:
    return all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(inputs(first), inputs(second), strict=True))


def test_every_keyed_suite_differs_from_the_seed_alone_and_from_another_key():
    for exercise in EXERCISES.values():
        plain, keyed = exercise.hidden_cases(7), exercise.hidden_cases(7, b"deployment key")
        assert [c.name for c in plain] == [c.name for c in keyed], exercise.name
        assert not same(plain, keyed), exercise.name
        assert not same(keyed, exercise.hidden_cases(7, b"another key")), exercise.name


def test_the_same_key_and_seed_give_the_same_suite_again():
    for exercise in EXERCISES.values():
        assert same(exercise.hidden_cases(3, b"k"), exercise.hidden_cases(3, b"k")), exercise.name


def test_the_key_hashes_the_exercise_too():
    """Two exercises with one seed do not draw from one stream, and the seed alone gives the same one as before."""
    assert suite_entropy("mse_grad", 1, b"k") != suite_entropy("linreg_grad", 1, b"k")
    assert suite_entropy("mse_grad", 1, None) == 1


def test_grade_with_the_case_key_reproduces_a_keyed_grading(tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(SHOWS_INPUTS)
    keyed = grade(SHOWS_INPUTS, get_exercise("mse_grad"), 5, case_key=b"deploy").to_dict()
    runner = CliRunner()
    local = runner.invoke(main, ["grade", "mse_grad", str(answer), "--seed", "5", "--with-case-key", "--json"],
                          env={"GRADEGRAD_CASE_KEY": "deploy"})
    practice = runner.invoke(main, ["grade", "mse_grad", str(answer), "--seed", "5", "--json"],
                             env={"GRADEGRAD_CASE_KEY": "deploy"})
    assert json.loads(local.output)["hidden_output"] == keyed["hidden_output"]
    assert json.loads(practice.output)["hidden_output"] != keyed["hidden_output"]


def test_with_case_key_without_a_key_is_refused(tmp_path):
    answer = tmp_path / "answer.py"
    answer.write_text(SHOWS_INPUTS)
    refused = CliRunner().invoke(main, ["grade", "mse_grad", str(answer), "--with-case-key"],
                                 env={"GRADEGRAD_CASE_KEY": ""})
    assert refused.exit_code == 2
    assert ("--with-case-key needs the deployment's key in $GRADEGRAD_CASE_KEY (a deployment without one keeps it "
            "in its instance folder: instance/case_key)") in " ".join(refused.output.split())
