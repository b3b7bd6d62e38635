"""A seccomp filter for the jailed child: no sockets, no new processes, no exec, no ptrace, no mounts.

Everything else is allowed (numpy and the interpreter need a broad set of calls); the
refused calls fail with EPERM, so a submission sees an ordinary OSError. Signals may be
sent only to the process itself. System calls of another architecture (32-bit entry
points) kill the process: libseccomp's default for a foreign architecture.
"""

from __future__ import annotations

import errno

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


def install(own_pid: int) -> list[str]:
    """Load the filter into this process; returns ["seccomp"], or [] when seccomp is unavailable."""
    if pyseccomp is None:
        return []
    deny = pyseccomp.ERRNO(errno.EPERM)
    try:
        rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in REFUSED:
            _add(rules, deny, name)
        # glibc falls back from clone3 to clone on ENOSYS, where the clone rule refuses it
        _add(rules, pyseccomp.ERRNO(errno.ENOSYS), "clone3")
        for name in SIGNALS_TO_SELF_ONLY:
            _add(rules, deny, name, pyseccomp.Arg(0, pyseccomp.NE, own_pid))
        rules.load()
    except OSError:
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
