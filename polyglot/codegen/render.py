"""The base renderer: one spec, one code pack -> module source and test source.

Everything a pack can say as data is read from it here: type names, literal spellings,
an `[expr]` template per operator, builtin, method and node kind (refined by operand and
result types), statements, declarations and the test harness. A pack's render.py
subclasses `Renderer` and overrides only the hooks its language needs -- an
`expr_<Node>` method for a node, `type`, `quote`, `doc`, `record`, `function`... --
so `polyglot/` never asks which language it is rendering.

Template lookup for `[expr]` (and for the `->T`-refined `[templates]`) tries, most
specific first, with `A` the operand types and `R` the result type:

    base(A...)->R   base(A)->R (outer names)   base(A...)   base(A)   base(A0,...)
    base(A0 outer,...)   base->R   base->R (outer)   base

where a type is written as in specs (`List<Int>`, `Map<String,Float>`) with declared
types as `Record` and `Enum`, and the outer name is the part before `<`.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from polyglot.body import nodes as n
from polyglot.codegen.lower import Append, Assign, Declare, For, If, Lowerer, Return, Stmt, expressions
from polyglot.codegen.naming import Namer, Scope
from polyglot.codegen.pack import ATOM, EXPR_ITEMS, CodePack, ExprTemplate
from polyglot.codegen.template import PLACEHOLDER, Template, TemplateError
from polyglot.codegen.values import value_node
from polyglot.errors import SpecError
from polyglot.spec.ir import Behavior, Constant, Enum, Record, Spec, TestCase
from polyglot.spec.types import FLOAT, INT, Type

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_FREE_BEFORE = "([{,"
_FREE_AFTER = ")]},;"


@dataclass(frozen=True)
class Rendered:
    """Target text of an expression and how tightly it binds (higher = tighter)."""

    text: str
    prec: int = ATOM


def fill_expr(entry: ExprTemplate, values: Mapping[str, str | Rendered], paren: Template,
              item: bool = False) -> Rendered:
    """Fill an expression template, parenthesizing operands that bind too loosely.

    An operand is free (never parenthesized) when it sits between brackets or commas,
    e.g. `len({{0}})`; otherwise it needs the template's precedence (the first operand of
    a left-associative template, the last of a right-associative one) or more.

    Args:
        entry: the template with its precedence.
        values: placeholder -> plain text, or a `Rendered` operand.
        paren: how the target parenthesizes (`({{0}})`).
        item: the template is joined into a list, so its own ends count as free.

    Returns:
        The result, with the template's precedence.
    """
    slots = _slots(entry.template.text)
    if len(slots) == 2 and slots[0] == "" and slots[1][5] and isinstance(values.get(slots[1][0]), Rendered):
        return values[slots[1][0]]  # type: ignore[return-value]  # `{{0}}`: the operand itself
    operands = [s for s in slots[1:] if isinstance(values.get(s[0]), Rendered)]
    out: list[str] = [slots[0]]
    for slot in slots[1:]:
        name, default, free_before, free_after, glue, _whole, tail = slot
        if name not in values:
            raise TemplateError(f"template `{entry.template.name}` uses `{{{{{name}}}}}`, which is "
                                f"not available here; available: {', '.join(sorted(values))}")
        value = values[name]
        if not isinstance(value, Rendered):
            out += [default if value == "" and default is not None else value, tail]
            continue
        free = (free_before is True or (item and free_before is None)) and \
               (free_after is True or (item and free_after is None))
        piece = value.text
        if (not free and value.prec < _needed(entry, slot, operands)) or (glue and piece[:1] in "+-"):
            piece = paren.fill({"0": piece})  # the glue case: `-{{0}}` of -x is not `--x`
        out += [piece, tail]
    return Rendered("".join(out), entry.prec)


@functools.lru_cache(maxsize=4096)
def _slots(text: str) -> tuple:
    """Pieces of an expression template: the leading text, then per placeholder (name,
    default, free before (True/False/None at the template's start), free after, glued to
    a sign, whole template, text after it). Cached: templates are few and reused."""
    matches = list(PLACEHOLDER.finditer(text))
    out: list = [text[:matches[0].start()] if matches else text]
    for i, m in enumerate(matches):
        before = text[:m.start()].rstrip()[-1:]
        after = text[m.end():].lstrip()[:1]
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.append((m.group(1), m.group(2),
                    None if not before else before in _FREE_BEFORE,
                    None if not after else after in _FREE_AFTER,
                    text[:m.start()][-1:] in ("+", "-"),
                    len(matches) == 1 and text.strip() == m.group(0),
                    text[m.end():end]))
    return tuple(out)


def _needed(entry: ExprTemplate, slot: tuple, operands: list) -> int:
    """The least precedence operand `slot` needs: the edge operand (first when
    left-associative, last when right) may equal the operator's, the others exceed it."""
    p = entry.inner if entry.inner is not None else entry.prec
    if entry.assoc == "none":
        return p + 1
    edge = operands[0] if entry.assoc == "left" else operands[-1]
    return p if slot is edge else p + 1


class Renderer:
    """Renders one spec with one pack. Subclass it in a pack's render.py to add hooks.

    Args:
        pack: the validated code pack.
        spec: the spec to render.
        module: the target name of the spec's module (unique within the project).
        runtime: the runtime module's name (stem of the pack's runtime file).
        case_prefix: what test-case ids start with (`<module>/<behaviour>/<case>`).
    """

    def __init__(self, pack: CodePack, spec: Spec, module: str, runtime: str = "",
                 case_prefix: str | None = None) -> None:
        if pack.layout.qualify is not None:  # the module is a class: no type may share its name
            pack = dataclasses.replace(pack, naming=dataclasses.replace(
                pack.naming, reserved=pack.naming.reserved | {module}))
        self.pack, self.spec, self.module, self.runtime = pack, spec, module, runtime
        self.qualified = False  # while rendering tests of a pack with [layout] qualify
        self.case_prefix = case_prefix if case_prefix is not None else spec.module
        self.namer = Namer(pack.naming, spec.locale)
        self.top = Scope(self.namer)
        self.declared: dict[str, str] = {}  # spec type name -> "Record" | "Enum"
        for r in spec.records:
            self.top.declare(r.name, "type")
            self.declared[r.name] = "Record"
        for e in spec.enums:
            self.top.declare(e.name, "type")
            self.declared[e.name] = "Enum"
        for c in spec.constants:
            self.top.declare(c.name, "constant")
        for b in spec.behaviors:
            self.top.declare(b.name, "function")
        self.fields = {r.name: self._declare_all([f.name for f in r.fields], "field") for r in spec.records}
        self.members = {e.name: self._declare_all(list(e.members), "enum_member") for e in spec.enums}
        self.scope = self.top  # the scope of the function being rendered
        self._neg_prec = pack.expr["neg"].prec if "neg" in pack.expr else ATOM
        self._candidates: dict[tuple, list[str]] = {}  # memo: lookups repeat for every node
        special = "".join(re.escape(c) for c in pack.strings["escapes"])
        keep_all = pack.strings["non_ascii"] == "keep" and pack.strings["invisible"] == "keep"
        wide = "" if keep_all else "\\u0080-\\U0010ffff"  # those go the slow way
        self._plain_text = re.compile(f"[^{special}\\x00-\\x1f\\x7f-\\x9f{wide}]*")

    def _declare_all(self, names: Sequence[str], kind: str) -> Scope:
        scope = Scope(self.namer)
        for name in names:
            scope.declare(name, kind)
        return scope

    # -- names ---------------------------------------------------------------------------
    def type_name(self, name: str) -> str:
        return self.qualified_name(self.top.get(name, "type"))

    def qualified_name(self, name: str) -> str:
        """`name` as the test file must write it: `[layout] qualify` filled while rendering
        the tests of a pack that has one, else `name` itself."""
        qualify = self.pack.layout.qualify
        return qualify.fill({"module": self.module, "name": name}) if self.qualified and qualify else name

    def field_name(self, record: str, name: str) -> str:
        return self.fields[record].get(name, "field")

    def member_name(self, enum: str, member: str) -> str:
        return self.members[enum].get(member, "enum_member")

    # -- errors and lookup -------------------------------------------------------------
    def error(self, message: str, hint: str | None = None) -> SpecError:
        where = str(self.pack.root / "pack.toml") if self.pack.root else self.pack.name
        return SpecError(f"{self.pack.name} pack: {message}", file=where, hint=hint)

    def type_key(self, t: Type | str | None) -> str:
        """`List<Record>`-style key of a type (declared names become Record/Enum)."""
        if t is None:
            return "None"
        if isinstance(t, str):
            return t
        name = self.declared.get(t.name, t.name)
        if not t.args:
            return name
        return f"{name}<{','.join(self.type_key(a) for a in t.args)}>"

    def candidates(self, base: str, args: Sequence[Type | str | None], result: Type | None) -> list[str]:
        key = (base, tuple(args), result)
        if key not in self._candidates:
            self._candidates[key] = self._candidates_of(base, args, result)
        return self._candidates[key]

    def _candidates_of(self, base: str, args: Sequence[Type | str | None], result: Type | None) -> list[str]:
        full = [self.type_key(a) for a in args]
        outer = [k.split("<")[0] for k in full]
        keys = []
        res = [self.type_key(result), self.type_key(result).split("<")[0]] if result is not None else []
        if args:
            for r in res:
                keys += [f"{base}({','.join(full)})->{r}", f"{base}({','.join(outer)})->{r}"]
            keys += [f"{base}({','.join(full)})", f"{base}({','.join(outer)})",
                     f"{base}({full[0]},...)", f"{base}({outer[0]},...)"]
        keys += [f"{base}->{r}" for r in res] + [base]
        return list(dict.fromkeys(keys))

    def lookup(self, base: str, args: Sequence[Type | str | None] = (), result: Type | None = None,
               table: Mapping[str, ExprTemplate] | None = None) -> ExprTemplate | None:
        table = self.pack.expr if table is None else table
        for key in self.candidates(base, args, result):
            if key in table:
                return table[key]
        return None

    def need(self, base: str, args: Sequence[Type | str | None] = (), result: Type | None = None) -> ExprTemplate:
        entry = self.lookup(base, args, result)
        if entry is None:
            tried = self.candidates(base, args, result)
            raise self.error(f"no [expr] template for `{tried[0]}`",
                             hint="add one of: " + ", ".join(f'"{k}"' for k in tried))
        return entry

    def template_for(self, name: str, t: Type | None = None) -> Template:
        """A `[templates]` entry, refined by type: `constant->Int` before `constant`."""
        if t is not None:
            for key in (f"{name}->{self.type_key(t)}", f"{name}->{self.type_key(t).split('<')[0]}"):
                if key in self.pack.templates:
                    return self.pack.templates[key]
        return self.pack.templates[name]

    def apply(self, base: str, operands: Sequence[n.Expr | None], result: Type | None,
              extra: Mapping[str, str | Rendered] | None = None,
              arg_types: Sequence[Type | str | None] | None = None) -> Rendered:
        """Render `operands` and fill the best `[expr]` template for `base`."""
        entry = self.need(base, [o.type if o is not None else None for o in operands]
                          if arg_types is None else arg_types, result)
        values: dict[str, str | Rendered] = {}
        for i, o in enumerate(operands):
            values[str(i)] = self.expr(o) if o is not None else ""
        values["args"] = self.pack.join("args").join(
            v.text for v in values.values() if isinstance(v, Rendered))
        values.update(extra or {})
        self.type_values(entry.template, result, values)
        return self.fill(entry, values, item=base in EXPR_ITEMS)

    def type_values(self, template: Template, t: Type | None, values: dict) -> None:
        """Add `{{T}}`, `{{T0}}`, `{{T1}}` (the rendered type and its arguments) if used."""
        wanted = set(template.placeholders)
        if t is not None and "T" in wanted:
            values["T"] = self.type(t)
        for i in range(2):
            if f"T{i}" in wanted and t is not None and len(t.args) > i:
                values[f"T{i}"] = self.type(t.args[i])

    def fill(self, entry: ExprTemplate, values: Mapping[str, str | Rendered], item: bool = False) -> Rendered:
        """Fill an `[expr]` entry; `{{module}}` is always available (C-like targets prefix
        names with it, having one namespace for every spec of a project)."""
        try:
            return fill_expr(entry, {"module": self.module, **values}, self.pack.literals["paren"], item)
        except TemplateError as err:
            raise self.error(str(err.args[0])) from None

    # -- types ---------------------------------------------------------------------------
    def type(self, t: Type) -> str:
        """The target spelling of a type."""
        key = self.type_key(t)
        template = self.pack.types.get(key) or self.pack.types.get(key.split("<")[0])
        if template is None:
            raise self.error(f"no [types] entry for `{key}`")
        values = {str(i): self.type(a) for i, a in enumerate(t.args)}
        values["name"] = self.type_name(t.name) if t.name in self.declared else t.name
        values["module"] = self.module
        return template.fill(values)

    # -- literals ------------------------------------------------------------------------
    def quote(self, text: str) -> str:
        """A string literal of the target, escaped by the pack's `[strings]` rules."""
        rules = self.pack.strings
        if self._plain_text.fullmatch(text):
            return rules["quote"] + text + rules["quote"]
        out = []
        for ch in text:
            code = ord(ch)
            if ch in rules["escapes"]:
                out.append(rules["escapes"][ch])
            elif code < 0x20 or 0x7F <= code < 0xA0:
                out.append(_hex_fill(rules["control"], code))
            elif rules["invisible"] != "keep" and unicodedata.category(ch) in _INVISIBLE:
                out.append(_hex_fill(rules["invisible"], code))
            elif code > 0x7F and rules["non_ascii"] != "keep":
                if rules["utf16"] and code > 0xFFFF:
                    hi, lo = divmod(code - 0x10000, 0x400)
                    out.append(_hex_fill(rules["non_ascii"], 0xD800 + hi) + _hex_fill(rules["non_ascii"], 0xDC00 + lo))
                else:
                    out.append(_hex_fill(rules["non_ascii"], code))
            else:
                out.append(ch)
        return rules["quote"] + "".join(out) + rules["quote"]

    def literal(self, value: object, t: Type) -> Rendered:
        lit = self.pack.literals
        if value is None:
            return Rendered(lit["none"].fill({"v": ""}))
        if isinstance(value, bool):
            return Rendered(lit["true" if value else "false"].fill({"v": ""}))
        if isinstance(value, int) and t != FLOAT:
            key = "int_min" if value == INT64_MIN and "int_min" in lit else "int"
            text = lit[key].fill({"v": str(value)})
            return Rendered(text, self._neg_prec if value < 0 else ATOM)
        if isinstance(value, (int, float)):
            value = float(value)
            if value != value:
                return Rendered(lit["nan"].fill({"v": ""}))
            if value in (float("inf"), float("-inf")):
                text = lit["inf" if value > 0 else "neg_inf"].fill({"v": ""})
                return Rendered(text, self._neg_prec if value < 0 else ATOM)
            text = lit["float"].fill({"v": repr(value)})
            return Rendered(text, self._neg_prec if text.startswith("-") else ATOM)
        return Rendered(lit["string"].fill({"v": self.quote(str(value))}))

    # -- expressions ---------------------------------------------------------------------
    def expr(self, e: n.Expr) -> Rendered:
        """Render an expression node (dispatches to `expr_<NodeClass>`)."""
        method = getattr(self, "expr_" + type(e).__name__, None)
        if method is None:
            raise self.error(f"cannot render a {type(e).__name__} node")
        return method(e)

    def expr_Literal(self, e: n.Literal) -> Rendered:
        return self.literal(e.value, e.type)

    def expr_Name(self, e: n.Name) -> Rendered:
        if e.kind == "temp":
            target = e.id
        elif e.kind == "const":
            target = self.top.get(e.id, "constant")
        else:
            target = self.scope.get(e.id, "param" if e.kind == "param" else "local")
        return self.apply("name", [], e.type, {"name": target}, arg_types=[e.kind])

    def expr_Unary(self, e: n.Unary) -> Rendered:
        base = {"-": "neg", "+": "pos", "not": "not"}[e.op]
        if base == "pos" and self.lookup("pos", [e.operand.type], e.type) is None:
            return self.expr(e.operand)
        return self.apply(base, [e.operand], e.type)

    def expr_Binary(self, e: n.Binary) -> Rendered:
        return self.apply(e.op, [e.left, e.right], e.type)

    def expr_BoolOp(self, e: n.BoolOp) -> Rendered:
        acc: n.Expr = e.values[0]
        result = self.expr(acc)
        for v in e.values[1:]:
            entry = self.need(e.op, [acc.type, v.type], e.type)
            result = self.fill(entry, {"0": result, "1": self.expr(v), "args": ""})
        return result

    def expr_Compare(self, e: n.Compare) -> Rendered:
        return self.apply(e.op, [e.left, e.right], e.type)

    def expr_Contains(self, e: n.Contains) -> Rendered:
        return self.apply("not in" if e.negated else "in", [e.item, e.container], e.type)

    def expr_IsNone(self, e: n.IsNone) -> Rendered:
        return self.apply("is_some" if e.negated else "is_none", [e.operand], e.type)

    def expr_IfElse(self, e: n.IfElse) -> Rendered:
        return self.apply("ifelse", [e.test, e.then, e.orelse], e.type)

    def expr_Call(self, e: n.Call) -> Rendered:
        return self.apply("sorted_reverse" if e.reverse else e.func, list(e.args), e.type)

    def expr_Method(self, e: n.Method) -> Rendered:
        return self.apply("." + e.method, [e.obj, *e.args], e.type)

    def expr_Index(self, e: n.Index) -> Rendered:
        return self.apply("index", [e.obj, e.index], e.type)

    def expr_Slice(self, e: n.Slice) -> Rendered:
        base = {(True, True): "slice", (True, False): "slice_from", (False, True): "slice_to",
                (False, False): "slice_all"}[(e.lower is not None, e.upper is not None)]
        args = [e.obj.type, e.lower.type if e.lower else None, e.upper.type if e.upper else None]
        if base != "slice" and self.lookup(base, args, e.type) is not None:
            return self.apply(base, [e.obj, e.lower, e.upper], e.type)
        lower = e.lower if e.lower is not None else n.Literal(INT, e.col, 0)
        upper = e.upper if e.upper is not None else n.Literal(INT, e.col, INT64_MAX)
        return self.apply("slice", [e.obj, lower, upper], e.type)

    def expr_ListLit(self, e: n.ListLit) -> Rendered:
        if not e.items and self.lookup("list_empty", [], e.type) is not None:
            return self.apply("list_empty", [], e.type)
        items = self.pack.join("items").join(self.expr(i).text for i in e.items)
        return self.apply("list", [], e.type, {"items": items})

    def expr_MapLit(self, e: n.MapLit) -> Rendered:
        if not e.keys and self.lookup("map_empty", [], e.type) is not None:
            return self.apply("map_empty", [], e.type)
        entries = [self.apply("map_entry", [k, v], e.type, {"key": self.expr(k), "value": self.expr(v)}).text
                   for k, v in zip(e.keys, e.values)]
        return self.apply("map", [], e.type, {"entries": self.pack.join("entries").join(entries)})

    def expr_FieldGet(self, e: n.FieldGet) -> Rendered:
        return self.apply("field", [e.obj], e.type, {"field": self.field_name(e.obj.type.name, e.field)})

    def expr_RecordNew(self, e: n.RecordNew) -> Rendered:
        args = []
        for name, value in e.fields:
            entry = self.need("record_arg", [value.type], value.type)
            args.append(self.fill(entry, {"field": self.field_name(e.record, name), "value": self.expr(value),
                                          "args": ""}, item=True).text)
        return self.apply("record_new", [], e.type, {"name": self.type_name(e.record),
                                                     "args": self.pack.join("args").join(args)})

    def expr_EnumMember(self, e: n.EnumMember) -> Rendered:
        return self.apply("enum_member", [], e.type, {"enum": self.type_name(e.enum),
                                                      "member": self.member_name(e.enum, e.member)})

    def expr_OptionSome(self, e: n.OptionSome) -> Rendered:
        return self.apply("some", [e.operand], e.type)

    def expr_Unwrap(self, e: n.Unwrap) -> Rendered:
        return self.apply("unwrap", [e.operand], e.type)

    def iter_expr(self, it: n.Expr) -> Rendered:
        """An iterable as a loop or comprehension walks it (`iter(String)` -> characters)."""
        if self.lookup("iter", [it.type], None) is not None:
            return self.apply("iter", [it], None)
        return self.expr(it)

    def expr_Comprehension(self, e: n.Comprehension) -> Rendered:
        forms = self.pack.comprehension
        if forms is None:
            raise self.error("a comprehension reached the expression renderer; lowering should "
                             "have turned it into statements")
        uses_out = any("out" in t.template.placeholders for t in forms.values())
        out = self.scope.fresh("out") if uses_out else ""
        names = [self.scope.declare(g.var, "local") for g in e.generators]  # before the element
        elt = self.expr(e.elt)
        nested = "body" in forms["for"].template.placeholders
        clauses: str | Rendered
        if nested:
            inner: Rendered = self.fill(forms["push"], {"elt": elt, "out": out})
            for g, var in reversed(list(zip(e.generators, names))):
                for cond in reversed(g.conds):
                    inner = self.fill(forms["if"], {"cond": self.expr(cond), "body": inner, "out": out})
                inner = self.fill(forms["for"], {"var": var,
                                                 "iter": self.iter_expr(g.iter), "body": inner, "out": out,
                                                 "type": self.type(g.var_type)})
            clauses = inner
        else:
            parts = []
            for g, var in zip(e.generators, names):
                parts.append(self.fill(forms["for"], {"var": var, "iter": self.iter_expr(g.iter), "body": "",
                                                      "out": out, "type": self.type(g.var_type)}).text)
                parts += [self.fill(forms["if"], {"cond": self.expr(c), "body": "", "out": out}).text
                          for c in g.conds]
            clauses = self.pack.join("clauses").join(parts)
        values: dict[str, str | Rendered] = {"elt": elt, "clauses": clauses, "out": out}
        self.type_values(forms["expr"].template, e.type, values)
        return self.fill(forms["expr"], values)

    # -- statements ----------------------------------------------------------------------
    def stmt_template(self, name: str) -> Template:
        if name not in self.pack.statements:
            raise self.error(f"the body needs the `{name}` statement to lower an expression form "
                             "this pack does not render as an expression",
                             hint=f"add `{name}` under [statements], or the expression form")
        return self.pack.statements[name]

    def stmts(self, stmts: Sequence[Stmt]) -> str:
        return self.pack.join("statements").join(self.stmt(s) for s in stmts)

    def stmt(self, s: Stmt) -> str:
        """Render one lowered statement (see `polyglot.codegen.lower`)."""
        if isinstance(s, Return):
            return self.stmt_template("return").fill({"value": self.expr(s.value).text})
        if isinstance(s, Declare):
            if s.value is None:
                return self.stmt_template("declare_uninit").fill({"name": s.name, "type": self.type(s.type)})
            return self.stmt_template("declare").fill({"name": s.name, "type": self.type(s.type),
                                                       "value": self.expr(s.value).text})
        if isinstance(s, Assign):
            return self.stmt_template("assign").fill({"name": s.name, "value": self.expr(s.value).text})
        if isinstance(s, If):
            if s.orelse:
                return self.stmt_template("if_else").fill({"cond": self.expr(s.cond).text,
                                                           "then": self.stmts(s.then), "else": self.stmts(s.orelse)})
            return self.stmt_template("if").fill({"cond": self.expr(s.cond).text, "then": self.stmts(s.then)})
        if isinstance(s, For):
            return self.stmt_template("for").fill({"var": s.var, "type": self.type(s.var_type),
                                                   "iter": self.iter_expr(s.iter).text, "body": self.stmts(s.body)})
        if isinstance(s, Append):
            return self.stmt_template("append").fill({"list": s.list, "value": self.expr(s.value).text,
                                                      "type": self.type(s.type)})
        raise self.error(f"cannot render statement {type(s).__name__}")

    def locals_read(self, stmts: Sequence[Stmt]) -> set[str]:
        """Target names of the loop variables that lowered statements read (for targets
        that reject an unused loop variable)."""
        return {self.scope.get(x.id, "local") for e in expressions(stmts) for x in n.walk(e)
                if isinstance(x, n.Name) and x.kind == "local"}

    def lowerer(self) -> Lowerer:
        return Lowerer(has_comprehension=self.pack.comprehension is not None,
                       has_ifelse=any(k.startswith("ifelse") for k in self.pack.expr),
                       fresh=self.scope.fresh, local=lambda name: self.scope.declare(name, "local"))

    # -- declarations --------------------------------------------------------------------
    def common(self) -> dict[str, str]:
        if not hasattr(self, "_common"):
            self._common = {"module": self.module, "spec": self.spec.name, "runtime": self.runtime,
                            "header": self.header()}
        return self._common

    def header(self) -> str:
        version = f" {self.spec.version}" if self.spec.version else ""
        return self.comment_lines([f"Generated by polyglot from spec `{self.spec.name}`{version}.",
                                   "Edit the spec, not this file."])

    def comment_lines(self, lines: Sequence[str]) -> str:
        return "\n".join(f"{self.pack.comments['line']} {line}".rstrip() for line in lines)

    def doc(self, parts: Sequence[tuple[str, str]]) -> str:
        """A doc comment from (label, text) pairs; empty texts are left out."""
        c = self.pack.comments
        lines: list[str] = []
        for label, text in parts:
            if not text.strip():
                continue
            for i, line in enumerate(text.strip().splitlines()):
                lines.append((f"{label}: " if label and i == 0 else "") + line.strip())
        if not lines:
            return ""
        escaped = []
        for line in lines:
            # Shown, not kept: an invisible character in a comment is at best noise, at
            # worst a bidirectional control that makes the code read otherwise than it runs.
            line = "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch
                           for ch in line)
            for bad, good in c["doc_escapes"].items():
                line = line.replace(bad, good)
            escaped.append(line)
        body = [Template(c["doc_line"]).fill({"text": line}).rstrip() for line in escaped]
        return "\n".join([x for x in (c["doc_open"],) if x] + body + [x for x in (c["doc_close"],) if x])

    def join_items(self, container: Template, name: str, items: Sequence[dict[str, str]],
                   default: str) -> dict[str, str]:
        """`{{name}}` and every `{{name/TEMPLATE}}` of `container`, each item filled and joined."""
        out = {}
        for ph in container.placeholders:
            if ph == name or ph.startswith(name + "/"):
                tpl = self.pack.templates[default if ph == name else ph.split("/", 1)[1]]
                sep = self.pack.join(name if ph == name else ph.split("/", 1)[1])
                out[ph] = sep.join(tpl.fill({**self.common(), **item}) for item in items)
        return out

    def record(self, r: Record) -> str:
        tpl = self.template_for("record")
        items = [{"name": self.field_name(r.name, f.name), "type": self.type(f.type), "index": str(i),
                  "doc": self.doc([("", f.description)]), "field": f.name}
                 for i, f in enumerate(r.fields)]
        return tpl.fill({**self.common(), "name": self.type_name(r.name), "doc": self.doc([("", r.description)]),
                         **self.join_items(tpl, "fields", items, "record_field")})

    def enum(self, e: Enum) -> str:
        tpl = self.template_for("enum")
        items = [{"name": self.member_name(e.name, m), "value": self.quote(m), "index": str(i), "member": m}
                 for i, m in enumerate(e.members)]
        return tpl.fill({**self.common(), "name": self.type_name(e.name), "doc": self.doc([("", e.description)]),
                         **self.join_items(tpl, "members", items, "enum_member")})

    def constant(self, c: Constant) -> str:
        return self.template_for("constant", c.type).fill({
            **self.common(), "name": self.top.get(c.name, "constant"), "type": self.type(c.type),
            "value": self.expr(value_node(c.value, c.type, self.spec)).text,
            "doc": self.doc([("", c.description)])})

    def behavior_doc(self, b: Behavior) -> str:
        return self.doc([("", b.description), ("Given", b.given), ("When", b.when), ("Then", b.then)])

    def function(self, b: Behavior) -> str:
        """One behaviour: its body, or a stub that fails loudly when it has none."""
        self.scope = self.top.child()
        params = [{"name": self.scope.declare(p.name, "param"), "type": self.type(p.type), "index": str(i)}
                  for i, p in enumerate(b.params)]
        message = self.quote(f"not implemented: {b.name} (the spec gives no implementation)")
        values = {**self.common(), "name": self.top.get(b.name, "function"), "doc": self.behavior_doc(b),
                  "message": message}
        if not b.signature_given:
            return self.template_for("legacy_stub").fill(values)
        values["returns"] = self.type(b.returns) if b.returns is not None else ""
        if b.body is None:
            tpl = self.template_for("stub", b.returns)
        else:
            tpl = self.template_for("function", b.returns)
            values["body"] = self.stmts(self.lowerer().body(b.body.expr))
        return tpl.fill({**values, **self.join_items(tpl, "params", params, "param")})

    def ordered_records(self) -> list[Record]:
        """Records with the records their fields use first (C and friends need that)."""
        by_name = {r.name: r for r in self.spec.records}
        done: dict[str, Record] = {}

        def visit(r: Record, seen: frozenset[str]) -> None:
            if r.name in done or r.name in seen:
                return
            for f in r.fields:
                for used in _type_names(f.type):
                    if used in by_name:
                        visit(by_name[used], seen | {r.name})
            done[r.name] = r

        for r in self.spec.records:
            visit(r, frozenset())
        return list(done.values())

    def exports(self) -> list[dict[str, str]]:
        names = ([self.type_name(e.name) for e in self.spec.enums]
                 + [self.type_name(r.name) for r in self.spec.records]
                 + [self.top.get(c.name, "constant") for c in self.spec.constants]
                 + [self.top.get(b.name, "function") for b in self.spec.behaviors])
        return [{"name": name, "quoted": self.quote(name)} for name in names]

    def module_source(self) -> str:
        """The module file: enums, records, constants, one function per behaviour."""
        tpl = self.template_for("module")
        return tpl.fill({
            **self.common(),
            "enums": self.pack.join("enums").join(self.enum(e) for e in self.spec.enums),
            "records": self.pack.join("records").join(self.record(r) for r in self.ordered_records()),
            "constants": self.pack.join("constants").join(self.constant(c) for c in self.spec.constants),
            "functions": self.pack.join("functions").join(self.function(b) for b in self.spec.behaviors),
            **self.join_items(tpl, "exports", self.exports(), "export"),
        })

    # -- tests ---------------------------------------------------------------------------
    def case_id(self, b: Behavior, case: TestCase) -> str:
        return f"{self.case_prefix}/{b.name}/{case.name}"

    def case(self, b: Behavior, case: TestCase) -> str:
        """One test case through `case`, `case_raises` or `case_stub`."""
        name = self.top.get(b.name, "function")
        values = {**self.common(), "id": self.quote(self.case_id(b, case)), "function": name}
        if b.body is None:
            why = "no signature" if not b.signature_given else "no implementation"
            return self.template_for("case_stub").fill({**values, "message": self.quote(f"not implemented ({why})")})
        self.scope = self.top.child()
        inputs = dict(case.inputs)
        args = []
        for p in b.params:
            if p.name not in inputs:
                raise SpecError(f"test case `{case.name}` of `{b.name}` gives no value for `{p.name}`")
            args.append(self.case_value(self.expr(value_node(inputs[p.name], p.type, self.spec))))
        values["call"] = self.case_call(name, args, b.returns)
        if case.raises:
            return self.template_for("case_raises", b.returns).fill(values)
        values["expected"] = self.case_value(self.expr(value_node(case.expected, b.returns, self.spec)))
        values["tol"] = self.case_value(self.literal(case.tolerance, FLOAT))
        return self.template_for("case", b.returns).fill(values)

    def case_value(self, value: Rendered) -> str:
        """An argument, expected value or tolerance of a test case, as the case writes it
        (languages that apply functions by juxtaposition want atoms)."""
        return value.text

    def case_call(self, name: str, args: Sequence[str], returns: Type | None) -> str:
        """The call of a behaviour in a test case, through the `call_behavior` template."""
        return self.apply("call_behavior", [], returns, {"name": self.qualified_name(name),
                                                         "args": self.pack.join("args").join(args)}).text

    def case_ids(self) -> list[str]:
        return [self.case_id(b, c) for b in self.spec.behaviors for c in b.tests]

    def tests_source(self, tests_module: str) -> str:
        """The test file: every case of every behaviour, in spec order."""
        self.qualified = True
        try:
            return self._tests_source(tests_module)
        finally:
            self.qualified = False

    def _tests_source(self, tests_module: str) -> str:
        tpl = self.template_for("tests")
        cases = [self.case(b, c) for b in self.spec.behaviors for c in b.tests]
        return tpl.fill({**self.common(), "tests_module": tests_module,
                         "cases": self.pack.join("cases").join(cases),
                         **self.join_items(tpl, "exports", self.exports(), "export")})


#: Characters a reader cannot see in a literal, and some compilers refuse written as
#: themselves: format characters (BOM, zero-width, bidirectional controls) and the line
#: and paragraph separators.
_INVISIBLE = ("Cf", "Zl", "Zp")


def _hex_fill(template: str, code: int) -> str:
    return Template(template).fill({"hex": f"{code:x}", "hex2": f"{code:02x}", "hex4": f"{code:04x}",
                                    "hex6": f"{code:06x}", "hex8": f"{code:08x}"})


def _type_names(t: Type) -> list[str]:
    return [t.name, *(x for a in t.args for x in _type_names(a))]


__all__ = ["Rendered", "Renderer", "fill_expr"]
