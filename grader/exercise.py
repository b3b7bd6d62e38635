"""What an exercise is: arguments, loss, reference answer (a gradient or a value), cases and a bank of mistakes."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np

from grader.finite_diff import loss_gradient
from grader.sandbox.harness import Slot, extract

Returns = Literal["array", "tuple", "dict", "value"]

# The label of the one slot of an exercise whose answer is the loss's value.
VALUE_LABEL = "loss"


@dataclass(frozen=True)
class Case:
    """One call of the student's function: named inputs in parameter order."""

    name: str
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often write, and the hint it deserves.

    ``gradient`` takes the exercise's arguments and returns an answer shaped like the
    reference's (a wrong gradient, or for an exercise that asks for a value a wrong value; it
    may return the wrong shape when that is the mistake). It may raise where a student's code
    would (a product of shapes that do not fit): those cases then say nothing of the mistake.
    """

    name: str
    hint: str
    gradient: Callable[..., Any]


@dataclass(frozen=True)
class Exercise:
    """An exercise of the catalogue.

    ``wrt`` names the inputs the gradient is taken with respect to, in the order the answer
    lists them; ``returns`` says how the answer is packed: one array, a tuple (or list) in
    ``wrt`` order, or a dict keyed by the names in ``wrt``. An input that is a list of arrays
    gets a list of gradients. Without ``gradient`` the reference comes from finite
    differences of ``loss``, so an exercise can be written as a loss and a case generator.

    With ``returns="value"`` the exercise asks for the value of ``loss`` itself, one number,
    and ``wrt`` is empty: the reference is ``loss``, and ``cross_check`` computes the same value
    another way (another formula, exact arithmetic), which the self-checks hold the reference
    to, as they hold a gradient to finite differences.
    """

    name: str
    title: str
    statement: str
    params: tuple[str, ...]
    wrt: tuple[str, ...]
    returns: Returns
    loss: Callable[..., float]
    generate_cases: Callable[[np.random.Generator], list[Case]]
    public_cases: tuple[Case, ...] = ()
    gradient: Callable[..., Any] | None = None
    mistakes: tuple[Mistake, ...] = field(default=())
    # The inputs indexed by sample (or time step) along their first axis, all of one length:
    # the feedback can then tell an answer computed from one sample alone.
    sample_inputs: tuple[str, ...] = ()
    cross_check: Callable[..., float] | None = None
    # Progressive hints, gentlest first, which a student's failed attempts unlock one by one (web/hints.py);
    # and a worked solution's source, shown to students only once their due date has passed.
    hints: tuple[str, ...] = ()
    solution: str | None = None

    def __post_init__(self) -> None:
        if self.returns == "value" and (self.wrt or self.gradient is not None or self.cross_check is None):
            raise ValueError(f"{self.name}: an exercise asking for a value has no wrt and no gradient, "
                             f"and needs a cross_check")
        if self.returns != "value" and self.cross_check is not None:
            raise ValueError(f"{self.name}: cross_check is for an exercise asking for a value; "
                             f"a gradient is checked by finite differences")

    def mistake(self, name: str) -> Mistake:
        """The named mistake of the bank."""
        return next(m for m in self.mistakes if m.name == name)

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"

    def hidden_cases(self, seed: int, case_key: bytes | None = None) -> list[Case]:
        """The hidden suite for ``seed``: the same seed (and key) always gives the same cases.

        case_key: a deployment's secret. With it the cases come from a keyed hash of the exercise
        and seed, so knowing a stored seed and this code reproduces nothing; without it (a local
        practice run) they come from the seed alone.
        """
        cases = self.generate_cases(np.random.default_rng(suite_entropy(self.name, seed, case_key)))
        names = [case.name for case in cases]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: case names repeat: {names}")
        return cases

    @property
    def answer_noun(self) -> str:
        """What the answer is, in the feedback's words: "gradient" or "value"."""
        return "value" if self.returns == "value" else "gradient"

    @property
    def reference_function(self) -> Callable[..., Any] | None:
        """The trusted function whose answer is the reference: the analytic gradient, or for an
        exercise asking for a value the loss itself; None when finite differences give it."""
        return self.loss if self.returns == "value" else self.gradient

    def slots(self, case: Case) -> list[Slot]:
        """Where each answer array sits in an answer, with its label and expected shape."""
        if self.returns == "value":
            return [Slot(VALUE_LABEL, (), ())]
        slots = []
        for index, name in enumerate(self.wrt):
            heads: dict[str, tuple[str | int, ...]] = {"array": (), "tuple": (index,), "dict": (name,)}
            head = heads[self.returns]
            value = case.inputs[name]
            if isinstance(value, list):
                for j, part in enumerate(value):
                    slots.append(Slot(f"d{name}[{j}]", head + (j,), tuple(np.shape(part))))
            else:
                slots.append(Slot(f"d{name}", head, tuple(np.shape(value))))
        return slots

    def reference_answer(self, case: Case) -> Any:
        """The true answer (gradient or value), packed as a student should return it."""
        if self.reference_function is not None:
            return self.reference_function(**fresh_inputs(case.inputs))
        return self.pack(loss_gradient(self.loss, case.inputs, self.wrt))

    def reference(self, case: Case) -> list[np.ndarray]:
        """The true answer as one float64 array per slot."""
        return self.flatten(self.reference_answer(case), case)

    def evaluate(self, function: Callable[..., Any], case: Case) -> list[np.ndarray]:
        """A trusted function's answer (a named mistake's, say) as one float64 array per slot."""
        with np.errstate(all="ignore"):
            return self.flatten(function(**fresh_inputs(case.inputs)), case)

    def numerical_reference(self, case: Case) -> list[np.ndarray]:
        """The gradient by finite differences of the loss, one array per slot."""
        return self.flatten(self.pack(loss_gradient(self.loss, case.inputs, self.wrt)), case)

    def independent_reference(self, case: Case) -> list[np.ndarray]:
        """The true answer computed independently of the reference, one array per slot: the
        gradient by finite differences of the loss, or the value by ``cross_check``."""
        if self.cross_check is not None:
            return self.flatten(self.cross_check(**fresh_inputs(case.inputs)), case)
        return self.numerical_reference(case)

    def pack(self, grads: dict[str, Any]) -> Any:
        """Pack gradients keyed by input name the way ``returns`` says."""
        if self.returns == "array":
            return grads[self.wrt[0]]
        if self.returns == "tuple":
            return tuple(grads[name] for name in self.wrt)
        return {name: grads[name] for name in self.wrt}

    def flatten(self, answer: Any, case: Case) -> list[np.ndarray]:
        """Trusted answers (references, mistakes) as float64 arrays, one per slot."""
        return [np.asarray(extract(answer, slot.path), dtype=np.float64) for slot in self.slots(case)]

    def loss_value(self, case: Case) -> float:
        return float(self.loss(**fresh_inputs(case.inputs)))


def suite_entropy(exercise: str, seed: int, case_key: bytes | None) -> int:
    """What seeds the generator of a hidden suite: the seed itself, or HMAC-SHA256 of the exercise
    and seed under ``case_key`` (256 bits, which NumPy's SeedSequence takes whole)."""
    if case_key is None:
        return seed
    return int.from_bytes(hmac.digest(case_key, f"{exercise}:{seed}".encode(), "sha256"), "big")


def fresh_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Copies of the inputs, so a reference or mistake can never change a case."""
    return {
        name: [part.copy() for part in value] if isinstance(value, list)
        else value.copy() if isinstance(value, np.ndarray) else value
        for name, value in inputs.items()
    }


def read_statement(module_file: str) -> str:
    """The statement.md that sits beside an exercise's module."""
    return (Path(module_file).parent / "statement.md").read_text(encoding="utf-8")


HINT_HEADING = re.compile(r"^## .*$", re.MULTILINE)


def read_hints(module_file: str) -> tuple[str, ...]:
    """The hints of hints.md beside an exercise's module, one per ``## `` section, in order (none without
    the file). Each hint is its section's Markdown without the heading."""
    path = Path(module_file).parent / "hints.md"
    if not path.exists():
        return ()
    before, *sections = HINT_HEADING.split(path.read_text(encoding="utf-8"))
    if before.strip() or not sections:
        raise ValueError(f"{path}: every hint is a section that starts with a '## ' heading")
    hints = tuple(section.strip() for section in sections)
    if not all(hints):
        raise ValueError(f"{path}: hint {[bool(h) for h in hints].index(False) + 1} is empty")
    return hints


def read_solution(module_file: str) -> str | None:
    """The source of solution.py beside an exercise's module, or None without one."""
    path = Path(module_file).parent / "solution.py"
    return path.read_text(encoding="utf-8") if path.exists() else None


def assemble(module_file: str, reference: ModuleType, cases: ModuleType, mistakes: ModuleType,
             **fields: Any) -> Exercise:
    """An exercise from the usual parts beside ``module_file``: statement.md, reference.py
    (loss, and gradient, or for an exercise asking for a value cross_check), cases.py
    (PUBLIC_CASES, generate_cases, optionally SAMPLE_INPUTS) and mistakes.py (MISTAKES);
    and if present hints.md (progressive hints) and solution.py (shown after the due date)."""
    answers_value = fields.get("returns") == "value"
    return Exercise(
        statement=read_statement(module_file), loss=reference.loss,
        hints=read_hints(module_file), solution=read_solution(module_file),
        gradient=None if answers_value else reference.gradient,
        cross_check=reference.cross_check if answers_value else None,
        generate_cases=cases.generate_cases, public_cases=cases.PUBLIC_CASES, mistakes=mistakes.MISTAKES,
        sample_inputs=getattr(cases, "SAMPLE_INPUTS", ()),
        **fields,
    )


class UnknownExercise(KeyError):
    """No exercise of that name is in the catalogue."""


class Catalogue(dict[str, Exercise]):
    """The exercises of a course by name: data handed to the grading core, which knows no course."""

    @classmethod
    def of(cls, exercises: Iterable[Exercise]) -> Catalogue:
        return cls((exercise.name, exercise) for exercise in exercises)

    def get_exercise(self, name: str) -> Exercise:
        """The exercise called ``name``; raises UnknownExercise with the known names."""
        try:
            return self[name]
        except KeyError:
            raise UnknownExercise(f"unknown exercise '{name}'; known: {', '.join(self)}") from None
