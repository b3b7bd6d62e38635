"""Generic detectors: a mistake with the same shape in every exercise (outputs swapped, a gradient
transposed, one sample used alone, values truncated to integers) is told in words, once, in the hint
and in every failing case, and never said of a right answer."""

import textwrap

import pytest

from exercises import EXERCISES, get_exercise
from grader.checks import answered
from grader.feedback import detect, detection_named
from grader.pipeline import grade
from grader.tolerances import tolerance_for
from tests.exercises.submissions import load
from tests.exercises.submissions.deep_linear_grad import MATMUL
from tests.exercises.submissions.mlp_grad import LOOP

SEED = 1


def graded(exercise, source, seed=SEED):
    report = grade(textwrap.dedent(source), get_exercise(exercise), seed=seed)
    assert report.error is None and not report.passed
    return report


def failing_messages(report):
    return {c.message for c in report.samples + report.cases if not c.passed}


# Right implementations of the collection (as written there, indented), which the tests below turn into
# each detector's mistake.
DEEP_LINEAR, MLP = MATMUL, LOOP


def test_two_outputs_in_swapped_order_are_told_swapped():
    report = graded("mlp_grad", MLP.replace("return dAs, dbs", "return dbs, dAs"))
    assert report.hints == ["'dAs' and 'dbs' look swapped: return them in the order (dAs, dbs)."]
    assert failing_messages(report) == {"'dAs' and 'dbs' look swapped"}


def test_swapped_outputs_of_different_shapes_are_not_two_unrelated_wrong_shapes():
    report = graded("deep_linear_grad", DEEP_LINEAR.replace("return x.T @ (dh2 @ w2.T), h1.T @ dh2,",
                                                            "return h1.T @ dh2, x.T @ (dh2 @ w2.T),"))
    assert report.hints == ["'dw1' and 'dw2' look swapped: return them in the order (dw1, dw2, dw3)."]
    assert failing_messages(report) == {"'dw3' is right, but 'dw1' and 'dw2' look swapped"}


def test_one_output_transposed_beside_right_ones_is_told_transposed():
    report = graded("deep_linear_grad", DEEP_LINEAR.replace("x.T @ (dh2 @ w2.T)", "(dh2 @ w2.T).T @ x"))
    assert report.hints == ["'dw1' is transposed: a gradient has the shape of its parameter ('w1'); "
                            "swap the order of the product that computes it."]
    assert failing_messages(report) == {"'dw2', 'dw3' are right, but 'dw1' is transposed"}


FIRST_SAMPLE = ("Your answer is the gradient of the first sample's term alone ({rows}): the loss adds a term "
                "for every i, so the gradient adds up the gradients of all the terms (a `return` inside the loop?)")


def test_a_return_inside_the_loop_is_told_it_used_the_first_sample_alone():
    report = graded("mse_grad", """
        import numpy as np

        def mse_grad(y_hat, y):
            grad = np.zeros_like(y_hat)
            for i in range(len(y)):
                grad[i] = 2 * (y_hat[i] - y[i]) / len(y)
                return grad
    """)
    assert report.hints == [FIRST_SAMPLE.format(rows="y_hat[0] and y[0]")]
    assert failing_messages(report) == {"the answer looks computed from y_hat[0] and y[0] alone"}


def test_the_first_sample_alone_divided_by_n_is_still_the_first_sample_alone():
    report = graded("linreg_grad", """
        def linreg_grad(a, b, x, y):
            for xi, yi in zip(x, y):
                r = a * xi + b - yi
                return 2 * xi * r / len(x), 2 * r / len(x)
    """)
    assert report.hints == [FIRST_SAMPLE.format(rows="x[0] and y[0]")]


def test_the_first_time_step_alone_is_told_so():
    report = graded("rnn_bptt", load("rnn_bptt").wrong["a return inside the loop over the outputs"][0])
    assert report.hints == [FIRST_SAMPLE.format(rows="x[0] and y[0]")]


def test_a_loop_that_overwrites_is_told_it_kept_the_last_sample_alone():
    report = graded("linreg_grad", """
        def linreg_grad(a, b, x, y):
            for xi, yi in zip(x, y):
                r = a * xi + b - yi
                da, db = 2 * xi * r, 2 * r
            return da, db
    """)
    assert report.hints == [
        "Your answer is the gradient of the last sample's term alone (x[-1] and y[-1]): the loss adds a term for "
        "every i, so the gradient adds up the gradients of all the terms (each row's term overwriting the one "
        "before: `=` where `+=` belongs?)"]


def test_values_truncated_by_an_integer_buffer_are_told_so():
    report = graded("deep_linear_grad", DEEP_LINEAR.replace(
        "return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g",
        "dw1 = np.zeros(w1.shape, dtype=int)\n        dw1[:] = x.T @ (dh2 @ w2.T)\n"
        "        return dw1, h1.T @ dh2, h2.T @ g"))
    assert report.hints == ["'dw1' looks rounded towards zero to whole numbers: the array you fill has an integer "
                            "dtype. Create it as float (np.zeros(shape) or np.zeros_like(x, dtype=float))."]


def test_an_all_zero_answer_is_not_called_rounded():
    # every entry of a softmax cross-entropy's gradient lies in (-1, 1): rounded towards zero, all are 0
    report = graded("softmax_ce_grad", "import numpy as np\ndef softmax_ce_grad(logits, labels):\n"
                                       "    return np.zeros_like(logits)\n")
    assert report.hints == []


@pytest.mark.parametrize("name, hint", [
    ("swapped outputs", "'da' and 'db' look swapped: return them in the order (da, db)."),
    ("transposed output", "'dW' is transposed: a gradient has the shape of its parameter ('W'); swap the order"),
    ("one sample only", FIRST_SAMPLE.format(rows="x[0] and y[0]")),
    (None, "The loss is a mean: keep the factor 1/n from the loss in the gradient."),
])
def test_a_detection_is_recognised_by_its_hint(name, hint):
    assert detection_named(hint) == name


# The bank mistakes that are a generic mistake in the exercise's own words: the bank names them first.
SAME_MISTAKE = {
    ("mse_grad", "integer buffer"): "truncated to integers",
    ("linreg_grad", "swapped (da, db)"): "swapped outputs",
    ("linreg_grad", "only the first sample"): "one sample only",
    ("softmax_ce_grad", "only the first sample"): "one sample only",
    ("rnn_bptt", "dW transposed"): "transposed output",
    ("mlp_grad", "dAs[i] transposed"): "transposed output",
    ("deep_linear_grad", "dw2 transposed"): "transposed output",
    ("deep_linear_grad", "only the first sample"): "one sample only",
    ("deep_linear_backward", "products in the wrong order"): "transposed output",
    ("mlp_act_grad", "dAs[i] transposed"): "transposed output",
    ("linreg_vec_grad", "only the first sample"): "one sample only",
}


@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=lambda e: e.name)
def test_no_detection_contradicts_a_bank_mistake_or_a_right_answer_on_10_seeds(exercise):
    # about 4 s of CPU for the whole catalogue; bench/feedback.py --seeds N grades the collection on more
    tol = tolerance_for(exercise.name)
    reference = exercise.reference_function
    assert reference is not None
    detected = {}
    for seed in range(10):
        cases = list(exercise.public_cases) + exercise.hidden_cases(seed)
        assert detect(exercise, answered(exercise, reference, cases, tol), tol) is None
        for mistake in exercise.mistakes:
            detection = detect(exercise, answered(exercise, mistake.gradient, cases, tol), tol)
            detected.setdefault(mistake.name, set()).add(detection.name if detection else None)
    expected = {m.name: {SAME_MISTAKE.get((exercise.name, m.name))} for m in exercise.mistakes}
    assert detected == expected
