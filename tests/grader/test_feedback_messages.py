"""Feedback never misleads: a mistake is named only where it explains every failing case, factors
are described once and alike in every case, a negative factor is never said to point the right
way, names keep their case, and float32 arithmetic is recognised as such."""

import textwrap

import pytest

from exercises import get_exercise
from grader.feedback import FLOAT32_ADVICE, FLOAT32_HINT, constant_words
from grader.pipeline import grade

SEED = 0


def graded(exercise, source, seed=SEED):
    report = grade(textwrap.dedent(source), get_exercise(exercise), seed=seed)
    assert report.error is None and not report.passed
    return report


def failing_messages(report):
    return [c.message for c in report.samples + report.cases if not c.passed]


SIGMA_PRIME_AS_ONE_MINUS_SIGMA = """
    import numpy as np

    def mlp_grad(x, y, As, bs):
        fs = [x]
        for A, b in zip(As, bs):
            fs.append(1 / (1 + np.exp(-(A @ fs[-1] + b))))
        g = 2 * (fs[-1] - y)
        dAs, dbs = [], []
        for i in range(len(As) - 1, -1, -1):
            delta = g * (1 - fs[i + 1])
            dAs.insert(0, np.outer(delta, fs[i]))
            dbs.insert(0, delta)
            g = As[i].T @ delta
        return dAs, dbs
"""


def test_a_mistake_that_coincides_on_one_degenerate_case_is_not_named():
    # on the public case "one layer, one unit" f = 0.5, where 1 - f equals f: the answer matches
    # "sigma' written as sigma" there and nowhere else
    exercise = get_exercise("mlp_grad")
    report = graded("mlp_grad", SIGMA_PRIME_AS_ONE_MINUS_SIGMA)
    assert exercise.mistake("sigma' written as sigma").hint not in report.hints
    assert report.hints == []
    assert all(c.hint is None for c in report.samples + report.cases)


def test_a_divisor_of_n_minus_1_is_named_as_such_not_as_the_half_mse_gradient():
    # 2 / (n - 1) equals 1 at n = 3, where the half-MSE gradient (y_hat - y) coincides with it
    exercise = get_exercise("mse_grad")
    report = graded("mse_grad", "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / (len(y) - 1)\n")
    assert report.hints == [exercise.mistake("divided by n - 1").hint]
    assert exercise.mistake("half-MSE gradient without 1/n").hint not in report.hints


def test_a_negative_factor_is_said_to_point_the_other_way():
    report = graded("mse_grad", "def mse_grad(y_hat, y):\n    return 2 * (y - y_hat)\n")
    messages = failing_messages(report)
    assert not any("right way" in m for m in messages)
    assert set(messages) == {
        "'dy_hat' is -n times the true gradient (the opposite sign, and a sum where the loss takes a mean?)"}
    assert report.hints == ["In every failing case, each wrong array is -n times the true gradient, with "
                            "n = len(y_hat): the opposite sign, and a sum where the loss takes a mean?"]


@pytest.mark.parametrize("factor, words", [
    (-3.0, "points the opposite way of the true gradient, and is scaled by a wrong factor"),
    (-0.1, "points the opposite way of the true gradient, and is scaled by a wrong factor"),
    (3.0, "points the right way but is scaled by a wrong factor"),
    (-1.0, "has the opposite sign of the true gradient"),
])
def test_constant_factor_words_follow_the_sign(factor, words):
    assert constant_words(factor) == words


def test_a_constant_negative_factor_is_said_to_point_the_other_way():
    report = graded("mse_grad", "def mse_grad(y_hat, y):\n    return -3 * (y_hat - y) / len(y)\n")
    assert set(failing_messages(report)) == {
        "'dy_hat' points the opposite way of the true gradient, and is scaled by a wrong factor"}
    assert report.hints == ["In every failing case, each wrong array points the opposite way of the true "
                            "gradient, and is scaled by a wrong factor, by the same factor throughout."]


def test_a_missing_one_over_n_reads_the_same_in_every_case_and_agrees_with_the_hint():
    # the hidden suite has an n = 2 case, where n times is also twice
    exercise = get_exercise("mse_grad")
    report = graded("mse_grad", "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n")
    assert not next(c for c in report.cases if c.name == "n = 2").passed
    assert set(failing_messages(report)) == {
        "'dy_hat' is n times the true gradient (a sum where the loss takes a mean?)"}
    assert report.hints == [exercise.mistake("missing 1/n").hint]


def test_a_mean_over_a_batch_reads_the_same_in_every_case():
    # batches of 2 and of 5 rows: "half" beside "1/5" before
    exercise = get_exercise("softmax_ce_grad")
    report = graded("softmax_ce_grad", """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            shifted = logits - logits.max(axis=1, keepdims=True)
            p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p / len(labels)
    """)
    assert set(failing_messages(report)) == {
        "'dlogits' is 1/n of the true gradient (a mean where the loss takes a sum?)"}
    assert report.hints == [exercise.mistake("mean over the batch").hint]


def test_an_unnamed_factor_of_n_is_described_once_as_the_hint():
    report = graded("mse_grad", "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y) ** 2\n")
    assert set(failing_messages(report)) == {
        "'dy_hat' is 1/n of the true gradient (a mean where the loss takes a sum?)"}
    assert report.hints == ["In every failing case, each wrong array is 1/n of the true gradient, with "
                            "n = len(y_hat): a mean where the loss takes a sum?"]


def test_names_keep_their_case_at_the_start_of_a_message():
    report = graded("deep_linear_grad", """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            h1 = x @ w1
            h2 = h1 @ w2
            g = 2 * (h2 @ w3 - y) / len(y)
            dh2 = np.outer(g, w3)
            return x.T @ (dh2 @ w2.T), h1.T @ dh2, np.sin(h2.T @ g)
    """)
    for message in failing_messages(report):
        assert message.startswith("'dw1', 'dw2' are right, but 'dw3' is wrong")


def test_list_labels_keep_their_case_at_the_start_of_a_message():
    # dbs wrong by a sine, dAs right: the message starts with the name dAs[0]
    report = graded("mlp_grad", """
        import numpy as np

        def mlp_grad(x, y, As, bs):
            fs = [x]
            for A, b in zip(As, bs):
                fs.append(1 / (1 + np.exp(-(A @ fs[-1] + b))))
            g = 2 * (fs[-1] - y)
            dAs, dbs = [], []
            for i in range(len(As) - 1, -1, -1):
                delta = g * fs[i + 1] * (1 - fs[i + 1])
                dAs.insert(0, np.outer(delta, fs[i]))
                dbs.insert(0, np.sin(delta) + 1)
                g = As[i].T @ delta
            return dAs, dbs
    """)
    messages = failing_messages(report)
    assert messages and all(m.startswith("'dAs[0]'") for m in messages)
    assert not any("DAs" in m for m in messages)


FLOAT32_CHAIN_RULE = """
    import numpy as np

    def chain_rule_grad(x):
        x = np.asarray(x, dtype=np.float32)
        u = x**2 + np.exp(x**2)
        return (2 * x + 2 * x * np.exp(x**2)) * (np.float32(0.5) / np.sqrt(u) - np.sin(u))
"""


def test_a_derivative_computed_wholly_in_float32_is_told_so():
    # u = x^2 + e^{x^2} reaches ~58 at |x| = 2: float32 rounding of sin(u) alone costs ~7e-5 relative
    report = graded("chain_rule_grad", FLOAT32_CHAIN_RULE)
    failing = [c for c in report.cases if not c.passed]
    assert [c.name for c in failing] == ["random 3"]
    assert failing[0].message == (f"'dx' is off by about a float32 rounding in 1 of 6 entries: {FLOAT32_ADVICE}")
    assert FLOAT32_ADVICE == "your values look computed in float32; compute in float64"
    assert report.hints == [FLOAT32_HINT]
    assert FLOAT32_HINT == "Your values look computed in float32; compute in float64 (float32 results are fine)."


def test_a_small_wrong_value_computed_in_float64_is_not_called_float32():
    # one entry off by 1e-4 relative, the others exact: not the spread of float32 rounding
    report = graded("mse_grad", """
        def mse_grad(y_hat, y):
            g = 2 * (y_hat - y) / len(y)
            g[0] *= 1 + 1e-4
            return g
    """)
    assert not any("float32" in m for m in failing_messages(report))
    assert report.hints == []
