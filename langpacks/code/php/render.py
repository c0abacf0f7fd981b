"""PHP: a namespace per spec, single-quoted strings, and array functions for comprehensions.

- `{{module}}` in the module and tests templates is the spec's namespace (`Cart`); files
  keep the snake-case name (`cart.php`), which only the runner's requires use.
- A string is single-quoted unless it holds a character only double quotes can spell.
- `[f(x) for x in xs if p(x)]` is
  `array_map(fn (int $x) => f($x), array_values(array_filter($xs, fn (int $x) => p($x))))`,
  with `array_merge(...array_map(...))` for all but the last generator.
- `float()` of an Int literal is a float literal.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT

_DOUBLE_QUOTED = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Renderer(Base):
    def common(self) -> dict[str, str]:
        if not hasattr(self, "_common"):
            self._common = {**super().common(), "module": self.namer.convert(self.module, "type")}
        return self._common

    def quote(self, text: str) -> str:
        if _DOUBLE_QUOTED.search(text):
            return super().quote(text)
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and isinstance(arg.value, int):
            return self.literal(float(arg.value), FLOAT)
        return super().expr_Call(e)

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        names = [self.scope.declare(g.var, "local") for g in e.generators]  # before the element
        elt = self.expr(e.elt).text
        last = len(e.generators) - 1
        inner = ""
        for i in range(last, -1, -1):
            g, var = e.generators[i], names[i]
            param = f"{self.type(g.var_type)} ${var}"
            chain = self.iter_expr(g.iter).text
            if g.conds:
                cond = self.expr(g.conds[0])
                for c in g.conds[1:]:
                    cond = self.fill(self.need("and", [g.conds[0].type, c.type], c.type),
                                     {"0": cond, "1": self.expr(c), "args": ""})
                chain = f"array_values(array_filter({chain}, fn ({param}) => {cond.text}))"
            if i < last:
                chain = f"array_merge(...array_map(fn ({param}) => {inner}, {chain}))"
            elif elt != f"${var}":
                chain = f"array_map(fn ({param}) => {elt}, {chain})"
            inner = chain
        return Rendered(inner)
