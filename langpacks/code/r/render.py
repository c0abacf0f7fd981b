"""R: Int literals, chains of `paste0` and `c`, comprehensions as lapply and Filter.

An Int literal is `i64(100)`; past 2^53 a double cannot hold it, so its digits are
quoted (`i64("9223372036854775807")`). String and list `+` chains become one
`paste0(a, b, c)` or `c(a, b, c)`. A comprehension over one list reads as
`lapply(Filter(function(x) cond, xs), function(x) elt)`; several generators use the
pack's nested `rt$flat_map`. An Int literal where a Float is needed is a Float literal.
"""
from __future__ import annotations


from polyglot.body import nodes as n
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT, Type

_JOINERS = {"String": "paste0", "List": "c"}


class Renderer(Base):
    def literal(self, value: object, t: Type) -> Rendered:
        if isinstance(value, int) and not isinstance(value, bool) and t != FLOAT:
            digits = str(value) if abs(value) < 2**53 else f'"{value}"'
            return Rendered(f"i64({digits})", ATOM)
        return super().literal(value, t)

    def expr_Call(self, e: n.Call) -> Rendered:
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)
        return super().expr_Call(e)

    def expr_Binary(self, e: n.Binary) -> Rendered:
        """`a + b + c` on strings or lists: one paste0() or c() of all the parts."""
        joiner = _JOINERS.get(e.type.name) if e.op == "+" else None
        if joiner is None:
            return super().expr_Binary(e)
        parts: list[n.Expr] = []

        def collect(x: n.Expr) -> None:
            if isinstance(x, n.Binary) and x.op == "+" and x.type.name == e.type.name:
                collect(x.left)
                collect(x.right)
            else:
                parts.append(x)

        collect(e)
        return Rendered(f"{joiner}({', '.join(self.expr(p).text for p in parts)})")

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        if len(e.generators) != 1:
            return super().expr_Comprehension(e)
        g = e.generators[0]
        var = self.scope.declare(g.var, "local")
        items = self.iter_expr(g.iter).text
        if g.conds:
            cond = self.expr(g.conds[0])
            for c in g.conds[1:]:
                cond = self.fill(self.need("and", [c.type, c.type], c.type), {"0": cond, "1": self.expr(c), "args": ""})
            items = f"Filter(function({var}) {cond.text}, {items})"
        if isinstance(e.elt, n.Name) and e.elt.id == g.var:
            return Rendered(items)
        return Rendered(f"lapply({items}, function({var}) {self.expr(e.elt).text})")
