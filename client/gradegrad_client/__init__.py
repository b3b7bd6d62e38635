"""The student's client of a GradeGrad server: sign in, submit, follow a submission (HTTP only).

It holds no exercise, reference, case or sandbox code: a student installs it to talk to a server.
In a notebook: ``from gradegrad_client import submit; submit("mse_grad", mse_grad)``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["submit"]


def __getattr__(name: str) -> Any:
    # Imported on use: the platform imports this package's renderer without wanting HTTP.
    if name == "submit":
        from gradegrad_client.notebook import submit

        return submit
    raise AttributeError(f"module 'gradegrad_client' has no attribute '{name}'")
