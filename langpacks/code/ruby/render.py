"""Ruby: a namespace per spec, symbols for enum members, and block chains for comprehensions.

- `{{module}}` in the module and tests templates is the spec's namespace constant (`Cart`);
  files keep the snake-case name (`cart.rb`), which only the runner's requires use.
- Enum members are symbols (`RED = :red`), and so are a Struct's fields.
- `[f(x) for x in xs if p(x)]` is `xs.select { |x| p(x) }.map { |x| f(x) }`, with
  `.flat_map` for all but the last generator, and `xs.map(&:qty)` for a field.
- A double-quoted string escapes `#` only where it would start an interpolation.
- A name starting with a digit gets `_` (`_2fa`), or `N` where Ruby needs a capital
  (constants and classes: `N3dPoint`), since a capitalised name is a constant.
- `float()` of an Int literal is a Float literal.
"""
from __future__ import annotations

import re

from polyglot.body import nodes as n
from polyglot.codegen.naming import Namer
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.codegen.template import fill
from polyglot.spec.ir import Enum, Record
from polyglot.spec.types import FLOAT

#: Core classes and modules a spec's namespace must not reopen.
CORE_CONSTANTS = frozenset({
    "Array", "BasicObject", "Binding", "Class", "Comparable", "Complex", "Data", "Dir",
    "Encoding", "Enumerable", "Enumerator", "Errno", "Exception", "FalseClass", "Fiber",
    "File", "Float", "GC", "Hash", "IO", "Integer", "Kernel", "Marshal", "Math", "Method",
    "Module", "NilClass", "Numeric", "Object", "ObjectSpace", "Process", "Proc", "Ractor",
    "Random", "Range", "Rational", "Regexp", "Set", "Signal", "String", "Struct", "Symbol",
    "Thread", "Time", "TrueClass", "Warning",
})
_INTERPOLATION = re.compile(r"#(?=[{$@])")
_SYMBOL = re.compile(r"[a-z_][A-Za-z0-9_]*")


class _Namer(Namer):
    def convert(self, name: str, kind: str) -> str:
        out = super().convert(name, kind)
        if out[:1] == "_" and out[1:2].isdigit() and self.rules.cases.get(kind) in ("pascal", "upper"):
            return "N" + out[1:]
        return out


class Renderer(Base):
    # The base class builds its Namer in __init__; Ruby's spells leading digits by case.
    @property
    def namer(self) -> Namer:
        return self._namer

    @namer.setter
    def namer(self, value: Namer) -> None:
        self._namer = _Namer(value.rules, value.locale)

    def namespace(self) -> str:
        name = self.namer.convert(self.module, "type")
        return fill(self.pack.naming.escape, {"name": name}) if name in CORE_CONSTANTS else name

    def common(self) -> dict[str, str]:
        if not hasattr(self, "_common"):
            self._common = {**super().common(), "module": self.namespace()}
        return self._common

    def module_source(self) -> str:
        text = super().module_source()  # no blank line just inside `module X ... end`
        return re.sub(r"\n\n+(end\n?)\Z", r"\n\1", re.sub(r"^(module \S+\n)\n+", r"\1", text, flags=re.M))

    def quote(self, text: str) -> str:
        return _INTERPOLATION.sub(r"\\#", super().quote(text))

    def symbol(self, text: str) -> str:
        """`:red`, or `:"красный"` (quoted past ASCII, which tree-sitter-ruby requires)."""
        return ":" + (text if _SYMBOL.fullmatch(text) else self.quote(text))

    def record(self, r: Record) -> str:
        """`Item = Struct.new(:name, :qty, keyword_init: true)`: fields as symbols (`{{value}}`)."""
        tpl = self.template_for("record")
        items = [{"name": self.field_name(r.name, f.name), "value": self.symbol(self.field_name(r.name, f.name)),
                  "type": self.type(f.type), "index": str(i), "doc": "", "field": f.name}
                 for i, f in enumerate(r.fields)]
        return tpl.fill({**self.common(), "name": self.type_name(r.name), "doc": self.doc([("", r.description)]),
                         **self.join_items(tpl, "fields", items, "record_field")})

    def enum(self, e: Enum) -> str:
        tpl = self.template_for("enum")
        items = [{"name": self.member_name(e.name, m), "index": str(i), "member": m, "value": self.symbol(m)}
                 for i, m in enumerate(e.members)]
        return tpl.fill({**self.common(), "name": self.type_name(e.name), "doc": self.doc([("", e.description)]),
                         **self.join_items(tpl, "members", items, "enum_member")})

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and isinstance(arg.value, int):
            return self.literal(float(arg.value), FLOAT)
        return super().expr_Call(e)

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        names = [self.scope.declare(g.var, "local") for g in e.generators]  # before the element
        elt = self.expr(e.elt).text
        if (isinstance(e.elt, n.FieldGet) and isinstance(e.elt.obj, n.Name) and e.elt.obj.kind == "local"
                and elt == f"{self.scope.get(e.elt.obj.id, 'local')}.{elt.split('.')[-1]}"
                and _SYMBOL.fullmatch(elt.split(".")[-1])):
            elt = "&:" + elt.split(".")[-1]  # xs.map(&:qty)
        last = len(e.generators) - 1
        inner = ""
        for i in range(last, -1, -1):
            g, var = e.generators[i], names[i]
            it = self.iter_expr(g.iter)
            chain = it.text if it.prec >= ATOM else f"({it.text})"
            if g.conds:
                cond = self.expr(g.conds[0])
                for c in g.conds[1:]:
                    cond = self.fill(self.need("and", [g.conds[0].type, c.type], c.type),
                                     {"0": cond, "1": self.expr(c), "args": ""})
                chain += f".select {{ |{var}| {cond.text} }}"
            if i < last:
                chain += f".flat_map {{ |{var}| {inner} }}"
            elif elt.startswith("&:"):
                chain += f".map({elt})"
            elif elt != var:
                chain += f".map {{ |{var}| {elt} }}"
            inner = chain
        return Rendered(inner)
