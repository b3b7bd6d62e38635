"""deep_linear_grad graded end to end: several back-propagations pass, 'a gradient of 1' fails with its hint."""

from textwrap import dedent

import pytest

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade

EXERCISE = get_exercise("deep_linear_grad")
SEED = 8

MATMUL = """
    import numpy as np

    def deep_linear_grad(x, y, w1, w2, w3):
        h1 = x @ w1
        h2 = h1 @ w2
        g = 2 * (h2 @ w3 - y) / len(y)
        dh2 = np.outer(g, w3)
        return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g
"""

CORRECT = {
    "matrix products": MATMUL,
    "einsum, returned as a list": """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            h1 = np.einsum("nd,de->ne", x, w1)
            h2 = np.einsum("ne,ef->nf", h1, w2)
            g = 2.0 / y.shape[0] * (np.einsum("nf,f->n", h2, w3) - y)
            return [np.einsum("n,nd,ef,f->de", g, x, w2, w3), np.einsum("n,ne,f->ef", g, h1, w3),
                    np.einsum("n,nf->f", g, h2)]
    """,
    "per-sample python loop": """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            dw1, dw2, dw3 = np.zeros_like(w1), np.zeros_like(w2), np.zeros_like(w3)
            n = len(y)
            for xi, yi in zip(x, y):
                h1 = xi @ w1
                h2 = h1 @ w2
                g = 2 * (h2 @ w3 - yi) / n
                dw3 += g * h2
                dw2 += g * np.outer(h1, w3)
                dw1 += g * np.outer(xi, w2 @ w3)
            return dw1, dw2, dw3
    """,
    "collapsed weight vector w2 w3": """
        import numpy as np

        def deep_linear_grad(x, y, w1, w2, w3):
            v = w2 @ w3
            g = 2 * (x @ w1 @ v - y) / len(y)
            xg = x.T @ g
            return xg[:, None] * v[None, :], (w1.T @ xg)[:, None] * w3[None, :], w2.T @ (w1.T @ xg)
    """,
    "float32 results": MATMUL.replace(
        "return x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g",
        "return tuple(d.astype(np.float32) for d in (x.T @ (dh2 @ w2.T), h1.T @ dh2, h2.T @ g))"),
}

WRONG = {
    "a gradient of 1 on y_hat": (MATMUL.replace("g = 2 * (h2 @ w3 - y) / len(y)", "g = np.ones(len(y))"),
                                 "a gradient of 1 on y_hat"),
    "w3 left out of dw1 and dw2": (MATMUL.replace("dh2 = np.outer(g, w3)", "dh2 = np.outer(g, np.ones_like(w3))"),
                                   "forgot the chain through w3"),
    "sum instead of mean": (MATMUL.replace("/ len(y)", ""), "missing 1/n"),
}


@pytest.mark.parametrize("source", CORRECT.values(), ids=CORRECT.keys())
def test_correct_implementation_passes(source):
    report = grade(dedent(source), get_exercise("deep_linear_grad"), seed=SEED)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize(("source", "mistake"), WRONG.values(), ids=WRONG.keys())
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(source, mistake):
    assert source != MATMUL
    report = grade(dedent(source), get_exercise("deep_linear_grad"), seed=SEED)
    assert not report.passed
    assert EXERCISE.mistake(mistake).hint in report.hints
    assert leaked_expected_values(EXERCISE, report) == []


def test_transposed_dw2_gets_a_shape_message():
    source = MATMUL.replace("h1.T @ dh2", "dh2.T @ h1")
    report = grade(dedent(source), get_exercise("deep_linear_grad"), seed=SEED)
    case = {c.name: c for c in report.cases}["all widths different"]
    assert case.kind == "shape"
    assert "'dw2' has the wrong shape: got (2, 3), expected (3, 2) (it looks transposed)" in case.message
    assert case.hint == EXERCISE.mistake("dw2 transposed").hint
