"""softmax_ce_loss's own tests: the answer is one number, the reference agrees with exact arithmetic and stays
finite where exp overflows, and overflow is named; its submissions are graded in test_submissions.py."""

import math

import numpy as np
import pytest

from exercises import get_exercise
from exercises.softmax_ce_loss.reference import cross_check
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("softmax_ce_loss")
COLLECTION = load("softmax_ce_loss")
SEED = COLLECTION.seed
MANY_SEEDS = range(50)
LARGE = ("logits of magnitude up to 1000", "large negative logits", "true class 2000 below its row's maximum",
         "a row near +1000 beside one in [-1000, -800]")


def test_the_answer_is_one_number_whose_reference_is_the_loss_itself():
    assert (EXERCISE.returns, EXERCISE.wrt, EXERCISE.gradient) == ("value", (), None)
    for case in EXERCISE.hidden_cases(SEED):
        assert isinstance(EXERCISE.reference_answer(case), float)
        assert [(slot.label, slot.shape) for slot in EXERCISE.slots(case)] == [("loss", ())]


def test_worked_example_of_the_statement():
    case = EXERCISE.public_cases[0]  # logits [1, 2, 3], true class 2
    assert EXERCISE.loss_value(case) == pytest.approx(math.log(1 + math.exp(-1) + math.exp(-2)), rel=1e-15)


def test_the_reference_agrees_with_exact_arithmetic_and_is_finite_on_ten_seeds():
    for seed in range(10):
        for case in EXERCISE.hidden_cases(seed):
            value = EXERCISE.loss_value(case)
            assert np.isfinite(value) and value > 0
            assert value == pytest.approx(cross_check(**case.inputs), rel=1e-13), (seed, case.name)


def test_the_mean_is_the_summed_loss_of_softmax_ce_grad_over_n():
    summed = get_exercise("softmax_ce_grad")
    for case in EXERCISE.hidden_cases(SEED):
        n = len(case.inputs["labels"])
        assert EXERCISE.loss_value(case) == pytest.approx(summed.loss_value(case) / n, rel=1e-14)


def test_every_suite_has_logits_where_a_naive_exp_overflows_or_underflows():
    for seed in MANY_SEEDS:
        cases = {case.name: case for case in EXERCISE.hidden_cases(seed)}
        with np.errstate(over="ignore"):
            assert not np.isfinite(np.exp(cases["logits of magnitude up to 1000"].inputs["logits"])).all()
        assert np.all(np.exp(cases["large negative logits"].inputs["logits"]) == 0.0)
        far = cases["true class 2000 below its row's maximum"].inputs
        log_p = far["logits"][0] - np.logaddexp.reduce(far["logits"][0])
        assert np.exp(log_p[far["labels"][0]]) == 0.0 and np.isfinite(log_p[far["labels"][0]])


def test_naive_exp_fails_only_the_large_logits_with_a_non_finite_message_and_the_overflow_hint():
    naive_exp, _ = COLLECTION.wrong["naive exp"]
    report = grade(naive_exp, EXERCISE, seed=SEED)
    assert sorted(c.name for c in report.cases if not c.passed) == sorted(LARGE)
    for case in (c for c in report.cases if not c.passed):
        assert case.kind == "nonfinite"
        assert case.message == ("'loss' has non-finite values (NaN or inf) in 1 of 1 entries; look for an overflow "
                                "or a division by zero")
    assert report.hints == [EXERCISE.mistake("naive exp overflows").hint]
    assert "overflows" in report.hints[0]


def test_the_seed_answers_ratio_without_exp_is_named_on_four_seeds():
    source, mistake = COLLECTION.wrong["the seed answer's o_i / sum_j o_j"]
    for seed in (0, 1, 2, SEED):
        report = grade(source, EXERCISE, seed=seed)
        assert report.score < 1.0
        assert report.hints == [EXERCISE.mistake(mistake).hint]
