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
from grader.sandbox.runner import ForkServerRunner
from grader.sandbox.limits import Limits

Grade = Callable[..., GradeReport]
Cheat = Callable[[str], str]
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def landlock_fs(runner: ForkServerRunner) -> None:
    """World-readable and world-writable places are walled off by Landlock alone."""
    if "landlock-fs" not in runner.layers:
        pytest.skip("the kernel has no Landlock (CONFIG_SECURITY_LANDLOCK, lsm=landlock)")


def assert_failed(report: GradeReport, *error_words: str) -> None:
    assert report.score == 0.0 and not report.passed
    for word in error_words:
        assert report.error is not None and word.lower() in report.error.lower(), report.error


# Time, CPU and memory


def test_infinite_python_loop_is_stopped_by_the_cpu_limit(grade_hostile: Grade, limits: Limits) -> None:
    started = time.monotonic()
    report = grade_hostile("def mse_grad(y_hat, y):\n    while True:\n        pass\n")
    assert_failed(report, "time limit")  # "CPU time limit", or the wall clock's on a busy machine
    assert time.monotonic() - started < limits.wall_seconds + 2


def test_infinite_loop_in_c_is_stopped(grade_hostile: Grade) -> None:
    report = grade_hostile("import numpy as np\ndef mse_grad(y_hat, y):\n"
                           "    a = np.ones((4000, 4000))\n    return (a @ a @ a)[0, : len(y)]\n")
    assert_failed(report, "time limit")


def test_sleeping_forever_is_stopped_by_the_wall_clock(grade_hostile: Grade, limits: Limits) -> None:
    started = time.monotonic()
    report = grade_hostile("import time\ndef mse_grad(y_hat, y):\n    time.sleep(10**6)\n")
    assert_failed(report, "Time limit")
    assert time.monotonic() - started < limits.wall_seconds + 2


def test_ignoring_sigterm_does_not_outlive_the_wall_clock(grade_hostile: Grade) -> None:
    source = ("import signal, time\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):\n"
              "    signal.signal(s, signal.SIG_IGN)\n"
              "def mse_grad(y_hat, y):\n    time.sleep(10**6)\n")
    assert_failed(grade_hostile(source), "Time limit")


@pytest.mark.parametrize("bomb", [
    "bytearray(10**11)",
    "np.empty(10**11)",
    "[bytes(10**7) for _ in range(10**4)]",
], ids=["bytearray", "numpy", "growing-list"])
def test_cant_use_more_than_the_memory_limit(grade_hostile: Grade, bomb: str) -> None:
    source = f"import numpy as np\ndef mse_grad(y_hat, y):\n    x = {bomb}\n    return y_hat\n"
    assert_failed(grade_hostile(source), "Memory limit")


def test_recursion_bomb_is_an_error(grade_hostile: Grade) -> None:
    assert_failed(grade_hostile("def mse_grad(y_hat, y):\n    return mse_grad(y_hat, y)\n"), "RecursionError")


def test_c_stack_overflow_is_a_crash(grade_hostile: Grade) -> None:
    # pickle recurses in C with no per-level scan (repr's cycle check makes deep nesting take seconds)
    source = ("import pickle, sys\nsys.setrecursionlimit(10**8)\n"
              "def mse_grad(y_hat, y):\n    nested = []\n    for _ in range(10**6):\n        nested = [nested]\n"
              "    return pickle.dumps(nested)\n")
    assert_failed(grade_hostile(source), "crashed")


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
    assert_failed(grade_hostile(cheat(body)))


def test_fork_bomb_is_contained(grade_hostile: Grade) -> None:
    source = ("import os\nfor _ in range(1000):\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
              "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y) + 1\n")
    assert_failed(grade_hostile(source))


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
    assert_failed(grade_hostile(cheat(body)))
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
    assert report.passed  # the daemon's failure is not the student's; the autouse fixture checks nothing survived


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
    assert_failed(grade_hostile(source))
    assert runner._process.pid == server and runner._process.poll() is None


def test_cant_ptrace_or_read_the_memory_of_other_processes(grade_hostile: Grade, cheat: Cheat, runner: ForkServerRunner) -> None:
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
    assert_failed(grade_hostile(cheat(body)))


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
    assert_failed(grade_hostile(cheat(body)))


def test_cant_raise_its_own_limits(grade_hostile: Grade) -> None:
    source = ("import resource\n"
              "for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_NPROC):\n"
              "    try:\n"
              "        resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
              "    except (OSError, ValueError):\n"
              "        pass\n"
              "def mse_grad(y_hat, y):\n    while True:\n        pass\n")
    assert_failed(grade_hostile(source), "time limit")


# Exits and exceptions


@pytest.mark.parametrize(("statement", "words"), [
    ("os._exit(0)", "exited before answering"),
    ("sys.exit(0)", "SystemExit"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise type('Escape', (BaseException,), {})()", "Escape"),
    ("__import__('ctypes').string_at(0)", "SIGSEGV"),
], ids=["os-exit", "sys-exit", "keyboard-interrupt", "baseexception-subclass", "segfault"])
def test_exits_and_base_exceptions_are_errors(grade_hostile: Grade, statement: str, words: str) -> None:
    source = f"import os, sys\ndef mse_grad(y_hat, y):\n    {statement}\n"
    assert_failed(grade_hostile(source), words)


# Fake verdicts


FAKE = '{"passed": true, "score": 1.0, "type": "done", "status": "ok", "error": null}'


@pytest.mark.parametrize("where", ["sys.stdout", "sys.stderr"])
def test_fake_verdicts_printed_are_ignored(grade_hostile: Grade, where: str) -> None:
    source = (f"import sys\ndef mse_grad(y_hat, y):\n    print({FAKE!r} * 100, file={where})\n"
              "    return y_hat\n")
    report = grade_hostile(source)
    assert_failed(report)
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
    assert_failed(grade_hostile(source))


def test_forged_npy_header_is_rejected(grade_hostile: Grade) -> None:
    source = ("import numpy as np\n"
              "from grader.sandbox import harness\n"
              "def forged(array):\n"
              "    head = b\"{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }\"\n"
              "    head = head.ljust(117) + b'\\n'\n"
              "    return b'\\x93NUMPY\\x01\\x00' + len(head).to_bytes(2, 'little') + head + b'\\0' * 64\n"
              "harness.npy_bytes = forged\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_failed(grade_hostile(source), "could not be read")


# Lying return values


@pytest.mark.parametrize("answer", [
    "type('Liar', (np.ndarray,), {'__eq__': lambda s, o: True, '__ne__': lambda s, o: False})(y.shape)",
    "type('Liar', (), {'__array__': lambda s, *a, **k: (_ for _ in ()).throw(RuntimeError), '__eq__': lambda s, o: True})()",
    "type('Liar', (), {'__float__': lambda s: float('nan'), '__eq__': lambda s, o: True, '__len__': lambda s: 10**9})()",
    "np.full(y.shape, np.nan)",
    "np.full(y.shape, np.inf)",
    "np.zeros(10**8)",
    "(lambda l: (l.append(l), l)[1])([])",
    "np.array([type('Evil', (), {'__reduce__': lambda s: (print, ('pwned',))})()], dtype=object)",
], ids=["ndarray-subclass-eq", "lying-array", "lying-float-len", "nan", "inf", "huge", "self-referencing", "pickled"])
def test_lying_return_values_do_not_pass(grade_hostile: Grade, answer: str) -> None:
    source = f"import numpy as np\ndef mse_grad(y_hat, y):\n    return {answer}\n"
    assert_failed(grade_hostile(source))


def test_monkeypatched_numpy_changes_nothing_outside(grade_hostile: Grade) -> None:
    source = ("import numpy as np\n"
              "np.allclose = np.array_equal = lambda *a, **k: True\n"
              "np.isclose = lambda a, b, **k: np.ones(np.shape(b), dtype=bool)\n"
              "np.asarray = lambda value, dtype=None: np.ones(3)\n"
              "def mse_grad(y_hat, y):\n    return y_hat\n")
    assert_failed(grade_hostile(source))


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
    assert_failed(grade_hostile(cheat(body)))


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
    assert_failed(grade_hostile(cheat(body)))


@pytest.mark.usefixtures("landlock_fs")
def test_cant_import_exercises_or_read_hidden_cases(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("def hacked():\n"
            "    try:\n"
            "        import exercises\n"
            "        return True\n"
            "    except BaseException:\n"
            "        pass\n"
            f"    for path in ({str(PROJECT / 'exercises/mse_grad/cases.py')!r}, {str(PROJECT / 'pyproject.toml')!r}):\n"
            "        try:\n"
            "            return len(open(path).read()) > 0\n"
            "        except OSError:\n"
            "            pass\n")
    assert_failed(grade_hostile(cheat(body)))


@pytest.mark.usefixtures("landlock_fs")
def test_cant_import_installed_packages_other_than_numpy(grade_hostile: Grade, cheat: Cheat) -> None:
    body = ("def hacked():\n"
            "    import importlib.metadata\n"
            "    for attempt in (lambda: __import__('click'), lambda: importlib.metadata.version('gradegrad'),\n"
            "                    lambda: open(sys.modules['numpy'].__file__.rsplit('/numpy/', 1)[0] + '/click/__init__.py')):\n"
            "        try:\n"
            "            attempt()\n"
            "            return True\n"
            "        except Exception:\n"
            "            pass\n")
    assert_failed(grade_hostile(cheat(body)))


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
    assert_failed(grade_hostile(cheat(body)))


@pytest.mark.usefixtures("landlock_fs")
def test_cant_write_outside_its_own_directory(grade_hostile: Grade, cheat: Cheat, database_file: Path) -> None:
    escape = database_file.parent / "escaped"
    body = ("def hacked():\n"
            f"    for path in ({str(escape)!r}, {str(database_file)!r}, '/tmp/gradegrad-escaped', '/dev/shm/escaped'):\n"
            "        try:\n"
            "            with open(path, 'w') as f:\n"
            "                f.write('x')\n"
            "            return True\n"
            "        except OSError:\n"
            "            pass\n")
    assert_failed(grade_hostile(cheat(body)))
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
    assert_failed(grade_hostile(writer))
    reader = ("import glob\n"
              "def hacked():\n"
              "    return any(glob.glob(p) for p in ('left-behind', '../*/left-behind', '../left-behind',\n"
              "                                          '/tmp/left-behind', '/var/tmp/left-behind'))\n")
    assert_failed(grade_hostile(cheat(reader)))
    assert not Path("/tmp/left-behind").exists() and not Path("/var/tmp/left-behind").exists()
    assert not (Path(runner._root) / "left-behind").exists()


def test_huge_files_are_cut_and_removed(grade_hostile: Grade, runner: ForkServerRunner) -> None:
    source = ("def mse_grad(y_hat, y):\n"
              "    with open('huge', 'wb') as f:\n"
              "        for _ in range(200):\n"
              "            f.write(bytes(10**6))\n"
              "    return y_hat\n")
    assert_failed(grade_hostile(source), "File too large")
    assert [p.name for p in Path(runner._root).glob("*/huge")] == []


def test_cant_fill_the_disk_with_many_files(grade_hostile: Grade, runner: ForkServerRunner) -> None:
    if "disk-quota" not in runner.layers:
        pytest.skip("no mount namespace (unshare refused), so no tmpfs caps the directory's size")
    source = ("def mse_grad(y_hat, y):\n"
              "    for i in range(1000):\n"
              "        with open(f'part-{i}', 'wb') as f:\n"
              "            f.write(bytes(2 * 10**6))\n"
              "    return y_hat\n")
    assert_failed(grade_hostile(source), "No space left on device")


# Network


@pytest.mark.parametrize("port", [6379, 5432, 5672], ids=["redis", "postgresql", "rabbitmq"])
def test_cant_connect_to_local_services(grade_hostile: Grade, cheat: Cheat, port: int) -> None:
    body = ("import socket\n"
            "def hacked():\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=1).close()\n"
            "    return True\n")
    assert_failed(grade_hostile(cheat(body)))


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
        assert_failed(grade_hostile(cheat(body)))
        with pytest.raises(BlockingIOError):
            server.accept()


# Output


def test_200_megabytes_of_output_are_cut(grade_hostile: Grade, limits: Limits) -> None:
    source = ("import sys\ndef mse_grad(y_hat, y):\n"
              "    for _ in range(200):\n        sys.stdout.write('x' * 10**6)\n    return y_hat\n")
    report = grade_hostile(source)
    assert_failed(report, "Too much output")
    assert len(report.output) <= 2 * limits.kept_output_bytes
