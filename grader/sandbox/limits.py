"""Resource limits of one grading, with the defaults an exercise may override."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one submission may use, all hidden cases together.

    wall_seconds: real time before the whole child tree is killed (a sleep costs no CPU).
    cpu_seconds: CPU time (RLIMIT_CPU, soft = hard).
    memory_bytes: address space (RLIMIT_AS); numpy itself maps about 100 MiB.
    file_bytes: the largest file the submission may write (RLIMIT_FSIZE).
    disk_bytes: the size of the submission's own directory, all files together: a tmpfs of
        that size where the kernel grants a mount namespace. The fork server seals children
        before their job arrives, so it applies the value its runner was created with.
    output_bytes: stdout plus stderr read before the child is killed for too much output.
    kept_output_bytes: how much of that output is kept to show the student.
    result_bytes: the most the job channel may carry back.
    """

    wall_seconds: float = 10.0
    cpu_seconds: int = 5
    memory_bytes: int = 1024 * MiB
    file_bytes: int = 4 * MiB
    disk_bytes: int = 8 * MiB
    open_files: int = 64
    output_bytes: int = 1 * MiB
    kept_output_bytes: int = 64 * 1024
    result_bytes: int = 64 * MiB

    def with_overrides(self, **changes: Any) -> Limits:
        """A copy with the named fields changed; an unknown name raises TypeError."""
        return replace(self, **changes)


DEFAULT_LIMITS = Limits()
