"""softmax_ce_grad's own tests: overflow is named, the reference stays finite; its submissions are graded in
test_submissions.py."""

import pytest

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("softmax_ce_grad")
COLLECTION = load("softmax_ce_grad")
SEED = COLLECTION.seed


def test_naive_exp_fails_on_large_logits_with_non_finite_message_and_overflow_hint():
    naive_exp, _ = COLLECTION.wrong["naive exp"]
    report = grade(naive_exp, get_exercise("softmax_ce_grad"), seed=SEED)
    by_name = {c.name: c for c in report.cases}
    large = by_name["logits of magnitude up to 1000"]
    assert not large.passed and large.kind == "nonfinite"
    assert "non-finite" in large.message and "overflow" in large.message
    assert large.hint == EXERCISE.mistake("naive exp overflows").hint
    small = [c for c in report.cases if "1000" not in c.name and "large" not in c.name]
    assert small and all(c.passed for c in small)


def test_reference_stays_finite_and_sums_to_zero_per_row_at_huge_logits():
    for case in EXERCISE.hidden_cases(SEED):
        (grad,) = EXERCISE.reference(case)
        assert grad.shape == case.inputs["logits"].shape
        assert grad.sum(axis=1) == pytest.approx(0.0, abs=1e-12)
