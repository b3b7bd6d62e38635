"""The exercise catalogue: one package per exercise, each exposing ``EXERCISE``."""

from __future__ import annotations

from importlib import import_module

from exercises.base import Exercise

# The names are the public contract of docs/contract.md: add, never rename.
CATALOGUE = (
    "mse_grad",
    "linreg_grad",
    "softmax_ce_grad",
    "rnn_bptt",
    "chain_rule_grad",
    "mlp_grad",
    "deep_linear_grad",
)


class UnknownExercise(KeyError):
    """No exercise of that name is in the catalogue."""


EXERCISES: dict[str, Exercise] = {name: import_module(f"exercises.{name}").EXERCISE for name in CATALOGUE}


def get_exercise(name: str) -> Exercise:
    """The exercise called ``name``; raises UnknownExercise with the known names."""
    try:
        return EXERCISES[name]
    except KeyError:
        raise UnknownExercise(f"unknown exercise '{name}'; known: {', '.join(EXERCISES)}") from None
