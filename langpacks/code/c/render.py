"""C: module prefixes, type descriptors, and loops over lists.

C has no namespaces, so every name a spec declares carries its module: types `cart_Item`,
functions `cart_total_price` (through the templates), constants `CART_MAX_ITEMS`, enum
members `CART_TIER_GOLD`. C has no generics either: a `pg_list` or `pg_map` carries a
`pg_type` descriptor of what it holds, which this renderer declares for every type a
spec uses (`cart_Item_type`, `cart_list_Item_type`) and offers to the `[expr]`
templates as `{{D}}`, `{{D0}}`, `{{DT0}}` (see pack.toml). A test case keeps the value
it got in `got` and hands the runtime the expected value with its descriptor.
"""
from __future__ import annotations

from collections.abc import Sequence

from polyglot.body import nodes as n
from polyglot.codegen.lower import Append, For, Stmt
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.codegen.values import value_node
from polyglot.errors import SpecError
from polyglot.spec.ir import Behavior, TestCase
from polyglot.spec.types import FLOAT, Type

BUILTIN_DESCRIPTORS = {"Int": "pg_int_type", "Float": "pg_float_type", "Bool": "pg_bool_type",
                       "String": "pg_str_type"}
MANGLED = {"Int": "int", "Float": "float", "Bool": "bool", "String": "str", "List": "list", "Map": "map",
           "Option": "opt"}


class Renderer(Base):
    # -- names -----------------------------------------------------------------------
    def type_name(self, name: str) -> str:
        return f"{self.module}_{super().type_name(name)}"

    def member_name(self, enum: str, member: str) -> str:
        return f"{self.module.upper()}_{self.namer.convert(enum, 'constant')}_{super().member_name(enum, member)}"

    def constant_name(self, name: str) -> str:
        return f"{self.module.upper()}_{self.top.get(name, 'constant')}"

    def function_name(self, name: str) -> str:
        return f"{self.module}_{self.top.get(name, 'function')}"

    def expr_Name(self, e: n.Name) -> Rendered:
        if e.kind != "const":
            return super().expr_Name(e)
        return self.apply("name", [], e.type, {"name": self.constant_name(e.id)}, arg_types=["const"])

    def constant(self, c) -> str:
        value = self.expr(value_node(c.value, c.type, self.spec))
        text = value.text if value.prec >= 100 else f"({value.text})"
        return self.template_for("constant", c.type).fill({
            **self.common(), "name": self.constant_name(c.name), "type": self.type(c.type), "value": text,
            "doc": self.doc([("", c.description)])})

    def quote(self, text: str) -> str:
        """A C string literal: control characters as their UTF-8 bytes (a literal ends
        after a `\\x` escape that a hex digit follows), `??` kept from trigraphs."""
        out: list[str] = []
        for i, ch in enumerate(text):
            code = ord(ch)
            if ch in self.pack.strings["escapes"]:
                out.append(self.pack.strings["escapes"][ch])
            elif code < 0x20 or 0x7F <= code < 0xA0:
                out.append("".join(f"\\x{b:02x}" for b in ch.encode("utf-8")))
                if text[i + 1:i + 2] in tuple("0123456789abcdefABCDEF"):
                    out.append('""')
            elif ch == "?" and text[i + 1:i + 2] == "?":
                out.append("\\?")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    # -- descriptors -----------------------------------------------------------------
    def descriptor(self, t: Type) -> str:
        """The name of the `pg_type` that describes `t`."""
        if t.name in BUILTIN_DESCRIPTORS:
            return BUILTIN_DESCRIPTORS[t.name]
        if t.name in self.declared:
            return f"{self.type_name(t.name)}_type"
        return f"{self.module}_{self.mangle(t)}_type"

    def mangle(self, t: Type) -> str:
        if t.name in self.declared:
            return super().type_name(t.name)
        return "_".join([MANGLED[t.name], *(self.mangle(a) for a in t.args)])

    def used_types(self) -> list[Type]:
        """Every list, map and option type the spec's values and bodies use, inner first."""
        found: dict[Type, None] = {}

        def add(t: Type) -> None:
            for a in t.args:
                add(a)
            if t.name in ("List", "Map", "Option"):
                found.setdefault(t)

        for r in self.spec.records:
            for f in r.fields:
                add(f.type)
        for c in self.spec.constants:
            add(c.type)
        for b in self.spec.behaviors:
            for t in [p.type for p in b.params] + ([b.returns] if b.returns else []):
                add(t)
            if b.body is not None:
                for node in n.walk(b.body.expr):
                    add(node.type)
        return list(found)

    def descriptor_definition(self, t: Type) -> str:
        name = self.descriptor(t)
        if t.name in ("List", "Option", "Map"):
            size = {"List": "sizeof(pg_list)", "Option": "sizeof(void *)", "Map": "sizeof(pg_map)"}[t.name]
            parts = [f".kind = PG_{t.name.upper()}", f".size = {size}", f".elem = &{self.descriptor(t.args[0])}"]
            if t.name == "Map":
                parts.append(f".value = &{self.descriptor(t.args[1])}")
            return f"const pg_type {name} = {{{', '.join(parts)}}};"
        c_type = self.type_name(t.name)
        head = f".size = sizeof({c_type}), .name = {self.quote(t.name)}"
        record = self.spec.record(t.name)
        if record is None:
            members = self.spec.enum(t.name).members
            return (f"static const char *const {c_type}_members[] = {{{', '.join(map(self.quote, members))}}};\n"
                    f"const pg_type {name} = {{\n    .kind = PG_ENUM, {head},\n"
                    f"    .members = {c_type}_members, .count = {len(members)},\n}};")
        if not record.fields:
            return f"const pg_type {name} = {{.kind = PG_RECORD, {head}}};"
        fields = "\n".join(f"    {{{self.quote(f.name)}, offsetof({c_type}, {self.field_name(t.name, f.name)}), "
                           f"&{self.descriptor(f.type)}}}," for f in record.fields)
        return (f"static const pg_field {c_type}_fields[] = {{\n{fields}\n}};\n"
                f"const pg_type {name} = {{\n    .kind = PG_RECORD, {head},\n"
                f"    .fields = {c_type}_fields, .count = {len(record.fields)},\n}};")

    def exports(self) -> list[dict[str, str]]:
        """The header's declarations (`name`) and the definitions they promise (`value`):
        type descriptors first, then one prototype per behaviour."""
        types = [Type(e.name) for e in self.spec.enums] + [Type(r.name) for r in self.ordered_records()]
        items = [{"name": f"extern const pg_type {self.descriptor(t)};", "quoted": "",
                  "value": self.descriptor_definition(t)} for t in types + self.used_types()]
        prototypes = [self.prototype(b) + ";" for b in self.spec.behaviors]
        if items and prototypes:
            prototypes[0] = "\n" + prototypes[0]
        return items + [{"name": p, "quoted": "", "value": ""} for p in prototypes]

    def prototype(self, b: Behavior) -> str:
        if not b.signature_given:
            return f"void {self.function_name(b.name)}(void)"
        scope = self.top.child()
        params = ", ".join(f"{self.type(p.type)} {scope.declare(p.name, 'param')}" for p in b.params)
        return f"{self.type(b.returns)} {self.function_name(b.name)}({params or 'void'})"

    # -- expressions -----------------------------------------------------------------
    def apply(self, base: str, operands: Sequence[n.Expr | None], result: Type | None,
              extra=None, arg_types=None) -> Rendered:
        """The base `apply`, plus the descriptors and C types the template asks for."""
        types = [o.type if o is not None else None for o in operands] if arg_types is None else []
        wanted = set(self.need(base, types if arg_types is None else arg_types, result).template.placeholders)
        more: dict[str, str] = {}
        if "D" in wanted and result is not None:
            more["D"] = self.descriptor(result)
        for i, t in enumerate(types):
            if t is not None and f"D{i}" in wanted:
                more[f"D{i}"] = self.descriptor(t)
            if t is not None and f"A{i}" in wanted:
                more[f"A{i}"] = self.type(t)
        for i, t in enumerate(result.args if result is not None else ()):
            if f"DT{i}" in wanted:
                more[f"DT{i}"] = self.descriptor(t)
        return super().apply(base, operands, result, {**more, **(extra or {})}, arg_types)

    def expr_Call(self, e: n.Call) -> Rendered:
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)  # `2.0`, not `(double)2`
        return super().expr_Call(e)

    def expr_ListLit(self, e: n.ListLit) -> Rendered:
        if not e.items:
            return self.apply("list_empty", [], e.type)
        items = ", ".join(self.expr(i).text for i in e.items)
        return self.apply("list", [], e.type, {"items": items, "count": str(len(e.items))})

    def expr_MapLit(self, e: n.MapLit) -> Rendered:
        if not e.keys:
            return self.apply("map_empty", [], e.type)
        keys = ", ".join(self.expr(k).text for k in e.keys)
        values = ", ".join(self.expr(v).text for v in e.values)
        return self.apply("map", [], e.type, {"keys": keys, "values": values, "count": str(len(e.keys))})

    # -- statements ------------------------------------------------------------------
    def stmt(self, s: Stmt) -> str:
        if isinstance(s, Append):  # the array literal holding the new item has the item's type
            return self.stmt_template("append").fill({"list": s.list, "value": self.expr(s.value).text,
                                                      "type": self.type(s.type.elem)})
        if isinstance(s, For) and not (isinstance(s.iter, n.Name) and s.iter.type.name == "List"):
            # The loop reads its list on every turn: a computed one is bound to a name first.
            seq = self.scope.fresh("chars" if s.iter.type.name == "String" else "values")
            head = self.stmt_template("declare").fill({"name": seq, "type": "pg_list",
                                                       "value": self.iter_expr(s.iter).text})
            loop = self.stmt_template("for").fill({"var": s.var, "type": self.type(s.var_type), "iter": seq,
                                                   "body": self.stmts(s.body)})
            return f"{head}\n{loop}"
        return super().stmt(s)

    # -- tests -----------------------------------------------------------------------
    def case(self, b: Behavior, case: TestCase) -> str:
        """The base case, with the C function's name and a typed expected value."""
        name = self.function_name(b.name)
        values = {**self.common(), "id": self.quote(self.case_id(b, case)), "function": name}
        if b.body is None:
            why = "no signature" if not b.signature_given else "no implementation"
            return self.template_for("case_stub").fill({**values, "message": self.quote(f"not implemented ({why})")})
        self.scope = self.top.child()
        inputs = dict(case.inputs)
        missing = [p.name for p in b.params if p.name not in inputs]
        if missing:
            raise SpecError(f"test case `{case.name}` of `{b.name}` gives no value for `{missing[0]}`")
        args = ", ".join(self.expr(value_node(inputs[p.name], p.type, self.spec)).text for p in b.params)
        values["call"] = self.apply("call_behavior", [], b.returns, {"name": name, "args": args}).text
        if case.raises:
            return self.template_for("case_raises", b.returns).fill(values)
        expected = self.expr(value_node(case.expected, b.returns, self.spec)).text
        values["expected"] = f"&{self.descriptor(b.returns)}, ({self.type(b.returns)}[]){{{expected}}}"
        values["tol"] = self.literal(case.tolerance, FLOAT).text
        return self.template_for("case", b.returns).fill(values)
