"""C++: parameters by const reference, and map literals whose keys may repeat.

Scalars (Int, Float, Bool, enums) are passed by value and everything else by `const T&`,
as C++ code is written. A brace-initialized std::map keeps the *first* of two equal keys
where the spec language keeps the last, so a literal with computed (or repeated) keys is
built by `pg::map_of`.
"""
from __future__ import annotations

from collections.abc import Sequence

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.codegen.template import Template
from polyglot.spec.types import BOOL, FLOAT, INT


class Renderer(Base):
    def join_items(self, container: Template, name: str, items: Sequence[dict[str, str]],
                   default: str) -> dict[str, str]:
        if name == "params":
            scalars = {self.type(t) for t in (INT, FLOAT, BOOL)} | {self.type_name(e.name) for e in self.spec.enums}
            items = [item if item["type"] in scalars else {**item, "type": f"const {item['type']}&"}
                     for item in items]
        return super().join_items(container, name, items, default)

    def expr_Call(self, e: n.Call) -> Rendered:
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)  # `2.0`, not `static_cast<double>(2)`
        return super().expr_Call(e)

    def expr_MapLit(self, e: n.MapLit) -> Rendered:
        keys = [_key(k) for k in e.keys]
        if len(keys) < 2 or (None not in keys and len(set(keys)) == len(keys)):
            return super().expr_MapLit(e)
        entries = ", ".join(f"{{{self.expr(k).text}, {self.expr(v).text}}}" for k, v in zip(e.keys, e.values))
        return Rendered(f"pg::map_of<{self.type(e.type.args[0])}, {self.type(e.type.args[1])}>({{{entries}}})")


def _key(e: n.Expr) -> object:
    """A constant map key as a comparable value; None when it is computed."""
    if isinstance(e, n.Literal):
        return (type(e.value), e.value)
    if isinstance(e, n.EnumMember):
        return (e.enum, e.member)
    return None
