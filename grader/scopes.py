"""Which module-level names a top-level statement binds and reads, now and when its functions run.

Python's own scoping rules, walked on the tree: a function's parameters and the names it
assigns are its own, a ``global`` or ``nonlocal`` name is not, a class body's names are not
seen by its methods, a comprehension has its own targets. What is left over at module level is
what the statement depends on. ``symtable`` knows the same rules but cannot say which of a
statement's names are read when it runs and which only when its functions are called.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class Names:
    """What one scope does with names.

    bound: assigned, defined or imported here; loaded: read while this scope runs; deferred: read
    by functions defined here, when they are called; declared: named by ``global`` or ``nonlocal``.
    """

    bound: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    declared: set[str] = field(default_factory=set)

    def free(self) -> set[str]:
        """The names a function with these names takes from outside it."""
        return (self.loaded | self.deferred | self.declared) - (self.bound - self.declared)


def statement_names(node: ast.stmt) -> Names:
    """The names a top-level statement binds, reads as it runs (``loaded``) and reads later (``deferred``).

    An assignment to ``x[i]`` or ``x.a`` counts as binding ``x`` as well as reading it: it changes ``x``.
    """
    names = _Walker().scope([node])
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    else:
        targets = []
    for target in targets:
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
        if isinstance(target, ast.Name):
            names.bound.add(target.id)
    return names


class _Walker(ast.NodeVisitor):
    """Collects one scope's Names; a nested scope is walked by a walker of its own."""

    def __init__(self) -> None:
        self.names = Names()

    def scope(self, nodes: list[ast.AST]) -> Names:
        for node in nodes:
            self.visit(node)
        return self.names

    def visit_Constant(self, node: ast.Constant) -> None:
        """Nothing to find; and NodeVisitor's own visit_Constant looks for methods of old node types, slowly."""

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.names.loaded.add(node.id)
        elif isinstance(node.ctx, ast.Store):
            self.names.bound.add(node.id)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.names.loaded.add(node.target.id)  # x += 1 reads x first
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.names.declared.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.names.declared.update(node.names)

    def visit_alias(self, node: ast.alias) -> None:
        if node.name != "*":
            self.names.bound.add(node.asname or node.name.partition(".")[0])

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.names.bound.add(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.names.bound.add(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.names.bound.add(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.names.bound.add(node.rest)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        """Decorators, defaults and annotations run here; the body runs when the function is called."""
        if not isinstance(node, ast.Lambda):
            self.names.bound.add(node.name)
            self.scope([*node.decorator_list, *([node.returns] if node.returns else [])])
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                 *filter(None, [arguments.vararg, arguments.kwarg])]
        self.scope([*arguments.defaults, *filter(None, arguments.kw_defaults),
                    *(a.annotation for a in every if a.annotation)])
        inner = _Walker()
        inner.names.bound.update(a.arg for a in every)
        body = node.body if isinstance(node.body, list) else [node.body]
        self.names.deferred |= inner.scope(list(body)).free()

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """The class body runs here, and its names are not seen by its methods."""
        self.names.bound.add(node.name)
        self.scope([*node.decorator_list, *node.bases, *node.keywords])
        body = _Walker().scope(list(node.body))
        self.names.loaded |= (body.loaded | body.declared) - (body.bound - body.declared)
        self.names.deferred |= body.deferred

    def visit_comprehension_scope(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        """The first iterable is read here; the rest runs in the comprehension's own scope, right away."""
        first, *others = node.generators
        self.visit(first.iter)
        inner = _Walker()
        inner.scope([first.target, *first.ifs])
        for generator in others:
            inner.scope([generator.iter, generator.target, *generator.ifs])
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        names = inner.scope(list(parts))
        self.names.loaded |= names.loaded - names.bound
        self.names.deferred |= names.deferred - names.bound

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_comprehension_scope
