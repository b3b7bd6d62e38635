"""The code that runs inside the jail: load the submission, call it on each case, send arrays back.

This module imports only numpy and the standard library, and it holds no expected values:
it receives a case's inputs and answers with plain float64 ``.npy`` arrays over the job
channel. The grader validates and compares them outside the jail, so nothing the
submission does here can decide a verdict.

The job is a 4-byte big-endian length, a JSON header that lists the input arrays (key, dtype,
shape) and holds the text arguments (an activation's name, say), then the arrays' raw bytes
one after the other. The channel is a stream of blobs,
each a 4-byte big-endian length and its bytes. A JSON blob may announce ``arrays`` more
blobs, each one ``.npy`` file. A case's blob names under ``mutated`` the arguments the call
changed in place, if any.
"""

from __future__ import annotations

import builtins
import inspect
import json
import linecache
import os
import struct
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

SUBMISSION_FILENAME = "submission.py"
TRACEBACK_CHARS = 2000
NUMERIC_KINDS = "fiu"
NPY_MAGIC = b"\x93NUMPY\x01\x00"
NPY_PREFIX = len(NPY_MAGIC) + 2  # the magic, the version and the header's 2-byte length


class Slot(NamedTuple):
    """One gradient array of an answer: its label, where it sits, its expected shape."""

    label: str
    path: tuple[str | int, ...]
    shape: tuple[int, ...]


class Unreadable(Exception):
    """An answer that does not hold an array where one is expected; ``args[0]`` is a JSON-able dict."""


def extract(answer: Any, path: tuple[str | int, ...]) -> Any:
    """Follow ``path`` (dict keys and sequence indices) into an answer."""
    value = answer
    for step in path:
        if isinstance(step, str):
            if not isinstance(value, dict):
                raise Unreadable({"problem": "container", "expected": "dict", "got": _type_name(value)})
            if step not in value:
                raise Unreadable({"problem": "key", "key": step})
            value = value[step]
        else:
            if not isinstance(value, (tuple, list, np.ndarray)) or (isinstance(value, np.ndarray) and value.ndim == 0):
                raise Unreadable({"problem": "container", "expected": "sequence", "got": _type_name(value)})
            if len(value) <= step:
                raise Unreadable({"problem": "length", "length": len(value), "index": step})
            value = value[step]
    return value


def encode_blob(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def encode_json(obj: dict[str, Any], arrays: Sequence[bytes] = ()) -> bytes:
    """A JSON blob followed by the ``.npy`` blobs it announces."""
    head = dict(obj, arrays=len(arrays))
    return encode_blob(json.dumps(head).encode()) + b"".join(encode_blob(a) for a in arrays)


def npy_bytes(array: np.ndarray) -> bytes:
    """A float64 array as a version 1.0 ``.npy`` file, the header padded as numpy pads it."""
    array = np.asarray(array, dtype="<f8", order="C")
    shape = tuple(int(n) for n in array.shape)
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (-(len(header) + NPY_PREFIX + 1) % 64) + "\n"
    return NPY_MAGIC + struct.pack("<H", len(header)) + header.encode("latin1") + array.tobytes()


def decode_job(job: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Split a job into its JSON header and its input arrays (written by the grader, read-only views)."""
    (size,) = struct.unpack(">I", job[:4])
    header = json.loads(job[4 : 4 + size])
    arrays, offset = {}, 4 + size
    for key, dtype, shape in header["arrays"]:
        kind = np.dtype(dtype)
        count = int(np.prod(shape, dtype=np.int64))
        arrays[key] = np.frombuffer(job, kind, count, offset).reshape(shape)
        offset += count * kind.itemsize
    return header, arrays


def case_arguments(case: dict[str, Any], arrays: dict[str, np.ndarray]) -> list[Any]:
    """Rebuild one case's positional arguments, fresh for each call."""
    args: list[Any] = []
    for arg in case["args"]:
        key = f"{case['index']}.{arg['name']}"
        if arg["kind"] == "float":
            args.append(float(arrays[key]))
        elif arg["kind"] == "text":
            args.append(str(arg["value"]))
        elif arg["kind"] == "list":
            args.append([arrays[f"{key}.{j}"].copy() for j in range(arg["length"])])
        else:
            args.append(arrays[key].copy())
    return args


def run_job(job: bytes, send: Callable[[bytes], None]) -> None:
    """Grade nothing: load the submission and send back what it answers on each case."""
    header, arrays = decode_job(job)
    function, problem = load_function(header["source"], header["function"], header["params"])
    if problem is not None:
        send(encode_json({"type": "error", **problem}))
        return
    assert function is not None  # load_function returns a function whenever it names no problem
    send(encode_json({"type": "loaded"}))
    for case in header["cases"]:
        send(run_case(function, case, arrays))
    send(encode_json({"type": "done"}))


def load_function(source: str, name: str, params: list[str]) -> tuple[Callable[..., Any] | None, dict[str, Any] | None]:
    """Execute the submission and find its function, or describe why that failed."""
    try:
        code = compile(source, SUBMISSION_FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return None, {"kind": "syntax", "message": str(exc.msg), "line": exc.lineno, "column": exc.offset}
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, {"kind": "syntax", "message": f"{type(exc).__name__}: {exc}"[:200], "line": None, "column": None}
    linecache.cache[SUBMISSION_FILENAME] = (len(source), None, source.splitlines(True), SUBMISSION_FILENAME)
    namespace: dict[str, Any] = {"__name__": "submission", "__builtins__": builtins}
    try:
        exec(code, namespace)
    except BaseException as exc:  # the student's failure is data, whatever it raised
        return None, {"kind": "exception", "phase": "load", **describe_exception(exc)}
    function = namespace.get(name)
    if function is None:
        return None, {"kind": "missing"}
    if not callable(function):
        return None, {"kind": "not_callable", "got": _type_name(function)}
    try:
        inspect.signature(function).bind(*params)
    except TypeError:
        return None, {"kind": "signature", "got": _signature(function)}
    except ValueError:
        pass  # builtins without a signature: calling them will tell
    return function, None


def run_case(function: Callable[..., Any], case: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """Call the function on one case and encode its answer slot by slot, and the arguments it changed."""
    args = case_arguments(case, arrays)
    items = [tuple(arg) if isinstance(arg, list) else () for arg in args]
    try:
        with np.errstate(all="ignore"):
            answer = function(*args)
    except BaseException as exc:  # the student's failure is data, whatever it raised
        return encode_json({"type": "case", "name": case["name"], "status": "exception", **describe_exception(exc)})
    slots: list[dict[str, Any]] = []
    blobs: list[bytes] = []
    for path in case["paths"]:
        try:
            value = np.asarray(extract(answer, tuple(path)))
            if value.dtype.kind not in NUMERIC_KINDS:
                raise Unreadable({"problem": "not_numeric", "got": str(value.dtype)})
            blobs.append(npy_bytes(value))
            slots.append({"array": len(blobs) - 1})
        except Unreadable as exc:
            slots.append(exc.args[0])
        except BaseException as exc:  # a lying __array__, __len__ or __getitem__
            slots.append({"problem": "unconvertible", "got": type(exc).__name__})
    head = {"type": "case", "name": case["name"], "status": "ok", "slots": slots}
    mutated = changed_arguments(case, arrays, args, items)
    if mutated:
        head["mutated"] = mutated
    return encode_json(head, blobs)


def changed_arguments(case: dict[str, Any], arrays: dict[str, np.ndarray], args: list[Any],
                      items: list[tuple[Any, ...]]) -> list[str]:
    """The names of the arguments the call changed in place, in the order of the parameters.

    The job's arrays are read-only views of the job's bytes, so they still hold what each
    argument was given: an array argument is unchanged when its shape, dtype and bytes are
    (NaN-aware, -0.0 told from 0.0), a list argument when it holds the same array objects as
    before the call (``items``), each unchanged. Checked after the answer is encoded, so
    whatever converting the answer ran is checked too. Only honest mistakes are caught here:
    code in this process could hide a change, and nothing decided here makes an answer right.
    """
    changed = []
    for arg, value, before in zip(case["args"], args, items, strict=True):
        key = f"{case['index']}.{arg['name']}"
        if arg["kind"] == "array":
            same = _same_array(value, arrays[key])
        elif arg["kind"] == "list":
            same = (len(value) == len(before) and all(a is b for a, b in zip(value, before, strict=True))
                    and all(_same_array(a, arrays[f"{key}.{j}"]) for j, a in enumerate(before)))
        else:
            same = True  # a Python float or str cannot be changed in place
        if not same:
            changed.append(arg["name"])
    return changed


def _same_array(value: np.ndarray, original: np.ndarray) -> bool:
    return (value.shape == original.shape and value.dtype == original.dtype
            and value.tobytes() == original.tobytes())


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """The exception's type and the traceback lines of the student's own frames only.

    ``known`` names the class only when it is Python's or numpy's own (see known_exception_name)
    and ``line`` is the line of the student's file the exception left from: the two facts about
    it that its message and type name, which the student's code writes, cannot forge.
    """
    line = None
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SUBMISSION_FILENAME]
        line = frames[-1].lineno if frames else None
        lines = traceback.format_list(frames)
        lines += traceback.format_exception_only(type(exc), exc)
        text = "Traceback (most recent call last):\n" + "".join(lines) if frames else "".join(lines)
    except BaseException:
        text = "an exception that could not be described"
    return {"exception": _type_name_of(type(exc)), "traceback": text[-TRACEBACK_CHARS:],
            "known": known_exception_name(type(exc)), "line": line}


def known_exception_name(kind: type) -> str | None:
    """The class's name if it is the very class builtins or numpy holds under that name, else None.

    By identity, not by name: a class the student makes and calls ValueError is not ValueError.
    """
    try:
        name = kind.__name__
        modules = (builtins, np, np.linalg, getattr(np, "exceptions", None))
        return name if any(getattr(module, name, None) is kind for module in modules if module) else None
    except BaseException:
        return None


def _signature(function: Callable[..., Any]) -> str:
    try:
        return f"{getattr(function, '__name__', '?')}{inspect.signature(function)}"[:200]
    except (TypeError, ValueError):
        return "?"


def _type_name(value: Any) -> str:
    return _type_name_of(type(value))


def _type_name_of(kind: type) -> str:
    try:
        return str(kind.__name__)[:60]
    except BaseException:
        return "?"


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main() -> None:
    """Entry point of a fresh interpreter: the job on stdin, the channel's fd in argv."""
    job = sys.stdin.buffer.read()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    channel = int(sys.argv[1])
    run_job(job, lambda blob: write_all(channel, blob))
    os.close(channel)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
