"""Submitting from Python, a notebook above all: a function (its source and what it uses) or a file."""

from __future__ import annotations

import ast
import dis
import inspect
import textwrap
import types
from collections.abc import Callable, Iterator
from os import PathLike
from pathlib import Path
from typing import Any

from rich.console import Console

from gradegrad_client.cli import ServiceError, load_config, send, wait_for
from gradegrad_client.render import render_report


class UnsendableFunction(ValueError):
    """A function whose source cannot be rebuilt outside this Python session."""


def submit(exercise: str, answer: Callable[..., Any] | str | PathLike[str], *, timeout: float = 300.0,
           show: bool = True) -> dict[str, Any]:
    """Submit ``answer`` for ``exercise``, wait for the grade and return the result (as ``submit --json``).

    answer: the function itself (its source is sent, with the imports, helper functions and
    constants it uses from its module or notebook), or the path of a .py or .ipynb file.
    show: print the feedback as ``gradegrad submit`` does.
    Sign in first with ``gradegrad login`` (or set GRADEGRAD_SERVER and GRADEGRAD_TOKEN).
    """
    config = load_config()
    if callable(answer):
        filename, content = f"{exercise}.py", function_source(answer).encode()
    else:
        path = Path(answer)
        if not path.is_file():
            raise ServiceError(f"{path} is not a file: pass the function itself or the path of a .py or .ipynb file")
        filename, content = path.name, path.read_bytes()
    result = wait_for(send(exercise, filename, content, config), config, timeout)
    if show:
        render_report(result, Console())
    return result


def function_source(function: Callable[..., Any]) -> str:
    """A module that defines ``function`` as it is defined here: the imports of the modules it uses,
    the source of the functions and classes it calls from its own module (and of theirs), and the
    literal constants it reads, then its own source."""
    if not isinstance(function, types.FunctionType):
        raise UnsendableFunction(f"{function!r} is not a Python function: pass the path of your file instead")
    imports: dict[str, str] = {}
    definitions: dict[str, str] = {}
    constants: dict[str, str] = {}
    pending: list[types.FunctionType] = [function]
    seen: set[str] = set()
    while pending:
        current = pending.pop()
        for name in sorted(global_names(current.__code__) - seen):
            seen.add(name)
            if name not in current.__globals__:
                continue  # a builtin, or a name the function defines before use
            value = current.__globals__[name]
            if isinstance(value, types.ModuleType):
                imports[name] = (f"import {value.__name__}" if value.__name__ == name
                                 else f"import {value.__name__} as {name}")
            elif isinstance(value, types.FunctionType | type) and value.__module__ == function.__module__:
                definitions[name] = source_of(value)
                if isinstance(value, types.FunctionType):
                    pending.append(value)
            elif callable(value) and getattr(value, "__name__", None) and getattr(value, "__module__", None):
                imports[name] = f"from {value.__module__} import {value.__name__}" + (
                    f" as {name}" if value.__name__ != name else "")
            elif is_literal(value):
                constants[name] = f"{name} = {value!r}"
            else:
                raise UnsendableFunction(
                    f"{function.__name__} uses the global '{name}' (a {type(value).__name__}), which cannot be sent: "
                    "define it inside the function, or submit your file")
    parts = ["\n".join(sorted(imports.values())), "\n".join(constants.values()),
             *(definitions[name] for name in sorted(definitions)), source_of(function)]
    return "\n\n\n".join(part for part in parts if part) + "\n"


def global_names(code: types.CodeType) -> set[str]:
    """The global names a function's code (nested functions and comprehensions included) may read."""
    def walk(current: types.CodeType) -> Iterator[str]:
        yield from (op.argval for op in dis.get_instructions(current) if op.opname in ("LOAD_GLOBAL", "LOAD_NAME"))
        for constant in current.co_consts:
            if isinstance(constant, types.CodeType):
                yield from walk(constant)
    return set(walk(code))


def source_of(definition: Callable[..., Any] | type) -> str:
    try:
        return textwrap.dedent(inspect.getsource(definition)).rstrip()
    except (OSError, TypeError):
        raise UnsendableFunction(f"the source of {definition.__name__} cannot be found "
                                 "(defined in an interactive prompt?): submit your file instead") from None


def is_literal(value: object) -> bool:
    """A value whose repr is a Python literal that reads back equal (numbers, text, tuples of them...)."""
    try:
        return bool(ast.literal_eval(repr(value)) == value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
