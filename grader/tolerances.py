"""The one table of tolerances used to judge answers and to check references."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    """An element passes when |got - ref| <= rtol * |ref| + atol_scale * max|ref| (+ TINY).

    The ``atol_scale`` term judges an element whose true value is tiny beside the rest of
    its array against the array's scale, so a float32 rounding of a near-zero entry is not
    mistaken for a wrong gradient.
    """

    rtol: float
    atol_scale: float


# Grading: a float64 answer computed in float32 carries relative errors of about 1e-7 per
# operation, a few hundred operations deep at most here; 2e-5 passes it with room to spare
# and stays five times tighter than the 1e-4 relative error the contract promises to fail.
DEFAULT_TOLERANCE = Tolerance(rtol=2e-5, atol_scale=1e-6)

# Checking a reference against fourth-order centered differences in float64: their
# truncation and rounding errors are below 1e-9 relative on our cases.
FD_TOLERANCE = Tolerance(rtol=1e-6, atol_scale=1e-8)

# Absolute slack for arrays whose true value is exactly zero everywhere.
TINY = 1e-12

# Per-exercise tolerances for grading; an exercise not named here uses DEFAULT_TOLERANCE.
EXERCISE_TOLERANCE: dict[str, Tolerance] = {}


def tolerance_for(exercise_name: str) -> Tolerance:
    """The grading tolerance of an exercise."""
    return EXERCISE_TOLERANCE.get(exercise_name, DEFAULT_TOLERANCE)
