"""grader.limited: each limit of the child stops it and is named; the caller never runs the child's code on."""

import os
import signal
import time

import pytest

from grader.limited import ChildLimits, OverLimit, run_limited

MiB = 1024 * 1024


def spin():
    while True:
        pass


def allocate(megabytes):
    return len(bytearray(megabytes * MiB))


def test_the_result_of_the_work_comes_back_as_json():
    assert run_limited(sorted, [3, 1, 2]) == [1, 2, 3]


def test_the_cpu_limit_stops_a_busy_child():
    started = time.monotonic()
    with pytest.raises(OverLimit, match=r"^it needs more than 1 s of CPU time$"):
        run_limited(spin, limits=ChildLimits(cpu_seconds=1, wall_seconds=60))
    assert time.monotonic() - started < 30


def test_the_wall_limit_stops_a_child_that_waits():
    started = time.monotonic()
    with pytest.raises(OverLimit, match=r"^it took more than 1 s$"):
        run_limited(time.sleep, 30, limits=ChildLimits(wall_seconds=1))
    assert time.monotonic() - started < 10


def test_the_memory_limit_stops_a_child_that_allocates():
    with pytest.raises(OverLimit, match=r"^it nests too deeply or needs too much memory \(MemoryError\)$"):
        run_limited(allocate, 256, limits=ChildLimits(memory_bytes=64 * MiB))
    assert run_limited(allocate, 16, limits=ChildLimits(memory_bytes=64 * MiB)) == 16 * MiB


def test_a_fault_of_the_work_is_raised_in_the_caller():
    with pytest.raises(RuntimeError, match=r"^a limited child failed: ValueError: invalid literal for int\(\) "
                                           r"with base 10: 'x'$"):
        run_limited(int, "x")


def crash():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_child_that_dies_of_a_signal_is_named():
    with pytest.raises(OverLimit, match=r"^the parser stopped with SIGSEGV$"):
        run_limited(crash)
