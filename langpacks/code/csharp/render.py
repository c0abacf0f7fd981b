"""C# hooks: record classes with a constructor, no member named like its type, tidier Floats.

- A record's constructor takes camel-case parameters for its PascalCase properties
  (`@`-escaped when they are keywords; `this.`-qualified properties where a script has no
  case, so the two names are one); the item templates only know the property name.
- A nested type, method or property may not share its enclosing type's name: the module's
  class name is reserved, and a property named like its record gets a `_`.
- Test classes name `Cart.Item` and `Cart.TotalPrice(...)`: a `using static` would lose to
  any class of the same simple name in the global namespace (another spec's module).
- `float(2)` renders `2.0`; `(double) (long) xs.Count` needs one cast; `!!x` is `x`;
  `[x for x in xs]` is `xs`.
"""
from __future__ import annotations


from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered, Renderer as Base
from polyglot.spec.ir import Record
from polyglot.spec.types import FLOAT, INT

_KEYWORDS = frozenset("""abstract as base bool break byte case catch char checked class const continue decimal
default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit
in int interface internal is lock long namespace new null object operator out override params private protected
public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try
typeof uint ulong unchecked unsafe ushort using virtual void volatile while""".split())


class Renderer(Base):
    def field_name(self, record: str, name: str) -> str:
        field = super().field_name(record, name)
        return field + "_" if field == self.top.get(record, "type") else field

    def record(self, r: Record) -> str:
        tpl = self.template_for("record")
        items = []
        for i, f in enumerate(r.fields):
            prop = self.field_name(r.name, f.name)
            param = prop[:1].lower() + prop[1:]
            items.append({"name": prop, "type": self.type(f.type), "index": str(i), "field": f.name,
                          "doc": self.doc([("", f.description)]),
                          "value": "@" + param if param in _KEYWORDS else param,
                          "member": "this." + prop if param == prop else prop})
        return tpl.fill({**self.common(), "name": self.type_name(r.name), "doc": self.doc([("", r.description)]),
                         **self.join_items(tpl, "fields", items, "record_field")})

    def expr_Unary(self, e: n.Unary) -> Rendered:
        r = super().expr_Unary(e)
        return Rendered(r.text[2:], r.prec) if r.text.startswith("!!") else r

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        g = e.generators[0]
        if len(e.generators) == 1 and not g.conds and isinstance(e.elt, n.Name) and e.elt.id == g.var:
            return self.iter_expr(g.iter)
        return super().expr_Comprehension(e)

    def expr_Call(self, e: n.Call) -> Rendered:
        arg = e.args[0] if e.args else None
        if e.func == "float" and isinstance(arg, n.Literal) and arg.type == INT:  # `2.0`, not `(double) 2L`
            return self.literal(float(arg.value), FLOAT)
        r = super().expr_Call(e)
        if r.text.startswith("(double) (long) "):
            return Rendered("(double) " + r.text[len("(double) (long) "):], r.prec)
        return r
