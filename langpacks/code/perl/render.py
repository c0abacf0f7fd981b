"""Perl: a package per spec, single-quoted strings, and map/grep for comprehensions.

- `{{module}}` is the spec's package (`Cart`) wherever a template or expression names it;
  files keep the snake-case name (`cart.pm`), which only the runner's requires use.
- A string is single-quoted unless it holds a character only double quotes can spell.
- `[f(x) for x in xs if p(x)]` is `[map { f($_) } grep { p($_) } $xs->@*]`; where
  comprehensions nest, each level names its variable: `map { my $x = $_; ... } $xs->@*`,
  with `cond ? (...) : ()` for a filter.
- `float()` of an Int literal is a float literal.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT

_DOUBLE_QUOTED = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.module = self.namer.convert(self.module, "type")
        self.topic: set[str] = set()  # comprehension variables read as $_

    def quote(self, text: str) -> str:
        if _DOUBLE_QUOTED.search(text):
            return super().quote(text)
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def expr_Name(self, e: n.Name) -> Rendered:
        if e.kind == "local" and e.id in self.topic:
            return Rendered("$_")
        return super().expr_Name(e)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and isinstance(arg.value, int):
            return self.literal(float(arg.value), FLOAT)
        return super().expr_Call(e)

    def conds(self, g: n.Generator) -> str:
        cond = self.expr(g.conds[0])
        for c in g.conds[1:]:
            cond = self.fill(self.need("and", [g.conds[0].type, c.type], c.type),
                             {"0": cond, "1": self.expr(c), "args": ""})
        return cond.text

    def deref(self, it: n.Expr) -> str:
        """The items of a list (or a string's characters) as a Perl list: `$xs->@*`."""
        r = self.iter_expr(it)
        return (r.text if r.prec >= ATOM else f"({r.text})") + "->@*"

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        nested = any(isinstance(x, n.Comprehension) for part in (e.elt, *e.generators[0].conds)
                     for x in n.walk(part))
        if len(e.generators) == 1 and not nested:  # [map { ... } grep { ... } @{$xs}]
            g = e.generators[0]
            self.topic.add(g.var)
            chain = self.deref(g.iter)
            if g.conds:
                chain = f"grep {{ {self.conds(g)} }} {chain}"
            elt = self.expr(e.elt).text
            self.topic.discard(g.var)
            return Rendered(f"[{chain}]" if elt == "$_" else f"[map {{ {elt} }} {chain}]")
        names = [self.scope.declare(g.var, "local") for g in e.generators]  # before the element
        inner = self.expr(e.elt).text
        for g, var in reversed(list(zip(e.generators, names))):
            body = f"{self.conds(g)} ? ({inner}) : ()" if g.conds else inner
            inner = f"map {{ my ${var} = $_; {body} }} {self.deref(g.iter)}"
        return Rendered(f"[{inner}]")
