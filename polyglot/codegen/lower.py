"""Lowering: expression forms a target lacks become statements with temporaries.

Go has no conditional expression, C and Zig no comprehensions, Lua's `c and a or b` is
wrong when `a` is false. A pack that leaves out `[comprehension]` or the `ifelse`
expression gets those nodes rewritten here into a few portable statements (declare,
assign, if, for, append), rendered by the pack's `[statements]` templates, and a `Name`
of kind "temp" standing for the result.

Evaluation order and short-circuits are kept: a part that is evaluated only sometimes
(the branches of `x if c else y`, the operands after the first of `and`/`or`, the
element and filters of a comprehension) has its statements placed inside the `if` or the
loop that guards it, never hoisted in front of it.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from polyglot.body import nodes as n
from polyglot.spec.types import BOOL, Type


@dataclass(frozen=True)
class Declare:
    name: str
    type: Type
    value: n.Expr | None  # None: declared without a value (assigned on every path below)


@dataclass(frozen=True)
class Assign:
    name: str
    value: n.Expr


@dataclass(frozen=True)
class If:
    cond: n.Expr
    then: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()


@dataclass(frozen=True)
class For:
    var: str          # the target name of the loop variable
    var_type: Type
    iter: n.Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class Append:
    list: str
    value: n.Expr
    type: Type        # the list's type


@dataclass(frozen=True)
class Return:
    value: n.Expr


Stmt = Declare | Assign | If | For | Append | Return


def expressions(stmts: Sequence[Stmt]) -> Iterator[n.Expr]:
    """Every expression of lowered statements, nested blocks included."""
    for s in stmts:
        if isinstance(s, If):
            yield s.cond
            yield from expressions(s.then + s.orelse)
        elif isinstance(s, For):
            yield s.iter
            yield from expressions(s.body)
        elif s.value is not None:
            yield s.value


def temp(name: str, t: Type) -> n.Name:
    """A reference to a temporary; `name` is already the target spelling."""
    return n.Name(t, 0, name, "temp")


@dataclass
class Lowerer:
    """Rewrites one body. What to lower is the pack's choice, given as two flags.

    Args:
        has_comprehension: the target renders comprehensions as expressions.
        has_ifelse: the target renders `x if c else y` as an expression.
        fresh: returns a new unique target name for a temporary, from a base word.
        local: the target name of a comprehension variable.
    """

    has_comprehension: bool
    has_ifelse: bool
    fresh: Callable[[str], str]
    local: Callable[[str], str]

    def body(self, expr: n.Expr) -> list[Stmt]:
        """The statements of a function body, ending in its `Return`."""
        if (self.has_comprehension and self.has_ifelse) or not self._lowers(expr, root=True):
            return [Return(expr)]
        stmts, value = self.lower(expr)
        return [*stmts, Return(value)]

    def _lowers(self, e: n.Expr, root: bool = False) -> bool:
        """Whether `e` (or, with root, anything under it) holds a node this target lowers."""
        return any((isinstance(x, n.Comprehension) and not self.has_comprehension)
                   or (isinstance(x, n.IfElse) and not self.has_ifelse)
                   for x in (n.walk(e) if root else list(n.walk(e))[1:]))

    def lower(self, e: n.Expr) -> tuple[list[Stmt], n.Expr]:
        method = getattr(self, "_" + type(e).__name__, None)
        return method(e) if method is not None else self._children(e)

    def _children(self, e: n.Expr) -> tuple[list[Stmt], n.Expr]:
        """Lower every child in evaluation order (all of them are always evaluated)."""
        stmts: list[Stmt] = []
        changes = {}
        for f in dataclasses.fields(e):
            value = getattr(e, f.name)
            if isinstance(value, n.Expr):
                s, value = self.lower(value)
                stmts += s
                changes[f.name] = value
            elif isinstance(value, tuple) and value and isinstance(value[0], n.Expr):
                parts = []
                for item in value:
                    s, item = self.lower(item)
                    stmts += s
                    parts.append(item)
                changes[f.name] = tuple(parts)
            elif isinstance(value, tuple) and value and isinstance(value[0], tuple):
                parts = []
                for key, item in value:  # RecordNew.fields
                    s, item = self.lower(item)
                    stmts += s
                    parts.append((key, item))
                changes[f.name] = tuple(parts)
        return stmts, (dataclasses.replace(e, **changes) if changes else e)

    def _IfElse(self, e: n.IfElse) -> tuple[list[Stmt], n.Expr]:
        s_test, test = self.lower(e.test)
        s_then, then = self.lower(e.then)
        s_else, orelse = self.lower(e.orelse)
        if self.has_ifelse and not s_then and not s_else:
            return s_test, dataclasses.replace(e, test=test, then=then, orelse=orelse)
        name = self.fresh("choice")
        return [*s_test, Declare(name, e.type, None),
                If(test, (*s_then, Assign(name, then)), (*s_else, Assign(name, orelse)))], temp(name, e.type)

    def _BoolOp(self, e: n.BoolOp) -> tuple[list[Stmt], n.Expr]:
        lowered = [self.lower(v) for v in e.values]
        if not any(s for s, _ in lowered[1:]):
            return lowered[0][0], dataclasses.replace(e, values=tuple(v for _, v in lowered))
        name = self.fresh("cond")
        acc = temp(name, BOOL)
        stmts: list[Stmt] = [*lowered[0][0], Declare(name, BOOL, lowered[0][1])]
        for s, v in lowered[1:]:
            guard = acc if e.op == "and" else n.Unary(BOOL, 0, "not", acc)
            stmts.append(If(guard, (*s, Assign(name, v))))
        return stmts, acc

    def _Comprehension(self, e: n.Comprehension) -> tuple[list[Stmt], n.Expr]:
        if self.has_comprehension and not self._needs_statements(e):
            return [], e
        name = self.fresh("items")
        return [Declare(name, e.type, n.ListLit(e.type, 0, ())),
                *self._loops(e, 0, name)], temp(name, e.type)

    def _loops(self, e: n.Comprehension, depth: int, out: str) -> list[Stmt]:
        if depth == len(e.generators):
            s, elt = self.lower(e.elt)
            return [*s, Append(out, elt, e.type)]
        gen = e.generators[depth]
        s_iter, it = self.lower(gen.iter)
        inner: list[Stmt] = self._loops(e, depth + 1, out)
        for cond in reversed(gen.conds):
            s_cond, c = self.lower(cond)
            inner = [*s_cond, If(c, tuple(inner))]
        return [*s_iter, For(self.local(gen.var), gen.var_type, it, tuple(inner))]

    def _needs_statements(self, e: n.Comprehension) -> bool:
        """Whether a part of `e` must become statements (then `e` must, too)."""
        return self._lowers(e)
