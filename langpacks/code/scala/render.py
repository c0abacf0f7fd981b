"""Scala hooks: enum members that name their enum, `name_ :` declarations, tidier Floats.

- A sealed-trait enum's members extend it (`case object Red extends Color`), and the
  member template does not know the enum's name.
- An escaped name ends in `_`, and `type_: Long` would lex `type_:` as one identifier,
  so declaration heads write `type_ : Long`.
- `float(2)` renders `2.0`, `float(len(xs))` skips the middle `toLong`, and
  `[x for x in xs]` is `xs`; a module imports `java.util.Locale` only when it uses it.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered, Renderer as Base
from polyglot.spec.ir import Behavior, Constant, Enum, Record
from polyglot.spec.types import FLOAT, INT

_HEAD = re.compile(r"^(\s*(?:def|final case class|val) .*)$", re.M)


def _space_colons(text: str, whole_line: bool) -> str:
    """`name_: T` -> `name_ : T` in declaration heads (up to ` = ` unless `whole_line`)."""
    def fix(m: re.Match) -> str:
        line = m.group(1)
        head, sep, rest = (line, "", "") if whole_line else line.partition(" = ")
        return re.sub(r"(\w_):", r"\1 :", head) + sep + rest
    return _HEAD.sub(fix, text)


class Renderer(Base):
    def enum(self, e: Enum) -> str:
        name = self.type_name(e.name)
        members = "\n".join(f"case object {self.member_name(e.name, m)} extends {name}" for m in e.members)
        return self.template_for("enum").fill({**self.common(), "name": name, "members": members,
                                               "doc": self.doc([("", e.description)])})

    def record(self, r: Record) -> str:
        return _space_colons(super().record(r), whole_line=True)

    def constant(self, c: Constant) -> str:
        return _space_colons(super().constant(c), whole_line=False)

    def function(self, b: Behavior) -> str:
        return _space_colons(super().function(b), whole_line=True)  # the body is on the next line

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        g = e.generators[0]
        if len(e.generators) == 1 and not g.conds and isinstance(e.elt, n.Name) and e.elt.id == g.var:
            return self.iter_expr(g.iter)
        return super().expr_Comprehension(e)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and arg.type == INT:  # `2.0`, not `2L.toDouble`
            return self.literal(float(arg.value), FLOAT)
        r = super().expr_Call(e)
        if e.func == "float" and r.text.endswith(".size.toLong.toDouble"):
            return Rendered(r.text[:-len(".toLong.toDouble")] + ".toDouble", r.prec)
        return r

    def module_source(self) -> str:
        source = super().module_source()
        if not re.search(r"\bLocale\.", source):
            source = source.replace("import java.util.Locale\n\n", "")
        return source
