"""mlp_act_grad's own tests: mlp_grad's network, every activation in the suite, ReLU cases clear of the kink,
and an answer without dx; its submissions are graded in test_submissions.py."""

import numpy as np

from exercises import get_exercise
from exercises.mlp_act_grad.reference import ACTIVATIONS
from exercises.mlp_grad.reference import forward
from grader.finite_diff import EPS
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("mlp_act_grad")
COLLECTION = load("mlp_act_grad")
# The steps the fourth-order finite differences take from a value.
FD_STEPS = (EPS, -EPS, 2 * EPS, -2 * EPS)


def test_labels_name_each_layer_and_the_input():
    case = EXERCISE.hidden_cases(COLLECTION.seed)[2]
    K = len(case.inputs["As"])
    assert [s.label for s in EXERCISE.slots(case)] == ([f"dAs[{i}]" for i in range(K)]
                                                        + [f"dbs[{i}]" for i in range(K)] + ["dx"])


def test_with_the_sigmoid_it_answers_as_mlp_grad_and_dx_as_finite_differences_do():
    mlp_grad = get_exercise("mlp_grad")
    assert EXERCISE.gradient is not None and mlp_grad.gradient is not None
    for case in mlp_grad.hidden_cases(COLLECTION.seed):
        inputs = dict(case.inputs, activation="sigmoid")
        dAs, dbs, dx = EXERCISE.gradient(**inputs)
        for ours, theirs in zip(dAs + dbs, sum(mlp_grad.gradient(**case.inputs), []), strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0.0)
        numerical = EXERCISE.numerical_reference(type(case)(case.name, inputs))[-1]
        np.testing.assert_allclose(dx, numerical, rtol=1e-6, atol=1e-9 * np.max(np.abs(numerical)))


def test_every_activation_has_fixed_and_random_cases():
    for seed in range(5):
        cases = EXERCISE.hidden_cases(seed)
        for random in (False, True):
            chosen = {c.inputs["activation"] for c in cases if c.name.startswith("random") == random}
            assert chosen == set(ACTIVATIONS), (seed, random)


def pre_activations(inputs: dict) -> np.ndarray:
    relu = ACTIVATIONS["relu"][0]
    fs = forward(inputs["x"], inputs["As"], inputs["bs"], relu)
    return np.concatenate([A @ f + b for A, b, f in zip(inputs["As"], inputs["bs"], fs, strict=False)])


def test_no_finite_difference_step_moves_a_relu_pre_activation_across_the_kink():
    """Each input and parameter entry moved by each step the finite differences take leaves the sign of every
    pre-activation as it was: the slopes they measure are the ReLU's one-sided ones, never a kink's mix."""
    checked = 0
    for seed in range(10):
        for case in EXERCISE.hidden_cases(seed):
            if case.inputs["activation"] != "relu":
                continue
            signs = np.sign(pre_activations(case.inputs))
            assert np.all(signs != 0) and np.any(signs > 0)
            work = {name: [a.copy() for a in v] if isinstance(v, list) else v for name, v in case.inputs.items()}
            work["x"] = work["x"].copy()
            for array in [work["x"], *work["As"], *work["bs"]]:
                flat = array.reshape(-1)
                for i in range(flat.size):
                    original = flat[i]
                    for step in FD_STEPS:
                        flat[i] = original + step
                        assert np.array_equal(np.sign(pre_activations(work)), signs), (seed, case.name)
                        checked += 1
                    flat[i] = original
    assert checked > 1000


def test_an_answer_without_dx_is_told_that_dx_is_missing():
    source = COLLECTION.correct["loop with a table of derivatives"].replace(
        "return dAs, dbs, g", "return dAs, dbs")
    report = grade(source, EXERCISE, seed=COLLECTION.seed)
    assert report.score == 0.0
    assert {(c.kind, c.message) for c in report.cases} == {(
        "structure", "'dx' is missing: a sequence in the answer has only 2 items; "
                     "the answer should be a tuple (dAs, dbs, dx)")}
