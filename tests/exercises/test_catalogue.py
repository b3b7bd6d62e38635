"""Every exercise of the catalogue is sound: references, suites, mistakes, statements."""

import re

import numpy as np
import pytest

from exercises import CATALOGUE, EXERCISES
from grader.checks import CHECK_SEEDS, check_exercise, fd_error
from grader.tolerances import FD_TOLERANCE

SPEC_NAMES = ("mse_grad", "linreg_grad", "softmax_ce_grad", "rnn_bptt", "chain_rule_grad", "mlp_grad",
              "deep_linear_grad", "deep_linear_backward", "mlp_act_grad", "linreg_vec_grad", "softmax_ce_loss")
ALL = pytest.mark.parametrize("exercise", list(EXERCISES.values()), ids=list(EXERCISES))


def test_catalogue_has_every_exercise_of_the_spec():
    assert CATALOGUE == SPEC_NAMES
    assert tuple(EXERCISES) == SPEC_NAMES


@ALL
@pytest.mark.parametrize("seed", CHECK_SEEDS)
def test_reference_agrees_with_finite_differences(exercise, seed):
    assert fd_error(exercise, seed) <= FD_TOLERANCE.rtol


@ALL
def test_suite_rejects_every_named_mistake_and_names_it(exercise):
    check = check_exercise(exercise)
    assert check.uncaught == []
    assert check.unhinted == []


@ALL
def test_mistake_bank_is_not_trivial(exercise):
    assert len(exercise.mistakes) >= 4
    assert len({m.hint for m in exercise.mistakes}) == len(exercise.mistakes)


@ALL
def test_same_seed_gives_same_cases_and_other_seeds_differ(exercise):
    def fingerprint(seed):
        return [float(np.sum(np.concatenate([np.ravel(v) for v in _leaves(c.inputs)])))
                for c in exercise.hidden_cases(seed)]

    assert fingerprint(7) == fingerprint(7)
    assert fingerprint(7) != fingerprint(8)


@ALL
def test_suite_has_structural_and_random_cases(exercise):
    cases = exercise.hidden_cases(0)
    assert len(cases) >= 8
    assert any(name.startswith("random") for name in (c.name for c in cases))
    assert sum(not c.name.startswith("random") for c in cases) >= 3


@ALL
def test_statement_is_markdown_with_math_and_names_the_signature(exercise):
    assert exercise.statement.startswith("# ")
    assert "$" in exercise.statement
    assert exercise.name in exercise.statement
    assert re.search(r"\\(frac|sum|partial|nabla|tanh|sigma)", exercise.statement)


@ALL
def test_public_cases_are_apart_from_hidden_ones(exercise):
    assert exercise.public_cases
    hidden = {c.name for c in exercise.hidden_cases(0)}
    assert not hidden & {c.name for c in exercise.public_cases}


def _leaves(inputs):
    """The numbers of a case's inputs; a text input (an activation's name) has none."""
    for value in inputs.values():
        if isinstance(value, list):
            yield from (np.asarray(v, dtype=float) for v in value)
        elif not isinstance(value, str):
            yield np.asarray(value, dtype=float)
