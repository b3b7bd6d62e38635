"""Fail closed: refuse to grade without isolation, unless a loud development flag says otherwise."""

from __future__ import annotations

import logging
import os

UNSAFE_FLAG = "GRADEGRAD_UNSAFE_LOCAL_RUN"
ISOLATING = frozenset({"ns-mount", "ns-pid", "ns-net", "ns-user", "uid", "landlock-fs", "seccomp"})
"""The layers that wall a submission off; rlimits, a session and closed descriptors alone do not."""

log = logging.getLogger("grader.sandbox")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot isolate submissions on this host, so grading is refused."""


def isolating_layers(layers: tuple[str, ...] | list[str]) -> list[str]:
    return [layer for layer in layers if layer in ISOLATING]


def unsafe_local_run() -> bool:
    """Whether the development flag is set; every call that finds it set logs DANGER."""
    if os.environ.get(UNSAFE_FLAG) != "1":
        return False
    log.warning("DANGER: %s=1: running student code without isolation; never do this on a server", UNSAFE_FLAG)
    return True


def require_isolation(layers: tuple[str, ...] | list[str]) -> None:
    """Raise SandboxUnavailable when no isolating layer stands, unless the unsafe flag is set."""
    if isolating_layers(layers) or unsafe_local_run():
        return
    raise SandboxUnavailable(
        "no isolation layer (namespaces, a uid of its own, Landlock or seccomp) can be applied on this host; "
        f"run `gradegrad sandbox-check` for details, or set {UNSAFE_FLAG}=1 on a development machine only"
    )
