"""``gradegrad sandbox-check``: which isolation layers stand on this host, and whether grading would run."""

from __future__ import annotations

import os

import click

from grader.sandbox.policy import ISOLATING, UNSAFE_FLAG, SandboxUnavailable, isolating_layers, require_isolation
from grader.sandbox.runner import ForkServerRunner

LAYERS = {
    "session": "a new session and process group, killed as one",
    "ns-mount": "a private mount namespace",
    "ns-pid": "a pid namespace: it sees and signals only itself, and its end kills every process in it",
    "ns-net": "a network namespace with no interface up: no host port is reachable",
    "ns-ipc": "an IPC namespace",
    "ns-uts": "a hostname of its own",
    "ns-user": "a user namespace (made only when not root)",
    "private-proc": "its own /proc, listing only the sandbox's processes",
    "disk-quota": "its directory is a small tmpfs: all its files together stay within the disk limit",
    "uid": "a uid of its own per worker slot (as root)",
    "no-capabilities": "every capability dropped inside the user namespace",
    "closed-fds": "only the job pipe, the output pipes and the job channel stay open",
    "landlock-fs": "Landlock: Python read-only, its own directory read-write, nothing else (not the checkout)",
    "landlock-net": "Landlock: no TCP bind or connect",
    "landlock-scope": "Landlock: no signal and no abstract UNIX socket outside the sandbox",
    "seccomp": "seccomp: no socket, fork, exec, ptrace, mount, mount listing, file watch, change of a file's "
               "mode, owner, times or attributes, or signal to another process",
    "rlimits": "CPU (soft = hard), address space, file size, open files, no process, no core",
}


@click.command("sandbox-check")
def sandbox_check() -> None:
    """Print which sandbox layers apply on this host; exit 1 when grading would be refused."""
    runner = ForkServerRunner()
    try:
        layers = runner.start()
    except SandboxUnavailable as exc:
        click.echo(f"the sandbox server could not start: {exc}")
        raise SystemExit(1) from None
    finally:
        runner.close()
    click.echo(f"running as uid {os.geteuid()}")
    for name, meaning in LAYERS.items():
        mark = "active " if name in layers else "missing"
        wall = " (isolating)" if name in ISOLATING else ""
        click.echo(f"  {mark}  {name:<16}{meaning}{wall}")
    try:
        require_isolation(layers)
    except SandboxUnavailable as exc:
        click.echo(f"REFUSED: {exc}")
        raise SystemExit(1) from None
    if not isolating_layers(layers):
        click.echo(f"DANGER: grading runs without isolation because {UNSAFE_FLAG}=1")
        return
    click.echo(f"grading runs with {len(isolating_layers(layers))} isolating layers")
