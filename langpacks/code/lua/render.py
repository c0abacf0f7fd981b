"""Lua: conditional expressions by what their branches can be, and no nil inside tables.

- `x if c else y` is `c and x or y` when `x` can be neither false nor nil; a Bool is
  `c and x or not c and y`; a possibly-nil `x` with a never-nil `y` is `not c and y or x`;
  two possibly-nil branches go through a function (`(function() if ... end)()`).
- A List or Map of Options is refused: None is nil, and a Lua table cannot hold nil.
- The module's table (`cart`) is never shadowed by a parameter or loop variable.
- `{ a = 1 }` for a map key that is a plain name; `float()` of an Int literal is a Float.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.errors import SpecError
from polyglot.spec.types import BOOL, FLOAT, Type

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.top.reserve(self.module)

    def type(self, t: Type) -> str:
        if t.name in ("List", "Map") and t.args and t.args[-1].name == "Option":
            raise SpecError(f"the lua pack cannot hold {self.type_key(t)}: None is nil, and a Lua "
                            "table cannot hold nil", hint="use a sentinel value instead of None")
        return super().type(t)

    def module_source(self) -> str:
        for b in self.spec.behaviors:  # every type a body builds, not only the declared ones
            for node in n.walk(b.body.expr) if b.body is not None else ():
                self.type(node.type)
        return super().module_source()

    def never_falsy(self, e: n.Expr) -> bool:
        """Whether `e` can be neither false nor nil, so `c and e or ...` picks it."""
        if isinstance(e, n.OptionSome):
            return self.never_falsy(e.operand)
        if isinstance(e, n.Literal):
            return e.value is not None and e.value is not False
        return e.type.name not in ("Bool", "Option")

    def expr_IfElse(self, e: n.IfElse) -> Rendered:
        if self.never_falsy(e.then):
            return self.apply("ifelse", [e.test, e.then, e.orelse], e.type)
        cond, then, other = self.expr(e.test), self.expr(e.then), self.expr(e.orelse)
        negated = self.apply("not", [e.test], BOOL)
        if e.type == BOOL:  # c and x or not c and y
            first = self.fill(self.need("and", [BOOL, BOOL]), {"0": cond, "1": then, "args": ""})
            second = self.fill(self.need("and", [BOOL, BOOL]), {"0": negated, "1": other, "args": ""})
            return self.fill(self.need("or", [BOOL, BOOL]), {"0": first, "1": second, "args": ""})
        if self.never_falsy(e.orelse):  # not c and y or x
            return self.fill(self.need("ifelse", [BOOL, e.orelse.type, e.then.type], e.type),
                             {"0": negated, "1": other, "2": then, "args": ""})
        return Rendered(f"(function() if {cond.text} then return {then.text} else return {other.text} end end)()")

    def expr_MapLit(self, e: n.MapLit) -> Rendered:
        """`{ a = 1, b = 2 }` when every key is a string that is a plain name."""
        if not e.keys or not all(isinstance(k, n.Literal) and isinstance(k.value, str) and _NAME.fullmatch(k.value)
                                 and not self.pack.naming.is_reserved(k.value) for k in e.keys):
            return super().expr_MapLit(e)
        entries = [f"{k.value} = {self.expr(v).text}" for k, v in zip(e.keys, e.values)]
        return Rendered("{ " + self.pack.join("entries").join(entries) + " }", self.pack.expr["map"].prec)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and isinstance(arg.value, int):
            return self.literal(float(arg.value), FLOAT)
        return super().expr_Call(e)
