"""chain_rule_grad graded end to end: the true derivative passes in many forms, the printed typo fails."""

from textwrap import dedent

import numpy as np
import pytest

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade

EXERCISE = get_exercise("chain_rule_grad")
SEED = 4

VECTORISED = """
    import numpy as np

    def chain_rule_grad(x):
        u = x**2 + np.exp(x**2)
        du = 2 * x + 2 * x * np.exp(x**2)
        return du / (2 * np.sqrt(u)) - np.sin(u) * du
"""

CORRECT = {
    "vectorised": VECTORISED,
    "np.vectorize over math": """
        import math
        import numpy as np

        def _scalar(v):
            u = v * v + math.exp(v * v)
            du = 2 * v * (1 + math.exp(v * v))
            return du * (0.5 / math.sqrt(u) - math.sin(u))

        def chain_rule_grad(x):
            return np.vectorize(_scalar, otypes=[float])(x)
    """,
    "loop over x.flat into empty_like": """
        import math
        import numpy as np

        def chain_rule_grad(x):
            out = np.empty_like(x)
            for i, v in enumerate(x.flat):
                e = math.exp(v ** 2)
                u = v ** 2 + e
                out.flat[i] = (v + v * e) / math.sqrt(u) - math.sin(u) * (2 * v + 2 * v * e)
            return out
    """,
    "complex-step derivative": """
        import numpy as np

        def chain_rule_grad(x):
            h = 1e-30
            z = x + 1j * h
            u = z**2 + np.exp(z**2)
            return np.imag(np.sqrt(u) + np.cos(u)) / h
    """,
    "float32 result": """
        import numpy as np

        def chain_rule_grad(x):
            s = x * x
            u = s + np.exp(s)
            return (2 * x * (1 + np.exp(s)) * (0.5 / np.sqrt(u) - np.sin(u))).astype(np.float32)
    """,
}

WRONG = {
    "the printed derivative": ("""
        import numpy as np

        def chain_rule_grad(x):
            return (2*x + 2*x*np.exp(x**2)) / (2*np.sqrt(x + np.exp(x**2))) \\
                - np.sin(x**2 + np.exp(x**2)) * (2*x + np.exp(x**2)*2*x)
    """, "printed typo in the denominator"),
    "exp(x^2) differentiated as exp(x^2)": (VECTORISED.replace("2 * x * np.exp(x**2)", "np.exp(x**2)"),
                                             "forgot the inner 2x of exp(x^2)"),
    "+sin": (VECTORISED.replace("- np.sin(u)", "+ np.sin(u)"), "sign of cos'"),
}


@pytest.mark.parametrize("source", CORRECT.values(), ids=CORRECT.keys())
def test_correct_implementation_passes(source):
    report = grade(dedent(source), get_exercise("chain_rule_grad"), seed=SEED)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize(("source", "mistake"), WRONG.values(), ids=WRONG.keys())
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(source, mistake):
    report = grade(dedent(source), get_exercise("chain_rule_grad"), seed=SEED)
    assert not report.passed
    assert EXERCISE.mistake(mistake).hint in report.hints
    assert leaked_expected_values(EXERCISE, report) == []


def test_zero_d_input_gets_a_zero_d_reference():
    (case,) = [c for c in EXERCISE.hidden_cases(SEED) if c.name == "0-d input"]
    assert case.inputs["x"].shape == ()
    assert EXERCISE.reference(case)[0].shape == ()


def test_zero_d_answer_to_a_zero_d_input_is_accepted():
    report = grade(dedent(VECTORISED), get_exercise("chain_rule_grad"), seed=SEED)
    assert {c.name: c.passed for c in report.cases}["0-d input"]


def test_shape_one_answer_to_a_zero_d_input_is_rejected_with_a_shape_message():
    source = VECTORISED.replace("return du", "return np.atleast_1d(du").replace("* du\n", "* du)\n")
    report = grade(dedent(source), get_exercise("chain_rule_grad"), seed=SEED)
    by_name = {c.name: c for c in report.cases}
    zero_d = by_name["0-d input"]
    assert not zero_d.passed and zero_d.kind == "shape"
    assert "'dx' has the wrong shape: got (1,), expected a scalar, shape ()" in zero_d.message
    assert sum(not c.passed for c in report.cases) == 1


def test_reference_is_the_true_derivative_not_the_printed_one():
    x = np.array([0.7])
    (typo,) = (m for m in EXERCISE.mistakes if m.name == "printed typo in the denominator")
    h = 1e-6
    central = (EXERCISE.loss(x=x + h) - EXERCISE.loss(x=x - h)) / (2 * h)
    assert EXERCISE.gradient(x=x)[0] == pytest.approx(central, rel=1e-7)
    assert typo.gradient(x)[0] != pytest.approx(central, rel=1e-3)
