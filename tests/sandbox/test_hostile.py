"""Hostile submissions: each is contained, and the next honest submission still grades right."""

from __future__ import annotations

import os
import platform
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.report import GradeReport
from grader.sandbox.limits import Limits
from grader.sandbox.runner import ForkServerRunner
from tests.sandbox.conftest import (
    CPU_LIMIT,
    MEMORY_LIMIT,
    NOT_NUMBERS,
    SEGFAULT,
    UNREADABLE,
    WALL_LIMIT,
    WRAPPING_SHAPE,
    assert_failed,
    assert_held,
    compile_attack,
)

Grade = Callable[..., GradeReport]
Cheat = Callable[[str], str]
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def landlock_fs(runner: ForkServerRunner) -> None:
    """World-readable and world-writable places are walled off by Landlock alone."""
    if "landlock-fs" not in runner.layers:
        pytest.skip("the kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, lsm=landlock)")


# Time, CPU and memory


def test_an_attack_that_does_not_compile_fails_its_test_before_grading() -> None:
    with pytest.raises(pytest.fail.Exception, match="the attack does not compile"):
        compile_attack("def hacked(:\n    return True\n")


def test_infinite_python_loop_is_stopped_by_the_cpu_limit(grade_hostile: Grade, limits: Limits) -> None:
    started = time.monotonic()
    report = grade_hostile("def mse_grad(y_hat, y):\n    while True:\n        pass\n")
    assert_failed(report, CPU_LIMIT)
    assert time.monotonic() - started < limits.wall_seconds + 5


def test_infinite_loop_in_c_is_stopped(grade_hostile: Grade) -> None:
    report = grade_hostile("import numpy as np\ndef mse_grad(y_hat, y):\n"
                           "    a = np.ones((4000, 4000))\n    return (a @ a @ a)[0, : len(y)]\n")
    assert_failed(report, CPU_LIMIT)


def test_sleeping_forever_is_stopped_by_the_wall_clock(grade_hostile: Grade, limits: Limits) -> None:
    started = time.monotonic()
    report = grade_hostile("import time\ndef mse_grad(y_hat, y):\n    time.sleep(10**6)\n")
    assert_failed(report, WALL_LIMIT)
    assert time.monotonic() - started < limits.wall_seconds + 5


def test_ignoring_sigterm_does_not_outlive_the_wall_clock(grade_hostile: Grade) -> None:
    source = ("import signal, time\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):\n"
              "    signal.signal(s, signal.SIG_IGN)\n"
              "def mse_grad(y_hat, y):\n    time.sleep(10**6)\n")
    assert_failed(grade_hostile(source), WALL_LIMIT)


@pytest.mark.parametrize("bomb", [
    "bytearray(10**11)",
    "np.empty(10**11)",
    "[bytes(10**7) for _ in range(10**4)]",
], ids=["bytearray", "numpy", "growing-list"])
def test_cant_use_more_than_the_memory_limit(grade_hostile: Grade, bomb: str) -> None:
    source = f"import numpy as np\ndef mse_grad(y_hat, y):\n    x = {bomb}\n    return y_hat\n"
    assert_failed(grade_hostile(source), MEMORY_LIMIT, "exception")


def test_recursion_bomb_is_an_error(grade_hostile: Grade) -> None:
    assert_failed(grade_hostile("def mse_grad(y_hat, y):\n    return mse_grad(y_hat, y)\n"),
                  "Every case raised RecursionError: maximum recursion depth exceeded", "exception")


def test_c_stack_overflow_is_a_crash(grade_hostile: Grade) -> None:
    # pickle recurses in C with no per-level scan (repr's cycle check makes deep nesting take seconds)
    source = ("import pickle, sys\nsys.setrecursionlimit(10**8)\n"
              "def mse_grad(y_hat, y):\n    nested = []\n    for _ in range(10**6):\n        nested = [nested]\n"
              "    return pickle.dumps(nested)\n")
    assert_failed(grade_hostile(source), SEGFAULT)


# Processes


def test_cant_fork_or_start_threads_or_processes(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("import threading, subprocess\n"
            "def hacked():\n"
            "    made = 0\n"
            "    for attempt in (os.fork, lambda: threading.Thread(target=lambda: None).start(),\n"
            "                    lambda: os.posix_spawn('/bin/true', ['true'], {}),\n"
            "                    lambda: subprocess.Popen(['/bin/true'])):\n"
            "        try:\n"
            "            if attempt() == 0:\n"
            "                os._exit(0)\n"
            "            made += 1\n"
            "        except BaseException:\n"
            "            pass\n"
            "    return made\n")
    assert_held(grade_hostile(cheat(body)))


def test_fork_bomb_is_contained(grade_hostile: Grade) -> None:
    source = ("import os\nfor _ in range(1000):\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
              "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y) + 1\n")
    assert_held(grade_hostile(source))


def test_cant_run_programs(grade_hostile: Grade, cheat: Cheat, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    body = ("import subprocess\n"
            "def hacked():\n"
            f"    os.system('touch {marker}')\n"
            "    try:\n"
            f"        subprocess.run(['touch', '{marker}'])\n"
            "    except OSError:\n"
            "        pass\n"
            f"    os.execv('/usr/bin/touch', ['touch', '{marker}'])\n")
    assert_held(grade_hostile(cheat(body)), "PermissionError: [Errno 1] Operation not permitted")
    assert not marker.exists()


def test_daemon_does_not_outlive_grading(grade_hostile: Grade) -> None:
    source = ("import os, time\n"
              "def mse_grad(y_hat, y):\n"
              "    try:\n"
              "        if os.fork() == 0:\n"
              "            os.setsid()\n"
              "            if os.fork() == 0:\n"
              "                time.sleep(3600)\n"
              "    except OSError:\n"
              "        pass\n"
              "    return 2 * (y_hat - y) / len(y)\n")
    report = grade_hostile(source)
    # the daemon's failure is not the student's; the autouse fixture checks nothing survived
    assert report.passed and report.error is None


def test_cant_kill_the_grader_or_the_server(grade_hostile: Grade, runner: ForkServerRunner) -> None:
    server = runner._process.pid
    source = ("import os, signal\n"
              f"for pid in ({os.getpid()}, {server}, -1, os.getppid()):\n"
              "    for kill in (os.kill, os.killpg):\n"
              "        try:\n"
              "            kill(pid, signal.SIGKILL)\n"
              "        except (OSError, ValueError):\n"
              "            pass\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_held(grade_hostile(source))
    assert runner._process.pid == server and runner._process.poll() is None


def test_cant_ptrace_or_read_the_memory_of_other_processes(grade_hostile: Grade, cheat: Cheat,
                                                           runner: ForkServerRunner) -> None:
    body = ("import ctypes\n"
            "def hacked():\n"
            "    libc = ctypes.CDLL(None)\n"
            f"    for pid in ({os.getpid()}, {runner._process.pid}):\n"
            "        if libc.ptrace(16, pid, 0, 0) == 0:\n"
            "            return True\n"
            "        try:\n"
            "            with open(f'/proc/{pid}/mem', 'rb') as mem:\n"
            "                return len(mem.read(1)) > 0\n"
            "        except OSError:\n"
            "            pass\n")
    assert_held(grade_hostile(cheat(body)))


@pytest.mark.skipif(platform.machine() != "x86_64", reason="uses x86_64 system call numbers")
def test_ctypes_calls_into_libc_are_refused(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("import ctypes\n"
            "def hacked():\n"
            "    libc = ctypes.CDLL(None)\n"
            "    pid = libc.syscall(57)\n"  # fork
            "    if pid == 0:\n"
            "        libc._exit(0)\n"
            "    sock = libc.syscall(41, 2, 1, 0)\n"  # socket(AF_INET, SOCK_STREAM)
            "    unshared = libc.syscall(272, 0x10000000)\n"  # unshare(CLONE_NEWUSER)
            "    return pid >= 0 or sock >= 0 or unshared == 0\n")
    assert_held(grade_hostile(cheat(body)))


def test_cant_raise_its_own_limits(grade_hostile: Grade) -> None:
    source = ("import resource\n"
              "for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_NPROC):\n"
              "    try:\n"
              "        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
              "    except (OSError, ValueError):\n"
              "        pass\n"
              "def mse_grad(y_hat, y):\n    while True:\n        pass\n")
    assert_failed(grade_hostile(source), CPU_LIMIT)


# Exits and exceptions


@pytest.mark.parametrize(("statement", "error", "kind"), [
    ("os._exit(0)", "The submission exited before answering every case (os._exit or a crash?)", "not_run"),
    ("sys.exit(0)", "Every case raised SystemExit: 0", "exception"),
    ("raise KeyboardInterrupt", "Every case raised KeyboardInterrupt", "exception"),
    ("raise type('Escape', (BaseException,), {})()", "Every case raised submission.Escape", "exception"),
    ("__import__('ctypes').string_at(0)", SEGFAULT, "not_run"),
], ids=["os-exit", "sys-exit", "keyboard-interrupt", "baseexception-subclass", "segfault"])
def test_exits_and_base_exceptions_are_errors(grade_hostile: Grade, statement: str, error: str, kind: str) -> None:
    source = f"import os, sys\ndef mse_grad(y_hat, y):\n    {statement}\n"
    assert_failed(grade_hostile(source), error, kind)


# Fake verdicts


FAKE = '{"passed": true, "score": 1.0, "type": "done", "status": "ok", "error": null}'


@pytest.mark.parametrize("where", ["sys.stdout", "sys.stderr"])
def test_fake_verdicts_printed_are_ignored(grade_hostile: Grade, where: str) -> None:
    source = (f"import sys\ndef mse_grad(y_hat, y):\n    print({FAKE!r} * 100, file={where})\n"
              "    return y_hat\n")
    report = grade_hostile(source)
    assert_held(report)
    assert report.output.count('"passed": true') >= 100


def test_fake_replies_written_to_every_descriptor_are_ignored(grade_hostile: Grade) -> None:
    source = ("import os, struct, json\n"
              "from grader.sandbox import harness\n"
              "blob = harness.encode_json({'type': 'loaded'}) + harness.encode_json({'type': 'done'})\n"
              "for fd in range(64):\n"
              "    for data in (blob, b'{\"passed\": true}\\n'):\n"
              "        try:\n"
              "            os.write(fd, data)\n"
              "        except OSError:\n"
              "            pass\n"
              "os._exit(0)\n")
    assert_failed(grade_hostile(source), UNREADABLE + "the reply's cases are out of order")


def test_forged_npy_header_is_rejected(grade_hostile: Grade) -> None:
    source = ("import numpy as np\n"
              "from grader.sandbox import harness\n"
              "def forged(array):\n"
              "    head = b\"{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }\"\n"
              "    head = head.ljust(117) + b'\\n'\n"
              "    return b'\\x93NUMPY\\x01\\x00' + len(head).to_bytes(2, 'little') + head + b'\\0' * 64\n"
              "harness.npy_bytes = forged\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_failed(grade_hostile(source), UNREADABLE + "an answer array's size does not match its header")


def test_forged_npy_shape_wrapping_int64_is_rejected(grade_hostile: Grade) -> None:
    assert_failed(grade_hostile(WRAPPING_SHAPE), UNREADABLE + "an answer array's size does not match its header")


# Lying return values


@pytest.mark.parametrize(("answer", "error", "kind"), [
    # Filled with ones: an ndarray made from a shape holds whatever was in memory, NaN included.
    ("(lambda a: (a.fill(1.0), a)[1])(type('Liar', (np.ndarray,), "
     "{'__eq__': lambda s, o: True, '__ne__': lambda s, o: False})(y.shape))",
     None, "values"),
    ("type('Liar', (), {'__array__': lambda s, *a, **k: (_ for _ in ()).throw(RuntimeError), "
     "'__eq__': lambda s, o: True})()",
     NOT_NUMBERS + "could not be read as an array of numbers (RuntimeError was raised converting it)", "structure"),
    ("type('Liar', (), {'__float__': lambda s: float('nan'), '__eq__': lambda s, o: True, "
     "'__len__': lambda s: 10**9})()",
     NOT_NUMBERS + "is not an array of numbers (its dtype is object)", "structure"),
    ("np.full(y.shape, np.nan)", None, "nonfinite"),
    ("np.full(y.shape, np.inf)", None, "nonfinite"),
    ("np.zeros(10**8)", NOT_NUMBERS + "could not be read as an array of numbers (MemoryError was raised converting it)",
     "structure"),
    ("(lambda l: (l.append(l), l)[1])([])",
     NOT_NUMBERS + "could not be read as an array of numbers (ValueError was raised converting it)", "structure"),
    ("np.array([type('Evil', (), {'__reduce__': lambda s: (print, ('pwned',))})()], dtype=object)",
     NOT_NUMBERS + "is not an array of numbers (its dtype is object)", "structure"),
], ids=["ndarray-subclass-eq", "lying-array", "lying-float-len", "nan", "inf", "huge", "self-referencing", "pickled"])
def test_lying_return_values_do_not_pass(grade_hostile: Grade, answer: str, error: str | None, kind: str) -> None:
    source = f"import numpy as np\ndef mse_grad(y_hat, y):\n    return {answer}\n"
    report = grade_hostile(source)
    assert (report.score, report.passed, report.error) == (0.0, False, error)
    assert {case.kind for case in report.cases} == {kind}
    assert "pwned" not in report.output


def test_monkeypatched_numpy_changes_nothing_outside(grade_hostile: Grade) -> None:
    source = ("import numpy as np\n"
              "np.allclose = np.array_equal = lambda *a, **k: True\n"
              "np.isclose = lambda a, b, **k: np.ones(np.shape(b), dtype=bool)\n"
              "np.asarray = lambda value, dtype=None: np.ones(3)\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_failed(grade_hostile(source),
                  NOT_NUMBERS + "could not be read as an array of numbers (TypeError was raised converting it)",
                  "structure")


# Hunting for expected values and secrets


def test_cant_find_expected_values_in_frames_or_objects(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("import gc\n"
            "def hacked():\n"
            "    names = ('expected', 'reference', 'gradient', 'EXERCISES', 'hidden_cases')\n"
            "    frame = sys._getframe()\n"
            "    while frame is not None:\n"
            "        if any(n in frame.f_globals or n in frame.f_locals for n in names):\n"
            "            return True\n"
            "        frame = frame.f_back\n"
            "    return 'exercises' in sys.modules or any(\n"
            "        type(o).__name__ in ('Exercise', 'Case') for o in gc.get_objects())\n")
    assert_held(grade_hostile(cheat(body)))


def test_cant_read_the_grader_environment(grade_hostile: Grade, cheat: Cheat, secret_env: str) -> None:
    body = ("import glob\n"
            "def hacked():\n"
            f"    secret = {secret_env!r}\n"
            "    if any(secret in value for value in os.environ.values()):\n"
            "        return True\n"
            "    for path in glob.glob('/proc/*/environ'):\n"
            "        try:\n"
            "            if secret.encode() in open(path, 'rb').read():\n"
            "                return True\n"
            "        except OSError:\n"
            "            pass\n")
    assert_held(grade_hostile(cheat(body)))


@pytest.mark.usefixtures("landlock_fs")
def test_cant_import_exercises_or_read_hidden_cases(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("def hacked():\n"
            "    try:\n"
            "        import exercises\n"
            "        return True\n"
            "    except BaseException:\n"
            "        pass\n"
            f"    for path in ({str(PROJECT / 'exercises/mse_grad/cases.py')!r}, "
            f"{str(PROJECT / 'pyproject.toml')!r}):\n"
            "        try:\n"
            "            return len(open(path).read()) > 0\n"
            "        except OSError:\n"
            "            pass\n")
    assert_held(grade_hostile(cheat(body)))


@pytest.mark.usefixtures("landlock_fs")
def test_cant_import_installed_packages_other_than_numpy(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("def hacked():\n"
            "    import importlib.metadata\n"
            "    for attempt in (lambda: __import__('click'), lambda: importlib.metadata.version('gradegrad'),\n"
            "                    lambda: open(sys.modules['numpy'].__file__.rsplit('/numpy/', 1)[0] "
            "+ '/click/__init__.py')):\n"
            "        try:\n"
            "            attempt()\n"
            "            return True\n"
            "        except Exception:\n"
            "            pass\n")
    assert_held(grade_hostile(cheat(body)))


@pytest.fixture
def database_file() -> Iterator[Path]:
    """A world-readable file outside the sandbox, as the service's SQLite database would be."""
    folder = Path("/var/tmp") / f"gradegrad-db-{os.getpid()}"
    folder.mkdir(mode=0o755, exist_ok=True)
    database = folder / "gradegrad.sqlite3"
    database.write_text("expected values")
    database.chmod(0o644)
    yield database
    database.unlink()
    folder.rmdir()


@pytest.mark.usefixtures("landlock_fs")
def test_cant_read_the_database_file(grade_hostile: Grade, cheat: Cheat, database_file: Path) -> None:
    body = f"def hacked():\n    return open({str(database_file)!r}).read() == 'expected values'\n"
    assert_held(grade_hostile(cheat(body)), f"PermissionError: [Errno 13] Permission denied: '{database_file}'")


@pytest.mark.usefixtures("landlock_fs")
def test_cant_write_outside_its_own_directory(grade_hostile: Grade, cheat: Cheat, database_file: Path) -> None:
    escape = database_file.parent / "escaped"
    body = ("def hacked():\n"
            f"    for path in ({str(escape)!r}, {str(database_file)!r}, "
            "'/tmp/gradegrad-escaped', '/dev/shm/escaped'):\n"
            "        try:\n"
            "            with open(path, 'w') as f:\n"
            "                f.write('x')\n"
            "            return True\n"
            "        except OSError:\n"
            "            pass\n")
    assert_held(grade_hostile(cheat(body)))
    assert not escape.exists() and database_file.read_text() == "expected values"
    assert not Path("/tmp/gradegrad-escaped").exists() and not Path("/dev/shm/escaped").exists()


@pytest.mark.usefixtures("landlock_fs")
def test_cant_leave_a_file_for_a_later_submission(grade_hostile: Grade, cheat: Cheat, runner: ForkServerRunner) -> None:
    writer = ("import glob\n"
              "for path in ('left-behind', '../left-behind', '/tmp/left-behind', '/var/tmp/left-behind'):\n"
              "    try:\n"
              "        open(path, 'w').write('answers')\n"
              "    except OSError:\n"
              "        pass\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_held(grade_hostile(writer))
    reader = ("import glob\n"
              "def hacked():\n"
              "    return any(glob.glob(p) for p in ('left-behind', '../*/left-behind', '../left-behind',\n"
              "                                          '/tmp/left-behind', '/var/tmp/left-behind'))\n")
    assert_held(grade_hostile(cheat(reader)))
    assert not Path("/tmp/left-behind").exists() and not Path("/var/tmp/left-behind").exists()
    assert not (Path(runner._root) / "left-behind").exists()


def test_huge_files_are_cut_and_removed(grade_hostile: Grade, runner: ForkServerRunner) -> None:
    source = ("def mse_grad(y_hat, y):\n"
              "    with open('huge', 'wb') as f:\n"
              "        for _ in range(200):\n"
              "            f.write(bytes(10**6))\n"
              "    return y_hat\n")
    assert_failed(grade_hostile(source), "Every case raised OSError: [Errno 27] File too large", "exception")
    assert [p.name for p in Path(runner._root).glob("*/huge")] == []


def test_cant_fill_the_disk_with_many_files(grade_hostile: Grade, runner: ForkServerRunner) -> None:
    if "disk-quota" not in runner.layers:
        pytest.skip("no mount namespace (unshare refused), so no tmpfs caps the directory's size")
    source = ("def mse_grad(y_hat, y):\n"
              "    for i in range(1000):\n"
              "        with open(f'part-{i}', 'wb') as f:\n"
              "            f.write(bytes(2 * 10**6))\n"
              "    return y_hat\n")
    assert_failed(grade_hostile(source), "Every case raised OSError: [Errno 28] No space left on device", "exception")


# Network


@pytest.mark.parametrize("port", [6379, 5432, 5672], ids=["redis", "postgresql", "rabbitmq"])
def test_cant_connect_to_local_services(grade_hostile: Grade, cheat: Cheat, port: int) -> None:
    body = ("import socket\n"
            "def hacked():\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=1).close()\n"
            "    return True\n")
    assert_held(grade_hostile(cheat(body)), "PermissionError: [Errno 1] Operation not permitted")


def test_cant_connect_to_the_web_server(grade_hostile: Grade, cheat: Cheat) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        body = ("import socket\n"
                "def hacked():\n"
                "    for family, address in ((socket.AF_INET, ('127.0.0.1', " + str(port) + ")),\n"
                "                             (socket.AF_INET6, ('::1', " + str(port) + "))):\n"
                "        try:\n"
                "            socket.socket(family).connect(address)\n"
                "            return True\n"
                "        except OSError:\n"
                "            pass\n")
        assert_held(grade_hostile(cheat(body)))
        with pytest.raises(BlockingIOError):
            server.accept()


# Output


def test_200_megabytes_of_output_are_cut(grade_hostile: Grade, limits: Limits) -> None:
    source = ("import sys\ndef mse_grad(y_hat, y):\n"
              "    for _ in range(200):\n        sys.stdout.write('x' * 10**6)\n    return y_hat\n")
    report = grade_hostile(source)
    assert_failed(report, f"Too much output: the submission printed more than {limits.output_bytes // 1024} KiB")
    assert len(report.output) <= 2 * limits.kept_output_bytes


# Files' metadata, watches and the host's mounts


@pytest.fixture
def seccomp(runner: ForkServerRunner) -> None:
    if "seccomp" not in runner.layers:
        pytest.skip("no seccomp filter support (CONFIG_SECCOMP_FILTER or libseccomp missing)")


@pytest.fixture
def canary() -> Iterator[Path]:
    """A 0600 file of the grader's, with an extended attribute and old times, in a folder it may not reach into."""
    folder = Path("/var/tmp") / f"gradegrad-canary-{os.getpid()}"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    canary = folder / "canary"
    canary.write_text("the grader's")
    canary.chmod(0o600)
    os.setxattr(canary, "user.gradegrad", b"canary")
    os.utime(canary, ns=(1_600_000_000 * 10**9, 1_600_000_000 * 10**9))
    yield canary
    canary.unlink()
    folder.rmdir()


def metadata(path: Path) -> tuple[object, ...]:
    facts = path.stat()
    return facts.st_mode, facts.st_uid, facts.st_gid, facts.st_atime_ns, facts.st_mtime_ns, sorted(
        (name, os.getxattr(path, name)) for name in os.listxattr(path))


def observed(report: GradeReport) -> dict[str, str]:
    """What an attack printed as ``observed NAME: OUTCOME`` lines (it prints them once, while loading)."""
    lines = [line.split(" ", 1)[1] for line in report.output.splitlines() if line.startswith("observed ")]
    return dict(line.split(": ", 1) for line in lines)


TRY = ("import errno, os\n"
       "def attempt(name, call):\n"
       "    try:\n"
       "        outcome = f'returned {call()}'\n"
       "    except OSError as exc:\n"
       "        outcome = errno.errorcode[exc.errno]\n"
       "    print(f'observed {name}: {outcome}', flush=True)\n")


@pytest.mark.usefixtures("seccomp")
def test_cant_change_the_metadata_of_a_file_outside(grade_hostile: Grade, canary: Path) -> None:
    """Landlock does not cover these calls, and a child of an ordinary user's server keeps its uid:
    seccomp refuses them."""
    before, folder_before = metadata(canary), metadata(canary.parent)
    file, folder = str(canary), str(canary.parent)
    attempts = {
        "chmod": f"os.chmod({file!r}, 0o666)",
        "chmod-folder": f"os.chmod({folder!r}, 0o777)",
        "chmod-nothing": f"os.chmod({file!r}, 0)",
        "fchmodat-nofollow": f"os.chmod({file!r}, 0o666, follow_symlinks=False)",
        "fchmod": f"os.fchmod(os.open({file!r}, os.O_PATH), 0o666)",
        "chown": f"os.chown({file!r}, os.getuid(), os.getgid())",
        "lchown": f"os.lchown({file!r}, -1, -1)",
        "utime": f"os.utime({file!r}, (0, 0))",
        "utime-now": f"os.utime({file!r})",
        "setxattr": f"os.setxattr({file!r}, 'user.evil', b'1')",
        "lsetxattr": f"os.setxattr({file!r}, 'user.evil', b'1', follow_symlinks=False)",
        "removexattr": f"os.removexattr({file!r}, 'user.gradegrad')",
        "chmod-own": "os.chmod('.', 0o777)",
    }
    source = TRY + "".join(f"attempt({name!r}, lambda: {call})\n" for name, call in attempts.items())
    source += "def mse_grad(y_hat, y):\n    return y_hat\n"
    report = grade_hostile(source)
    assert_held(report)
    assert observed(report) == dict.fromkeys(attempts, "EPERM")
    assert metadata(canary) == before and metadata(canary.parent) == folder_before


@pytest.mark.usefixtures("seccomp")
@pytest.mark.skipif(platform.machine() != "x86_64", reason="uses x86_64 system call numbers")
def test_cant_watch_files_or_list_the_host_mounts(grade_hostile: Grade) -> None:
    calls = {
        "inotify_init": "253", "inotify_init1": "294, 0", "inotify_add_watch": "254, 0, b'/tmp', 0xfff",
        "fanotify_init": "300, 0, 0", "fanotify_mark": "301, 0, 1, 0x3b, -100, b'/tmp'",
        "statmount": "457, 0, 0, 0, 0", "listmount": "458, 0, 0, 0, 0", "open_tree_attr": "467, -100, b'/', 0, 0, 0",
        "ioctl-setflags": "16, 0, 0x40086602, 0",
    }
    source = TRY + "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
    source += ("def syscall(*args):\n"
               "    if libc.syscall(*args) == -1:\n"
               "        raise OSError(ctypes.get_errno(), 'refused')\n"
               "    return 'a descriptor or 0'\n")
    source += "".join(f"attempt({name!r}, lambda: syscall({args}))\n" for name, args in calls.items())
    source += "def mse_grad(y_hat, y):\n    return y_hat\n"
    report = grade_hostile(source)
    assert_held(report)
    assert observed(report) == dict.fromkeys(calls, "EPERM")


FORGE = ("import numpy as np\n"
         "from grader.sandbox import harness\n"
         "real_json, real_npy = harness.encode_json, harness.npy_bytes\n")


@pytest.mark.parametrize(("forgery", "error", "kind"), [
    ("harness.npy_bytes = lambda array: real_npy(np.zeros((0, 7)))\n", None, "shape"),
    ("harness.npy_bytes = lambda array: real_npy(np.float64(1.0))\n", None, "shape"),
    ("harness.npy_bytes = lambda array: real_npy(np.ones((64, 64)))\n", None, "shape"),
    ("harness.encode_json = lambda obj, arrays=(): real_json(\n"
     "    {**obj, 'slots': [{'problem': ['not', 'a', 'string'], 'got': {'x': 1}, 'key': None}]}\n"
     "    if obj['type'] == 'case' else obj, arrays)\n",
     NOT_NUMBERS + "could not be read as an array of numbers ({'x': 1} was raised converting it)", "structure"),
    ("harness.encode_json = lambda obj, arrays=(): real_json(\n"
     "    {'type': 'error', 'kind': 'syntax', 'line': [1], 'message': {'a': 1}} if obj['type'] == 'loaded' else obj,\n"
     "    arrays)\n",
     "SyntaxError: {'a': 1} (line [1], column None)", "not_run"),
], ids=["empty-2d", "scalar", "outer-product-shape", "forged-problem", "forged-load-error"])
def test_forged_but_readable_answers_are_judged(grade_hostile: Grade, forgery: str, error: str | None,
                                                kind: str) -> None:
    """What passes the protocol checks, however odd, is judged as the submission's answer and fails."""
    source = FORGE + forgery + "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
    report = grade_hostile(source)
    assert (report.score, report.passed, report.error) == (0.0, False, error)
    assert {case.kind for case in report.cases} == {kind}, [(case.kind, case.message) for case in report.cases]
