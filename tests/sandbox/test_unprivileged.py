"""As root, run the whole sandbox suite again as an unprivileged user: it must hold there too."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

USER = "gradegrad-ci"
PROJECT = Path(__file__).resolve().parents[2]


def unprivileged_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
        return pwd.getpwnam(USER)


@pytest.mark.skipif(os.geteuid() != 0, reason="already unprivileged: this run is the unprivileged one")
def test_hostile_suite_passes_as_an_unprivileged_user() -> None:
    user = unprivileged_user()
    # An interpreter or a checkout under root's 0700 home is reached the way the sandbox reaches
    # it: through a private mount namespace that shows only those directories there.
    launcher = (
        "import os, sys\n"
        "from grader.sandbox.layers import make_reachable\n"
        f"make_reachable((sys.base_prefix, {str(PROJECT)!r}))\n"
        "os.execvp('setpriv', sys.argv[1:])\n"
    )
    command = [
        sys.executable, "-c", launcher,
        "setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
        sys.executable, "-m", "pytest", str(PROJECT / "tests" / "sandbox"), "-q", "-p", "no:cacheprovider",
        "--rootdir", str(PROJECT), "-c", str(PROJECT / "pyproject.toml"),
    ]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", "LC_ALL": "C.UTF-8"}
    done = subprocess.run(command, cwd="/tmp", env=environment, capture_output=True, text=True, timeout=900)
    summary = done.stdout.strip().splitlines()[-1:] or [done.stderr[-2000:]]
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in summary[0] and "failed" not in summary[0], summary
