"""A seccomp filter for the jailed child: no sockets, no new processes, no exec, no ptrace, no mounts.

Nor a change of any file's metadata (mode, owner, times, extended attributes, inode flags):
Landlock does not cover those calls, and a child that keeps its grader's uid (an ordinary
user's server, or a host where namespaces are refused) could otherwise chmod the grader's
own files. Nor a watch on files (inotify, fanotify) or a listing of the host's mounts.

Everything else is allowed (numpy and the interpreter need a broad set of calls); the
refused calls fail with EPERM, so a submission sees an ordinary OSError. Signals may be
sent only to the process itself. System calls of another architecture (32-bit entry
points) kill the process: libseccomp's default for a foreign architecture.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

try:  # imported by the server, before any child is sealed: loading libseccomp reads files Landlock hides
    import pyseccomp
except (ImportError, OSError):  # the binding or libseccomp itself is missing: the layer is reported absent
    pyseccomp = None

REFUSED = (
    # network: no socket can be made, so nothing can connect or listen
    "socket", "socketpair",
    # new processes and threads, and running other programs
    "fork", "vfork", "clone", "execve", "execveat",
    # reaching into other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd", "pidfd_send_signal",
    "kcmp",
    # file systems and namespaces
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "move_mount", "open_tree", "fsopen",
    "fsmount", "fsconfig", "fspick", "mount_setattr", "mknod", "mknodat", "open_by_handle_at",
    "name_to_handle_at", "quotactl", "open_tree_attr",
    # the host's mounts, listed or described
    "listmount", "statmount",
    # a file's metadata: mode, owner, times, extended attributes, inode flags
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat", "setxattr", "lsetxattr", "fsetxattr", "setxattrat",
    "removexattr", "lremovexattr", "fremovexattr", "removexattrat", "file_setattr",
    # watching files others use
    "inotify_init", "inotify_init1", "inotify_add_watch", "fanotify_init", "fanotify_mark",
    # the kernel's larger attack surfaces and the host's settings
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "syslog", "personality", "iopl", "ioperm",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "vhangup",
    # leaving the session and process group it was given
    "setsid", "setpgid",
)
SIGNALS_TO_SELF_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
SETTING_IOCTLS = (0x40086602, 0x401C5820)
"""FS_IOC_SETFLAGS and FS_IOC_FSSETXATTR: the ioctls that set a file's inode flags (chattr)."""
UNIFIED_NUMBERS = {"statmount": 457, "listmount": 458, "setxattrat": 463, "removexattrat": 466,
                   "open_tree_attr": 467, "file_setattr": 469}
"""Calls newer than some libseccomp releases know by name. Every call from 424 on has one number on
every architecture but alpha, mips and ia64, so on those listed in UNIFIED_ARCHES it is refused by
number when libseccomp cannot name it."""
UNIFIED_ARCHES = ("x86_64", "aarch64")

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_INSTRUCTION = struct.Struct("=HBBI")  # struct sock_filter: code, jt, jf, k
_libc = ctypes.CDLL(None, use_errno=True)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def compile_filter(own_pid: int) -> bytes | None:
    """The filter as a BPF program for a process whose pid is ``own_pid``; None without libseccomp.

    Compiling takes milliseconds, so the server compiles once for pid 1 (a jail's pid in its
    own pid namespace) and every such jail only loads the result.
    """
    if pyseccomp is None:
        return None
    deny = pyseccomp.ERRNO(errno.EPERM)
    try:
        rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in REFUSED:
            _add(rules, deny, name)
        # glibc falls back from clone3 to clone on ENOSYS, where the clone rule refuses it
        _add(rules, pyseccomp.ERRNO(errno.ENOSYS), "clone3")
        for name in SIGNALS_TO_SELF_ONLY:
            _add(rules, deny, name, pyseccomp.Arg(0, pyseccomp.NE, own_pid))
        for request in SETTING_IOCTLS:
            _add(rules, deny, "ioctl", pyseccomp.Arg(1, pyseccomp.MASKED_EQ, 0xFFFFFFFF, request))
        read, write = os.pipe()
        try:
            with os.fdopen(write, "wb") as sink:
                rules.export_bpf(sink)
            return os.read(read, 1 << 16)
        finally:
            os.close(read)
    except OSError:
        return None


def install(program: bytes | None) -> list[str]:
    """Load a compiled filter into this process; returns ["seccomp"], or [] when it could not be loaded."""
    if not program or len(program) % _INSTRUCTION.size:
        return []
    count = len(program) // _INSTRUCTION.size
    instructions = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(count, ctypes.cast(instructions, ctypes.c_void_p))
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return []
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return []
    return ["seccomp"]


def syscall_number(name: str) -> int | None:
    """The number of system call ``name`` on this machine, or None where neither libseccomp nor the
    unified table knows it (it then stays allowed, as on a kernel that lacks it)."""
    try:
        number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
    except (ValueError, OSError):
        number = -1
    if number < 0 and platform.machine() in UNIFIED_ARCHES:
        number = UNIFIED_NUMBERS.get(name, -1)
    return number if number >= 0 else None


def _add(rules: pyseccomp.SyscallFilter, action: int, name: str, *args: pyseccomp.Arg) -> None:
    number = syscall_number(name)
    if number is not None:
        rules.add_rule(action, number, *args)
