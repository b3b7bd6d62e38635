"""Compare a submitted array with the reference: structure first, then values.

The reference always comes last, as in ``np.isclose(submitted, reference)``, so the
tolerance scales with the true gradient and never with the student's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from grader.tolerances import TINY, Tolerance

Status = Literal["right", "unreadable", "shape", "nonfinite", "values"]


@dataclass(frozen=True)
class Comparison:
    """The verdict on one gradient array of one case, in check order."""

    label: str
    status: Status
    expected_shape: tuple[int, ...]
    got_shape: tuple[int, ...] | None = None
    problem: dict[str, Any] | None = None
    wrong: int = 0
    total: int = 0

    @property
    def right(self) -> bool:
        return self.status == "right"


def close(submitted: np.ndarray, reference: np.ndarray, tol: Tolerance) -> np.ndarray:
    """Elementwise: within rtol of the reference, or within atol_scale of the array's scale."""
    scale = float(np.max(np.abs(reference))) if reference.size else 0.0
    atol = tol.atol_scale * scale + TINY
    with np.errstate(all="ignore"):
        return np.abs(submitted - reference) <= tol.rtol * np.abs(reference) + atol


def compare(label: str, submitted: np.ndarray | dict[str, Any], reference: np.ndarray, tol: Tolerance) -> Comparison:
    """Check one answer: present and readable -> shape -> finite -> values."""
    shape = tuple(reference.shape)
    if not isinstance(submitted, np.ndarray):
        return Comparison(label, "unreadable", shape, problem=submitted)
    if submitted.shape != reference.shape:
        return Comparison(label, "shape", shape, got_shape=tuple(submitted.shape))
    finite = np.isfinite(submitted)
    if not finite.all():
        return Comparison(label, "nonfinite", shape, shape, wrong=int((~finite).sum()), total=submitted.size)
    ok = close(submitted, reference, tol)
    if ok.all():
        return Comparison(label, "right", shape, shape, total=submitted.size)
    return Comparison(label, "values", shape, shape, wrong=int((~ok).sum()), total=submitted.size)


def same_answer(submitted: np.ndarray | dict[str, Any], other: np.ndarray, tol: Tolerance) -> bool:
    """Whether an answer equals another wrong answer (a named mistake's), NaN and inf included."""
    if not isinstance(submitted, np.ndarray) or submitted.shape != other.shape:
        return False
    finite = np.isfinite(other)
    if not np.array_equal(np.isfinite(submitted), finite):
        return False
    if not np.array_equal(submitted[~finite], other[~finite], equal_nan=True):
        return False
    return bool(close(submitted[finite], other[finite], tol).all())
