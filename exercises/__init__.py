"""The built-in demo course: one package per exercise, each exposing ``EXERCISE``."""

from __future__ import annotations

from importlib import import_module

from grader.exercise import Catalogue, Exercise, UnknownExercise

__all__ = ["CATALOGUE", "EXERCISES", "Exercise", "UnknownExercise", "get_exercise"]

# The names are the public contract of docs/contract.md: add, never rename.
CATALOGUE = (
    "mse_grad",
    "linreg_grad",
    "softmax_ce_grad",
    "rnn_bptt",
    "chain_rule_grad",
    "mlp_grad",
    "deep_linear_grad",
    "deep_linear_backward",
    "mlp_act_grad",
    "linreg_vec_grad",
    "softmax_ce_loss",
)

EXERCISES = Catalogue.of(import_module(f"exercises.{name}").EXERCISE for name in CATALOGUE)
get_exercise = EXERCISES.get_exercise
