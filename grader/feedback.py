"""Turn comparisons into words for the student, without revealing hidden expected values."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.exercise import Case, Exercise
from grader.compare import Comparison, close, same_answer
from grader.tolerances import Tolerance

# Factors a slip typically introduces, with what they usually mean. ``n`` is a leading
# dimension of the case's inputs (a batch or sequence length).
FIXED_FACTORS: tuple[tuple[float, str], ...] = (
    (-1.0, "has the opposite sign of the true gradient"),
    (2.0, "is twice the true gradient (a factor of 2 too many)"),
    (0.5, "is half the true gradient (a missing factor of 2?)"),
    (-2.0, "is -2 times the true gradient (a sign and a factor of 2)"),
    (-0.5, "is -1/2 times the true gradient (a sign and a missing factor of 2)"),
)


def describe(exercise: Exercise, case: Case, answers: list[Any], references: list[np.ndarray],
             comparisons: list[Comparison], tol: Tolerance) -> tuple[str, str | None]:
    """The message for a failing case and, if the answer is a known mistake, its hint."""
    hint = named_mistake(exercise, case, answers, tol)
    unreadable = next((c for c in comparisons if c.status == "unreadable"), None)
    if unreadable is not None:
        return structure_message(exercise, unreadable), hint
    wrong = [(c, a, r) for c, a, r in zip(comparisons, answers, references) if not c.right]
    parts = [slot_message(c, a, r, leading_sizes(case), tol) for c, a, r in wrong]
    right = [c.label for c in comparisons if c.right]
    message = "; ".join(parts)
    if right:
        verb = "is" if len(right) == 1 else "are"
        message = f"{', '.join(right)} {verb} right, but {message}"
    return message[0].upper() + message[1:], hint


def named_mistake(exercise: Exercise, case: Case, answers: list[Any], tol: Tolerance) -> str | None:
    """The hint of the first mistake in the bank whose answer the student's equals."""
    for mistake in exercise.mistakes:
        try:
            wrong = exercise.evaluate(mistake.gradient, case)
        except (ValueError, TypeError, IndexError, KeyError, FloatingPointError):
            continue  # this mistake is not defined for this case's shapes
        if len(wrong) == len(answers) and all(same_answer(a, w, tol) for a, w in zip(answers, wrong)):
            return mistake.hint
    return None


def slot_message(comparison: Comparison, answer: Any, reference: np.ndarray,
                 sizes: set[int], tol: Tolerance) -> str:
    label = f"'{comparison.label}'"
    if comparison.status == "shape":
        got, expected = comparison.got_shape, comparison.expected_shape
        text = f"{label} has the wrong shape: got {_shape(got)}, expected {_shape(expected)}"
        if len(expected) >= 2 and got == expected[::-1]:
            text += " (it looks transposed)"
        return text
    if comparison.status == "nonfinite":
        return (f"{label} has non-finite values (NaN or inf) in {comparison.wrong} of {comparison.total} "
                f"entries; look for an overflow or a division by zero")
    return f"{label} {value_diagnosis(answer, reference, sizes, tol, comparison)}"


def value_diagnosis(answer: np.ndarray, reference: np.ndarray, sizes: set[int], tol: Tolerance,
                    comparison: Comparison) -> str:
    """Name a constant factor or a transpose when the answer is one; never print values."""
    for factor, text in FIXED_FACTORS:
        if close(answer, factor * reference, tol).all():
            return text
    for n in sorted(sizes):
        if n > 2 and close(answer, n * reference, tol).all():
            return f"is n = {n} times the true gradient (a sum where the loss takes a mean?)"
        if n > 2 and close(answer, reference / n, tol).all():
            return f"is 1/n = 1/{n} of the true gradient (a mean where the loss takes a sum?)"
    if answer.ndim == 2 and answer.shape[0] == answer.shape[1] and close(answer, reference.T, tol).all():
        return "is the transpose of the true gradient"
    if answer.size > 1 and _proportional(answer, reference, tol):
        return "points the right way but is scaled by a wrong constant factor"
    if comparison.total == 1:
        return "is wrong"
    return f"is wrong in {comparison.wrong} of {comparison.total} entries"


def structure_message(exercise: Exercise, comparison: Comparison) -> str:
    problem = comparison.problem or {}
    kind, label = problem.get("problem"), f"'{comparison.label}'"
    if kind == "container":
        return f"The answer should be {expected_answer(exercise)}, but {_where(exercise, comparison)} is a {problem.get('got')}"
    if kind == "key":
        return f"The answer has no key '{problem.get('key')}': it should be {expected_answer(exercise)}"
    if kind == "length":
        return (f"{label} is missing: a sequence in the answer has only {problem.get('length')} items; "
                f"the answer should be {expected_answer(exercise)}")
    if kind == "not_numeric":
        return f"{label} is not an array of numbers (its dtype is {problem.get('got')})"
    return f"{label} could not be read as an array of numbers ({problem.get('got')} was raised converting it)"


def expected_answer(exercise: Exercise) -> str:
    names = [f"d{name}" for name in exercise.wrt]
    if exercise.returns == "array":
        return "one array"
    if exercise.returns == "tuple":
        return f"a tuple ({', '.join(names)})"
    return "a dict with keys " + ", ".join(f"'{name}'" for name in exercise.wrt)


def leading_sizes(case: Case) -> set[int]:
    """Leading dimensions of the case's array inputs: the candidates for n."""
    sizes = set()
    for value in case.inputs.values():
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            sizes.add(int(value.shape[0]))
    return sizes


def _proportional(answer: np.ndarray, reference: np.ndarray, tol: Tolerance) -> bool:
    denominator = float(np.sum(reference * reference))
    if denominator == 0.0:
        return False
    factor = float(np.sum(answer * reference)) / denominator
    return factor != 0.0 and bool(close(answer, factor * reference, tol).all())


def _where(exercise: Exercise, comparison: Comparison) -> str:
    return "it" if exercise.returns == "array" or "[" not in comparison.label else f"the part holding {comparison.label}"


def _shape(shape: tuple[int, ...] | None) -> str:
    return "a scalar, shape ()" if shape == () else str(shape)

