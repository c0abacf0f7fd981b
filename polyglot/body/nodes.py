"""Typed expression nodes: what the checker produces and every renderer consumes.

Each node carries its inferred `type` and its 1-based `col` in the body source, so the
renderers never guess (integer vs float division, string vs list `len`) and errors point
at the right place. The node set is deliberately small: each one must render in 20
languages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from polyglot.spec.types import Type


@dataclass(frozen=True)
class Expr:
    type: Type
    col: int


@dataclass(frozen=True)
class Literal(Expr):
    """Int, Float, Bool, String literal, or None (an empty Option of `type`)."""

    value: Any


@dataclass(frozen=True)
class Name(Expr):
    """A parameter, a constant, or a comprehension variable (`kind` says which)."""

    id: str
    kind: str  # "param" | "const" | "local"


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-" | "+" | "not"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """Arithmetic. `/` is always float division, `//` and `%` floor on Int (Python's rule)."""

    op: str  # + - * / // % **
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp(Expr):
    op: str  # "and" | "or"
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare(Expr):
    """One comparison; chains (`a < b < c`) arrive as BoolOp("and") of these."""

    op: str  # == != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Contains(Expr):
    """`item in container` over a List, a String (substring) or a Map (key)."""

    item: Expr
    container: Expr
    negated: bool = False


@dataclass(frozen=True)
class IsNone(Expr):
    operand: Expr
    negated: bool = False  # True for `is not None`


@dataclass(frozen=True)
class IfElse(Expr):
    test: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True)
class Call(Expr):
    """A builtin: len sum min max abs sorted reversed any all range str int float round."""

    func: str
    args: tuple[Expr, ...]
    reverse: bool = False  # sorted(..., reverse=True)


@dataclass(frozen=True)
class Method(Expr):
    """A string method: upper lower strip split join replace startswith endswith find count."""

    obj: Expr
    method: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Index(Expr):
    """`xs[i]` (List, String; negative counts from the end) or `m[k]` (Map)."""

    obj: Expr
    index: Expr


@dataclass(frozen=True)
class Slice(Expr):
    """`xs[lo:hi]` with Python's clamping; either bound may be None."""

    obj: Expr
    lower: Expr | None
    upper: Expr | None


@dataclass(frozen=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class MapLit(Expr):
    keys: tuple[Expr, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class Generator:
    """`for var in iter if cond...`; `var_type` is the element type of `iter`."""

    var: str
    var_type: Type
    iter: Expr
    conds: tuple[Expr, ...]


@dataclass(frozen=True)
class Comprehension(Expr):
    """`[elt for ...]` or a generator expression; both evaluate to a List."""

    elt: Expr
    generators: tuple[Generator, ...]


@dataclass(frozen=True)
class FieldGet(Expr):
    obj: Expr
    field: str


@dataclass(frozen=True)
class RecordNew(Expr):
    record: str
    fields: tuple[tuple[str, Expr], ...]  # in declaration order


@dataclass(frozen=True)
class EnumMember(Expr):
    enum: str
    member: str


@dataclass(frozen=True)
class OptionSome(Expr):
    """A present Option built from a plain value (Rust's `Some(x)`), inserted by the checker."""

    operand: Expr


@dataclass(frozen=True)
class Unwrap(Expr):
    """An Option known to be present here (narrowed by `is not None`), inserted by the checker."""

    operand: Expr


def walk(node: Expr):
    """Every node of a tree, parents before children (for renderers that need to scan)."""
    yield node
    for value in node.__dict__.values():
        for child in (value if isinstance(value, tuple) else (value,)):
            if isinstance(child, Expr):
                yield from walk(child)
            elif isinstance(child, Generator):
                yield from walk(child.iter)
                for cond in child.conds:
                    yield from walk(cond)
            elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[1], Expr):
                yield from walk(child[1])
