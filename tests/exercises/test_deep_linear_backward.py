"""deep_linear_backward's own tests: the same network as deep_linear_grad, and 'a gradient of 1' told apart from g;
its submissions are graded in test_submissions.py."""

import numpy as np

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("deep_linear_backward")
COLLECTION = load("deep_linear_backward")


def test_given_the_mse_gradient_on_y_hat_it_answers_as_deep_linear_grad():
    deep_linear_grad = get_exercise("deep_linear_grad")
    for case in deep_linear_grad.hidden_cases(COLLECTION.seed):
        x, y, w1, w2, w3 = (case.inputs[name] for name in deep_linear_grad.params)
        g = 2.0 * (x @ w1 @ w2 @ w3 - y) / len(y)
        assert EXERCISE.gradient is not None and deep_linear_grad.gradient is not None
        for ours, theirs in zip(EXERCISE.gradient(x, w1, w2, w3, g), deep_linear_grad.gradient(x, y, w1, w2, w3),
                                strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0.0)


def test_a_gradient_of_1_passes_the_sample_where_g_is_1_and_fails_every_hidden_case():
    source = COLLECTION.wrong["ones in place of g"][0]
    report = grade(source, EXERCISE, seed=COLLECTION.seed)
    assert [(s.name, s.passed) for s in report.samples] == [
        ("one sample, one unit per layer, a gradient of 1", True), ("two samples", False)]
    assert report.score == 0.0
    assert report.hints == [EXERCISE.mistake("a gradient of 1 on y_hat").hint]
