"""Kotlin hooks: comprehensions as filter/map/flatMap chains, and tidier Int -> Float.

`[f(x) for x in xs if p(x)]` reads best as `xs.filter { x -> p(x) }.map { x -> f(x) }`;
the data-only nested form (`xs.flatMap { x -> if (p(x)) listOf(f(x)) else emptyList() }`)
cannot say that. Filters never narrow an Option in the spec language, so splitting the
filter from the map keeps every type. `float(2)` renders `2.0`, `float(len(xs))`
skips the middle `toLong()`, and a module imports `java.util.Locale` only when it uses it.
A record without fields cannot be a data class; it is a class whose instances are equal.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered, Renderer as Base
from polyglot.spec.ir import Record
from polyglot.spec.types import BOOL, FLOAT, INT

_POSTFIX = 100


class Renderer(Base):
    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        names = [self.scope.declare(g.var, "local") for g in e.generators]
        elt = self.expr(e.elt)
        inner = None
        for depth in reversed(range(len(e.generators))):
            g, var = e.generators[depth], names[depth]
            it = self.iter_expr(g.iter)
            chain = it.text if it.prec >= _POSTFIX else f"({it.text})"
            if g.conds:
                cond = self.expr(g.conds[0])
                for c in g.conds[1:]:
                    cond = self.fill(self.need("and", [BOOL, BOOL], BOOL), {"0": cond, "1": self.expr(c), "args": ""})
                chain += f".filter {{ {var} -> {cond.text} }}"
            if inner is not None:
                chain += f".flatMap {{ {var} -> {inner} }}"
            elif not (isinstance(e.elt, n.Name) and e.elt.id == g.var):
                chain += f".map {{ {var} -> {elt.text} }}"
            inner = chain
        return Rendered(inner, _POSTFIX)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and arg.type == INT:  # `2.0`, not `2L.toDouble()`
            return self.literal(float(arg.value), FLOAT)
        r = super().expr_Call(e)
        if e.func == "float" and r.text.endswith(".size.toLong().toDouble()"):
            return Rendered(r.text.replace(".size.toLong().toDouble()", ".size.toDouble()"), r.prec)
        return r

    def record(self, r: Record) -> str:
        if r.fields:
            return super().record(r)
        name = self.type_name(r.name)
        doc = self.doc([("", r.description)])
        return "\n".join(line for line in (
            doc, f"class {name} {{", f"    override fun equals(other: Any?) = other is {name}",
            "    override fun hashCode() = 0", f'    override fun toString() = "{name}()"', "}") if line)

    def module_source(self) -> str:
        source = super().module_source()
        if not re.search(r"\bLocale\.", source):
            source = source.replace("import java.util.Locale\n", "")
        return source
