"""Keep what defines the graded function, skip the rest of a notebook or a file, and say why.

A homework notebook plots, trains, shows tables, reads files and checks itself with asserts.
Run from top to bottom when it is graded, any of those can fail the whole submission (a module
the jail does not have, a missing file, a failing self-check) or spend its time limit (a
training loop). So only what the graded function needs is run: imports of the modules the jail
has (numpy and the standard library), and the definitions (functions, classes, assignments) the
function refers to, directly or through one another. Every other top-level statement is skipped,
commented out at its place in the graded program, and named in a note with its cell, its line
and the reason ("cell 7, line 2: skipped, it calls plt.plot").

This parses untrusted code: run it only through ``grader.submission.read_submission``, in the
limited child.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass

from grader.sandbox.imports import importable
from grader.scopes import Names, statement_names

TOO_COMPLEX = "the source is too complex to parse"
MAX_NOTES = 30  # a notebook of 6000 cells would otherwise write a report as long as itself
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AugAssign, ast.AnnAssign)


class Ungradable(ValueError):
    """Nothing in the upload can be graded; the message says why, for the student."""


@dataclass(frozen=True)
class Part:
    """A piece of an upload analysed on its own: a notebook's code cell, or a whole ``.py`` file.

    cell: the cell's number in the notebook (None for a file). commands: the numbers of its lines
    that are IPython commands, not Python (``%matplotlib inline``). cell_magic: the cell starts
    with one (``%%time``), which makes all of it something other than Python.
    """

    cell: int | None
    code: str
    commands: frozenset[int] = frozenset()
    cell_magic: bool = False

    def where(self, first: int | None = None, last: int | None = None) -> str:
        """"cell 4, line 3", "lines 3-5", "cell 4"."""
        lines = None if first is None else f"line {first}" if last in (None, first) else f"lines {first}-{last}"
        if self.cell is None:
            return lines or "the file"
        return f"cell {self.cell}" + (f", {lines}" if lines else "")


@dataclass(frozen=True)
class Program:
    """The code to grade and the notes on what of the upload was skipped, and why."""

    source: str
    notes: tuple[str, ...] = ()


@dataclass(eq=False)
class Statement:
    """A top-level statement of a part, what it does with names, and what became of it.

    first, last: its lines in the part, its decorators included.
    """

    part: Part
    node: ast.stmt
    names: Names
    kind: str  # "import", "guarded" (imports in a try ... except ImportError), "definition", "inert", "other"
    first: int
    last: int
    kept: bool = False
    reason: str = ""
    note: str = ""  # said of a kept statement (a guarded import that will fail, say)

    @classmethod
    def of(cls, part: Part, node: ast.stmt) -> Statement:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        return cls(part, node, statement_names(node), kind_of(node), first, node.end_lineno or node.lineno)


def graded_program(parts: list[Part], function: str) -> Program:
    """The program that defines ``function`` from ``parts`` in order, or Ungradable when none does."""
    trees = [parse(part) for part in parts]
    own = [[Statement.of(part, node) for node in tree.body]
           if isinstance(tree, ast.Module) else [] for part, tree in zip(parts, trees, strict=True)]
    statements = [s for statements_of_part in own for s in statements_of_part]
    definitions = [s for s in statements if s.kind == "definition" and function in bound_directly(s.node)]
    if not definitions:
        broken = [syntax_error(part, error) for part, error in zip(parts, trees, strict=True)
                  if isinstance(error, SyntaxError)]
        nothing = ("no code cell of this notebook defines a" if parts and parts[0].cell is not None
                   else "the file defines no")
        raise Ungradable(f"{nothing} function named '{function}'" + (f" ({'; '.join(broken[:3])})" if broken else ""))
    graded = definitions[-1]
    for earlier in definitions[:-1]:
        earlier.reason = (f"`{function}` is defined again {in_place(graded)}; that one is graded, as a run "
                          "from top to bottom would leave it")
    keep_what_is_needed(statements, function)
    explain_skipped(statements, function)
    notes = [note for part, tree, mine in zip(parts, trees, own, strict=True) for note in part_notes(part, tree, mine)]
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES - 1:] = [f"... and {len(notes) - MAX_NOTES + 1} more notes on skipped code"]
    return Program(program_text(parts, trees, own), tuple(notes))


IMPORT_LINE = re.compile(r"import ([\w.]+(?: as \w+)?(?:, [\w.]+(?: as \w+)?)*)\s*(?:#.*)?|from ([\w.]+) import .*")
DEFINITION_LINE = re.compile(r"(?:async )?def \w+\(.*|@.*")


def nothing_to_skip(code: str, function: str) -> bool:
    """Whether a file certainly has nothing to skip, seen without parsing it: each line that can start a
    top-level statement (any line that begins in column 0) imports modules the jail has, starts a
    ``def`` or is a decorator, no such line holds a ";", and ``function`` is defined once.

    Reading a file in the limited child costs the web a fork, as much CPU as a grading; the usual
    editor submission, some imports and functions, needs none. Any other line sends the file to
    graded_program, so a line this misreads (one inside a string, say) only costs that fork.
    """
    defined = 0
    for line in split_lines(code):
        if not line.strip() or line[0] in " \t#":
            continue
        if ";" in line:
            return False
        if imported := IMPORT_LINE.fullmatch(line):
            modules = [name.split(" as ")[0] for name in (imported[1] or imported[2]).split(", ")]
            if not all(importable(module) for module in modules):
                return False
        elif DEFINITION_LINE.fullmatch(line):
            defined += line.startswith((f"def {function}(", f"async def {function}("))
        else:
            return False
    return defined == 1


def parse(part: Part) -> ast.Module | SyntaxError:
    """The part's tree (its IPython commands as blank lines), or the SyntaxError that stops it.

    Ungradable when parsing it overflows (CPython's parser raises RecursionError or MemoryError).
    """
    if part.cell_magic:
        return SyntaxError("a cell magic")
    code = "\n".join("" if number in part.commands else line for number, line in enumerate(split_lines(part.code), 1))
    try:
        return ast.parse(code)
    except SyntaxError as exc:
        return exc
    except ValueError as exc:  # a NUL character, on Python 3.11
        return SyntaxError(str(exc))
    except RecursionError as exc:
        raise Ungradable(f"{TOO_COMPLEX}: {part.where()} nests too deeply (RecursionError: {exc})") from None
    except MemoryError:
        raise Ungradable(f"{TOO_COMPLEX}: {part.where()} nests too deeply or needs too much memory "
                         "(MemoryError)") from None


def split_lines(code: str) -> list[str]:
    """The lines of ``code`` as the parser numbers them."""
    return code.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def syntax_error(part: Part, error: SyntaxError) -> str:
    """"cell 4, line 3: SyntaxError: invalid syntax"."""
    if part.cell_magic:
        return f"{part.where()}: `{part.code.lstrip().splitlines()[0][:60]}` makes it an IPython cell magic, not Python"
    return f"{part.where(error.lineno)}: SyntaxError: {error.msg}"


def kind_of(node: ast.stmt) -> str:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    if guarded_imports(node):
        return "guarded"
    if isinstance(node, DEFINITIONS):
        return "definition"
    if isinstance(node, ast.Pass) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        return "inert"  # a docstring, `...`: nothing to skip
    return "other"


def guarded_imports(node: ast.stmt) -> bool:
    """Whether ``node`` is ``try: import x ... except ImportError: ...``: it runs whether x is there or not."""
    if not isinstance(node, ast.Try) or not node.handlers:
        return False
    caught = []
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        caught += [kind.id if isinstance(kind, ast.Name) else "BaseException" if kind is None else "" for kind in kinds]
    return (all(isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass)) for s in node.body)
            and all(name in IMPORT_ERRORS for name in caught))


def missing_imports(node: ast.stmt) -> list[str]:
    """The imports of ``node`` (an import, or the body of a guarded one) the jail does not have, as written."""
    missing = []
    for statement in node.body if isinstance(node, ast.Try) else [node]:
        if isinstance(statement, ast.Import):
            missing += [f"import {alias.name}" for alias in statement.names if not importable(alias.name)]
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            if statement.level or not importable(module):
                names = ", ".join(alias.name for alias in statement.names[:3])
                missing.append(f"from {module} import {names}" + (", ..." if len(statement.names) > 3 else ""))
    return missing


def keep_what_is_needed(statements: list[Statement], function: str) -> None:
    """Keep the imports the jail has and, from ``function`` on, every definition of a name kept code uses.

    A definition is kept in its place, so code that runs when it is defined (a default value, a
    decorator, an assignment's right side) sees what a run from top to bottom would. One that
    would read, as it runs, a name only an unavailable import binds is skipped instead.
    """
    binders: dict[str, list[Statement]] = defaultdict(list)
    unavailable: dict[str, str] = {}
    for s in statements:
        if s.kind == "import" and (missing := missing_imports(s.node)):
            s.reason = f"`{missing[0]}` is not available at grading time"
            unavailable.update(dict.fromkeys(s.names.bound, missing[0]))
            continue
        if s.kind in ("import", "guarded", "inert"):
            s.kept = True
            if s.kind == "guarded" and (missing := missing_imports(s.node)):
                s.note = f"`{missing[0]}` is not available at grading time, so its `except ImportError` branch runs"
        for name in s.names.bound:
            binders[name].append(s)
    for name in [name for name in unavailable if any(b.kept or b.kind == "definition" for b in binders[name])]:
        del unavailable[name]
    needed, waiting = {function}, [function]
    for s in statements:
        if s.kept:
            waiting += s.names.loaded | s.names.deferred
    while waiting:
        name = waiting.pop()
        for s in binders.get(name, []):
            if s.kept or s.kind != "definition" or s.reason:
                continue
            blocked = sorted(s.names.loaded & unavailable.keys())
            if blocked:
                s.reason = f"it uses `{blocked[0]}`, and `{unavailable[blocked[0]]}` is not available at grading time"
                continue
            s.kept = True
            for used in s.names.loaded | s.names.deferred:
                if used not in needed:
                    needed.add(used)
                    waiting.append(used)
    for s in statements:
        if s.kept or s.reason:
            continue
        unset = sorted(name for name in s.names.bound & needed if not any(b.kept for b in binders[name]))
        if unset:
            s.note = f"so `{unset[0]}`, which the graded code uses, is not defined"


def explain_skipped(statements: list[Statement], function: str) -> None:
    """The reason of each skipped statement that has none yet."""
    for s in statements:
        if s.kept or s.reason:
            continue
        node = s.node
        if s.kind == "definition":
            named = [n for n in defined_names(node) if n in s.names.bound]
            s.reason = (f"`{named[0]}` is not used by `{function}`" if named
                        else f"it defines nothing `{function}` uses")
        elif is_main_block(node):
            s.reason = 'it runs only when the file is run as a script (`if __name__ == "__main__":`)'
        elif isinstance(node, ast.Assert):
            s.reason = "it is a self-check `assert`"
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            call = next(filter(None, map(first_call, node.body)), None) or first_call(node)  # what it repeats
            s.reason = "it is a loop" + (f" (it calls {call})" if call else "")
        elif call := first_call(node):
            s.reason = f"it calls {call}"
        elif isinstance(node, ast.Expr):
            s.reason = "it only shows a value"
        else:
            s.reason = f"it defines nothing `{function}` uses"
        if s.note:
            s.reason, s.note = f"{s.reason}, {s.note}", ""


def defined_names(node: ast.stmt) -> list[str]:
    """The names a definition binds, in the order they are written."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    names = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif target is not None:
            names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    return names


def bound_directly(node: ast.stmt) -> list[str]:
    """The names a definition binds as a whole: ``f`` for ``def f`` or ``f = ...``, not for ``f.cache = {}``."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    targets = list(node.targets) if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    names = []
    while targets:
        target = targets.pop()
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            targets += target.elts
        elif isinstance(target, ast.Starred):
            targets.append(target.value)
    return names


def first_call(node: ast.AST) -> str | None:
    """The first function a statement calls, as written ("plt.plot"), or None if it calls none."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            return dotted(inner.func) or "a function"
    return None


def dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def is_main_block(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare) or len(node.test.comparators) != 1:
        return False
    sides = [node.test.left, node.test.comparators[0]]
    return (isinstance(node.test.ops[0], ast.Eq) and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def in_place(s: Statement) -> str:
    return f"in {s.part.where()}" if s.part.cell is not None else f"at line {s.first}"


def part_notes(part: Part, tree: ast.Module | SyntaxError, statements: list[Statement]) -> list[str]:
    """The notes on one part, in the order of its lines; a cell skipped whole for one reason gets one note."""
    if isinstance(tree, SyntaxError):
        return [f"{syntax_error(part, tree)}; the cell is skipped"]  # a file that does not parse is graded as it is
    lines = split_lines(part.code)
    notes = [(number, f"{part.where(number)}: skipped, `{lines[number - 1].strip()[:60]}` is an IPython command, "
                      "not Python") for number in sorted(part.commands)]
    skipped = [s for s in statements if not s.kept]
    reasons = {s.reason for s in skipped}
    if part.cell is not None and skipped and len(skipped) == len(statements) and len(reasons) == 1 \
            and not part.commands:
        return [f"{part.where()}: skipped, {reasons.pop()}"]
    notes += [(s.first, f"{part.where(s.first, s.last)}: skipped, {s.reason}") for s in skipped]
    notes += [(s.first, f"{part.where(s.first, s.last)}: {s.note}") for s in statements if s.kept and s.note]
    return [note for _, note in sorted(notes, key=lambda pair: pair[0])]


def program_text(parts: list[Part], trees: list[ast.Module | SyntaxError], own: list[list[Statement]]) -> str:
    """Each part's lines in place, what is skipped commented out: a line of the program is the same line of
    the file (of its cell, under a "# cell N" line, for a notebook)."""
    texts = []
    for part, tree, statements in zip(parts, trees, own, strict=True):
        lines = split_lines(part.code)
        if isinstance(tree, SyntaxError):
            body = [comment(line) for line in lines]
        else:
            body = ["" if n in part.commands else line for n, line in enumerate(lines, 1)]
            for number in part.commands:
                body[number - 1] = comment(lines[number - 1])
            for group in line_groups(statements):
                first, last = group[0].first, max(s.last for s in group)
                body[first - 1:last] = group_lines(part, lines[first - 1:last], group)
        texts.append("\n".join(body) if part.cell is None else f"# cell {part.cell}\n" + "\n".join(body).rstrip("\n"))
    return "\n\n".join(texts) + ("" if len(parts) == 1 and parts[0].cell is None else "\n")


def line_groups(statements: list[Statement]) -> list[list[Statement]]:
    """The statements grouped by the lines they share (``x = 1; plt.plot(x)`` is one group)."""
    groups: list[list[Statement]] = []
    end = 0
    for s in statements:
        if groups and s.first <= end:
            groups[-1].append(s)
        else:
            groups.append([s])
        end = max(end, s.last)
    return groups


def group_lines(part: Part, lines: list[str], group: list[Statement]) -> list[str]:
    """The lines of one group: as written if all of it is kept, commented out if none is; else the kept
    statements joined on the group's first line and the rest commented out, as many lines as before."""
    if all(s.kept for s in group):
        return lines
    if not any(s.kept for s in group):
        return [comment(line) for line in lines]
    code = "\n".join(split_lines(part.code))
    kept = "; ".join(ast.get_source_segment(code, s.node) or "" for s in group if s.kept).split("\n")
    return kept + [comment(line) for line in lines[len(kept):]]


def comment(line: str) -> str:
    return f"# {line}" if line.strip() else line
