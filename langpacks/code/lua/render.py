"""Lua: conditional expressions by what their branches can be.

- `x if c else y` is `c and x or y` when `x` cannot be false, else `c and x or not c and y`
  (None is `rt.null`, never nil, so only a Bool can be false).
- The module's table (`cart`) is never shadowed by a parameter or loop variable.
- `{ a = 1 }` for a map key that is a plain name; `float()` of an Int literal is a Float.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import BOOL, FLOAT

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.top.reserve(self.module)

    def never_false(self, e: n.Expr) -> bool:
        """Whether `e` cannot be false, so `c and e or ...` picks it (None is rt.null, not nil)."""
        if isinstance(e, n.OptionSome):
            return self.never_false(e.operand)
        if isinstance(e, n.Literal):
            return e.value is not False
        return BOOL not in (e.type, e.type.args[0] if e.type.name == "Option" else None)

    def expr_IfElse(self, e: n.IfElse) -> Rendered:
        if self.never_false(e.then):
            return self.apply("ifelse", [e.test, e.then, e.orelse], e.type)
        # c and x or not c and y: right whatever x and y are
        first = self.fill(self.need("and", [BOOL, BOOL]), {"0": self.expr(e.test), "1": self.expr(e.then), "args": ""})
        negated = self.apply("not", [e.test], BOOL)
        second = self.fill(self.need("and", [BOOL, BOOL]), {"0": negated, "1": self.expr(e.orelse), "args": ""})
        return self.fill(self.need("or", [BOOL, BOOL]), {"0": first, "1": second, "args": ""})

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
