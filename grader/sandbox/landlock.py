"""Landlock through raw system calls: a read-only allowlist, one writable directory, no TCP, no signals out.

Landlock is unprivileged and stacks: once applied, this process and everything it creates can
open only what the rules allow, connect and bind no TCP port, and (ABI 6) signal no process
and reach no abstract UNIX socket outside its own domain. Rights the running kernel does not
know are left out, so an older kernel still gets what it supports.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import stat

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same numbers on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_WRITE_DIR = sum(1 << bit for bit in range(4, 13))  # remove and make of every kind of entry
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

READ_ONLY = EXECUTE | READ_FILE | READ_DIR
READ_WRITE = READ_ONLY | WRITE_FILE | _WRITE_DIR | REFER | TRUNCATE

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    version = _libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(0, int(version))


def _handled_fs(abi: int) -> int:
    rights = EXECUTE | WRITE_FILE | READ_FILE | READ_DIR | _WRITE_DIR
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def open_rules(paths: list[str], access: int, lowest_fd: int) -> list[tuple[int, int]]:
    """Open each existing path once, as an O_PATH descriptor numbered ``lowest_fd`` or above, with its rights.

    Done by the server, so that a child only adds the rules: opening a few hundred paths in
    every child would cost milliseconds each time. Rights a file cannot have are left out.
    """
    rules = []
    for path in paths:
        try:
            opened = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        fd = fcntl.fcntl(opened, fcntl.F_DUPFD_CLOEXEC, lowest_fd)
        os.close(opened)
        rules.append((fd, access if stat.S_ISDIR(os.fstat(fd).st_mode) else access & _FILE_RIGHTS))
    return rules


def restrict(opened: list[tuple[int, int]], read_only: list[str], read_write: list[str]) -> list[str]:
    """Apply the allowlist to this process; returns what was enforced, empty when nothing was.

    ``opened`` are rules from ``open_rules``; paths that do not exist are skipped. The caller
    must be single-threaded.
    """
    built = build_ruleset(opened + open_rules(read_only, READ_ONLY, 0) + open_rules(read_write, READ_WRITE, 0))
    if built is None:
        return []
    ruleset, enforced = built
    try:
        return enforced if restrict_self(ruleset) else []
    finally:
        os.close(ruleset)


def build_ruleset(rules: list[tuple[int, int]]) -> tuple[int, list[str]] | None:
    """A ruleset descriptor holding ``rules`` (from open_rules), and the layers it enforces; None without Landlock.

    A ruleset can be enforced by any number of processes: a fork server builds one for all its
    children, so that each child pays for one restrict_self() instead of a few hundred rules (1.2 ms).
    """
    abi = abi_version()
    if abi < 1:
        return None
    handled = _handled_fs(abi)
    attr = _RulesetAttr(handled_access_fs=handled)
    size = 8
    enforced = ["landlock-fs"]
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 16
        enforced.append("landlock-net")
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
        enforced.append("landlock-scope")
    ruleset = _libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return None
    try:
        for fd, access in rules:
            _add_rule(int(ruleset), fd, access & handled)
    except BaseException:
        os.close(ruleset)
        raise
    return int(ruleset), enforced


def restrict_self(ruleset: int) -> bool:
    """Enforce ``ruleset`` on this process and everything it creates from now on; False if the kernel refused."""
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return _libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0


def _add_rule(ruleset: int, fd: int, access: int) -> None:
    rule = _PathBeneath(allowed_access=access, parent_fd=fd)
    if _libc.syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                     ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
        raise OSError(ctypes.get_errno(), "landlock_add_rule failed")
