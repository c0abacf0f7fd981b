"""Zig: what its compiler insists on, and values that live as long as they must.

Every behaviour takes the allocator first. Zig rejects an unused parameter or loop
capture, so the body discards what it never reads (`_ = allocator;`) and a stub's
parameters are `_`. A list or map literal built in a body is copied to the allocator
(its array would die with the stack frame); in constants and test cases, whose values are
known at compile time, it stays a static `&.{ ... }`. A comprehension collects into a
`std.ArrayList` whose `.items` is the list. An `if` whose branches are all literals gets
its type spelled out, because comptime-only values cannot depend on a run-time condition,
and float arithmetic on literals is typed so that it is not done in 128 bits at compile
time.
Test files name the module's declarations through its import (`cart.Item`).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from polyglot.body import nodes as n
from polyglot.codegen.lower import Declare, For, Stmt
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.codegen.template import Template
from polyglot.spec.ir import Behavior, Constant, TestCase
from polyglot.spec.types import FLOAT, Type

ALLOCATOR = "allocator"


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.static = False     # rendering a compile-time value (constant, test case)
        self.qualify = False    # rendering the test file: module names need the import
        self.stub = False       # rendering a stub: its parameters are unused
        self.typed_if = False   # inside an all-literal if-expression given its type
        self.accumulators: set[str] = set()   # temporaries that are std.ArrayLists
        self.discards: list[str] | None = None  # what the function body must discard

    # -- names -----------------------------------------------------------------------
    def type_name(self, name: str) -> str:
        return f"{self.module}.{super().type_name(name)}" if self.qualify else super().type_name(name)

    def tests_source(self, tests_module: str) -> str:
        self.qualify = True
        try:
            return super().tests_source(tests_module)
        finally:
            self.qualify = False

    def case(self, b: Behavior, case: TestCase) -> str:
        self.static = True
        try:
            return super().case(b, case)
        finally:
            self.static = False

    def constant(self, c: Constant) -> str:
        self.static = True
        try:
            return super().constant(c)
        finally:
            self.static = False

    # -- functions -------------------------------------------------------------------
    def function(self, b: Behavior) -> str:
        self.stub = b.body is None
        self.accumulators = set()
        self.discards = None
        if b.body is not None:
            used = {x.id for x in n.walk(b.body.expr) if isinstance(x, n.Name) and x.kind == "param"}
            self.discards = [p.name for p in b.params if p.name not in used]
        try:
            return super().function(b)
        finally:
            self.stub = False

    def join_items(self, container: Template, name: str, items: Sequence[dict[str, str]],
                   default: str) -> dict[str, str]:
        if name == "params":
            items = [{"name": "_" if self.stub else ALLOCATOR, "type": "std.mem.Allocator", "index": ""}] + [
                {**item, "name": "_"} if self.stub else item for item in items]
        return super().join_items(container, name, items, default)

    def stmts(self, stmts: Sequence[Stmt]) -> str:
        discards, self.discards = self.discards, None  # only the function's own block
        text = super().stmts(stmts)
        if discards is None:
            return text
        unused = [self.scope.get(p, "param") for p in discards]
        if not re.search(rf"\b{ALLOCATOR}\b", text):
            unused.insert(0, ALLOCATOR)
        return "\n".join([*(f"_ = {name};" for name in unused), text])

    def stmt(self, s: Stmt) -> str:
        if isinstance(s, Declare) and isinstance(s.value, n.ListLit) and not s.value.items:
            self.accumulators.add(s.name)  # a comprehension's result, collected
            return self.pack.templates["accumulator"].fill({**self.common(), "name": s.name,
                                                            "type": self.type(s.type.elem)})
        text = super().stmt(s)
        if isinstance(s, For) and s.var not in self.locals_read(s.body):
            text = text.replace(f"|{s.var}|", "|_|", 1)
        return text

    # -- expressions -----------------------------------------------------------------
    def apply(self, base: str, operands: Sequence[n.Expr | None], result: Type | None,
              extra=None, arg_types=None) -> Rendered:
        """The base `apply`, plus the operands' Zig types (`{{A0}}`), and the allocator and
        the module's import in a test's call."""
        extra = dict(extra or {})
        for i, o in enumerate(operands):
            if o is not None:
                extra.setdefault(f"A{i}", self.type(o.type))
        if base == "call_behavior":
            extra["name"] = f"{self.module}.{extra['name']}"
            extra["args"] = ", ".join(x for x in ("suite.gpa", extra["args"]) if x)
        return super().apply(base, operands, result, extra, arg_types)

    def expr_Name(self, e: n.Name) -> Rendered:
        if e.kind == "temp" and e.id in self.accumulators:
            return Rendered(f"{e.id}.items")
        return super().expr_Name(e)

    def expr_Binary(self, e: n.Binary) -> Rendered:
        if e.type == FLOAT and e.op in "+-*" and _constant(e.left) and _constant(e.right):
            # Zig would compute it at compile time in 128 bits (0.1 + 0.2 == 0.3).
            e = dataclasses.replace(e, left=n.Call(FLOAT, e.col, "float", (e.left,)))
        return super().expr_Binary(e)

    def expr_Call(self, e: n.Call) -> Rendered:
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type == FLOAT:
            return self.apply("float", list(e.args), FLOAT, arg_types=["Constant"])  # @as(f64, 0.1)
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)  # `2.0`, not a conversion
        return super().expr_Call(e)

    def expr_IfElse(self, e: n.IfElse) -> Rendered:
        if self.typed_if or not all(isinstance(x, n.Literal) for x in _branches(e)):
            return super().expr_IfElse(e)
        self.typed_if = True  # the nested ifs share this type
        try:
            return Rendered(f"@as({self.type(e.type)}, {super().expr_IfElse(e).text})")
        finally:
            self.typed_if = False

    def anonymous(self, items: Sequence[n.Expr]) -> str:
        """`&.{ a, b }` as zig fmt spells it (`&.{a}`, `&.{}`)."""
        texts = [self.expr(i).text for i in items]
        return f"&.{{{texts[0]}}}" if len(texts) == 1 else "&.{ " + ", ".join(texts) + " }" if texts else "&.{}"

    def expr_ListLit(self, e: n.ListLit) -> Rendered:
        if self.static:
            return Rendered(self.anonymous(e.items))
        if not e.items:
            return self.apply("list_empty", [], e.type)
        return self.apply("list", [], e.type, {"items": self.anonymous(e.items)})

    def expr_MapLit(self, e: n.MapLit) -> Rendered:
        if not e.keys:
            return self.apply("map_empty", [], e.type)
        keys, values = self.anonymous(e.keys), self.anonymous(e.values)
        if self.static:  # the keys of a spec's value are distinct
            return Rendered(f"{self.type(e.type)}{{ .keys = {keys}, .values = {values} }}")
        return self.apply("map", [], e.type, {"keys": keys, "values": values})


def _constant(e: n.Expr) -> bool:
    """Whether Zig evaluates `e` at compile time (in 128-bit floats)."""
    if isinstance(e, n.Literal):
        return True
    if isinstance(e, n.Call) and e.func == "float":
        return isinstance(e.args[0], n.Literal)
    if isinstance(e, n.Unary):
        return _constant(e.operand)
    return isinstance(e, n.Binary) and e.type == FLOAT and _constant(e.left) and _constant(e.right)


def _branches(e: n.Expr):
    """The values an if-expression can take (through nested ifs)."""
    if isinstance(e, n.IfElse):
        yield from _branches(e.then)
        yield from _branches(e.orelse)
    else:
        yield e
