"""Java hooks: boxed type arguments, qualified names in tests, unboxed `==`, used imports.

Data cannot say these things:

- generics take `Long`, `Double`, `Boolean` where a declaration takes `long`...;
- the unnamed package cannot be imported from, so test classes name `Cart.Item` and
  `Cart.totalPrice(...)`, and a type may not share its enclosing class's name;
- `==` on two boxed values compares references: a list element, a map value, an unwrapped
  Optional or `min(xs)` is boxed, so such a pair is compared as primitives;
- a file imports only the `java.util` classes it uses;
- `!!x` (`not all(...)`) is `x`; `(double) (long) xs.size()` needs one cast, `(double) 2L`
  none.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered, Renderer as Base
from polyglot.spec.types import FLOAT, INT, Type

_BOXED = {"long": "Long", "double": "Double", "boolean": "Boolean"}
_PRIMITIVE = {"Int": "long", "Float": "double", "Bool": "boolean"}
_CAST = 13  # the precedence of a cast in pack.toml
_IMPORT = re.compile(r"^import [\w.]+\.(\w+);\n", re.M)


def _boxed(e: n.Expr) -> bool:
    """Whether `e` renders as a boxed value (a generic method's or container's result)."""
    if isinstance(e, n.IfElse):
        return _boxed(e.then) and _boxed(e.orelse)
    return isinstance(e, (n.Index, n.Unwrap)) or (
        isinstance(e, n.Call) and e.func in ("min", "max") and len(e.args) == 1)


def _used_imports(source: str) -> str:
    """Drop `import a.b.C;` lines whose `C` the rest of the file never names."""
    body = _IMPORT.sub("", source)
    return _IMPORT.sub(lambda m: m.group(0) if re.search(rf"\b{m.group(1)}\b", body) else "", source)


class Renderer(Base):
    def type(self, t: Type) -> str:
        if not t.args:
            return super().type(t)
        key = self.type_key(t)
        template = self.pack.types.get(key) or self.pack.types[key.split("<")[0]]
        return template.fill({str(i): self.boxed_type(a) for i, a in enumerate(t.args)})

    def boxed_type(self, t: Type) -> str:
        text = self.type(t)
        return _BOXED.get(text, text)

    def expr_Compare(self, e: n.Compare) -> Rendered:
        primitive = _PRIMITIVE.get(e.left.type.name) if not e.left.type.args else None
        if e.op in ("==", "!=") and primitive and _boxed(e.left) and _boxed(e.right):
            left = self.expr(e.left)
            text = left.text if left.prec >= _CAST else f"({left.text})"
            entry = self.need(e.op, [e.left.type, e.right.type], e.type)
            return self.fill(entry, {"0": Rendered(f"({primitive}) {text}", _CAST),
                                     "1": self.expr(e.right), "args": ""})
        return super().expr_Compare(e)

    def expr_Unary(self, e: n.Unary) -> Rendered:
        r = super().expr_Unary(e)
        return Rendered(r.text[2:], r.prec) if r.text.startswith("!!") else r

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and arg.type == INT:  # `2.0`, not `(double) 2L`
            return self.literal(float(arg.value), FLOAT)
        r = super().expr_Call(e)
        if r.text.startswith("(double) (long) "):
            return Rendered("(double) " + r.text[len("(double) (long) "):], r.prec)
        return r

    def module_source(self) -> str:
        return _used_imports(super().module_source())

    def tests_source(self, tests_module: str) -> str:
        return _used_imports(super().tests_source(tests_module))
