"""The kernel-level layers a jailed child stacks before student code runs, each reporting whether it applied.

Each function returns the names of the layers it applied (an empty list when the kernel or
the container refused), so a result can say exactly which walls stood around a submission.
"""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import socket

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x8, 0x1000, 0x4000, 0x40000
_PR_SET_PDEATHSIG = 1
_CAP_VERSION_3 = 0x20080522
_MAX_FD = 2**31 - 1  # closerange becomes one close_range() call, whatever the fd limit

NAMESPACES = {"ns-mount": CLONE_NEWNS, "ns-uts": CLONE_NEWUTS, "ns-ipc": CLONE_NEWIPC,
              "ns-pid": CLONE_NEWPID, "ns-net": CLONE_NEWNET}

SETUP_FAILED = 70  # a child's exit status when it could not be sealed
_SYS_CLONE = {"x86_64": 56, "aarch64": 220}  # the flags come first on both; the other arguments are 0

_libc = ctypes.CDLL(None, use_errno=True)
_libc_holding_gil = ctypes.PyDLL(None, use_errno=True)
_libc_holding_gil.syscall.restype = ctypes.c_long
_python = ctypes.pythonapi


def leave_host_network() -> bool:
    """Move this process into a new network namespace, with no interface up; False where it may not (not root).

    The fork server does this once, and its children then start in that namespace instead of
    one each: a network namespace is the dearest of the five to make and tear down (0.7 ms a
    child, against 0.15 ms for uts and ipc together). Sharing it gives nothing away: a child
    may make no socket at all (seccomp), and one without privileges can leave nothing behind in
    it for the next.
    """
    return _libc.unshare(CLONE_NEWNET) == 0


def fork_into_namespaces(as_root: bool, network_left: bool = False) -> tuple[int, list[str]]:
    """Fork a child in new mount, uts, ipc, pid and network namespaces (and a user namespace when not root).

    One clone(2) does it: the child is PID 1 of its pid namespace with no intermediate process,
    which saves a fork of the whole server per submission. Returns (pid, names) as os.fork()
    returns the pid; where the kernel refuses the namespaces, the child is forked plainly and
    names is empty. As root no user namespace is made: one made by root maps to real root, so
    the uid drop is the wall there. ``network_left``: this process already left the host's
    network (leave_host_network), so the child stays in its namespace. Call only from a
    single-threaded process.
    """
    flags = sum(NAMESPACES.values()) & ~(CLONE_NEWNET if network_left else 0)
    names = list(NAMESPACES)
    if not as_root:
        flags |= CLONE_NEWUSER
        names.append("ns-user")
    uid, gid = os.getuid(), os.getgid()
    pid = _clone(flags)
    if pid < 0:
        return os.fork(), []
    if pid == 0 and not as_root:
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        except BaseException:
            os._exit(SETUP_FAILED)
    return pid, names


def _clone(flags: int) -> int:
    """clone(2) with ``flags``, wrapped in the interpreter's fork hooks as os.fork() is; -1 when refused.

    The call goes through a PyDLL, which keeps the GIL held across it, so the child starts with
    the interpreter in the state PyOS_AfterFork_Child expects.
    """
    number = _SYS_CLONE.get(platform.machine())
    if number is None:
        return -1
    _python.PyOS_BeforeFork()
    pid = _libc_holding_gil.syscall(number, ctypes.c_ulong(flags | signal.SIGCHLD), 0, 0, 0, 0)
    if pid == 0:
        _python.PyOS_AfterFork_Child()
    else:
        _python.PyOS_AfterFork_Parent()
    return pid


def seal_namespaces(names: list[str]) -> list[str]:
    """In the first process of the new namespaces: private mounts, its own /proc, its own hostname."""
    applied = []
    if "ns-mount" in names and private_mounts():
        proc_flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
        if "ns-pid" in names and _libc.mount(b"proc", b"/proc", b"proc", proc_flags, None) == 0:
            applied.append("private-proc")
    if "ns-uts" in names:
        socket.sethostname("gradegrad-sandbox")
    return applied


def private_mounts() -> bool:
    """In a new mount namespace: no mount made here reaches the host, nor one made there reaches here."""
    return _libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) == 0


def own_disk(workdir: str, size: int, uid: int | None, gid: int | None) -> list[str]:
    """Cover the child's directory with a tmpfs of ``size`` bytes, so all its files together stay small."""
    owner = f",uid={uid},gid={gid}" if uid is not None else ""
    options = f"size={size},nr_inodes=1024,mode=0700{owner}".encode()
    if _libc.mount(b"tmpfs", workdir.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        return []
    return ["disk-quota"]


def drop_privileges(uid: int | None, gid: int | None) -> list[str]:
    """As root, become the slot's own unprivileged uid; otherwise drop the user namespace's capabilities."""
    if uid is not None and gid is not None:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        return ["uid"]
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if _libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    return ["no-capabilities"]


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (set after any credential change, which clears it)."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def place_fds(targets: list[int], keep: range) -> None:
    """Make ``targets[i]`` this process's fd ``i`` and close every other descriptor but those in ``keep``."""
    high = [os.dup(fd) for fd in targets]
    for index, fd in enumerate(high):
        os.dup2(fd, index, inheritable=True)
    os.closerange(len(targets), keep.start)
    os.closerange(keep.stop, _MAX_FD)


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def make_reachable(paths: tuple[str, ...]) -> list[str]:
    """In a mount namespace of its own, let other users reach ``paths`` under a directory they cannot enter.

    An interpreter installed in root's 0700 home is readable by no dropped uid. Each such
    directory is covered, for this process and the children it forks, by a tmpfs that holds
    only bind mounts of the allowed paths, so the rest of it stays out of sight. Returns the
    paths made reachable; none when there is no blocking directory or no mount namespace.
    """
    blocked: dict[str, list[str]] = {}
    for path in paths:
        parts = os.path.abspath(path).split(os.sep)[1:]
        for depth in range(1, len(parts)):
            ancestor = os.sep + os.path.join(*parts[:depth])
            if not os.stat(ancestor).st_mode & 0o001:
                blocked.setdefault(ancestor, []).append(path)
                break
    if not blocked or _libc.unshare(CLONE_NEWNS) != 0:
        return []
    if _libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return []
    reached = []
    for ancestor, inside in blocked.items():
        outermost = [p for p in inside if not any(q != p and p.startswith(q.rstrip(os.sep) + os.sep) for q in inside)]
        handles = {path: os.open(path, os.O_PATH) for path in dict.fromkeys(outermost)}
        if _libc.mount(b"tmpfs", ancestor.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, b"mode=0755,size=64k") != 0:
            continue
        # The service's processes keep the umask 0077 (their files are their own): under it the folders
        # made here would be 0700, and no dropped uid could reach the interpreter's library through them.
        previous = os.umask(0o022)
        try:
            for path, fd in handles.items():
                os.makedirs(path, mode=0o755, exist_ok=True)
                if _libc.mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None, _MS_BIND | _MS_REC, None) == 0:
                    reached.append(path)
                os.close(fd)
        finally:
            os.umask(previous)
    return reached
