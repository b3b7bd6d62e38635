"""Progressive hints read from hints.md, one per '## ' section, and the optional solution.py, read with the exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises import get_exercise
from exercises.mse_grad import cases, mistakes, reference
from grader.exercise import assemble
from grader.pipeline import grade


def exercise_in(folder: Path) -> object:
    """mse_grad's parts assembled as if its module sat in ``folder`` (which holds statement.md and the rest)."""
    (folder / "statement.md").write_text("# A statement\n")
    return assemble(str(folder / "__init__.py"), reference, cases, mistakes, name="mse_grad", title="MSE",
                    params=("y_hat", "y"), wrt=("y_hat",), returns="array")


def test_hints_are_the_sections_of_hints_md_in_order_without_their_headings(tmp_path):
    (tmp_path / "hints.md").write_text("## First\n\nLook at one term.\n\n## Second\nMind the $\\frac{1}{n}$.\n")
    exercise = exercise_in(tmp_path)
    assert exercise.hints == ("Look at one term.", "Mind the $\\frac{1}{n}$.")
    assert exercise.solution is None


def test_without_hints_md_or_solution_py_an_exercise_has_neither(tmp_path):
    exercise = exercise_in(tmp_path)
    assert (exercise.hints, exercise.solution) == ((), None)


def test_solution_py_is_read_as_its_source(tmp_path):
    (tmp_path / "solution.py").write_text("def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n")
    assert exercise_in(tmp_path).solution == "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"


@pytest.mark.parametrize("text, problem", [
    ("Look at one term.\n\n## Second\nMore.\n", "every hint is a section that starts with a '## ' heading"),
    ("no heading at all\n", "every hint is a section that starts with a '## ' heading"),
    ("## First\nOne.\n## Second\n\n## Third\nThree.\n", "hint 2 is empty"),
], ids=["text-before-the-first-heading", "no-heading", "empty-section"])
def test_a_badly_written_hints_md_is_refused_naming_the_file(tmp_path, text, problem):
    (tmp_path / "hints.md").write_text(text)
    with pytest.raises(ValueError) as raised:
        exercise_in(tmp_path)
    assert str(raised.value) == f"{tmp_path / 'hints.md'}: {problem}"


def test_the_builtin_gradient_exercises_have_three_hints_that_start_gently():
    assert [len(get_exercise(name).hints) for name in ("mse_grad", "linreg_grad", "softmax_ce_grad")] == [3, 3, 3]
    assert get_exercise("mse_grad").hints[0] == (
        "Only the $i$-th term of the sum, $(y_i - \\hat y_i)^2$, contains $\\hat y_i$: every other term\n"
        "has a derivative of zero with respect to it. Start from that one term.")
    assert get_exercise("linreg_grad").hints[0].startswith("Write $r_i = a\\,x_i + b - y_i$")


@pytest.mark.parametrize("name", ["mse_grad", "linreg_grad", "softmax_ce_grad"])
def test_no_hint_gives_the_answer_as_code(name):
    for hint in get_exercise(name).hints:
        assert "def " not in hint and "```" not in hint and "\n    " not in hint


def test_the_shipped_mse_solution_passes_every_hidden_case():
    exercise = get_exercise("mse_grad")
    assert exercise.solution is not None and "def mse_grad(y_hat: np.ndarray, y: np.ndarray)" in exercise.solution
    report = grade(exercise.solution, exercise, seed=11)
    assert report.passed and report.score == 1.0
