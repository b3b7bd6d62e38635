"""The process the fork server makes per submission: the sealed jail.

The server clones it straight into new namespaces (PID 1 of its own pid namespace when there
is one) and learns its end, wait status and CPU time from the kernel. The jail stacks its
layers, says which ones stand on the report pipe, and only then waits for a job (an 8-byte
length, the limits as JSON after a 4-byte length, then the job), so the set-up is done
before a submission arrives. Its descriptors are fixed: 0 the job, 1 and 2
the captured output, 3 the job channel, 4 the report pipe (closed before student code runs).
"""

from __future__ import annotations

import json
import os
import resource
import struct
import sys
from dataclasses import dataclass
from importlib.machinery import BuiltinImporter, FrozenImporter, PathFinder

from grader.sandbox import harness, landlock, layers, seccomp_filter
from grader.sandbox.limits import Limits
from grader.sandbox.process import apply_rlimits

JOB_FD, CHANNEL_FD, REPORT_FD = 0, 3, 4
RULE_FDS = range(100, 900)  # above the server's own few descriptors, below the usual limit of 1024
DEVICES_READ, DEVICES_WRITE = ("/dev/urandom", "/dev/zero"), ("/dev/null",)


@dataclass(frozen=True)
class JailConfig:
    """What the server tells each child: whom to become, what it may read, and its limits known in advance.

    ``read_only`` holds Landlock rules as (descriptor, rights): descriptors the server opened,
    numbered from RULE_FDS.start, which stay open in the child until Landlock is applied.
    ``ruleset``, when the server built one for all its children, is a Landlock ruleset
    descriptor in RULE_FDS that already holds those rules, the devices, and the right to
    write in the children's own disks, with the layers it enforces; such a child must have
    its own disk, or it stops.
    ``import_path`` is the child's ``sys.path``: the standard library's directories, without the
    installed packages (see narrow_imports).
    """

    uid: int | None
    gid: int | None
    read_only: tuple[tuple[int, int], ...]
    seccomp_pid_1: bytes | None
    disk_bytes: int
    ruleset: tuple[int, tuple[str, ...]] | None = None
    import_path: tuple[str, ...] = ()


def report(fd: int, **message: object) -> None:
    """One line on the report pipe; short enough to be written atomically."""
    os.write(fd, json.dumps(message).encode() + b"\n")


def jail(fds: list[int], namespaces: list[str], workdir: str, config: JailConfig) -> None:
    """In the server's new child: seal it, report its layers, then run the one job it will ever get; never returns.

    ``fds`` become descriptors 0-4; ``namespaces`` are those the child was cloned into.
    """
    try:
        layers.place_fds(fds, RULE_FDS)
        layers.die_with_parent()
        os.setsid()
        applied = ["session"] + namespaces + layers.seal_namespaces(namespaces)
        if "ns-mount" in namespaces:
            applied += layers.own_disk(workdir, config.disk_bytes, config.uid, config.gid)
        os.chdir(workdir)
        os.environ.update(HOME=workdir, TMPDIR=workdir)
        applied += layers.drop_privileges(config.uid, config.gid)
        layers.die_with_parent()  # again: a change of credentials clears it
        applied += enforce_landlock(config, workdir, "disk-quota" in applied)
        os.closerange(RULE_FDS.start, RULE_FDS.stop)
        applied.append("closed-fds")
        program = config.seccomp_pid_1 if os.getpid() == 1 else seccomp_filter.compile_filter(os.getpid())
        applied += seccomp_filter.install(program)
        applied.append("rlimits")
        narrow_imports(config.import_path)
        report(REPORT_FD, layers=applied)  # fails if the server died meanwhile: nobody would give a job
        os.close(REPORT_FD)
        (length,) = struct.unpack(">Q", _read_exactly(JOB_FD, 8))
        job = _read_exactly(JOB_FD, length)
        (size,) = struct.unpack(">I", job[:4])
        limits = Limits(**json.loads(job[4 : 4 + size]))
        apply_rlimits(limits)
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    except BaseException as exc:
        os.write(2, f"the sandbox could not be set up: {type(exc).__name__}: {exc}\n".encode())
        os._exit(layers.SETUP_FAILED)
    try:
        harness.run_job(job[4 + size :], lambda blob: harness.write_all(CHANNEL_FD, blob))
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os.closerange(1, CHANNEL_FD + 1)  # the grader sees the end now, not after the exit unmaps numpy
        os._exit(0)


def narrow_imports(path: tuple[str, ...]) -> None:
    """Find modules only on ``path`` (numpy is imported already): ``import matplotlib`` raises
    ModuleNotFoundError, as on a machine without it, so ``except ImportError`` works, where reading
    a package Landlock hides would raise PermissionError with a path of this host in its message."""
    sys.path[:] = path  # the finders of these entries stay cached: Landlock lets a child list few directories
    sys.meta_path[:] = [finder for finder in sys.meta_path if finder in (BuiltinImporter, FrozenImporter, PathFinder)]


def enforce_landlock(config: JailConfig, workdir: str, own_disk: bool) -> list[str]:
    """The server's shared ruleset when it made one, else a ruleset of this child's own, with its directory."""
    if config.ruleset is None:
        return landlock.restrict(list(config.read_only), list(DEVICES_READ), [workdir, *DEVICES_WRITE])
    if not own_disk:  # the shared ruleset lets a child write under the server's root only through its own tmpfs
        raise RuntimeError("no disk of its own to write in")
    ruleset, enforced = config.ruleset
    if not landlock.restrict_self(ruleset):
        raise RuntimeError("the kernel refused the shared Landlock ruleset")
    return list(enforced)


def _read_exactly(fd: int, size: int) -> bytes:
    """Read a framed job: a copy of the pipe's write end left in some other process cannot stall it."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the job ended early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
