"""The grader's side of the fork server: ``ForkServerRunner.run(job, limits) -> JailResult``.

The server is a separate interpreter started by exec with an empty environment, so nothing
the grading process holds (expected values, secrets, sockets) can reach a child. A server
belongs to the process that started it: after a fork the new process starts its own. As
root each server takes a slot, and the slot's own unprivileged uid runs its children.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from typing import Any

from grader.sandbox.harness import encode_json
from grader.sandbox.limits import DEFAULT_LIMITS, Limits
from grader.sandbox.outcome import JailResult, judge_run
from grader.sandbox.policy import SandboxUnavailable, require_isolation
from grader.sandbox.process import SANDBOX_ENV, collect
from grader.sandbox.protocol import Job, encode_job

SLOT_UID_BASE = 61000
"""As root, slot n's children run as uid and gid SLOT_UID_BASE + n: unused by any account, and not nobody."""
SLOTS = 256
START_SECONDS = 30.0
REPLY_SECONDS = 15.0
MAX_MESSAGE = 65536
DONE = encode_json({"type": "done"})
"""How the harness ends a reply. After it, a child's exit status cannot change the verdict, so it is not awaited."""


class ForkServerRunner:
    """Runs each job in a freshly sealed child of a per-process fork server.

    One job at a time per runner (a lock serialises callers); run one runner per worker
    process for parallel grading.
    """

    def __init__(self, slot_uid_base: int = SLOT_UID_BASE, disk_bytes: int = DEFAULT_LIMITS.disk_bytes) -> None:
        self.slot_uid_base, self.disk_bytes = slot_uid_base, disk_bytes
        self.layers: tuple[str, ...] = ()
        self.owner_pid = os.getpid()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._offer: tuple[tuple[str, ...], list[int]] | None = None
        self._slot: socket.socket | None = None
        self._root: str | None = None

    def run(self, job: Job, limits: Limits) -> JailResult:
        head = json.dumps(asdict(limits)).encode()
        body = struct.pack(">I", len(head)) + head + encode_job(job)
        with self._lock:
            self._ensure_started()
            require_isolation(self.layers)
            layers, (job_w, channel_r, out_r, err_r) = self._take_offer()
            self._tell({"op": "start", "wall": limits.wall_seconds})
            try:
                collected = collect(struct.pack(">Q", len(body)) + body, job_w, channel_r, out_r, err_r, limits,
                                    time.monotonic() + limits.wall_seconds)
            except BaseException:  # interrupted mid-job: the server and its child go with it
                self._stop_broken()
                raise
            finally:
                for fd in (channel_r, out_r, err_r):
                    os.close(fd)
            if not collected.stopped_early and collected.channel.endswith(DONE):
                self._tell({"op": "finish", "wait": False})
                status, cpu = 0, 0.0
            else:
                ended, _ = self._ask({"op": "finish", "wait": True})
                status, cpu = int(ended["status"]), float(ended["cpu"])
        return judge_run(job, collected, status, cpu, limits, layers)

    def start(self) -> tuple[str, ...]:
        """Start the server if it is not running; returns the layers its children apply."""
        with self._lock:
            self._ensure_started()
            return self.layers

    def close(self) -> None:
        """Stop the server and its children (only from the process that started it)."""
        if os.getpid() != self.owner_pid:
            return
        if self._offer is not None:
            for fd in self._offer[1]:
                os.close(fd)
        if self._control is not None:
            self._control.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=REPLY_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None:
            assert self._process.stderr is not None  # started with stderr=PIPE
            self._process.stderr.close()
        if self._slot is not None:
            self._slot.close()
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
        self._process = self._control = self._offer = self._slot = self._root = None

    def _ensure_started(self) -> None:
        if os.getpid() != self.owner_pid:
            raise SandboxUnavailable("this runner belongs to another process; use grader.sandbox.default_runner()")
        if self._process is not None and self._process.poll() is None:
            return
        self.close()
        self._root = tempfile.mkdtemp(prefix="gradegrad-sandbox-")
        args = [sys.executable, "-I", "-m", "grader.sandbox.forkserver"]
        if os.geteuid() == 0:
            self._slot, slot = take_slot()
            os.chmod(self._root, 0o711)  # the slot's uid must reach its own directory inside
            args_tail = [str(self.slot_uid_base + slot)] * 2
        else:
            args_tail = []
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                args + [str(theirs.fileno()), self._root, str(self.disk_bytes)] + args_tail, env=SANDBOX_ENV, cwd="/",
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=[theirs.fileno()],
                start_new_session=True,
            )
        finally:
            theirs.close()
        self._control = ours
        try:
            self._offer = self._take_offer(timeout=START_SECONDS)
        except SandboxUnavailable:
            self._stop_broken()
            raise
        self.layers = self._offer[0]

    def _take_offer(self, timeout: float = REPLY_SECONDS) -> tuple[tuple[str, ...], list[int]]:
        """The sealed child the server offered, waiting for its offer if it has not come yet."""
        offer, self._offer = self._offer, None
        if offer is None:
            reply, fds = self._ask(None, expect_fds=4, timeout=timeout)
            offer = (tuple(reply["layers"]), fds)
        return offer

    def _ask(self, message: dict[str, object] | None, expect_fds: int = 0,
             timeout: float = REPLY_SECONDS) -> tuple[dict[str, Any], list[int]]:
        """Send a message (if any) and read the server's answer, with the descriptors it carries."""
        assert self._control is not None
        try:
            if message is not None:
                self._tell(message)
            self._control.settimeout(timeout)
            data, fds, _, _ = socket.recv_fds(self._control, MAX_MESSAGE, max(expect_fds, 1))
        except OSError as exc:
            raise SandboxUnavailable(f"the sandbox server stopped answering: {exc}{self._stop_broken()}") from exc
        if not data:
            raise SandboxUnavailable(f"the sandbox server has stopped{self._stop_broken()}")
        reply = json.loads(data)
        if "error" in reply or len(fds) != expect_fds:
            for fd in fds:
                os.close(fd)
            raise SandboxUnavailable(f"the sandbox server refused: {reply.get('error', 'wrong descriptors')}")
        return reply, fds

    def _tell(self, message: dict[str, object]) -> None:
        """Send a message that has no answer."""
        assert self._control is not None
        try:
            self._control.send(json.dumps(message).encode())
        except OSError as exc:
            raise SandboxUnavailable(f"the sandbox server stopped answering: {exc}{self._stop_broken()}") from exc

    def _stop_broken(self) -> str:
        """Stop a server that failed; returns the end of what it wrote to stderr, to explain why."""
        said = ""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            assert self._process.stderr is not None  # started with stderr=PIPE
            said = self._process.stderr.read()[-2000:].decode("utf-8", "replace").strip()
        self.close()
        return f": {said}" if said else ""


def take_slot() -> tuple[socket.socket, int]:
    """Hold the first free slot on this host: an abstract socket name, released when the process ends."""
    for slot in range(SLOTS):
        holder = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            holder.bind(f"\0gradegrad-sandbox-slot-{slot}")
        except OSError:
            holder.close()
            continue
        return holder, slot
    raise SandboxUnavailable(f"all {SLOTS} sandbox slots on this host are taken")
