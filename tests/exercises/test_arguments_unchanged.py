"""A function must leave its arguments unchanged: one that changes an argument in place fails every case,
public samples and hidden cases alike, with a message that names the argument, and its values are still judged."""

from __future__ import annotations

from textwrap import dedent

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade
from grader.report import GradeReport
from tests.exercises.submissions import load
from tests.exercises.submissions.mlp_grad import LOOP

MSE = get_exercise("mse_grad")
MLP = get_exercise("mlp_grad")
MSE_SEED, MLP_SEED = load("mse_grad").seed, load("mlp_grad").seed

Y_HAT_CHANGED = ("'mse_grad' changed its argument 'y_hat' in place: a function must leave its arguments unchanged "
                 "(work on a copy, e.g. y_hat = y_hat.copy())")
AS_CHANGED = ("'mlp_grad' changed its argument 'As' in place: a function must leave its arguments unchanged "
              "(work on a copy, e.g. As = [a.copy() for a in As])")

IN_PLACE_MSE = """
    def mse_grad(y_hat, y):
        y_hat -= y
        y_hat *= 2 / len(y)
        return y_hat
"""

# The collection's mlp_grad loop, then a gradient step taken on the first layer; {copy} is where a copy may go.
MLP_WITH_A_STEP = (LOOP.replace("def mlp_grad(x, y, As, bs):\n", "def mlp_grad(x, y, As, bs):\n        {copy}\n")
                   .replace("        return dAs, dbs", "        As[0] -= 0.1 * dAs[0]\n        return dAs, dbs"))


def graded(source: str, exercise_name: str, seed: int) -> GradeReport:
    exercise = get_exercise(exercise_name)
    report = grade(dedent(source), exercise, seed=seed)
    assert leaked_expected_values(exercise, report) == []
    return report


def verdicts(report: GradeReport) -> set[tuple[bool | None, str, str]]:
    """(passed, kind, message) of every case and sample, in the report and in the student's view of it
    (there a case's verdict is the report's, so its passed is None; a sample's kind is "sample")."""
    assert report.public is not None
    return ({(case.passed, case.kind, case.message) for case in report.cases}
            | {(sample.passed, "sample", sample.message) for sample in report.samples + report.public.samples}
            | {(None, "public", case["message"]) for case in report.public.cases})


def test_an_mse_grad_computed_in_place_fails_every_case_naming_y_hat() -> None:
    report = graded(IN_PLACE_MSE, "mse_grad", MSE_SEED)
    assert (report.score, report.passed, report.error, report.hints) == (0.0, False, None, [])
    message = f"{Y_HAT_CHANGED}. Its answer is right"
    assert verdicts(report) == {(False, "mutated", message), (False, "sample", message), (None, "public", message)}
    assert len(report.samples) == len(MSE.public_cases)


def test_the_values_of_a_function_that_changes_an_argument_are_still_judged() -> None:
    """The message names the argument first, then says what is wrong as for a function that works on a copy."""
    in_place = graded("""
        def mse_grad(y_hat, y):
            y_hat -= y
            return y_hat / len(y)
    """, "mse_grad", MSE_SEED)
    on_a_copy = graded("""
        def mse_grad(y_hat, y):
            return (y_hat - y) / len(y)
    """, "mse_grad", MSE_SEED)
    assert (in_place.score, in_place.hints) == (0.0, on_a_copy.hints)
    assert in_place.hints == [MSE.mistake("missing factor 2").hint]
    assert [(case.kind, case.message) for case in in_place.cases] == [
        ("mutated", f"{Y_HAT_CHANGED}. Its answer is wrong too: {case.message}") for case in on_a_copy.cases]
    assert in_place.public is not None and on_a_copy.public is not None
    for samples, copied in ((in_place.samples, on_a_copy.samples), (in_place.public.samples, on_a_copy.public.samples)):
        assert [sample.message for sample in samples] == [
            f"{Y_HAT_CHANGED}. Its answer is wrong too: {sample.message}" for sample in copied]


def test_an_in_place_update_of_one_array_of_a_list_names_the_list() -> None:
    report = graded(MLP_WITH_A_STEP.replace("{copy}", ""), "mlp_grad", MLP_SEED)
    assert (report.score, report.passed, report.error) == (0.0, False, None)
    message = f"{AS_CHANGED}. Its answer is right"
    assert verdicts(report) == {(False, "mutated", message), (False, "sample", message), (None, "public", message)}


def test_a_function_that_changes_a_copy_passes() -> None:
    for source, name, seed in [
        ("""
            def mse_grad(y_hat, y):
                y_hat = y_hat.copy()
                y_hat -= y
                y_hat *= 2 / len(y)
                return y_hat
        """, "mse_grad", MSE_SEED),
        (MLP_WITH_A_STEP.replace("{copy}", "As = [A.copy() for A in As]"), "mlp_grad", MLP_SEED),
    ]:
        report = graded(source, name, seed)
        assert (report.score, report.passed, report.error) == (1.0, True, None)
        assert all(sample.passed for sample in report.samples)
