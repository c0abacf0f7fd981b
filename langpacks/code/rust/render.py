"""Rust: read fields through the place they live in (`s.end.x`), not through clones.

The pack clones every non-Copy name where it is used, which keeps ownership simple; a
field chain on a parameter or loop variable only needs the final field cloned.
"""
from __future__ import annotations

from polyglot.body import nodes as n
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base


class Renderer(Base):
    def place(self, e: n.Expr) -> str | None:
        """`a.b.c` for a field chain rooted at a parameter or loop variable, else None."""
        if isinstance(e, n.Name) and e.kind in ("param", "local"):
            return self.scope.get(e.id, "param" if e.kind == "param" else "local")
        if isinstance(e, n.FieldGet):
            base = self.place(e.obj)
            return f"{base}.{self.field_name(e.obj.type.name, e.field)}" if base else None
        return None

    def expr_FieldGet(self, e: n.FieldGet) -> Rendered:
        base = self.place(e.obj)
        if base is None:
            return super().expr_FieldGet(e)
        entry = self.need("field", [e.obj.type], e.type)
        return self.fill(entry, {"0": Rendered(base), "args": "",
                                 "field": self.field_name(e.obj.type.name, e.field)})
