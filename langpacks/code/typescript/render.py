"""TypeScript: the few spellings a TypeScript programmer would not leave to templates.

- Comprehensions are array-method chains: `[f(x) for x in xs if p(x)]` is
  `xs.filter((x) => p(x)).map((x) => f(x))`, with `.flatMap` for all but the last generator.
- `a + b + [0]` of lists is one spread literal, `[...a, ...b, 0n]`.
- A narrowed Option is used bare (`x !== null ? x + 1n : 0n`): the checker narrows only
  names, inside the expression that tests them, and parameters (of the function or of a
  comprehension's arrow) are never reassigned, so tsc narrows them too, closures included.
- `float()` of an Int literal is a number literal, and of `len(xs)` is `xs.length`.
- An array of a union type needs parentheses: `(bigint | null)[]`.
"""
from __future__ import annotations

from polyglot.body import nodes as n
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT, Type


class Renderer(Base):
    def type(self, t: Type) -> str:
        if t.name == "List" and t.args and t.args[0].name == "Option":
            return f"({super().type(t.args[0])})[]"
        return super().type(t)

    def receiver(self, e: n.Expr) -> str:
        """`e` as the object of a property access or method call."""
        r = self.expr(e)
        return r.text if r.prec >= ATOM else f"({r.text})"

    def expr_Unwrap(self, e: n.Unwrap) -> Rendered:
        if isinstance(e.operand, n.Name):
            return self.expr(e.operand)
        return super().expr_Unwrap(e)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and isinstance(arg.value, int):
            return self.literal(float(arg.value), FLOAT)
        if (e.func == "float" and isinstance(arg, n.Call) and arg.func == "len"
                and arg.args[0].type.name in ("List", "Map")):
            prop = "length" if arg.args[0].type.name == "List" else "size"
            return Rendered(f"{self.receiver(arg.args[0])}.{prop}")
        return super().expr_Call(e)

    def expr_Binary(self, e: n.Binary) -> Rendered:
        if e.op != "+" or e.type.name != "List":
            return super().expr_Binary(e)
        items: list[str] = []
        for part in _concatenated(e):
            if isinstance(part, n.ListLit):
                items += [self.expr(i).text for i in part.items]
            else:
                items.append("..." + self.expr(part).text)
        return Rendered("[" + self.pack.join("items").join(items) + "]")

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        names = [self.scope.declare(g.var, "local") for g in e.generators]  # before the element
        elt = self.expr(e.elt).text
        last = len(e.generators) - 1
        inner = ""
        for i in range(last, -1, -1):
            g, var = e.generators[i], names[i]
            chain = self.receiver(g.iter) if self.lookup("iter", [g.iter.type]) is None else self.iter_expr(g.iter).text
            if g.conds:
                cond = self.expr(g.conds[0])
                for c in g.conds[1:]:
                    cond = self.fill(self.need("and", [g.conds[0].type, c.type], c.type),
                                     {"0": cond, "1": self.expr(c), "args": ""})
                chain += f".filter(({var}) => {cond.text})"
            if i < last:
                chain += f".flatMap(({var}) => {inner})"
            elif elt != var:
                chain += f".map(({var}) => {elt})"
            inner = chain
        return Rendered(inner)


def _concatenated(e: n.Expr) -> list[n.Expr]:
    """The operands of a chain of list `+`, in order."""
    if isinstance(e, n.Binary) and e.op == "+" and e.type.name == "List":
        return _concatenated(e.left) + _concatenated(e.right)
    return [e]
