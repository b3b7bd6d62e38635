"""Which walls stand, failing closed without them, and a server that holds nothing worth stealing."""

from __future__ import annotations

import json
import logging
import os
import platform
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from exercises import get_exercise
from gradegrad_client.command import main
from grader.pipeline import grade
from grader.report import GradeReport
from grader.sandbox import landlock, layers, seccomp_filter
from grader.sandbox.forkserver import import_roots
from grader.sandbox.limits import Limits
from grader.sandbox.outcome import JailResult
from grader.sandbox.policy import UNSAFE_FLAG, SandboxUnavailable, isolating_layers, require_isolation, unsafe_local_run
from grader.sandbox.process import SANDBOX_ENV
from grader.sandbox.protocol import Job
from grader.sandbox.runner import ForkServerRunner
from tests.sandbox.conftest import WRAPPING_SHAPE, assert_held


def namespaces_allowed() -> bool:
    """Whether this host lets a child be made in the namespaces the jail uses (tried once)."""
    read, write = os.pipe()
    pid, names = layers.fork_into_namespaces(as_root=os.geteuid() == 0)
    if pid == 0:
        try:
            os.write(write, b"1" if names else b"0")
        finally:
            os._exit(0)
    os.close(write)
    allowed = os.read(read, 1) == b"1"
    os.close(read)
    os.waitpid(pid, 0)
    return allowed


def test_runner_reports_isolation(runner: ForkServerRunner) -> None:
    assert isolating_layers(runner.layers), runner.layers
    assert {"session", "closed-fds", "rlimits"} <= set(runner.layers)


def test_landlock_layer_is_active(runner: ForkServerRunner) -> None:
    if landlock.abi_version() < 1:
        pytest.skip("the kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, lsm=landlock)")
    assert "landlock-fs" in runner.layers
    if landlock.abi_version() >= 4:
        assert "landlock-net" in runner.layers
    if landlock.abi_version() >= 6:
        assert "landlock-scope" in runner.layers


def test_seccomp_layer_is_active(runner: ForkServerRunner) -> None:
    if seccomp_filter.pyseccomp is None or "Seccomp:" not in Path("/proc/self/status").read_text():
        pytest.skip("no seccomp filter support (CONFIG_SECCOMP_FILTER or libseccomp missing)")
    assert "seccomp" in runner.layers


def test_namespace_layers_are_active(runner: ForkServerRunner) -> None:
    if not namespaces_allowed():
        pytest.skip("the kernel or the container refuses unshare() of mount, pid and network namespaces")
    assert {"ns-mount", "ns-pid", "ns-net", "ns-ipc", "ns-uts"} <= set(runner.layers)
    if os.geteuid() != 0:
        assert {"ns-user", "no-capabilities"} <= set(runner.layers)


def test_a_submission_runs_outside_the_host_network_namespace(grade_hostile: Callable[..., GradeReport],
                                                               cheat: Callable[[str], str]) -> None:
    """Also where its server holds one network namespace for all its children, as it does as root."""
    if not namespaces_allowed():
        pytest.skip("the kernel or the container refuses unshare() of mount, pid and network namespaces")
    readable = cheat('def hacked():\n    return os.readlink("/proc/self/ns/net").startswith("net:[")\n')
    named = grade_hostile(readable)  # the jail can name its network namespace...
    assert (named.score, named.error) == (1.0, None)
    host = os.readlink("/proc/self/ns/net")
    assert_held(grade_hostile(cheat(f'def hacked():\n    return os.readlink("/proc/self/ns/net") == {host!r}\n')))


@pytest.mark.skipif(os.geteuid() != 0, reason="the slot uid is taken only when grading as root")
def test_runs_as_the_slot_uid_not_root(grade_hostile: Callable[..., GradeReport], cheat: Callable[[str], str],
                                       runner: ForkServerRunner) -> None:
    assert "uid" in runner.layers
    body = "def hacked():\n    return os.getuid() == 0 or os.geteuid() == 0 or os.getuid() == 65534\n"
    assert_held(grade_hostile(cheat(body)))


def test_jail_result_lists_the_layers(runner: ForkServerRunner, limits: Limits) -> None:
    result = runner.run(Job("x = 1\n", "f", ("a",), []), limits)
    assert result.layers == runner.layers and result.reply.load_error["kind"] == "missing"


def test_grading_is_refused_without_isolation() -> None:
    with pytest.raises(SandboxUnavailable, match="sandbox-check"):
        require_isolation(("session", "closed-fds", "rlimits"))


def test_unsafe_flag_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert UNSAFE_FLAG not in os.environ
    assert not unsafe_local_run()
    monkeypatch.setenv(UNSAFE_FLAG, "yes")  # only exactly "1" turns it on
    assert not unsafe_local_run()


def test_unsafe_flag_logs_danger_on_every_use(monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(UNSAFE_FLAG, "1")
    with caplog.at_level(logging.WARNING, logger="grader.sandbox"):
        require_isolation(("session", "rlimits"))
        require_isolation(("session", "rlimits"))
    assert [r.getMessage().startswith("DANGER") for r in caplog.records] == [True, True]


class RefusingRunner:
    """A host without isolation, as the runner reports it: it raises before running anything."""

    def run(self, job: Job, limits: Limits) -> JailResult:
        require_isolation(("session", "rlimits"))
        raise AssertionError("unreachable")


def test_refused_grading_raises_instead_of_scoring_the_student() -> None:
    with pytest.raises(SandboxUnavailable):
        grade("def mse_grad(y_hat, y):\n    return y_hat\n", get_exercise("mse_grad"), runner=RefusingRunner())


def test_refused_grading_exits_non_zero_with_the_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("grader.pipeline.default_runner", RefusingRunner)
    source = tmp_path / "right.py"
    source.write_text("def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n")
    result = CliRunner().invoke(main, ["grade", "mse_grad", str(source), "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "grading refused" in result.stderr and "sandbox-check" in result.stderr


def test_server_environment_is_empty(runner: ForkServerRunner) -> None:
    environ = Path(f"/proc/{runner._process.pid}/environ").read_bytes().split(b"\0")
    assert dict(item.decode().split("=", 1) for item in environ if item) == SANDBOX_ENV


def test_server_is_an_exec_not_a_fork_of_the_grader(runner: ForkServerRunner) -> None:
    cmdline = Path(f"/proc/{runner._process.pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[1:4] == [b"-I", b"-m", b"grader.sandbox.forkserver"]
    maps = Path(f"/proc/{runner._process.pid}/maps").read_text()
    assert "sqlite" not in maps and "psycopg" not in maps


def test_server_holds_no_descriptor_of_the_grader(runner: ForkServerRunner) -> None:
    fd_dir = Path(f"/proc/{runner._process.pid}/fd")
    targets = [os.readlink(fd) for fd in fd_dir.iterdir()]
    sockets = [t for t in targets if t.startswith("socket:")]
    assert len(sockets) == 1, targets  # its control socket, nothing else
    rules = import_roots()  # the O_PATH handles of its Landlock rules: the standard library and numpy
    # and its children's pipes and pidfds, and as root the Landlock ruleset it built for them
    own = ("socket:", "pipe:", "anon_inode:[pidfd]", "anon_inode:[landlock-ruleset]", *rules)
    assert all(t.startswith(own) or t == "/dev/null" for t in targets), targets


@pytest.mark.parametrize(("source", "expected"), [
    ("import os, sys\nprint('{\"score\": 1.0}')\nos.write(1, b'}{\\n' * 1000)\n"
     "sys.stderr.write('x' * 10**6)\nos._exit(0)\n",
     "The submission exited before answering every case (os._exit or a crash?)"),
    ("import sys\nfor _ in range(200):\n    sys.stdout.write('{\"passed\": true}' * 60000)\n",
     "Too much output: the submission printed more than 1024 KiB"),
    ("import os, signal\ndef mse_grad(y_hat, y):\n    for pid in (os.getppid(), -1, 0):\n        try:\n"
     "            os.kill(pid, signal.SIGKILL)\n        except OSError:\n            pass\n    return y_hat\n", None),
    (WRAPPING_SHAPE, "The submission's answers could not be read: an answer array's size does not match its header"),
], ids=["fake-json-and-exit", "200-megabytes", "kill-the-parent", "forged-shape-wrapping-int64"])
def test_grade_command_prints_one_json_object(tmp_path: Path, source: str, expected: str | None) -> None:
    import subprocess
    import sys

    hostile = tmp_path / "hostile.py"
    hostile.write_text(source)
    gradegrad = Path(sys.executable).parent / "gradegrad"
    done = subprocess.run([gradegrad, "grade", "--json", "mse_grad", str(hostile)], capture_output=True,
                          timeout=180, env={k: v for k, v in os.environ.items() if k != UNSAFE_FLAG})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["score"], report["passed"], report["error"]) == (0.0, False, expected)
    assert report["error"] == expected


def grade_where_namespaces_are_refused(sources: dict[str, str]) -> dict[str, object]:
    """Grade each source in a process refused namespaces, as in a default Docker container, whose seccomp
    profile refuses unshare(), mount() and a clone() into new namespaces; the layers, each score and error."""
    import subprocess
    import sys

    flags = [*layers.NAMESPACES.values(), layers.CLONE_NEWUSER]
    script = (
        "import errno, json, sys, pyseccomp\n"
        "refuse = pyseccomp.SyscallFilter(pyseccomp.ALLOW)\n"
        "for name in ('unshare', 'mount', 'setns'):\n"
        "    refuse.add_rule(pyseccomp.ERRNO(errno.EPERM), name)\n"
        f"for flag in {flags}:\n"
        "    refuse.add_rule(pyseccomp.ERRNO(errno.EPERM), 'clone', "
        "pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))\n"
        "refuse.load()\n"
        "from exercises import get_exercise\n"
        "from grader.pipeline import grade\n"
        "from grader.sandbox.runner import ForkServerRunner\n"
        "runner = ForkServerRunner()\n"
        "graded = {name: grade(source, get_exercise('mse_grad'), runner=runner) "
        "for name, source in json.load(sys.stdin).items()}\n"
        "print(json.dumps({'layers': runner.layers, **{name: [r.score, r.error] for name, r in graded.items()}}))\n"
        "runner.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(sources), capture_output=True, text=True,
                          timeout=180, cwd="/")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_grading_still_runs_where_namespaces_are_refused() -> None:
    outcome = grade_where_namespaces_are_refused({
        "honest": "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n",
        "forks": "import os\nos.fork()\n",
    })
    assert not [layer for layer in outcome["layers"] if layer.startswith("ns-")]
    assert outcome["honest"] == [1.0, None]
    assert outcome["forks"] == [0.0, "The code raised an exception while loading: "
                                     "PermissionError: [Errno 1] Operation not permitted"]
    if landlock.abi_version() >= 1:
        assert "landlock-fs" in outcome["layers"]
    assert "seccomp" in outcome["layers"]


def test_any_signal_is_named_where_namespaces_are_refused() -> None:
    """Without a pid namespace a child is no PID 1, so a signal it sends itself kills it, real-time ones too."""
    kill = "import os\ndef mse_grad(y_hat, y):\n    os.kill(os.getpid(), {})\n"
    outcome = grade_where_namespaces_are_refused({"rt": kill.format(40), "unnamed": kill.format(33),
                                                  "usr1": kill.format(10)})
    assert outcome["rt"] == [0.0, "The submission crashed: killed by signal 40 (SIGRTMIN+6)"]
    assert outcome["unnamed"] == [0.0, "The submission crashed: killed by signal 33"]
    assert outcome["usr1"] == [0.0, "The submission crashed: killed by signal 10 (SIGUSR1)"]


def test_calls_libseccomp_cannot_name_are_refused_by_number_or_left_out() -> None:
    if seccomp_filter.pyseccomp is None:
        pytest.skip("libseccomp or its binding is missing")
    assert seccomp_filter.syscall_number("no_such_call") is None
    assert seccomp_filter.syscall_number("chmod") is not None
    if platform.machine() in seccomp_filter.UNIFIED_ARCHES:
        assert seccomp_filter.syscall_number("listmount") == 458 and seccomp_filter.syscall_number("statmount") == 457
    assert seccomp_filter.compile_filter(1)  # every refused name compiles, known to this libseccomp or not


def test_a_service_s_private_umask_still_lets_a_submission_import_the_standard_library(tmp_path: Path) -> None:
    """The service's processes run with umask 0077; the folders the sandbox makes to reach an interpreter kept
    under a private home (root's pyenv, on this kind of host) must still be open to the submission's uid."""
    import subprocess
    import sys

    source = tmp_path / "imports.py"
    source.write_text("import decimal, fractions, glob, statistics\n\n"
                      "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n")
    done = subprocess.run([Path(sys.executable).parent / "gradegrad", "grade", "--json", "mse_grad", str(source)],
                          capture_output=True, timeout=180, preexec_fn=lambda: os.umask(0o077),
                          env={k: v for k, v in os.environ.items() if k != UNSAFE_FLAG})
    report = json.loads(done.stdout)
    assert (report["error"], report["passed"]) == (None, True)
