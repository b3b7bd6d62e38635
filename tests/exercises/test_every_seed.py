"""Verdicts hold on every seed: fixed structural cases, not luck, catch each mistake of the banks."""

import dataclasses
import textwrap

import pytest
from click.testing import CliRunner

from exercises import EXERCISES, get_exercise
from exercises.rnn_bptt.cases import LONG_MEMORY_STEPS
from exercises.rnn_bptt.mistakes import _truncated_after
from exercises.softmax_ce_grad import cases as softmax_cases
from gradegrad_client.command import main
from grader.checks import answered, check_exercise
from grader.exercise import Mistake
from grader.feedback import Answered, explain_together
from grader.pipeline import grade
from grader.tolerances import tolerance_for

MANY_SEEDS = range(50)
FAR_APART = "a row near +1000 beside one in [-1000, -800]"


def failing_cases(exercise, function, seed):
    """The names of the seed's hidden cases that ``function`` fails."""
    tol = tolerance_for(exercise.name)
    return [a.case.name for a in answered(exercise, function, exercise.hidden_cases(seed), tol) if not a.right]


def test_check_exercises_passes_on_20_seeds():
    # about 5 s of CPU (19 s of wall time on the shared 2-core machine at load 18)
    result = CliRunner().invoke(main, ["check-exercises", "--seeds", "20"])
    assert result.exit_code == 0, result.output
    assert "seeds 0..19" in result.output
    for exercise in EXERCISES.values():
        assert exercise.name in result.output


def test_check_exercises_says_on_which_seed_a_mistake_escaped(monkeypatch):
    # the softmax suite without its row far below the others: the batch-wide maximum escapes on seed 0
    exercise = get_exercise("softmax_ce_grad")
    without = dataclasses.replace(
        exercise, generate_cases=lambda rng: [c for c in softmax_cases.generate_cases(rng) if c.name != FAR_APART])
    assert check_exercise(without, range(3)).problems() == ["'global maximum subtracted' passed on seed 0"]
    monkeypatch.setitem(EXERCISES, "softmax_ce_grad", without)
    result = CliRunner().invoke(main, ["check-exercises", "--seeds", "3"])
    assert result.exit_code == 1
    assert "softmax_ce_grad: 'global maximum subtracted' passed on seed 0" in result.output


def test_check_exercises_says_on_which_seed_a_mistake_went_unnamed():
    # two mistakes that agree on every case: the second one is never named
    exercise = get_exercise("mse_grad")
    first = exercise.mistake("missing 1/n")
    twin = Mistake("a twin", "A hint no one sees.", first.gradient)
    check = check_exercise(dataclasses.replace(exercise, mistakes=(first, twin)), range(2))
    assert check.problems() == ["'a twin' not named on seed 0"]


def test_a_softmax_shifted_by_the_batch_maximum_fails_on_every_seed():
    exercise = get_exercise("softmax_ce_grad")
    mistake = exercise.mistake("global maximum subtracted")
    for seed in MANY_SEEDS:
        assert FAR_APART in failing_cases(exercise, mistake.gradient, seed), seed


def test_a_softmax_shifted_by_the_batch_maximum_is_told_so_when_graded():
    exercise = get_exercise("softmax_ce_grad")
    report = grade(textwrap.dedent("""
        import numpy as np

        def softmax_ce_grad(logits, labels):
            e = np.exp(logits - logits.max())
            p = e / e.sum(axis=1, keepdims=True)
            p[np.arange(len(labels)), labels] -= 1
            return p
    """), exercise, seed=0)
    far = next(c for c in report.cases if c.name == FAR_APART)
    assert (far.passed, far.kind) == (False, "nonfinite")
    assert far.message == ("'dlogits' has non-finite values (NaN or inf) in 10 of 15 entries; "
                           "look for an overflow or a division by zero")
    assert report.hints == [exercise.mistake("global maximum subtracted").hint]


@pytest.mark.parametrize("steps", range(1, LONG_MEMORY_STEPS))
def test_bptt_truncated_after_any_number_of_steps_fails_on_every_seed(steps):
    exercise = get_exercise("rnn_bptt")
    for seed in MANY_SEEDS:
        assert "long memory" in failing_cases(exercise, _truncated_after(steps), seed), seed


def test_bptt_truncated_after_8_steps_is_named_when_graded():
    exercise = get_exercise("rnn_bptt")
    report = grade(textwrap.dedent("""
        import numpy as np

        def rnn_bptt(x, y, h0, U, W, V, b, c):
            hs = [h0]
            for x_t in x:
                hs.append(np.tanh(b + W @ hs[-1] + U @ x_t))
            o = np.array(hs[1:]) @ V.T + c
            p = np.exp(o - o.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            g = {"U": np.zeros_like(U), "W": np.zeros_like(W), "V": p.T @ np.array(hs[1:]),
                 "b": np.zeros_like(b), "c": p.sum(axis=0)}
            for s in range(len(x)):
                dh = V.T @ p[s]
                for t in range(s, max(s - 8, -1), -1):
                    da = dh * (1 - hs[t + 1] ** 2)
                    g["W"] += np.outer(da, hs[t])
                    g["U"] += np.outer(da, x[t])
                    g["b"] += da
                    dh = W.T @ da
            return g
    """), exercise, seed=7)  # seed 7 let this through before the long-memory case
    assert [c.name for c in report.cases if not c.passed] == ["long memory"]
    assert report.hints == [exercise.mistake("BPTT truncated after a few steps").hint]


class Report:
    """The words of one case, as ``explain_together`` rewrites them."""

    def __init__(self, passed):
        self.passed, self.message, self.hint = passed, "", None


@pytest.mark.parametrize("exercise", list(EXERCISES.values()), ids=list(EXERCISES))
def test_no_mistake_of_the_bank_is_taken_for_float32_rounding(exercise):
    tol = tolerance_for(exercise.name)
    for seed in range(10):
        cases = list(exercise.public_cases) + exercise.hidden_cases(seed)
        for mistake in exercise.mistakes:
            answers: list[Answered] = answered(exercise, mistake.gradient, cases, tol)
            reports = [Report(a.right) for a in answers]
            explain_together(exercise, answers, reports, tol)
            assert not any("float32" in r.message for r in reports), (mistake.name, seed)
            assert {r.hint for r in reports if not r.passed} == {mistake.hint}, (mistake.name, seed)
