"""Turn comparisons into words for the student, without revealing hidden expected values.

A case is first described alone (``describe``); ``explain_together`` then reads every case
the submission answered and rewrites the failing cases' words so that they agree: a named
mistake is given only when it explains every failing case, and a factor that changes with
the case's size ("n times the true gradient") is said once, the same way in every case.

Beside each exercise's bank of mistakes, generic detectors recognise mistakes that have the
same shape in every exercise (outputs swapped, a gradient transposed, one sample used alone,
values truncated to integers); like a bank mistake, a detection must explain every case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import numpy as np

from grader.compare import Comparison, close, compare, same_answer
from grader.exercise import Case, Exercise, Mistake
from grader.tolerances import TINY, Tolerance

# Relative errors that float32 arithmetic leaves in a float64 computation: its unit roundoff
# is 6e-8 and errors grow with depth and with cancellation, but stay well below 1e-3.
FLOAT32_ERRORS = (1e-9, 1e-3)
FLOAT32_ADVICE = "your values look computed in float32; compute in float64"
FLOAT32_HINT = "Your values look computed in float32; compute in float64 (float32 results are fine)."

# Two factors agree when they are this close, relatively: far looser than a float64 rounding,
# far tighter than any two sizes of a case.
SAME_FACTOR = 1e-6


@dataclass(frozen=True)
class Answered:
    """One case the submission answered with something readable, and how each slot compared."""

    case: Case
    answers: list[Any]
    references: list[np.ndarray]
    comparisons: list[Comparison]

    @property
    def right(self) -> bool:
        return all(c.right for c in self.comparisons)


class Explained(Protocol):
    """A case report whose words ``explain_together`` may rewrite."""

    passed: bool
    message: str
    hint: str | None


@dataclass(frozen=True)
class Factor:
    """An answer of ``entries`` numbers that is ``value`` times the true gradient, in a case whose
    array inputs have the lengths ``sizes`` (by name)."""

    value: float
    entries: int
    sizes: dict[str, int]


def describe(exercise: Exercise, case: Case, answers: list[Any], references: list[np.ndarray],
             comparisons: list[Comparison], tol: Tolerance) -> tuple[str, str | None]:
    """The message for a failing case, judged alone, and, if the answer is a known mistake, its hint."""
    answered = Answered(case, answers, references, comparisons)
    mistake = named_mistake(exercise, [answered], tol)
    return case_message(exercise, answered, tol), mistake.hint if mistake else None


def explain_together(exercise: Exercise, answered: list[Answered], reports: list[Explained],
                     tol: Tolerance) -> None:
    """Rewrite the failing reports' messages and hints from what all the answered cases show together.

    ``reports[i]`` is the report of ``answered[i]``. A hint goes to every failing case or to
    none: a named mistake's when it explains them all, else the pattern of their factors,
    else float32 advice when every wrong value looks like float32 rounding.
    """
    failing = [(a, r) for a, r in zip(answered, reports, strict=True) if not a.right]
    if not failing:
        return
    mistake = named_mistake(exercise, answered, tol)
    detection = None if mistake else detect(exercise, answered, tol)
    pattern = factor_pattern([a for a, _ in failing], tol, exercise.answer_noun)
    float32 = looks_float32(answered, tol)
    hint = (mistake.hint if mistake else detection.hint if detection else pattern.summary if pattern
            else FLOAT32_HINT if float32 else None)
    for answered_case, report in failing:
        report.message = (detection.message(answered_case) if detection
                          else case_message(exercise, answered_case, tol, pattern, float32))
        report.hint = hint


def named_mistake(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Mistake | None:
    """The first mistake of the bank that explains every verdict: the submission equals it on every
    failing case, and no case the submission gets right is one the mistake gets wrong.

    A mistake that merely coincides with a wrong answer on one degenerate case (1 - f equals f
    at f = 0.5; 1/(n - 1) equals 1/2 at n = 3) is contradicted by the other cases.
    """
    if all(a.right for a in answered):
        return None
    for mistake in exercise.mistakes:
        if explains(answered, partial(_mistake_answer, exercise, mistake), tol):
            return mistake
    return None


def _mistake_answer(exercise: Exercise, mistake: Mistake, answered: Answered) -> list[np.ndarray]:
    return exercise.evaluate(mistake.gradient, answered.case)


@dataclass(frozen=True)
class FactorPattern:
    """How every wrong value of the failing cases relates to the true gradient, said once."""

    words: str          # the short per-case phrase, e.g. "is n times the true gradient"
    summary: str        # the sentence said once, as a hint


def factor_pattern(failing: list[Answered], tol: Tolerance, noun: str = "gradient") -> FactorPattern | None:
    """The one factor, constant or a size of the case, that turns the true answer into every wrong value.

    None when some wrong value is not a multiple of its true answer, or the multiples follow no one rule.
    ``noun`` names what the answer is: "gradient", or "value" for an exercise asking for one.
    """
    factors = []
    for answered in failing:
        for comparison, answer, reference in zip(answered.comparisons, answered.answers, answered.references,
                                                 strict=True):
            if comparison.status != "values":
                if not comparison.right:
                    return None
                continue
            value = proportional_factor(answer, reference, tol)
            if value is None:
                return None
            factors.append(Factor(value, answer.size, leading_sizes(answered.case)))
    if not factors:
        return None
    if all(_same(f.value, factors[0].value) for f in factors):
        if not _telling(factors[0].value) and len(factors) == 1 and factors[0].entries == 1:
            return None  # one number is always some multiple of another
        words = constant_words(factors[0].value, noun)
        where = "In every failing case, each" if len(failing) > 1 else "Each"
        return FactorPattern(words, f"{where} wrong {_thing(noun)} {words}, by the same factor throughout.")
    sign = 1.0 if factors[0].value > 0 else -1.0
    for name in factors[0].sizes:
        for power, words, why in ((1, "is n times", "a sum where the loss takes a mean?"),
                                  (-1, "is 1/n of", "a mean where the loss takes a sum?")):
            if all(name in f.sizes and _same(f.value, sign * float(f.sizes[name]) ** power) for f in factors):
                signed = words if sign > 0 else f"{words[:3]}-{words[3:]}"
                if sign < 0:
                    why = "the opposite sign, and " + why
                phrase = f"{signed} the true {noun} ({why})"
                return FactorPattern(phrase, f"In every failing case, each wrong {_thing(noun)} {signed} the true "
                                             f"{noun}, with n = len({name}): {why}")
    return None


# Factors a slip typically introduces, with what they usually mean; {noun} is what the answer is.
NAMED_FACTORS: dict[float, str] = {
    -1.0: "has the opposite sign of the true {noun}",
    2.0: "is twice the true {noun} (a factor of 2 too many)",
    0.5: "is half the true {noun} (a missing factor of 2?)",
    -2.0: "is -2 times the true {noun} (a sign and a factor of 2)",
    -0.5: "is -1/2 times the true {noun} (a sign and a missing factor of 2)",
}


def _telling(factor: float) -> bool:
    """Whether the factor is one a slip typically introduces."""
    return any(_same(factor, value) for value in NAMED_FACTORS)


def constant_words(factor: float, noun: str = "gradient") -> str:
    """A constant factor in words; a negative one always says that the answer points the other way."""
    for value, words in NAMED_FACTORS.items():
        if _same(factor, value):
            return words.format(noun=noun)
    if noun == "value":  # a number has no direction to point in
        return ("is the true value scaled by a wrong factor" if factor > 0
                else "has the opposite sign of the true value, and is scaled by a wrong factor")
    if factor > 0:
        return "points the right way but is scaled by a wrong factor"
    return "points the opposite way of the true gradient, and is scaled by a wrong factor"


def _thing(noun: str) -> str:
    """What one wrong part of an answer is called: an array of a gradient, or the value."""
    return "value" if noun == "value" else "array"


def case_message(exercise: Exercise, answered: Answered, tol: Tolerance,
                 pattern: FactorPattern | None = None, float32: bool = False) -> str:
    """One failing case in a line: what is wrong in each slot, and which slots are right.

    ``pattern`` is the factor every failing case shares; ``float32`` says that the submission's
    errors, over all its cases, look like float32 arithmetic.

    Labels are code and keep their case: the message is never capitalised.
    """
    unreadable = next((c for c in answered.comparisons if c.status == "unreadable"), None)
    if unreadable is not None:
        return structure_message(exercise, unreadable)
    parts = []
    for comparison, answer, reference in zip(answered.comparisons, answered.answers, answered.references, strict=True):
        if comparison.right:
            continue
        if pattern is not None and comparison.status == "values":
            parts.append(f"'{comparison.label}' {pattern.words}")
        else:
            parts.append(slot_message(comparison, answer, reference, tol, float32, exercise.answer_noun))
    right = [f"'{c.label}'" for c in answered.comparisons if c.right]
    message = "; ".join(parts)
    if right:
        verb = "is" if len(right) == 1 else "are"
        message = f"{', '.join(right)} {verb} right, but {message}"
    return message


def slot_message(comparison: Comparison, answer: Any, reference: np.ndarray, tol: Tolerance,
                 float32: bool = False, noun: str = "gradient") -> str:
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
    return f"{label} {value_diagnosis(answer, reference, tol, comparison, float32, noun)}"


def value_diagnosis(answer: np.ndarray, reference: np.ndarray, tol: Tolerance, comparison: Comparison,
                    float32: bool = False, noun: str = "gradient") -> str:
    """Name a constant factor, a transpose or float32 rounding when the answer is one; never print values."""
    factor = proportional_factor(answer, reference, tol)
    if factor is not None and (answer.size > 1 or _telling(factor)):
        return constant_words(factor, noun)
    if answer.ndim == 2 and answer.shape[0] == answer.shape[1] and close(answer, reference.T, tol).all():
        return "is the transpose of the true gradient"
    where = "" if comparison.total == 1 else f" in {comparison.wrong} of {comparison.total} entries"
    if float32 and np.max(relative_errors(answer, reference, tol)) <= FLOAT32_ERRORS[1]:
        return f"is off by about a float32 rounding{where}: {FLOAT32_ADVICE}"
    return f"is wrong{where}"


def looks_float32(answered: list[Answered], tol: Tolerance) -> bool:
    """Whether the submission's errors have the size and spread of float32 arithmetic.

    Pooled over every entry of every answered case, right ones included: float32 rounding
    leaves a relative error above 1e-9 in most entries (float64 leaves ~1e-16), and no wrong
    value is off by more than 1e-3 (a slip is off by far more). One wrong entry among exact
    ones is not that spread.
    """
    slots = [(c, a, r) for x in answered for c, a, r in zip(x.comparisons, x.answers, x.references, strict=True)]
    if any(c.status not in ("right", "values") for c, _, _ in slots) or all(c.right for c, _, _ in slots):
        return False  # a wrong shape or a NaN is no rounding
    errors = [(c, relative_errors(a, r, tol)) for c, a, r in slots]
    low, high = FLOAT32_ERRORS
    return bool(np.median(np.concatenate([e.ravel() for _, e in errors])) >= low
                and max(float(np.max(e)) for c, e in errors if not c.right) <= high)


def relative_errors(answer: np.ndarray, reference: np.ndarray, tol: Tolerance) -> np.ndarray:
    """Each entry's error relative to its true value, or to its array's scale where that is tiny."""
    scale = float(np.max(np.abs(reference))) if reference.size else 0.0
    return np.abs(answer - reference) / (np.abs(reference) + tol.atol_scale / tol.rtol * scale + TINY)


def proportional_factor(answer: np.ndarray, reference: np.ndarray, tol: Tolerance) -> float | None:
    """The factor k when the answer is k times the true gradient (k neither 0 nor near 1), else None."""
    if answer.shape != reference.shape:
        return None
    denominator = float(np.sum(reference * reference))
    if denominator == 0.0:
        return None
    factor = float(np.sum(answer * reference)) / denominator
    if factor == 0.0 or abs(factor - 1.0) <= FLOAT32_ERRORS[1] or not close(answer, factor * reference, tol).all():
        return None  # a factor this near 1 is rounding, not a slip
    return factor


def mutation_message(exercise: Exercise, case: Case, mutated: tuple[str, ...], values: str | None) -> str:
    """Why a case whose call changed its arguments in place fails: the arguments by name, never their values.

    ``values`` is what the answer's values alone would be told, None when they are right.
    """
    first = mutated[0]
    copy = f"[a.copy() for a in {first}]" if isinstance(case.inputs[first], list) else f"{first}.copy()"
    noun = "argument" if len(mutated) == 1 else "arguments"
    message = (f"'{exercise.name}' changed its {noun} {_quoted(list(mutated))} in place: a function must leave "
               f"its arguments unchanged (work on a copy, e.g. {first} = {copy})")
    if values is None:
        return f"{message}. Its answer is right"
    return f"{message}. Its answer is wrong too: {values}"


def structure_message(exercise: Exercise, comparison: Comparison) -> str:
    problem = comparison.problem or {}
    kind, label = problem.get("problem"), f"'{comparison.label}'"
    if kind == "container":
        return (f"The answer should be {expected_answer(exercise)}, "
                f"but {_where(exercise, comparison)} is a {problem.get('got')}")
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


def leading_sizes(case: Case) -> dict[str, int]:
    """The length of each array input of the case, by name: the candidates for n."""
    return {name: int(value.shape[0]) for name, value in case.inputs.items()
            if isinstance(value, np.ndarray) and value.ndim >= 1}


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_FACTOR * max(abs(a), abs(b))


def _where(exercise: Exercise, comparison: Comparison) -> str:
    if exercise.returns == "array" or "[" not in comparison.label:
        return "it"
    return f"the part holding {comparison.label}"


def _shape(shape: tuple[int, ...] | None) -> str:
    return "a scalar, shape ()" if shape == () else str(shape)


# Generic detectors: mistakes of the same shape in every exercise.


@dataclass(frozen=True)
class Detection:
    """A generic mistake that explains every answered case: its name, the hint said once, and
    ``words``, the phrase a failing case's wrong slots get."""

    name: str
    hint: str
    words: str
    labels: frozenset[str] = frozenset()  # the slots the words speak of; the others are right or named alike

    def message(self, answered: Answered) -> str:
        """A failing case in a line: the detection's words, after the slots that are right."""
        right = [f"'{c.label}'" for c in answered.comparisons if c.right and c.label not in self.labels]
        if not right:
            return self.words
        verb = "is" if len(right) == 1 else "are"
        return f"{', '.join(right)} {verb} right, but {self.words}"


Predict = Callable[[Answered], list[np.ndarray] | None]

# What a trusted function (a bank mistake's, or a prediction) may raise where it is not defined for a
# case's shapes, as a student's code would (X @ r with X of shape (n, d), n != d).
UNDEFINED = (ValueError, TypeError, IndexError, KeyError, FloatingPointError)


def explains(answered: list[Answered], predict: Predict, tol: Tolerance) -> bool:
    """Whether ``predict``, a wrong answer to each case (a bank mistake's, or one built from the case's
    references), gives every verdict: the submission's answer where it fails, a right answer where it
    passes. Where ``predict`` is not defined for a case's shapes, the case must be right."""
    for case in answered:
        try:
            predicted = predict(case)
        except UNDEFINED:
            predicted = None
        if predicted is None or len(predicted) != len(case.references):
            if not case.right:
                return False
            continue
        if case.right:
            if not all(compare(c.label, p, r, tol).right
                       for c, p, r in zip(case.comparisons, predicted, case.references, strict=True)):
                return False
        elif not all(same_answer(a, p, tol) for a, p in zip(case.answers, predicted, strict=True)):
            return False
    return True


def slot_groups(exercise: Exercise, case: Case) -> dict[str, list[int]]:
    """The indices of each gradient's slots, by input name (a list input has several)."""
    groups: dict[str, list[int]] = {}
    for index, slot in enumerate(exercise.slots(case)):
        groups.setdefault(slot.label[1:].split("[")[0], []).append(index)
    return groups


def _quoted(labels: list[str]) -> str:
    quoted = [f"'{label}'" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def swapped_outputs(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Detection | None:
    """Two gradients returned in each other's place: 'da' holds dL/db and 'db' holds dL/da."""
    if len(exercise.wrt) < 2:
        return None
    for i, first in enumerate(exercise.wrt):
        for second in exercise.wrt[i + 1:]:
            def predict(case: Answered, first: str = first, second: str = second) -> list[np.ndarray] | None:
                groups = slot_groups(exercise, case.case)
                if len(groups[first]) != len(groups[second]):
                    return None
                predicted = list(case.references)
                for a, b in zip(groups[first], groups[second], strict=True):
                    predicted[a], predicted[b] = case.references[b], case.references[a]
                return predicted
            if explains(answered, predict, tol):
                names = [f"d{name}" for name in exercise.wrt]
                how = (f"return them in the order ({', '.join(names)})" if exercise.returns != "dict"
                       else "put each gradient under its own key")
                words = f"'d{first}' and 'd{second}' look swapped"
                labels = frozenset(c.label for a in answered for c in a.comparisons
                                   if c.label.split("[")[0] in (f"d{first}", f"d{second}"))
                return Detection("swapped outputs", f"{words}: {how}.", words, labels)
    return None


def transposed_outputs(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Detection | None:
    """Some gradients transposed, the others right: a product taken in the wrong order."""
    failing = [a for a in answered if not a.right]
    transposed = {c.label.split("[")[0] for a in failing for c in a.comparisons if not c.right}
    if not transposed or any(r.ndim != 2 for a in failing for c, r in zip(a.comparisons, a.references, strict=True)
                             if c.label.split("[")[0] in transposed):
        return None  # a vector or a number has no transpose

    def predict(case: Answered) -> list[np.ndarray]:
        return [r.T if c.label.split("[")[0] in transposed else r
                for c, r in zip(case.comparisons, case.references, strict=True)]
    if not explains(answered, predict, tol):
        return None
    labels = sorted(transposed)
    verb = "is" if len(labels) == 1 else "are"
    params = _quoted([label[1:] for label in labels])
    words = f"{_quoted(labels)} {verb} transposed"
    hint = (f"{words}: a gradient has the shape of its parameter ({params}); "
            f"swap the order of the product that computes it.")
    return Detection("transposed output", hint, words,
                     frozenset(c.label for a in answered for c in a.comparisons if c.label.split("[")[0] in transposed))


def one_sample(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Detection | None:
    """The gradient of one sample's term alone (the first: a `return` inside the loop; the last:
    each sample's term overwriting the one before), or that divided by the number of samples."""
    names = exercise.sample_inputs
    if not names:
        return None
    for row, which, why in ((0, "first", "a `return` inside the loop?"),
                            (-1, "last", "each row's term overwriting the one before: `=` where `+=` belongs?")):
        for per_sample in (False, True):
            def predict(case: Answered, row: int = row, per_sample: bool = per_sample) -> list[np.ndarray]:
                inputs = case.case.inputs
                n = len(inputs[names[0]])
                part = Case(case.case.name, {k: v[row:][:1] if k in names else v for k, v in inputs.items()})
                predicted = []
                for slot, full, alone in zip(exercise.slots(case.case), case.references, exercise.reference(part),
                                             strict=True):
                    if slot.label[1:].split("[")[0] in names:
                        embedded = np.zeros_like(full)
                        embedded[row] = alone[0]
                        alone = embedded
                    predicted.append(np.asarray(alone / n if per_sample else alone))
                return predicted
            if explains(answered, predict, tol):
                rows = " and ".join(f"{name}[{row}]" for name in names)
                words = f"looks computed from {rows} alone"
                whole = ("the gradient adds up the gradients of all the terms" if exercise.returns != "value"
                         else "its value takes every term")
                hint = (f"Your answer is the {exercise.answer_noun} of the {which} sample's term alone ({rows}): "
                        f"the loss adds a term for every i, so {whole} ({why})")
                return Detection("one sample only", hint, f"the answer {words}")
    return None


def truncated_to_integers(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Detection | None:
    """Every wrong value is the true one rounded towards zero: an integer array filled with floats."""
    failing = [a for a in answered if not a.right]
    if not any(np.any(a != 0) for x in failing for c, a in zip(x.comparisons, x.answers, strict=True) if not c.right):
        return None  # all zeros is no rounding

    def predict(case: Answered) -> list[np.ndarray]:
        return [r if c.right else np.trunc(r) for c, r in zip(case.comparisons, case.references, strict=True)]
    if not explains(answered, predict, tol):
        return None
    labels = [c.label for c in failing[0].comparisons if not c.right]
    words = f"{_quoted(labels)} {'looks' if len(labels) == 1 else 'look'} rounded towards zero to whole numbers"
    hint = (f"{words}: the array you fill has an integer dtype. Create it as float "
            f"(np.zeros(shape) or np.zeros_like(x, dtype=float)).")
    return Detection("truncated to integers", hint, words, frozenset(labels))


# In the order they are tried; the first that explains every case is told.
DETECTORS: tuple[Callable[[Exercise, list[Answered], Tolerance], Detection | None], ...] = (
    swapped_outputs, transposed_outputs, one_sample, truncated_to_integers,
)
# Each detection's name, and the words that only its hint says: how a report's hints tell which was given.
DETECTION_MARKS = {
    "swapped outputs": " look swapped: ",
    "transposed output": " transposed: a gradient has the shape of its parameter",
    "one sample only": " sample's term alone (",
    "truncated to integers": " rounded towards zero to whole numbers: the array you fill has an integer dtype",
}


def detection_named(hint: str) -> str | None:
    """The name of the generic detection whose hint this is, or None."""
    return next((name for name, mark in DETECTION_MARKS.items() if mark in hint), None)


def detect(exercise: Exercise, answered: list[Answered], tol: Tolerance) -> Detection | None:
    """The first generic mistake that explains every answered case, if some case fails."""
    if all(a.right for a in answered):
        return None
    for detector in DETECTORS:
        detection = detector(exercise, answered, tol)
        if detection is not None:
            return detection
    return None
