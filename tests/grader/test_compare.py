"""The comparison rule: relative error with a floor at the array's scale, reference last."""

import numpy as np

from grader.compare import compare, same_answer
from grader.tolerances import DEFAULT_TOLERANCE as TOL


def test_float32_rounding_of_a_right_answer_passes():
    reference = np.random.default_rng(0).normal(size=50) * 1e3
    assert compare("d", reference.astype(np.float32).astype(np.float64), reference, TOL).right


def test_relative_error_beyond_1e_4_fails():
    reference = np.array([1.0, -2.0, 3.0])
    assert not compare("d", reference * (1 + 1.01e-4), reference, TOL).right


def test_tiny_entry_is_judged_against_the_array_scale():
    reference = np.array([1e-12, 5.0])
    assert compare("d", np.array([3e-9, 5.0]), reference, TOL).right
    assert not compare("d", np.array([1e-3, 5.0]), reference, TOL).right


def test_all_zero_reference_accepts_zero_and_rejects_anything_else():
    reference = np.zeros(3)
    assert compare("d", np.zeros(3), reference, TOL).right
    assert not compare("d", np.array([0.0, 1e-6, 0.0]), reference, TOL).right


def test_tolerance_scales_with_the_reference_not_the_answer():
    reference = np.array([1.0])
    assert not compare("d", np.array([1e6]), reference, TOL).right


def test_check_order_stops_at_the_first_structural_problem():
    reference = np.ones((2, 3))
    assert compare("d", {"problem": "key", "key": "U"}, reference, TOL).status == "unreadable"
    assert compare("d", np.ones((3, 2)), reference, TOL).status == "shape"
    assert compare("d", np.full((2, 3), np.inf), reference, TOL).status == "nonfinite"
    assert compare("d", np.zeros((2, 3)), reference, TOL).status == "values"


def test_same_answer_matches_nan_where_the_other_has_nan():
    other = np.array([np.nan, 1.0])
    assert same_answer(np.array([np.nan, 1.0]), other, TOL)
    assert not same_answer(np.array([0.0, 1.0]), other, TOL)
