"""OCaml: block comments, namespaces, type-directed record labels.

OCaml has no line comment, so each header line is closed (`(* ... *)`). Types have
their own namespace, so a parameter keeps the name `tier` beside `type tier`. Enum members
are constructors sharing the module's namespace: a member that would clash with an
earlier one takes its enum's name as prefix (`TokenEnd`). A record literal whose labels
another record of the spec also uses is annotated with its type, so OCaml never picks
the wrong record. A comprehension over one list reads as `List.map` and `List.filter`;
test calls pass their arguments as atoms, and `()` when there are none.
"""
from __future__ import annotations

from collections.abc import Sequence

from polyglot.body import nodes as n
from polyglot.codegen.naming import Scope
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT, Type

_APPLY = 90  # function application
_PIPE = 40   # |> binds like a comparison


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Types live in their own namespace: a parameter may be called `tier` like its type.
        self.types = Scope(self.namer)
        for name in [*(r.name for r in self.spec.records), *(e.name for e in self.spec.enums)]:
            self.types.declare(name, "type")
        self.top = self.scope = Scope(self.namer)
        for c in self.spec.constants:
            self.top.declare(c.name, "constant")
        for b in self.spec.behaviors:
            self.top.declare(b.name, "function")
        constructors = Scope(self.namer)
        self.constructors: dict[tuple[str, str], str] = {}
        for e in self.spec.enums:
            for m in e.members:
                clash = constructors.taken(self.namer.convert(m, "enum_member"))
                word = f"{self.type_name(e.name)} {m}" if clash else m
                self.constructors[(e.name, m)] = constructors.fresh(word, "enum_member")
        labels: dict[str, int] = {}
        for r in self.spec.records:
            for f in r.fields:
                labels[self.field_name(r.name, f.name)] = labels.get(self.field_name(r.name, f.name), 0) + 1
        self.shared_labels = {r.name for r in self.spec.records
                              if any(labels[self.field_name(r.name, f.name)] > 1 for f in r.fields)}

    def type_name(self, name: str) -> str:
        return self.types.get(name, "type")

    def comment_lines(self, lines) -> str:
        return "\n".join(f"(* {line.replace('*)', '* )')} *)" for line in lines)

    def member_name(self, enum: str, member: str) -> str:
        return self.constructors[(enum, member)]

    def paren(self, text: str) -> str:
        return self.pack.literals["paren"].fill({"0": text})

    def atom(self, r: Rendered, needed: int = ATOM) -> str:
        return r.text if r.prec >= needed else self.paren(r.text)

    def expr_RecordNew(self, e: n.RecordNew) -> Rendered:
        out = super().expr_RecordNew(e)
        if e.record in self.shared_labels:
            return Rendered(self.paren(f"{out.text} : {self.type(e.type)}"))
        return out

    def expr_Call(self, e: n.Call) -> Rendered:
        """`float(2)` of a literal is the literal `2.0`."""
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)
        return super().expr_Call(e)

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        """One generator: `List.map (fun x -> e) xs`, `List.filter (fun x -> c) xs`, or
        both joined by `|>`; several: the pack's nested List.concat_map."""
        if len(e.generators) != 1:
            return super().expr_Comprehension(e)
        g = e.generators[0]
        var = self.scope.declare(g.var, "local")
        if g.var_type.name in self.declared and self.declared[g.var_type.name] == "Record":
            var = f"({var} : {self.type(g.var_type)})"  # the record its labels belong to
        items = self.atom(self.iter_expr(g.iter), _APPLY + 1)
        elt = e.elt if not (isinstance(e.elt, n.Name) and e.elt.id == g.var) else None
        if not g.conds:
            body = self.expr(e.elt).text if elt is not None else var
            return Rendered(f"List.map (fun {var} -> {body}) {items}", _APPLY)
        cond = self.expr(g.conds[0])
        for c in g.conds[1:]:
            cond = self.fill(self.need("and", [c.type, c.type], c.type), {"0": cond, "1": self.expr(c), "args": ""})
        kept = f"List.filter (fun {var} -> {cond.text}) {items}"
        if elt is None:
            return Rendered(kept, _APPLY)
        return Rendered(f"{kept} |> List.map (fun {var} -> {self.expr(elt).text})", _PIPE)

    def case_value(self, value: Rendered) -> str:
        return self.atom(value, _APPLY + 1)

    def case_call(self, name: str, args: Sequence[str], returns: Type | None) -> str:
        return " ".join([name, *(args or ["()"])])  # a function of no parameter takes ()
