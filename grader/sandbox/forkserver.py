"""The fork server: a fresh interpreter, with an empty environment, that imports numpy once and forks sealed children.

It is started by exec, never forked from a grader, so it holds no expected value, secret or
socket of the grader: only numpy, this package's jail code and the control socket. It never
sees a job either; the grader writes each job straight into the child's pipe. One sealed
child is always prepared ahead, so the next submission finds its jail already built.

Control messages (JSON over a SOCK_SEQPACKET socket): as soon as a sealed child is ready the
server offers it, unasked, as its layers plus its four pipe ends (job, channel, stdout,
stderr). The grader answers ``{"op": "start", "wall": s}`` when it writes a job there, then
``{"op": "finish", "wait": bool}``, which kills the child and answers with its wait status
and CPU time once it is dead, or does not answer when the grader does not need them.
End of file on the socket stops the server and every child it made.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import select
import shutil
import signal
import socket
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np  # imported once here, so that every child starts with it

from grader.sandbox import harness
from grader.sandbox.jail import DEVICES_READ, DEVICES_WRITE, RULE_FDS, JailConfig, jail
from grader.sandbox.landlock import READ_ONLY, READ_WRITE, build_ruleset, open_rules
from grader.sandbox.layers import fork_into_namespaces, leave_host_network, make_reachable, own_disk, private_mounts
from grader.sandbox.protocol import Job, JobCase, encode_job
from grader.sandbox.seccomp_filter import compile_filter

BACKSTOP_SECONDS = 2.0  # past a child's wall time, in case its grader stopped asking
MAX_MESSAGE = 65536
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIRS = ("site-packages", "dist-packages")


@dataclass
class Child:
    """One sealed child as the server sees it: its pid, the grader's pipe ends, the layers it reported."""

    pid: int
    pidfd: int
    workdir: str
    grader_ends: list[int]
    report_fd: int
    layers: list[str] | None = None
    wait_status: tuple[int, float] | None = None
    closed: bool = False
    offered: bool = False
    buffer: bytes = b""
    deadline: float = field(default=float("inf"))

    def pump(self) -> None:
        """Read what the jail has reported so far (call when the pipe is readable)."""
        data = os.read(self.report_fd, 4096)
        if not data:
            self.closed = True
            return
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            self.layers = json.loads(line)["layers"]

    def reap(self) -> tuple[int, float]:
        """Wait for the child to end; its wait status and CPU seconds."""
        if self.wait_status is None:
            _, status, usage = os.wait4(self.pid, 0)
            self.wait_status = status, usage.ru_utime + usage.ru_stime
        return self.wait_status


def import_roots() -> tuple[str, ...]:
    """Where a submission may import from: the standard library and numpy (grader.sandbox.imports.PACKAGES),
    nothing else installed.

    Not the other installed packages, among which a non-editable install puts this project,
    and not the project's checkout, which an editable install puts on sys.path.
    """
    package = Path(np.__file__).resolve().parent
    venv = Path(sys.prefix).resolve()
    candidates = [Path(entry).resolve() for entry in sys.path if entry and Path(entry).is_dir()]
    candidates = [path for path in candidates if path.name not in PACKAGE_DIRS]
    roots = [path for path in candidates + [package, package.with_name("numpy.libs")]
             if path.exists() and PROJECT_ROOT != path and path not in PROJECT_ROOT.parents
             and (PROJECT_ROOT not in path.parents or venv in path.parents)]  # a virtualenv may live in the checkout
    return tuple(dict.fromkeys(str(path) for path in roots))


def read_only_paths(roots: tuple[str, ...]) -> tuple[str, ...]:
    """The Landlock rules for ``roots``: a root that holds a package directory is let in entry by entry.

    A rule covers a whole hierarchy, and the standard library's directory holds site-packages.
    """
    paths = []
    for root in roots:
        inside = Path(root)
        if inside.is_dir() and any((inside / name).exists() for name in PACKAGE_DIRS):
            paths += [str(entry) for entry in sorted(inside.iterdir()) if entry.name not in PACKAGE_DIRS]
        else:
            paths.append(root)
    return tuple(paths)


class Server:
    """Prepares sealed children one at a time, offers each to the grader, and ends each after its job."""

    def __init__(self, control: socket.socket, root: str, disk_bytes: int, uid: int | None, gid: int | None) -> None:
        self.control, self.root = control, root
        roots = import_roots()
        if uid is not None:
            make_reachable(roots)
        rules = open_rules(list(read_only_paths(roots)), READ_ONLY, RULE_FDS.start)
        if rules and rules[-1][0] >= RULE_FDS.stop:
            raise RuntimeError(f"{len(rules)} Landlock rules do not fit in descriptors {RULE_FDS}")
        self.network_left = leave_host_network()
        ruleset = None
        if uid is not None and self.children_get_own_disks():
            ruleset = shared_ruleset(rules, root)
            rules = []
        import_path = tuple(entry for entry in sys.path if entry and str(Path(entry).resolve()) in roots
                            and Path(entry).name not in PACKAGE_DIRS)
        self.config = JailConfig(uid, gid, tuple(rules), compile_filter(1), disk_bytes, ruleset, import_path)
        self.spare: Child | None = None
        self.running: Child | None = None
        self.dying: list[Child] = []

    def children_get_own_disks(self) -> bool:
        """Whether a child cloned as prepare() clones it can mount a disk of its own (tried once)."""
        pid, namespaces = fork_into_namespaces(True, self.network_left)
        if pid == 0:
            own = "ns-mount" in namespaces and private_mounts() and own_disk(self.root, 65536, None, None)
            os._exit(0 if own else 1)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0

    def serve(self) -> None:
        try:
            self.spare = self.prepare()
            while self.step():
                pass
        finally:
            for child in [self.spare, self.running, *self.dying]:
                if child is not None:
                    self.end(child)
            shutil.rmtree(self.root, ignore_errors=True)  # the grader may have died without cleaning up

    def step(self) -> bool:
        """Handle one message or report, or enforce the backstop; False when the server must stop."""
        timeout = None
        if self.running is not None:
            timeout = max(0.0, self.running.deadline - time.monotonic())
        watched = {child.pidfd: child for child in self.dying}  # readable once the child has ended
        if self.spare is not None and not self.spare.offered:
            watched[self.spare.report_fd] = self.spare
        control = self.control.fileno()
        readable = select.select([control, *watched], [], [], timeout)[0]
        if not readable and self.running is not None:
            self.kill(self.running)
        for fd in readable:
            child = watched.get(fd)
            if child is None:
                continue
            if child is not self.spare:
                self.dying.remove(child)
                self.end(child)
                continue
            child.pump()
            if child.layers is not None:
                self.offer(child)
            elif child.closed:
                self.control.send(json.dumps({"error": "a sealed child failed to get ready"}).encode())
                return False  # fail closed; the grader starts a new server
        if control not in readable:
            return True
        data = self.control.recv(MAX_MESSAGE)
        if not data:
            return False
        message = json.loads(data)
        if message["op"] == "start":
            return self.start(float(message["wall"]))
        if message["op"] == "finish":
            self.finish(bool(message["wait"]))
        return True

    def offer(self, child: Child) -> None:
        """Hand a ready child's pipe ends to the grader before it asks, so a job starts without a round trip."""
        socket.send_fds(self.control, [json.dumps({"layers": child.layers}).encode()], child.grader_ends)
        for fd in child.grader_ends:
            os.close(fd)
        child.grader_ends = []
        child.offered = True

    def start(self, wall: float) -> bool:
        """The grader has started a job in the offered child: its wall clock runs from now."""
        child = self.spare
        if child is None or not child.offered:
            self.control.send(json.dumps({"error": "no sealed child was offered"}).encode())
            return False
        child.deadline = time.monotonic() + wall + BACKSTOP_SECONDS
        self.running, self.spare = child, None
        return True

    def finish(self, wait: bool) -> None:
        """Kill the running child; answer with its wait status and CPU time, or not at all when not asked to wait.

        A child that answered every case has closed its pipes and is exiting: the grader then
        needs nothing from its end, and the server reaps it while the next job runs.
        """
        child, self.running = self.running, None
        if child is None:
            self.control.send(json.dumps({"error": "no child is running"}).encode())
            return
        self.kill(child)
        if wait:
            status, cpu = child.reap()
            self.control.send(json.dumps({"status": status, "cpu": cpu}).encode())
            self.end(child)
        else:
            self.dying.append(child)
        # the next child is made now, not while a job runs, where on two cores it would slow the job down
        self.spare = self.prepare()

    def prepare(self) -> Child:
        """Clone the next sealed child; it gets ready while the server goes on."""
        job_r, job_w = os.pipe()
        channel_r, channel_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        report_r, report_w = os.pipe()
        workdir = tempfile.mkdtemp(prefix="job-", dir=self.root)
        if self.config.uid is not None and self.config.ruleset is None:  # else it stays root's, under the child's tmpfs
            assert self.config.gid is not None  # the server is given a uid and a gid together
            os.chown(workdir, self.config.uid, self.config.gid)
        pid, namespaces = fork_into_namespaces(self.config.uid is not None, self.network_left)
        if pid == 0:
            jail([job_r, out_w, err_w, channel_w, report_w], namespaces, workdir, self.config)
        for fd in (job_r, channel_w, out_w, err_w, report_w):
            os.close(fd)
        return Child(pid, os.pidfd_open(pid), workdir, [job_w, channel_r, out_r, err_r], report_r)

    def kill(self, child: Child) -> None:
        """SIGKILL the child and whatever it started: as PID 1 its namespace goes with it, else its group does.

        Only before it is reaped: until then its pid cannot name another process.
        """
        for send in (os.kill, os.killpg) if child.wait_status is None else ():
            try:
                send(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        child.deadline = float("inf")

    def end(self, child: Child) -> None:
        """Kill and reap a child, close its pipes and remove its directory."""
        self.kill(child)
        child.reap()
        for fd in child.grader_ends + [child.report_fd, child.pidfd]:
            os.close(fd)
        remove_tree(child.workdir)


def shared_ruleset(rules: list[tuple[int, int]], root: str) -> tuple[int, tuple[str, ...]] | None:
    """One Landlock ruleset for every child of a root server: ``rules``, the devices, and writing under ``root``.

    Writing under ``root`` gives a child no more than its own disk: it reaches the directory
    only as the slot's uid, to whom ``root`` (0711) and every other job's directory (0700)
    belong to root, while its own directory is covered by a tmpfs of its own, made as the
    slot's. Landlock checks a rule on a mount point's parent, not on the hidden directory.
    Closes the descriptors of ``rules``; the ruleset takes the first of RULE_FDS.
    """
    devices = open_rules(list(DEVICES_READ), READ_ONLY, 0) + open_rules([root, *DEVICES_WRITE], READ_WRITE, 0)
    try:
        built = build_ruleset(rules + devices)
    finally:
        for fd, _ in rules + devices:
            os.close(fd)
    if built is None:
        return None
    ruleset = fcntl.fcntl(built[0], fcntl.F_DUPFD_CLOEXEC, RULE_FDS.start)
    os.close(built[0])
    return ruleset, tuple(built[1])


def remove_tree(path: str) -> None:
    """Remove a child's directory, even where the submission took its own permissions away.

    Only a non-root server needs to give them back; symbolic links are never followed.
    """
    if os.geteuid() != 0:
        os.chmod(path, stat.S_IRWXU)
        for top, dirs, _ in os.walk(path, onerror=lambda _exc: None):
            for name in dirs:
                inner = os.path.join(top, name)
                if not os.path.islink(inner):
                    os.chmod(inner, stat.S_IRWXU)
    shutil.rmtree(path, ignore_errors=True)


REHEARSAL = """
import numpy as np
def f(x, n, s):
    h = np.tanh(x @ x.T + n[0]) * np.exp(-np.abs(x)) + np.log1p(np.maximum(x, 0.0))
    p = np.exp(h - h.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    g = np.einsum("ij,jk->ik", p, x) + np.outer(n[0], n[0]) - np.mean(x, axis=0) * s
    g = np.where(g > 0, g, 0.5 * g) + np.clip(g, -1.0, 1.0) + np.zeros_like(g).reshape(3, 3).T
    return g / (1.0 + np.exp(-g)) + np.dot(x, np.ones(3))[:, None] + np.sqrt(np.square(g))
"""
"""A job touching what gradient code commonly uses."""


def rehearse() -> None:
    """Run one job of our own through the harness, output discarded: every module and code path a job
    needs is then loaded once in the server, not in each child.

    Rehearsing again in each sealed child, to copy the pages a job touches before the clock
    starts, cost 3 ms of CPU per submission and saved no measurable time.
    """
    case = JobCase("rehearsal", {"x": np.ones((3, 3)), "n": [np.ones(3)], "s": 1.0}, [harness.Slot("dx", (), (3, 3))])
    job = Job(REHEARSAL, "f", ("x", "n", "s"), [case])
    harness.run_job(encode_job(job), lambda blob: None)


def warm_up() -> None:
    """Load what a job needs before any fork, then freeze the heap: children then copy fewer pages."""
    rehearse()
    gc.collect()
    gc.freeze()


def main() -> None:
    """Entry point: ``python -I -m grader.sandbox.forkserver CONTROL_FD ROOT DISK_BYTES [UID GID]``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C meant for the grader; it ends us by closing the socket
    control = socket.socket(fileno=int(sys.argv[1]))
    uid = int(sys.argv[4]) if len(sys.argv) > 4 else None
    gid = int(sys.argv[5]) if len(sys.argv) > 5 else None
    warm_up()
    Server(control, sys.argv[2], int(sys.argv[3]), uid, gid).serve()


if __name__ == "__main__":
    main()
