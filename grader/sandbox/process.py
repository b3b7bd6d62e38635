"""The environment and rlimits of a sandboxed process, and the loop that feeds it a job and collects what it writes."""

from __future__ import annotations

import os
import resource
import selectors
import signal
import time
from dataclasses import dataclass

from grader.sandbox.limits import Limits

# The whole environment of a sandboxed interpreter (the fork server, or a fresh one per submission):
# nothing of the grader's, one BLAS thread (a grading must not spawn threads), and UTF-8 text.
SANDBOX_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LC_ALL": "C.UTF-8"}


def apply_rlimits(limits: Limits) -> None:
    """Called in the child before any student code: CPU (soft = hard), memory, files, no core."""
    cpu = max(1, int(limits.cpu_seconds))
    # soft = hard: as PID 1 of a pid namespace a process ignores SIGXCPU, never SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass
class Collected:
    """What came out of the child before it closed its pipes or was stopped."""

    channel: bytes = b""
    stdout: bytes = b""
    stderr: bytes = b""
    output_seen: int = 0
    timed_out: bool = False
    too_much_output: bool = False
    too_much_result: bool = False

    @property
    def stopped_early(self) -> bool:
        return self.timed_out or self.too_much_output or self.too_much_result


def collect(job: bytes, job_fd: int | None, channel_fd: int, stdout_fd: int, stderr_fd: int,
            limits: Limits, deadline: float) -> Collected:
    """Write ``job`` to ``job_fd`` (if given) and read the three outputs until they close.

    Stops early, leaving the caller to kill the child, at the wall deadline, when stdout
    and stderr together pass ``limits.output_bytes``, or when the channel passes
    ``limits.result_bytes``. Only ``limits.kept_output_bytes`` of each output is kept.
    """
    result = Collected()
    channel = bytearray()
    kept = {stdout_fd: bytearray(), stderr_fd: bytearray()}
    pending = memoryview(job)
    with selectors.DefaultSelector() as selector:
        for fd in (channel_fd, stdout_fd, stderr_fd):
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        if job_fd is not None:
            os.set_blocking(job_fd, False)
            selector.register(job_fd, selectors.EVENT_WRITE)
        open_reads = 3
        while open_reads:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.timed_out = True
                break
            for key, _ in selector.select(remaining):
                fd = key.fd
                if fd == job_fd:
                    try:
                        pending = pending[os.write(fd, pending) :]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # the child stopped reading: it will answer nothing
                        pending = pending[len(pending) :]
                    if not pending:
                        selector.unregister(fd)
                        os.close(fd)
                        job_fd = None
                    continue
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not data:
                    selector.unregister(fd)
                    open_reads -= 1
                    continue
                if fd == channel_fd:
                    channel += data
                    if len(channel) > limits.result_bytes:
                        result.too_much_result = True
                else:
                    result.output_seen += len(data)
                    room = limits.kept_output_bytes - len(kept[fd])
                    if room > 0:
                        kept[fd] += data[:room]
                    if result.output_seen > limits.output_bytes:
                        result.too_much_output = True
            if result.too_much_output or result.too_much_result:
                break
    if job_fd is not None:
        os.close(job_fd)
    result.channel, result.stdout, result.stderr = bytes(channel), bytes(kept[stdout_fd]), bytes(kept[stderr_fd])
    return result


def kill_group(pgid: int) -> None:
    """SIGKILL a whole process group; a group already gone is fine."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
