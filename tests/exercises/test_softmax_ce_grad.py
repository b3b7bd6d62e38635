"""softmax_ce_grad graded end to end: stable softmaxes pass, a naive exp overflows and is named."""

from textwrap import dedent

import pytest

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade

EXERCISE = get_exercise("softmax_ce_grad")
SEED = 11

CORRECT = {
    "max-shifted softmax": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """,
    "log-sum-exp with np.logaddexp": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            lse = np.logaddexp.reduce(logits, axis=1, keepdims=True)
            return np.exp(logits - lse) - np.eye(logits.shape[1])[labels]
    """,
    "python loop with math.exp": """
        import math

        def softmax_ce_grad(logits, labels):
            grad = []
            for row, label in zip(logits.tolist(), labels.tolist()):
                top = max(row)
                exps = [math.exp(v - top) for v in row]
                total = sum(exps)
                grad.append([e / total - (1.0 if j == label else 0.0) for j, e in enumerate(exps)])
            return grad
    """,
    "float32 result": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            shifted = logits - np.max(logits, axis=-1, keepdims=True)
            p = np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)
            np.put_along_axis(p, labels[:, None], np.take_along_axis(p, labels[:, None], axis=1) - 1, axis=1)
            return p.astype(np.float32)
    """,
    "one-hot by comparison, softmax via log_softmax": """
        import numpy as np

        def softmax_ce_grad(logits, labels):
            m = logits.max(axis=1, keepdims=True)
            log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
            one_hot = (np.arange(logits.shape[1])[None, :] == labels[:, None]).astype(float)
            return np.exp(log_p) - one_hot
    """,
}

NAIVE_EXP = """
    import numpy as np

    def softmax_ce_grad(logits, labels):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p
"""

WRONG = {
    "naive exp": (NAIVE_EXP, "naive exp overflows"),
    "fancy index on every row": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[:, labels] -= 1
            return p
    """, "fancy index on every row"),
    "mean over the batch": ("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p / len(labels)
    """, "mean over the batch"),
}


@pytest.mark.parametrize("source", CORRECT.values(), ids=CORRECT.keys())
def test_correct_implementation_passes(source):
    report = grade(dedent(source), get_exercise("softmax_ce_grad"), seed=SEED)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize(("source", "mistake"), WRONG.values(), ids=WRONG.keys())
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(source, mistake):
    report = grade(dedent(source), get_exercise("softmax_ce_grad"), seed=SEED)
    assert not report.passed
    assert EXERCISE.mistake(mistake).hint in report.hints
    assert leaked_expected_values(EXERCISE, report) == []


def test_naive_exp_fails_on_large_logits_with_non_finite_message_and_overflow_hint():
    report = grade(dedent(NAIVE_EXP), get_exercise("softmax_ce_grad"), seed=SEED)
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
