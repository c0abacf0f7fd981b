"""Parse a body expression with Python's `ast` and check it into typed nodes.

The checker is the gate between words and 20 renderers: anything outside the portable
subset is rejected at its column, and every node leaves with a type. Implicit conversions
are made explicit (Int -> Float as `float(x)`, T -> Option<T> as `OptionSome`, a narrowed
Option as `Unwrap`), so no renderer has to rediscover them.
"""
from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field

from polyglot.body import nodes as n
from polyglot.body.nodes import OptionSome, Unwrap
from polyglot.errors import did_you_mean
from polyglot.spec.ir import Constant, Enum, Param, Record
from polyglot.spec.types import (ANY, BOOL, FLOAT, INT, NONE, NUL, NUL_ERROR, STRING, Type, list_of, map_of,
                                  option_of)

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
BUILTINS = ("len", "sum", "min", "max", "abs", "sorted", "reversed", "any", "all", "range",
            "str", "int", "float", "round")
STRING_METHODS = ("upper", "lower", "strip", "split", "join", "replace", "startswith",
                  "endswith", "find", "count")
ORDERED = ("Int", "Float", "String")
#: How deeply expressions may nest. Every pass over a body (this checker, the evaluator, the
#: 20 renderers) recurses once or more per level; 100 keeps them all within Python's
#: default recursion limit with room to spare, and no hand-written body comes near it.
MAX_DEPTH = 100


class BodyError(Exception):
    """A body problem at (line, col), both 1-based within the body source."""

    def __init__(self, message: str, line: int = 1, col: int = 1, hint: str | None = None):
        super().__init__(message)
        self.message, self.line, self.col, self.hint = message, line, col, hint


@dataclass(frozen=True)
class BodyContext:
    """What a body may refer to: its parameters and the spec's records, enums and constants."""

    params: tuple[Param, ...] = ()
    records: tuple[Record, ...] = ()
    enums: tuple[Enum, ...] = ()
    constants: tuple[Constant, ...] = ()


def parse_body(source: str) -> ast.expr:
    """Parse `source` as one Python expression, or raise BodyError at the fault."""
    text = source.strip()
    if not text:
        raise BodyError("empty body expression")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        line = err.lineno or 1
        col = _char_col(text, line, (err.offset or 1) - 1)
        msg = (err.msg or "invalid syntax").replace("invalid syntax. ", "")
        hint = None
        if "\n" in text or ";" in text or msg.startswith("invalid syntax"):
            hint = "a body is one expression, e.g. `sum(i.price * i.qty for i in items)`"
        raise BodyError(f"not a valid expression: {msg}", line, col, hint) from None
    except (RecursionError, MemoryError):  # deeper than Python's own parser goes
        raise _too_deep(1, 1) from None
    for warning in caught:  # Python warns (and will refuse) what it reads only for now
        line = warning.lineno or 1
        message = str(warning.message)
        escape = re.search(r"'(\\.+)'", message)
        found = text.splitlines()[line - 1].find(escape.group(1)) if escape else -1
        hint = (f"write `\\{escape.group(1)}` for a backslash followed by `{escape.group(1)[1:]}`"
                if escape else None)
        raise BodyError(f"not a valid expression: {message}", line, found + 1 if found >= 0 else 1, hint)
    _check_depth(tree.body, text)
    return tree.body


def _too_deep(line: int, col: int) -> BodyError:
    return BodyError(f"the body nests more than {MAX_DEPTH} levels deep", line, col,
                     "name the parts as constants or write it more simply")


def _check_depth(tree: ast.expr, text: str) -> None:
    """A located error where the body first nests past MAX_DEPTH (walked without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(node.lineno, _char_col(text, node.lineno, node.col_offset))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))


def _char_col(text: str, line: int, byte_offset: int) -> int:
    lines = text.splitlines() or [""]
    raw = lines[min(line, len(lines)) - 1].encode("utf-8")
    return len(raw[:max(byte_offset, 0)].decode("utf-8", "replace")) + 1


def check_body(source: str, context: BodyContext, returns: Type | None = None) -> n.Expr:
    """Parse and type-check a body; coerce it to `returns` when given.

    Args:
        source: the expression text.
        context: the parameters, records, enums and constants in scope.
        returns: the behaviour's declared return type, or None to infer it.

    Returns:
        The typed expression tree (`polyglot.body.nodes`).

    Raises:
        BodyError: the first problem, located within `source`.

    Example:
        >>> check_body("a + b * 2", BodyContext(params=(Param("a", INT), Param("b", FLOAT)))).type
        Type(name='Float', args=())
    """
    text = source.strip()
    checker = _Checker(text, context)
    expr = checker.check(parse_body(text))
    if returns is not None:
        expr = checker.coerce(expr, returns, expr.col, what="the body")
    if _has_any(expr.type):
        raise BodyError("cannot tell the type of this body; declare `returns:`", 1, expr.col)
    for node in n.walk(expr):  # renderers need a concrete type on every node
        if _has_any(node.type):
            raise BodyError(f"cannot tell the type of this value ({node.type})", 1, node.col,
                            "give an empty list or map a typed context, e.g. compare it with a parameter")
    return expr


def _has_any(t: Type) -> bool:
    """Whether `t` still holds a placeholder: an empty literal's element type, or a bare None."""
    return t == ANY or t == NONE or any(_has_any(a) for a in t.args)


def _concrete(t: Type, default: Type = INT) -> Type:
    """`t` with its placeholders settled: `[]` where nothing says more is a List<Int>.

    Where a value's type cannot flow anywhere (`len([])`, `[] == []`, `x in {}`), some
    concrete type must be picked so every renderer can declare it; the choice does not
    change what the body computes.
    """
    if t == ANY:
        return default
    if t == NONE:
        return option_of(default)
    return Type(t.name, tuple(_concrete(a, default) for a in t.args))


@dataclass
class _Checker:
    source: str
    ctx: BodyContext
    scopes: list[dict[str, Type]] = field(default_factory=list)
    narrowed: list[frozenset[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.params = {p.name: p.type for p in self.ctx.params}
        self.records = {r.name: r for r in self.ctx.records}
        self.enums = {e.name: e for e in self.ctx.enums}
        self.constants = {c.name: c.type for c in self.ctx.constants}

    # -- positions and errors -------------------------------------------------------------
    def col(self, node: ast.AST) -> int:
        return _char_col(self.source, getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def fail(self, node: ast.AST, message: str, hint: str | None = None) -> BodyError:
        return BodyError(message, getattr(node, "lineno", 1), self.col(node), hint)

    # -- types ----------------------------------------------------------------------------
    def join(self, a: Type, b: Type) -> Type | None:
        """The least type both fit into, or None."""
        if a == b:
            return a
        if a == ANY:
            return b
        if b == ANY:
            return a
        if {a.name, b.name} == {"Int", "Float"} and not a.args and not b.args:
            return FLOAT
        if a == NONE:
            return b if b.name == "Option" else option_of(b)
        if b == NONE:
            return a if a.name == "Option" else option_of(a)
        if a.name == "Option" and b.name != "Option":
            inner = self.join(a.elem, b)
            return option_of(inner) if inner else None
        if b.name == "Option" and a.name != "Option":
            return self.join(b, a)
        if a.name == b.name and len(a.args) == len(b.args) and a.args:
            args = [self.join(x, y) for x, y in zip(a.args, b.args)]
            if all(args):
                return Type(a.name, tuple(args))  # type: ignore[arg-type]
        return None

    def coerce(self, e: n.Expr, target: Type, col: int, what: str = "this value") -> n.Expr:
        """`e` converted to `target` with explicit nodes, or a BodyError."""
        if e.type == target:
            return e
        if isinstance(e, n.Literal) and e.value is None and target.name == "Option":
            return n.Literal(target, e.col, None)
        if e.type == INT and target == FLOAT:
            return n.Call(FLOAT, e.col, "float", (e,))
        if target.name == "Option" and e.type.name != "Option" and e.type != NONE:
            return OptionSome(target, e.col, self.coerce(e, target.elem, col, what))
        if isinstance(e, n.ListLit) and target.name == "List":
            return n.ListLit(target, e.col, tuple(self.coerce(i, target.elem, i.col, what) for i in e.items))
        if isinstance(e, n.MapLit) and target.name == "Map":
            return n.MapLit(target, e.col,
                            tuple(self.coerce(k, target.args[0], k.col, what) for k in e.keys),
                            tuple(self.coerce(v, target.args[1], v.col, what) for v in e.values))
        if isinstance(e, n.IfElse) and self.join(e.type, target) == target:
            return n.IfElse(target, e.col, e.test, self.coerce(e.then, target, col, what),
                            self.coerce(e.orelse, target, col, what))
        if isinstance(e, n.Comprehension) and target.name == "List" and self.join(e.type, target) == target:
            return n.Comprehension(target, e.col, self.coerce(e.elt, target.elem, col, what), e.generators)
        if _has_any(e.type) and self.join(e.type, target) == target:
            pushed = self._push_type(e, target, col, what)
            if pushed is not None:
                return pushed
        shown = "None" if e.type == NONE else ("an empty list" if e.type == list_of(ANY) else str(e.type))
        raise BodyError(f"{what} has type {shown} but {target} is expected", 1, col)

    def _push_type(self, e: n.Expr, target: Type, col: int, what: str) -> n.Expr | None:
        """Settle a placeholder type inside `e` by retyping the nodes it flows through."""
        if isinstance(e, OptionSome):
            return OptionSome(target, e.col, self.coerce(e.operand, target.elem, col, what))
        if isinstance(e, n.Binary) and e.op == "+":  # lists joined
            return n.Binary(target, e.col, "+", self.coerce(e.left, target, col, what),
                            self.coerce(e.right, target, col, what))
        if isinstance(e, n.Slice):
            return n.Slice(target, e.col, self.coerce(e.obj, target, col, what), e.lower, e.upper)
        if isinstance(e, n.Call) and e.func in ("sorted", "reversed"):
            arg = e.args[0]
            if arg.type.name == "Map":  # sorted(m) is the list of m's keys
                arg_target = map_of(target.elem, _concrete(arg.type.args[1]))
            else:
                arg_target = target
            return n.Call(target, e.col, e.func, (self.coerce(arg, arg_target, col, what),), e.reverse)
        if isinstance(e, n.Index) and e.obj.type.name in ("List", "Map"):
            obj_target = list_of(target) if e.obj.type.name == "List" else map_of(e.obj.type.args[0], target)
            return n.Index(target, e.col, self.coerce(e.obj, obj_target, col, what), e.index)
        return None

    def settle(self, e: n.Expr, default: Type = INT) -> n.Expr:
        """`e` with its placeholder types made concrete, where nothing else will fix them."""
        return self.coerce(e, _concrete(e.type, default), e.col) if _has_any(e.type) else e

    def unify(self, exprs: list[n.Expr], node: ast.AST, what: str) -> tuple[Type, list[n.Expr]]:
        t: Type | None = ANY if not exprs else exprs[0].type
        for e in exprs[1:]:
            joined = self.join(t, e.type)  # type: ignore[arg-type]
            if joined is None:
                raise BodyError(f"{what} mix {t} and {e.type}", 1, e.col)
            t = joined
        assert t is not None
        return t, [self.coerce(e, t, e.col) for e in exprs]

    def expect(self, e: n.Expr, names: tuple[str, ...], node: ast.AST, what: str) -> None:
        if e.type.name not in names:
            allowed = " or ".join(names)
            raise BodyError(f"{what} must be {allowed}, not {e.type}", 1, e.col)

    # -- the walk -------------------------------------------------------------------------
    def check(self, node: ast.expr) -> n.Expr:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, f"`{_describe(node)}` is not supported in a body",
                            "the body language is described in docs/body-language.md")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> n.Expr:
        v, c = node.value, self.col(node)
        if v is None:
            return n.Literal(NONE, c, None)
        if isinstance(v, bool):
            return n.Literal(BOOL, c, v)
        if isinstance(v, int):
            return self._int_literal(node, v)
        if isinstance(v, float):
            return n.Literal(FLOAT, c, v)
        if isinstance(v, str):
            if NUL in v:
                raise self.fail(node, *NUL_ERROR)
            return n.Literal(STRING, c, v)
        raise self.fail(node, f"{type(v).__name__} literals are not supported")

    def _int_literal(self, node: ast.AST, value: int) -> n.Expr:
        if not INT64_MIN <= value <= INT64_MAX:
            raise self.fail(node, f"integer {value} does not fit in 64 bits")
        return n.Literal(INT, self.col(node), value)

    def lookup(self, name: str) -> tuple[Type, str] | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name], "local"
        if name in self.params:
            return self.params[name], "param"
        if name in self.constants:
            return self.constants[name], "const"
        return None

    def visit_Name(self, node: ast.Name) -> n.Expr:
        found = self.lookup(node.id)
        if found is None:
            known = [*self.params, *self.constants, *(k for s in self.scopes for k in s)]
            hint = did_you_mean(node.id, known)
            if node.id in self.records or node.id in self.enums:
                hint = f"`{node.id}` is a type; use `{node.id}(...)` or `{node.id}.member`"
            raise self.fail(node, f"unknown name `{node.id}`", hint)
        t, kind = found
        name = n.Name(t, self.col(node), node.id, kind)
        if t.name == "Option" and any(node.id in s for s in self.narrowed):
            return Unwrap(t.elem, name.col, name)
        return name

    def visit_UnaryOp(self, node: ast.UnaryOp) -> n.Expr:
        literal = node.operand
        if (isinstance(node.op, ast.USub) and isinstance(literal, ast.Constant)
                and type(literal.value) is int):
            # Python parses -9223372036854775808 as -(9223372036854775808): fold the sign
            # first, or Int64's minimum could never be written.
            return self._int_literal(node, -literal.value)
        operand = self.check(node.operand)
        if isinstance(node.op, ast.Not):
            self.expect(operand, ("Bool",), node, "the operand of `not`")
            return n.Unary(BOOL, self.col(node), "not", operand)
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            self.expect(operand, ("Int", "Float"), node, "a signed value")
            if isinstance(operand, n.Literal) and isinstance(node.op, ast.USub):
                value = -operand.value
                if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
                    raise self.fail(node, f"integer {value} does not fit in 64 bits")
                return n.Literal(operand.type, self.col(node), value)
            return n.Unary(operand.type, self.col(node), "-" if isinstance(node.op, ast.USub) else "+", operand)
        raise self.fail(node, "bitwise `~` is not supported")

    _ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
              ast.Mod: "%", ast.Pow: "**"}

    def visit_BinOp(self, node: ast.BinOp) -> n.Expr:
        op = self._ARITH.get(type(node.op))
        if op is None:
            raise self.fail(node, f"operator `{_op_text(node.op)}` is not supported")
        left, right = self.check(node.left), self.check(node.right)
        c = self.col(node)
        if op == "+" and left.type == STRING and right.type == STRING:
            return n.Binary(STRING, c, "+", left, right)
        if op == "+" and left.type.name == "List" and right.type.name == "List":
            t, (left, right) = self.unify([left, right], node, "the lists joined with `+`")
            return n.Binary(t, c, "+", left, right)
        if op == "*" and {left.type, right.type} == {STRING, INT}:
            if left.type == INT:
                left, right = right, left
            return n.Binary(STRING, c, "*", left, right)
        for side in (left, right):
            if side.type not in (INT, FLOAT):
                raise BodyError(f"`{op}` needs numbers, not {side.type}", 1, side.col,
                                "strings and lists join with `+`" if op != "+" else None)
        if op == "/" or FLOAT in (left.type, right.type):
            left, right = self.coerce(left, FLOAT, left.col), self.coerce(right, FLOAT, right.col)
            return n.Binary(FLOAT, c, op, left, right)
        return n.Binary(INT, c, op, left, right)

    def visit_BoolOp(self, node: ast.BoolOp) -> n.Expr:
        op = "and" if isinstance(node.op, ast.And) else "or"
        values: list[n.Expr] = []
        pushed = 0
        for value in node.values:
            e = self.check(value)
            self.expect(e, ("Bool",), value, f"each operand of `{op}`")
            values.append(e)
            present = _narrowing(e, positive=(op == "and"))
            if present:
                self.narrowed.append(present)
                pushed += 1
        del self.narrowed[len(self.narrowed) - pushed:]
        return n.BoolOp(BOOL, self.col(node), op, tuple(values))

    _CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}

    def visit_Compare(self, node: ast.Compare) -> n.Expr:
        parts: list[n.Expr] = []
        left_ast, left = node.left, self.check(node.left)
        for op, right_ast in zip(node.ops, node.comparators):
            c = self.col(left_ast)
            if isinstance(op, (ast.Is, ast.IsNot)):
                if not (isinstance(right_ast, ast.Constant) and right_ast.value is None):
                    raise self.fail(right_ast, "`is` only compares with None", "use `==` for values")
                if left.type.name != "Option":
                    raise BodyError(f"`is None` needs an Option, not {left.type}", 1, left.col)
                operand = self.settle(left.operand if isinstance(left, Unwrap) else left)
                parts.append(n.IsNone(BOOL, c, operand, isinstance(op, ast.IsNot)))
                left_ast, left = right_ast, self.check(right_ast)
                continue
            right = self.check(right_ast)
            if isinstance(op, (ast.In, ast.NotIn)):
                parts.append(self._contains(left, right, isinstance(op, ast.NotIn), c))
            elif type(op) in self._CMP:
                sym = self._CMP[type(op)]
                if NONE in (left.type, right.type):
                    raise self.fail(right_ast, f"compare with None using `is None`, not `{sym}`")
                t = self.join(left.type, right.type)
                if t is None:
                    raise BodyError(f"cannot compare {left.type} with {right.type}", 1, right.col)
                if sym not in ("==", "!=") and t.name not in ORDERED:
                    raise BodyError(f"`{sym}` needs numbers or strings, not {t}", 1, left.col)
                t = _concrete(t)  # `[] == []`: nothing says more
                parts.append(n.Compare(BOOL, c, sym, self.coerce(left, t, left.col),
                                       self.coerce(right, t, right.col)))
            else:
                raise self.fail(right_ast, f"comparison `{_op_text(op)}` is not supported")
            left_ast, left = right_ast, right
        if len(parts) == 1:
            return parts[0]
        return n.BoolOp(BOOL, self.col(node), "and", tuple(parts))

    def _contains(self, item: n.Expr, container: n.Expr, negated: bool, c: int) -> n.Expr:
        t = container.type
        if t == STRING:
            self.expect(item, ("String",), None, "the left of `in` a string")  # type: ignore[arg-type]
            return n.Contains(BOOL, c, item, container, negated)
        if t.name in ("List", "Map"):
            key = t.args[0]
            if _has_any(key):  # `x in []`, `k in {}`: the item says what the container holds
                key = _concrete(self.join(item.type, key) or key)
                if t.name == "Map":
                    self.map_key(key, item.col)
                held = list_of(key) if t.name == "List" else map_of(key, t.args[1])
                container = self.coerce(container, held, container.col)
            item = self.coerce(self.settle(item), key, item.col, "the left of `in`")
            return n.Contains(BOOL, c, item, self.settle(container), negated)
        raise BodyError(f"`in` needs a List, String or Map on the right, not {t}", 1, container.col)

    def visit_IfExp(self, node: ast.IfExp) -> n.Expr:
        test = self.check(node.test)
        self.expect(test, ("Bool",), node.test, "the condition")
        then = self._with_narrowing(_narrowing(test, True), node.body)
        orelse = self._with_narrowing(_narrowing(test, False), node.orelse)
        t = self.join(then.type, orelse.type)
        if t is None:
            raise BodyError(f"the branches have different types: {then.type} and {orelse.type}", 1, orelse.col)
        return n.IfElse(t, self.col(node), test, self.coerce(then, t, then.col), self.coerce(orelse, t, orelse.col))

    def _with_narrowing(self, names: frozenset[str] | None, node: ast.expr) -> n.Expr:
        if not names:
            return self.check(node)
        self.narrowed.append(names)
        try:
            return self.check(node)
        finally:
            self.narrowed.pop()

    def visit_List(self, node: ast.List) -> n.Expr:
        items = [self.check(e) for e in node.elts]
        t, items = self.unify(items, node, "list items")
        return n.ListLit(list_of(t), self.col(node), tuple(items))

    def visit_Dict(self, node: ast.Dict) -> n.Expr:
        if any(k is None for k in node.keys):
            raise self.fail(node, "`**` unpacking is not supported")
        keys = [self.check(k) for k in node.keys]  # type: ignore[arg-type]
        values = [self.check(v) for v in node.values]
        kt, keys = self.unify(keys, node, "map keys")
        vt, values = self.unify(values, node, "map values")
        if kt != ANY:
            self.map_key(kt, self.col(node))
        return n.MapLit(map_of(kt, vt), self.col(node), tuple(keys), tuple(values))

    def map_key(self, t: Type, col: int) -> None:
        """Map keys are values every target can hash and compare the same way."""
        if t not in (INT, STRING, BOOL) and t.name not in self.enums:
            raise BodyError(f"map keys must be Int, String, Bool or an enum, not {t}", 1, col)

    def visit_Attribute(self, node: ast.Attribute) -> n.Expr:
        if isinstance(node.value, ast.Name) and node.value.id in self.enums and self.lookup(node.value.id) is None:
            enum = self.enums[node.value.id]
            if node.attr not in enum.members:
                raise self.fail(node, f"`{enum.name}` has no member `{node.attr}`",
                                did_you_mean(node.attr, enum.members))
            return n.EnumMember(Type(enum.name), self.col(node), enum.name, node.attr)
        obj = self.check(node.value)
        record = self.records.get(obj.type.name)
        if record is None:
            if obj.type == STRING and node.attr in STRING_METHODS:
                raise self.fail(node, f"`.{node.attr}` is a method; call it: `.{node.attr}(...)`")
            raise self.fail(node, f"{obj.type} has no field `{node.attr}`")
        for f in record.fields:
            if f.name == node.attr:
                return n.FieldGet(f.type, self.col(node), obj, node.attr)
        raise self.fail(node, f"record `{record.name}` has no field `{node.attr}`",
                        did_you_mean(node.attr, [f.name for f in record.fields]))

    def visit_Subscript(self, node: ast.Subscript) -> n.Expr:
        obj = self.check(node.value)
        c = self.col(node)
        if isinstance(node.slice, ast.Slice):
            if node.slice.step is not None:
                raise self.fail(node.slice.step, "slices with a step are not supported",
                                "use reversed(...) to reverse")
            if obj.type.name not in ("List", "String"):
                raise BodyError(f"only lists and strings can be sliced, not {obj.type}", 1, obj.col)
            bounds = []
            for b in (node.slice.lower, node.slice.upper):
                if b is None:
                    bounds.append(None)
                    continue
                e = self.check(b)
                self.expect(e, ("Int",), b, "a slice bound")
                bounds.append(e)
            return n.Slice(obj.type, c, obj, bounds[0], bounds[1])
        index = self.check(node.slice)
        if obj.type.name == "Map":
            key = obj.type.args[0]
            if _has_any(key):  # `{}[k]`: the key says what the map holds
                key = _concrete(self.join(index.type, key) or key)
                self.map_key(key, index.col)
                obj = self.coerce(obj, map_of(key, obj.type.args[1]), obj.col)
            return n.Index(obj.type.args[1], c, obj, self.coerce(index, key, index.col, "the key"))
        if obj.type.name in ("List", "String"):
            self.expect(index, ("Int",), node.slice, "an index")
            return n.Index(STRING if obj.type == STRING else obj.type.elem, c, obj, index)
        raise BodyError(f"{obj.type} cannot be indexed", 1, obj.col)

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> n.Expr:
        gens: list[n.Generator] = []
        self.scopes.append({})
        try:
            for g in node.generators:
                if g.is_async:
                    raise self.fail(node, "async comprehensions are not supported")
                if not isinstance(g.target, ast.Name):
                    raise self.fail(g.target, "a loop variable must be a single name",
                                    "tuple unpacking is not supported")
                it = self.settle(self.check(g.iter))  # `for x in []`: x needs a type
                if it.type == STRING:
                    elem = STRING
                elif it.type.name == "List":
                    elem = it.type.elem
                elif it.type.name == "Map":
                    raise BodyError("iterate a map through sorted(m) (its keys in order)", 1, it.col)
                else:
                    raise BodyError(f"cannot iterate over {it.type}", 1, it.col)
                var = g.target.id
                if var in self.params or var in self.constants or any(var in s for s in self.scopes):
                    raise self.fail(g.target, f"`{var}` already names something; pick another loop variable")
                self.scopes[-1][var] = elem
                conds = []
                for cond in g.ifs:
                    e = self.check(cond)
                    self.expect(e, ("Bool",), cond, "a comprehension filter")
                    conds.append(e)
                gens.append(n.Generator(var, elem, it, tuple(conds)))
            elt = self.check(node.elt)
        finally:
            self.scopes.pop()
        return n.Comprehension(list_of(elt.type), self.col(node), elt, tuple(gens))

    visit_ListComp = _comprehension
    visit_GeneratorExp = _comprehension

    def visit_Call(self, node: ast.Call) -> n.Expr:
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise self.fail(node, "`*` and `**` arguments are not supported")
        if isinstance(node.func, ast.Attribute):
            return self._method(node)
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only builtins, string methods and record constructors can be called")
        name = node.func.id
        if name in self.records:
            return self._record(node, self.records[name])
        if name not in BUILTINS:
            raise self.fail(node.func, f"unknown function `{name}`",
                            did_you_mean(name, [*BUILTINS, *self.records]) or
                            f"the builtins are {', '.join(BUILTINS)}")
        args = [self.check(a) for a in node.args]
        kwargs = {k.arg: k for k in node.keywords}
        allowed_kw = {"sorted": {"reverse"}}.get(name, set())
        for k, kw in kwargs.items():
            if k not in allowed_kw:
                raise self.fail(kw, f"`{name}` takes no keyword `{k}`")
        return getattr(self, "call_" + name)(node, args, kwargs)

    def arity(self, node: ast.Call, args: list, lo: int, hi: int | None = None) -> None:
        hi = lo if hi is None else hi
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise self.fail(node, f"`{node.func.id}` takes {want} argument(s), got {len(args)}")  # type: ignore[attr-defined]

    def _seq_elem(self, e: n.Expr, what: str) -> Type:
        if e.type.name == "List":
            return e.type.elem
        raise BodyError(f"{what} needs a list, not {e.type}", 1, e.col)

    def call_len(self, node, args, kw):
        self.arity(node, args, 1)
        self.expect(args[0], ("List", "String", "Map"), node, "the argument of `len`")
        return n.Call(INT, self.col(node), "len", (self.settle(args[0]),))

    def call_sum(self, node, args, kw):
        self.arity(node, args, 1)
        elem = self._seq_elem(args[0], "`sum`")
        if elem == ANY:
            return n.Call(INT, self.col(node), "sum", (self.settle(args[0]),))
        if elem not in (INT, FLOAT):
            raise BodyError(f"`sum` needs numbers, not a list of {elem}", 1, args[0].col)
        return n.Call(elem, self.col(node), "sum", tuple(args))

    def _minmax(self, node, args, kw):
        name = node.func.id
        if len(args) == 0:
            raise self.fail(node, f"`{name}` needs a list or at least two values")
        if len(args) == 1:
            elem = self._seq_elem(args[0], f"`{name}` of one argument")
            if elem.name not in ORDERED:
                raise BodyError(f"`{name}` needs numbers or strings, not {elem}", 1, args[0].col)
            return n.Call(elem, self.col(node), name, tuple(args))
        t, args = self.unify(args, node, f"the arguments of `{name}`")
        if t.name not in ORDERED:
            raise self.fail(node, f"`{name}` needs numbers or strings, not {t}")
        return n.Call(t, self.col(node), name, tuple(args))

    call_min = call_max = _minmax

    def call_abs(self, node, args, kw):
        self.arity(node, args, 1)
        self.expect(args[0], ("Int", "Float"), node, "the argument of `abs`")
        return n.Call(args[0].type, self.col(node), "abs", tuple(args))

    def call_sorted(self, node, args, kw):
        self.arity(node, args, 1)
        reverse = False
        if "reverse" in kw:
            value = kw["reverse"].value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
                raise self.fail(value, "`reverse=` must be True or False")
            reverse = value.value
        t = args[0].type
        if t.name == "Map":  # its keys; what it holds does not matter, but must be concrete
            args = [self.coerce(args[0], map_of(t.args[0], _concrete(t.args[1])), args[0].col)]
            t = list_of(t.args[0])
        elif t == STRING:
            t = list_of(STRING)
        elif t.name != "List":
            raise BodyError(f"`sorted` needs a list, string or map, not {t}", 1, args[0].col)
        if t.elem.name not in ORDERED + ("Bool", "Any"):
            raise BodyError(f"`sorted` needs numbers or strings, not {t.elem}", 1, args[0].col)
        return n.Call(t, self.col(node), "sorted", tuple(args), reverse)

    def call_reversed(self, node, args, kw):
        self.arity(node, args, 1)
        t = args[0].type
        if t == STRING:
            return n.Call(list_of(STRING), self.col(node), "reversed", tuple(args))
        self._seq_elem(args[0], "`reversed`")
        return n.Call(t, self.col(node), "reversed", tuple(args))

    def _anyall(self, node, args, kw):
        self.arity(node, args, 1)
        elem = self._seq_elem(args[0], f"`{node.func.id}`")
        if elem not in (BOOL, ANY):
            raise BodyError(f"`{node.func.id}` needs a list of Bool, not of {elem}", 1, args[0].col)
        return n.Call(BOOL, self.col(node), node.func.id, (self.settle(args[0], BOOL),))

    call_any = call_all = _anyall

    def call_range(self, node, args, kw):
        self.arity(node, args, 1, 3)
        for a in args:
            self.expect(a, ("Int",), node, "a `range` bound")
        return n.Call(list_of(INT), self.col(node), "range", tuple(args))

    def call_str(self, node, args, kw):
        self.arity(node, args, 1)
        self.expect(args[0], ("Int", "Float", "Bool", "String"), node, "the argument of `str`")
        return n.Call(STRING, self.col(node), "str", tuple(args))

    def call_int(self, node, args, kw):
        self.arity(node, args, 1)
        self.expect(args[0], ("Int", "Float", "Bool", "String"), node, "the argument of `int`")
        return n.Call(INT, self.col(node), "int", tuple(args))

    def call_float(self, node, args, kw):
        self.arity(node, args, 1)
        self.expect(args[0], ("Int", "Float", "String"), node, "the argument of `float`")
        return n.Call(FLOAT, self.col(node), "float", tuple(args))

    def call_round(self, node, args, kw):
        self.arity(node, args, 1, 2)
        self.expect(args[0], ("Int", "Float"), node, "the value to round")
        if len(args) == 2:
            self.expect(args[1], ("Int",), node, "the number of digits")
            return n.Call(FLOAT, self.col(node), "round", (self.coerce(args[0], FLOAT, args[0].col), args[1]))
        return n.Call(INT, self.col(node), "round", (self.coerce(args[0], FLOAT, args[0].col),))

    _METHOD_SIG = {  # method -> (argument types, result type)
        "upper": ((), STRING), "lower": ((), STRING), "strip": ((), STRING),
        "replace": ((STRING, STRING), STRING), "startswith": ((STRING,), BOOL),
        "endswith": ((STRING,), BOOL), "find": ((STRING,), INT), "count": ((STRING,), INT),
    }

    def _method(self, node: ast.Call) -> n.Expr:
        func = node.func
        assert isinstance(func, ast.Attribute)
        if node.keywords:
            raise self.fail(node.keywords[0], "keyword arguments are not supported in method calls")
        obj = self.check(func.value)
        args = [self.check(a) for a in node.args]
        c = self.col(node)
        if obj.type != STRING:
            raise BodyError(f"{obj.type} has no method `{func.attr}`", 1, obj.col,
                            "only strings have methods; use builtins such as len(xs) or sorted(xs)")
        if func.attr not in STRING_METHODS:
            raise self.fail(func, f"string method `{func.attr}` is not supported",
                            did_you_mean(func.attr, STRING_METHODS) or f"supported: {', '.join(STRING_METHODS)}")
        if func.attr == "split":
            if len(args) > 1:
                raise self.fail(node, "`split` takes at most one argument (the separator)")
            for a in args:
                self.expect(a, ("String",), node, "the separator")
            return n.Method(list_of(STRING), c, obj, "split", tuple(args))
        if func.attr == "join":
            if len(args) != 1:
                raise self.fail(node, "`join` takes one argument: a list of strings")
            lst = self.coerce(args[0], list_of(STRING), args[0].col, "the argument of `join`")
            return n.Method(STRING, c, obj, "join", (lst,))
        params, result = self._METHOD_SIG[func.attr]
        if len(args) != len(params):
            raise self.fail(node, f"`{func.attr}` takes {len(params)} argument(s), got {len(args)}")
        for a, p in zip(args, params):
            self.coerce(a, p, a.col, f"the argument of `{func.attr}`")
        return n.Method(result, c, obj, func.attr, tuple(args))

    def _record(self, node: ast.Call, record: Record) -> n.Expr:
        if node.args:
            raise self.fail(node.args[0], f"give `{record.name}` fields by name, e.g. "
                            f"`{record.name}({record.fields[0].name}=...)`" if record.fields else
                            f"`{record.name}` takes no arguments")
        given = {k.arg: k for k in node.keywords}
        names = [f.name for f in record.fields]
        for k, kw in given.items():
            if k not in names:
                raise self.fail(kw, f"record `{record.name}` has no field `{k}`", did_you_mean(k, names))
        missing = [f for f in names if f not in given]
        if missing:
            raise self.fail(node, f"`{record.name}(...)` is missing field(s): {', '.join(missing)}")
        fields = []
        for f in record.fields:
            value = self.check(given[f.name].value)
            fields.append((f.name, self.coerce(value, f.type, value.col, f"field `{f.name}`")))
        return n.RecordNew(Type(record.name), self.col(node), record.name, tuple(fields))


def _narrowing(test: n.Expr, positive: bool) -> frozenset[str] | None:
    """Names known to be present when `test` is `positive` (True) or not (False)."""
    if isinstance(test, n.IsNone) and isinstance(test.operand, n.Name):
        if test.negated == positive:
            return frozenset({test.operand.id})
    if isinstance(test, n.BoolOp) and test.op == "and" and positive:
        found = [x for v in test.values if (x := _narrowing(v, True))]
        return frozenset().union(*found) if found else None
    return None


def _describe(node: ast.AST) -> str:
    return {
        "Lambda": "lambda", "DictComp": "dict comprehension", "SetComp": "set comprehension",
        "Set": "set literal", "Tuple": "tuple", "JoinedStr": "f-string", "NamedExpr": ":=",
        "Await": "await", "Yield": "yield", "YieldFrom": "yield from", "Starred": "*",
    }.get(type(node).__name__, type(node).__name__)


def _op_text(op: ast.AST) -> str:
    return {"BitAnd": "&", "BitOr": "|", "BitXor": "^", "LShift": "<<", "RShift": ">>",
            "MatMult": "@", "Invert": "~"}.get(type(op).__name__, type(op).__name__)
