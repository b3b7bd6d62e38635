"""An exercise may ask for a value instead of a gradient: one number, whose reference is the loss itself and
which the self-checks hold to a second computation of it instead of to finite differences."""

import dataclasses
from textwrap import dedent

import numpy as np
import pytest

from grader.checks import check_exercise, fd_error
from grader.exercise import Case, Exercise, Mistake
from grader.pipeline import grade
from grader.tolerances import FD_TOLERANCE


def stable_logsumexp(x: np.ndarray) -> float:
    m = float(np.max(x))
    return m + float(np.log(np.sum(np.exp(x - m))))


def logaddexp_reduce(x: np.ndarray) -> float:
    return float(np.logaddexp.reduce(x))


def naive_logsumexp(x: np.ndarray) -> float:
    with np.errstate(over="ignore"):
        return float(np.log(np.sum(np.exp(x))))


def lse_cases(rng: np.random.Generator) -> list[Case]:
    return [Case("one entry", {"x": rng.normal(size=1)}),
            Case("entries near 1000", {"x": rng.uniform(990.0, 1000.0, size=4)}),
            Case("random", {"x": rng.normal(size=6)})]


OVERFLOW_HINT = "exp(1000) overflows to inf: subtract the maximum first."
LSE = Exercise(
    name="logsumexp", title="log-sum-exp", statement="# logsumexp\n\n$\\log \\sum_i e^{x_i}$",
    params=("x",), wrt=(), returns="value", loss=stable_logsumexp, cross_check=logaddexp_reduce,
    generate_cases=lse_cases, public_cases=(Case("two entries", {"x": np.array([0.0, 0.0])}),),
    mistakes=(Mistake("naive exp", OVERFLOW_HINT, naive_logsumexp),),
)
NO_CROSS_CHECK = ("logsumexp: an exercise asking for a value has no wrt and no gradient, and needs a "
                  "cross_check")


def graded(body: str):
    return grade(dedent(f"""
        import numpy as np

        def logsumexp(x):
            {body}
    """), LSE, seed=0)


def test_the_answer_is_one_number_labelled_loss_and_the_reference_is_the_loss_itself():
    case = LSE.public_cases[0]
    assert [(slot.label, slot.path, slot.shape) for slot in LSE.slots(case)] == [("loss", (), ())]
    assert LSE.reference_function is stable_logsumexp
    assert LSE.reference_answer(case) == pytest.approx(np.log(2.0))
    assert [r.shape for r in LSE.reference(case)] == [()]
    assert LSE.answer_noun == "value"


@pytest.mark.parametrize("changes", [{"wrt": ("x",)}, {"gradient": stable_logsumexp}, {"cross_check": None}],
                         ids=["wrt", "gradient", "no-cross-check"])
def test_an_exercise_asking_for_a_value_takes_no_wrt_no_gradient_and_needs_a_cross_check(changes):
    with pytest.raises(ValueError) as raised:
        dataclasses.replace(LSE, **changes)
    assert str(raised.value) == NO_CROSS_CHECK


def test_a_gradient_exercise_takes_no_cross_check():
    with pytest.raises(ValueError) as raised:
        dataclasses.replace(LSE, returns="array", wrt=("x",))
    assert str(raised.value) == ("logsumexp: cross_check is for an exercise asking for a value; a gradient is "
                                 "checked by finite differences")


def test_the_reference_is_checked_against_the_cross_check_not_finite_differences():
    check = check_exercise(LSE, range(3))
    assert check.ok and check.problems() == []
    assert fd_error(LSE, 0) <= FD_TOLERANCE.rtol
    off = dataclasses.replace(LSE, cross_check=lambda x: logaddexp_reduce(x) * (1 + 1e-4))
    assert fd_error(off, 0) > FD_TOLERANCE.rtol
    assert not check_exercise(off, range(1)).ok


def test_a_right_value_passes_also_as_a_0d_array_or_float32():
    for body in ("return np.logaddexp.reduce(x)", "return np.float32(x.max() + np.log(np.exp(x - x.max()).sum()))",
                 "return np.array(np.logaddexp.reduce(x))"):
        report = graded(body)
        assert (report.score, report.passed, report.error) == (1.0, True, None), body


def test_a_wrong_factor_is_told_in_the_words_of_a_value():
    report = graded("return 2 * np.logaddexp.reduce(x)")
    assert {case.message for case in report.cases} == {"'loss' is twice the true value (a factor of 2 too many)"}
    assert report.hints == ["In every failing case, each wrong value is twice the true value (a factor of 2 too "
                            "many), by the same factor throughout."]


def test_a_value_scaled_by_another_constant_is_told_so_without_a_direction():
    report = graded("return 3 * np.logaddexp.reduce(x)")
    assert {case.message for case in report.cases} == {"'loss' is the true value scaled by a wrong factor"}


def test_an_overflowing_value_is_non_finite_and_named():
    report = graded("return np.log(np.sum(np.exp(x)))")
    failed = [case for case in report.cases if not case.passed]
    assert [(case.name, case.kind) for case in failed] == [("entries near 1000", "nonfinite")]
    assert failed[0].message == ("'loss' has non-finite values (NaN or inf) in 1 of 1 entries; look for an overflow "
                                 "or a division by zero")
    assert report.hints == [OVERFLOW_HINT]


def test_an_answer_that_is_not_one_number_is_told_what_to_return():
    report = graded("return np.logaddexp.reduce(x), 0.0")
    assert {case.message for case in report.cases} == {"'loss' has the wrong shape: got (2,), expected a scalar, "
                                                       "shape ()"}
    report = graded("return {'loss': np.logaddexp.reduce(x)}")
    assert {case.kind for case in report.cases} == {"structure"}
    assert report.error == ("The answers are not arrays of numbers: 'loss' is not an array of numbers (its dtype "
                            "is object)")
