"""Run a function on untrusted input in a forked child that hard limits on CPU, memory and time stop.

CPython's parser is quadratic or worse on some inputs (an f-string with tens of thousands of fields
takes half a minute) and raises RecursionError or MemoryError on deep nesting. Guards on each shape
would be a blacklist; a child under RLIMIT_CPU, RLIMIT_AS and a wall-clock deadline bounds every
input at once, and the caller (a web request, the command line) only waits on a pipe, holding
no lock and not the GIL while it waits.

A fork, not a fresh interpreter: the child has every module of its parent already imported, so it
starts in a few milliseconds where a new Python takes tens.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MiB = 1024 * 1024


@dataclass(frozen=True)
class ChildLimits:
    """cpu_seconds: RLIMIT_CPU of the child (whole seconds). memory_bytes: address space it may add to its
    parent's. wall_seconds: real time before it is killed (a starved or stuck child)."""

    cpu_seconds: int = 1
    memory_bytes: int = 512 * MiB
    wall_seconds: float = 15.0


PARSE_LIMITS = ChildLimits()


class OverLimit(Exception):
    """The child went past a limit; the message says which, in words for the person who sent the input."""


def run_limited(work: Callable[..., Any], *args: Any, limits: ChildLimits | None = None) -> Any:
    """``work(*args)`` computed in a forked child under ``limits`` (PARSE_LIMITS by default); its result must be JSON.

    RecursionError and MemoryError in ``work`` and any limit reached raise OverLimit; any other
    exception of ``work`` is a fault of the code, raised here as RuntimeError.
    """
    limits = limits or PARSE_LIMITS
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage cannot follow it
        _child(writer, limits, work, args)
    os.close(writer)
    answer = None
    try:
        answer = _read_until(reader, time.monotonic() + limits.wall_seconds)
    finally:
        os.close(reader)
        if answer is None:  # past the deadline, or the caller was interrupted while waiting
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if answer is None:
        raise OverLimit(f"it took more than {limits.wall_seconds:g} s")
    if os.WIFSIGNALED(status) or not answer:
        signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        if signum in (signal.SIGXCPU, signal.SIGKILL):
            raise OverLimit(f"it needs more than {limits.cpu_seconds} s of CPU time")
        name = signal.Signals(signum).name if signum else f"exit status {os.WEXITSTATUS(status)}"
        raise OverLimit(f"the parser stopped with {name}")
    result = json.loads(answer)
    if "over" in result:
        raise OverLimit(result["over"])
    if "fault" in result:
        raise RuntimeError(f"a limited child failed: {result['fault']}")
    return result["value"]


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until its writer closes it, or None at ``deadline``."""
    chunks: list[bytes] = []
    waiting = select.poll()  # not select(): a busy web process may have descriptors past 1024
    waiting.register(fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not waiting.poll(left * 1000):
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(writer: int, limits: ChildLimits, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Never returns: the child must not run its parent's code (a web request, a test) past this call."""
    try:
        # Only the answer's pipe stays open: not the parent's sockets, nor the pipe of another
        # request's child forked at the same moment (whose caller would wait for our end to close).
        os.closerange(3, writer)
        os.closerange(writer + 1, os.sysconf("SC_OPEN_MAX"))
        _limit_self(limits)
        try:
            answer = {"value": work(*args)}
        except RecursionError as exc:
            answer = {"over": f"it nests too deeply (RecursionError: {exc})"}
        except MemoryError:
            answer = {"over": "it nests too deeply or needs too much memory (MemoryError)"}
        except BaseException as exc:  # a fault of ``work``: the parent raises it
            answer = {"fault": f"{type(exc).__name__}: {exc}"}
        data = memoryview(json.dumps(answer).encode())
        while data:
            data = data[os.write(writer, data):]
    finally:
        os._exit(0)


def _limit_self(limits: ChildLimits) -> None:
    _lower(resource.RLIMIT_CORE, 0)
    _lower(resource.RLIMIT_CPU, limits.cpu_seconds)
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return  # no /proc: the CPU and wall limits still bound the child
    _lower(resource.RLIMIT_AS, mapped + limits.memory_bytes)


def _lower(which: int, value: int) -> None:
    """Set soft and hard limit to ``value``, or keep a hard limit the parent already has that is lower."""
    _, hard = resource.getrlimit(which)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(which, (value, value))
