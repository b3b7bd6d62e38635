"""What happened to a job in the jail, judged: ``Runner.run(job, limits) -> JailResult``."""

from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass, field
from typing import Protocol

from grader.sandbox.limits import Limits
from grader.sandbox.process import Collected
from grader.sandbox.protocol import ChannelReply, Job, ProtocolError, decode_reply

log = logging.getLogger("grader.sandbox")


@dataclass
class JailResult:
    """How a run ended, what the submission answered, and what it printed.

    status: "ok" (the child answered; its answers may still be wrong), "timeout" (wall
    clock), "cpu" (CPU limit), "output" (too much output), "signal" (killed by a signal),
    "exited" (the child ended before answering every case), "protocol" (its reply was not
    valid). A runner raises only when it is misconfigured or refuses to run.
    """

    status: str
    reply: ChannelReply = field(default_factory=ChannelReply)
    stdout: str = ""
    stderr: str = ""
    signal: str | None = None  # how the child was killed, as signal_text() says it
    detail: str = ""
    layers: tuple[str, ...] = ()


class Runner(Protocol):
    """What the grading pipeline needs from a jail."""

    def run(self, job: Job, limits: Limits) -> JailResult: ...


def judge_run(job: Job, collected: Collected, wait_status: int, cpu_seconds: float,
              limits: Limits, layers: tuple[str, ...]) -> JailResult:
    """Turn what a child wrote and how it ended into a JailResult.

    The reply is decoded whatever happened, so the cases that finished before a time limit
    or a crash keep their answers.
    """
    result = JailResult(
        status="ok",
        stdout=collected.stdout.decode("utf-8", "replace"),
        stderr=collected.stderr.decode("utf-8", "replace"),
        layers=layers,
    )
    try:
        result.reply = decode_reply(collected.channel, job)
    except ProtocolError as exc:
        result.status, result.detail = "protocol", str(exc)
        return result
    except Exception as exc:  # a reply no check foresaw fails this submission, never the grader
        log.exception("a reply the protocol checks let through could not be decoded")
        result.status, result.detail = "protocol", f"the reply could not be decoded ({type(exc).__name__})"
        return result
    killed_by = os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) else None
    if collected.too_much_output:
        result.status = "output"
    elif collected.too_much_result:
        result.status, result.detail = "protocol", "the answers are larger than the result limit"
    elif collected.timed_out:
        result.status = "timeout"
    elif killed_by in (signal.SIGXCPU, signal.SIGKILL) and cpu_seconds >= limits.cpu_seconds - 0.5:
        result.status = "cpu"
    elif killed_by is not None and not result.reply.complete:
        result.status, result.signal = "signal", signal_text(killed_by)
    elif not result.reply.complete:
        result.status = "exited"
    return result


def signal_text(number: int) -> str:
    """A signal by number and, when it has one, name: "signal 11 (SIGSEGV)", "signal 40 (SIGRTMIN+6)", "signal 32".

    Never raises: a child may die of any number the kernel has, named by Python or not.
    """
    try:
        name = signal.Signals(number).name
    except ValueError:
        if signal.SIGRTMIN < number <= signal.SIGRTMAX:
            name = f"SIGRTMIN+{number - signal.SIGRTMIN}"
        else:
            return f"signal {number}"
    return f"signal {number} ({name})"
