"""A seccomp filter for the jailed child: no sockets, no new processes, no exec, no ptrace, no mounts.

Everything else is allowed (numpy and the interpreter need a broad set of calls); the
refused calls fail with EPERM, so a submission sees an ordinary OSError. Signals may be
sent only to the process itself. System calls of another architecture (32-bit entry
points) kill the process: libseccomp's default for a foreign architecture.
"""

from __future__ import annotations

import ctypes
import errno
import os
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
    "name_to_handle_at", "quotactl",
    # the kernel's larger attack surfaces and the host's settings
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "syslog", "personality", "iopl", "ioperm",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "vhangup",
    # leaving the session and process group it was given
    "setsid", "setpgid",
)
SIGNALS_TO_SELF_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")

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


def _add(rules: "pyseccomp.SyscallFilter", action: int, name: str, *args: "pyseccomp.Arg") -> None:
    try:
        number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
    except (ValueError, OSError):
        return
    if number < 0:  # unknown to this libseccomp and architecture
        return
    rules.add_rule(action, number, *args)
