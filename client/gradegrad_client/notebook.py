"""Submitting from Python, a notebook above all: a function (its source and what it uses) or a file."""

from __future__ import annotations
import __future__

import ast
import dis
import graphlib
import inspect
import keyword
import textwrap
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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

    answer: the function itself (its source is sent, with the imports, helper functions, classes
    and constants it uses from its module or notebook: see ``function_source``), or the path of
    a .py or .ipynb file. A function that cannot be sent raises UnsendableFunction before
    anything is sent, so it costs no attempt.
    show: print the feedback as ``gradegrad submit`` does.
    Sign in first with ``gradegrad login`` (or set GRADEGRAD_SERVER and GRADEGRAD_TOKEN).
    """
    if callable(answer):
        filename, content = f"{exercise}.py", function_source(answer, exercise).encode()
    else:
        path = Path(answer)
        if not path.is_file():
            raise ServiceError(f"{path} is not a file: pass the function itself or the path of a .py or .ipynb file")
        filename, content = path.name, path.read_bytes()
    config = load_config()
    result = wait_for(send(exercise, filename, content, config), config, timeout)
    if show:
        render_report(result, Console())
    return result


def function_source(function: Callable[..., Any], exercise: str | None = None) -> str:
    """A module that defines ``function`` as it is defined here: the imports of the modules it uses,
    the source of the functions and classes it uses from its own module (and of theirs), and the
    literal constants it reads, then its own source; then, when ``exercise`` names it otherwise, an
    alias line (``exercise = function``) so that the server finds it by the exercise's name.

    What a ``def`` or ``class`` statement itself reads (decorators, default values, annotations, base
    classes) is sent too, and what they define comes before what needs it. A closure, a function
    defined inside another one and a lambda written inside an expression are refused before anything
    is sent: their source alone does not rebuild them.
    """
    target = inspect.unwrap(function)
    if not isinstance(target, types.FunctionType):
        raise UnsendableFunction(f"{function!r} is not a Python function: pass the path of your file instead")
    namespace = target.__globals__
    postponed = bool(target.__code__.co_flags & __future__.annotations.compiler_flag)
    name = exercise if exercise and exercise.isidentifier() and not keyword.iskeyword(exercise) else None
    answer = describe(target, name, postponed)
    imports: dict[str, str] = {}
    constants: dict[str, str] = {}
    definitions: dict[str, Definition] = {}
    pending, seen = [answer], set[str]()
    while pending:
        current = pending.pop()
        for global_name in sorted((current.needs | current.reads) - seen):
            seen.add(global_name)
            if global_name not in namespace:
                continue  # a builtin, or a name the code defines before use
            value = namespace[global_name]
            unwrapped = inspect.unwrap(value) if callable(value) else value
            if unwrapped is target:
                continue  # it comes last
            if isinstance(value, types.ModuleType):
                imports[global_name] = (f"import {value.__name__}" if value.__name__ == global_name
                                        else f"import {value.__name__} as {global_name}")
            elif isinstance(unwrapped, types.FunctionType | type) and unwrapped.__module__ == target.__module__:
                definitions[global_name] = describe(unwrapped, global_name, postponed)
                pending.append(definitions[global_name])
            elif (callable(value) and getattr(value, "__name__", None) and getattr(value, "__module__", None)
                  and value.__module__ != target.__module__):
                imports[global_name] = f"from {value.__module__} import {value.__name__}" + (
                    f" as {global_name}" if value.__name__ != global_name else "")
            elif is_literal(value):
                constants[global_name] = f"{global_name} = {value!r}"
            else:
                raise UnsendableFunction(
                    f"{answer.defines} uses the global '{global_name}' (a {type(value).__name__}), which cannot be "
                    "sent: define it inside the function, or submit your file")
    if name and name != answer.defines and name in imports | constants | definitions:
        raise UnsendableFunction(f"{answer.defines} uses a global named '{name}', the exercise's own name: "
                                 f"rename that global, or name your function {name}")
    parts = ["from __future__ import annotations" if postponed else "", "\n".join(sorted(imports.values())),
             "\n".join(constants.values()), *(definitions[key].source for key in definition_order(definitions)),
             answer.source]
    return "\n\n\n".join(part for part in parts if part) + "\n"


@dataclass(frozen=True)
class Definition:
    """A function or class of the student's module as it is sent, and the global names it reads."""

    source: str  # its source, then an alias line when it is used under another name than it is defined with
    defines: str  # the name its own source defines
    needs: frozenset[str]  # read when the definition runs: decorators, default values, annotations, base classes
    reads: frozenset[str]  # read when its functions are called


def describe(value: types.FunctionType | type, name: str | None, postponed: bool) -> Definition:
    """``value``'s Definition; ``name``: the name it must have in the module sent (None: its own)."""
    if isinstance(value, type):
        source, defines = source_of(value), value.__name__
        reads = set().union(*(global_names(method.__code__) for method in class_functions(value)))
    else:
        check_top_level(value)
        source, defines = function_text(value)
        reads = global_names(value.__code__)
    needs = definition_names(ast.parse(source), postponed)
    if name and name != defines:
        source += f"\n\n{name} = {defines}"
    return Definition(source, defines, frozenset(needs), frozenset(reads))


def check_top_level(function: types.FunctionType) -> None:
    """Refuse a function whose source alone does not rebuild it: a closure, or one defined inside another."""
    label = "the lambda" if function.__name__ == "<lambda>" else function.__name__
    if free := ", ".join(function.__code__.co_freevars):
        raise UnsendableFunction(
            f"{label} uses {free} from the function that made it (a closure), which cannot be sent: "
            f"define {label} at the top level of your notebook or module, with {free} as arguments or globals")
    if function.__qualname__ != function.__name__:
        outer = function.__qualname__.removesuffix(f".{function.__name__}").removesuffix(".<locals>")
        raise UnsendableFunction(f"{label} is defined inside {outer}, so it cannot be sent alone: "
                                 "define it at the top level of your notebook or module")


LAMBDA_REFUSED = ("A lambda can be sent only when it is assigned to a name on a line of its own "
                  "(`f = lambda x: ...`): define your function with def instead, and submit it")


def function_text(function: types.FunctionType) -> tuple[str, str]:
    """A function's source and the name it defines. A lambda's source is the whole line that holds it, so it
    is sent only when that line is nothing but ``name = lambda ...``."""
    source = source_of(function)
    if function.__name__ != "<lambda>":
        return source, function.__name__
    try:
        statements = ast.parse(source).body
    except SyntaxError:
        raise UnsendableFunction(LAMBDA_REFUSED) from None
    match statements:
        case [ast.Assign(targets=[ast.Name(id=defines)], value=ast.Lambda())] if sum(
                isinstance(node, ast.Lambda) for node in ast.walk(statements[0])) == 1:
            return source, defines
    raise UnsendableFunction(LAMBDA_REFUSED)


def definition_names(tree: ast.AST, postponed: bool) -> set[str]:
    """The names a def, class or assignment statement reads when it runs: its decorators, default values,
    base classes, a class's body and, unless ``from __future__ import annotations`` postpones them, its
    annotations; not what its functions read when called."""
    skipped = {"annotation", "returns"} if postponed else set()
    names, nodes = set(), [tree]
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)
        for field, value in ast.iter_fields(node):
            if field in skipped or (field == "body" and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef
                                                                   | ast.Lambda)):
                continue
            nodes.extend(child for child in (value if isinstance(value, list) else [value])
                         if isinstance(child, ast.AST))
    return names


def class_functions(cls: type) -> Iterator[types.FunctionType]:
    """The functions of a class's body: methods, static and class methods, properties, and those of nested classes."""
    for member in vars(cls).values():
        if isinstance(member, staticmethod | classmethod):
            member = member.__func__
        if isinstance(member, property):
            yield from (part for part in (member.fget, member.fset, member.fdel)
                        if isinstance(part, types.FunctionType))
        elif isinstance(member, type) and member.__qualname__.startswith(f"{cls.__qualname__}."):
            yield from class_functions(member)
        elif isinstance(member := inspect.unwrap(member) if callable(member) else member, types.FunctionType):
            yield member


def definition_order(definitions: dict[str, Definition]) -> list[str]:
    """The definitions' names, each after those its definition reads (a base class, a decorator...), else by name."""
    order = graphlib.TopologicalSorter({key: sorted(definition.needs & (definitions.keys() - {key}))
                                        for key, definition in sorted(definitions.items())})
    order.prepare()
    names: list[str] = []
    while order.is_active():
        ready = sorted(order.get_ready())
        names += ready
        order.done(*ready)
    return names


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
