"""A fresh interpreter per submission: simple and slow (numpy is imported every time).

It is the baseline the fork server is measured against, with rlimits, a new session, an
empty environment and a private temporary directory as its only isolation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from grader.sandbox import harness
from grader.sandbox.limits import Limits
from grader.sandbox.outcome import JailResult, judge_run
from grader.sandbox.process import SANDBOX_ENV, apply_rlimits, collect, kill_group
from grader.sandbox.protocol import Job, encode_job


class FreshInterpreterRunner:
    """Runs each job in a new ``python -I`` process that imports numpy from scratch."""

    layers = ("session", "rlimits", "private-tmpdir", "empty-env")

    def run(self, job: Job, limits: Limits) -> JailResult:
        payload = encode_job(job)
        job_read, job_write = os.pipe()
        channel_read, channel_write = os.pipe()
        with tempfile.TemporaryDirectory(prefix="gradegrad-") as workdir:
            try:
                process = subprocess.Popen(
                    [sys.executable, "-I", harness.__file__, str(channel_write)],
                    stdin=job_read, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    pass_fds=(channel_write,), cwd=workdir, env=SANDBOX_ENV,
                    start_new_session=True, preexec_fn=lambda: apply_rlimits(limits),
                )
            finally:
                os.close(job_read)
                os.close(channel_write)
            assert process.stdout is not None and process.stderr is not None  # started with PIPE
            deadline = time.monotonic() + limits.wall_seconds
            try:
                collected = collect(payload, job_write, channel_read, process.stdout.fileno(),
                                    process.stderr.fileno(), limits, deadline)
            finally:
                kill_group(process.pid)
                os.close(channel_read)
                process.stdout.close()
                process.stderr.close()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = status
        cpu = usage.ru_utime + usage.ru_stime
        return judge_run(job, collected, status, cpu, limits, self.layers)

