"""The reference evaluator: what a body means, defined once, with hard limits.

Every renderer is tested against this. Semantics are Python's, narrowed where targets
differ: Int is 64-bit (overflow is an error, not a bignum), division by zero is an error
for Int and Float alike, `round` rounds half to even.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from polyglot.body import nodes as n
from polyglot.spec.ir import EnumValue, MapValue, RecordValue

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class EvalError(Exception):
    """A run-time error of the body (what a test case with `raises: true` expects)."""


class LimitExceeded(EvalError):
    """The evaluation ran past its step or size budget."""


@dataclass(frozen=True)
class Limits:
    steps: int = 1_000_000
    size: int = 1_000_000  # the longest list or string a body may build


def evaluate(expr: n.Expr, env: dict[str, Any], constants: dict[str, Any] | None = None,
             limits: Limits = Limits()) -> Any:
    """Evaluate a checked expression.

    Args:
        expr: the typed tree from `check_body`.
        env: parameter values, in IR form (tuples, MapValue, RecordValue, EnumValue).
        constants: the spec's constants by name, in IR form.
        limits: step and size budgets.

    Returns:
        The value in IR form, comparable with a test case's `expected`.

    Raises:
        EvalError: a run-time error (index out of range, division by zero, overflow...).
        LimitExceeded: the budget ran out.
    """
    machine = _Machine(limits)
    scope = {k: thaw(v) for k, v in env.items()}
    consts = {k: thaw(v) for k, v in (constants or {}).items()}
    try:
        return freeze(machine.eval(expr, scope, consts))
    except RecursionError:  # the checker bounds nesting; a tree built elsewhere may not be
        raise LimitExceeded("the body nests too deeply to evaluate") from None


def thaw(value: Any) -> Any:
    """IR values -> run-time values (lists and dicts)."""
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    if isinstance(value, MapValue):
        return {thaw(k): thaw(v) for k, v in value.entries}
    if isinstance(value, RecordValue):
        return RecordValue(value.type, tuple((k, thaw(v)) for k, v in value.fields))
    return value


def freeze(value: Any) -> Any:
    """Run-time values -> IR values (tuples and MapValue)."""
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return MapValue(tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, RecordValue):
        return RecordValue(value.type, tuple((k, freeze(v)) for k, v in value.fields))
    return value


def _int(value: int) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise EvalError("integer overflow")
    return value


#: int() of text: one sign, ASCII digits, single underscores between digits (Python's).
_INT_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*")

#: Characters str.isspace() and strip() count as whitespace that int() and float() do not
#: strip (Python's rule): a number written next to one is an error.
_NOT_NUMBER_SPACE = frozenset("\x1c\x1d\x1e\x1f")


def _number_text(text: str) -> str | None:
    """The text int() and float() read: `text` without the whitespace `strip()` removes.

    None where Python's int() and float() would refuse it whatever the number: a
    separator U+001C..U+001F anywhere, or a non-ASCII character left after stripping.
    """
    if not _NOT_NUMBER_SPACE.isdisjoint(text):
        return None
    stripped = text.strip()
    return stripped if stripped.isascii() else None


def _range_length(r: range) -> int:
    """len(r), which Python refuses past 2**63 - 1 elements (`range(INT64_MIN, INT64_MAX)`)."""
    if r.step > 0:
        return max(0, -((r.start - r.stop) // r.step))
    return max(0, -((r.stop - r.start) // -r.step))


class _Machine:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0

    def tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limits.steps:
            raise LimitExceeded(f"evaluation took more than {self.limits.steps} steps")

    def sized(self, value: Any) -> Any:
        if isinstance(value, (list, str)) and len(value) > self.limits.size:
            raise LimitExceeded(f"a value grew past {self.limits.size} elements")
        return value

    def eval(self, e: n.Expr, scope: dict[str, Any], consts: dict[str, Any]) -> Any:
        self.tick()
        method = getattr(self, "eval_" + type(e).__name__)
        return method(e, scope, consts)

    def eval_Literal(self, e, s, c):
        return e.value

    def eval_Name(self, e: n.Name, s, c):
        if e.kind == "const":
            return c[e.id]
        return s[e.id]

    def eval_OptionSome(self, e, s, c):
        return self.eval(e.operand, s, c)

    def eval_Unwrap(self, e, s, c):
        value = self.eval(e.operand, s, c)
        if value is None:
            raise EvalError("unwrapped an empty Option")
        return value

    def eval_Unary(self, e: n.Unary, s, c):
        v = self.eval(e.operand, s, c)
        if e.op == "not":
            return not v
        if e.op == "-":
            return _int(-v) if isinstance(v, int) else -v
        return v

    def eval_Binary(self, e: n.Binary, s, c):
        a, b = self.eval(e.left, s, c), self.eval(e.right, s, c)
        op = e.op
        if op == "+":
            if isinstance(a, list):
                self.tick(len(a) + len(b))
                return self.sized(a + b)
            if isinstance(a, str):  # a new string costs its length, as a list does
                self.tick(len(a) + len(b))
                return self.sized(a + b)
            return _int(a + b) if isinstance(a, int) else a + b
        if op == "*" and isinstance(a, str):
            if b > 0 and len(a) * b > self.limits.size:
                raise LimitExceeded(f"a value grew past {self.limits.size} elements")
            self.tick(len(a) * max(b, 0))
            return a * b
        if op in ("/", "//", "%") and b == 0:
            raise EvalError("division by zero")
        if op == "-":
            return _int(a - b) if isinstance(a, int) else a - b
        if op == "*":
            return _int(a * b) if isinstance(a, int) else a * b
        if op == "/":
            return a / b
        if op == "//":
            if isinstance(a, int):
                return _int(a // b)
            quotient = a / b  # IEEE floor: inf, nan and -0.0 pass through (math.floor(-0.0) is 0)
            return float(math.floor(quotient)) if math.isfinite(quotient) and quotient else quotient
        if op == "%":
            return a % b
        if op == "**":
            if isinstance(a, int):
                if b < 0:
                    raise EvalError("negative exponent for an Int power")
                if abs(a) > 1 and b > 64:
                    raise EvalError("integer overflow")
                return _int(a ** b)
            try:
                result = a ** b
            except OverflowError:
                raise EvalError(f"{a!r} ** {b!r} is too large for a Float") from None
            except ZeroDivisionError:
                raise EvalError(f"{a!r} ** {b!r}: zero to a negative power") from None
            if isinstance(result, complex):
                raise EvalError("a negative number to a fractional power")
            return result
        raise EvalError(f"unknown operator {op}")

    def eval_BoolOp(self, e: n.BoolOp, s, c):
        if e.op == "and":
            for v in e.values:
                if not self.eval(v, s, c):
                    return False
            return True
        for v in e.values:
            if self.eval(v, s, c):
                return True
        return False

    def eval_Compare(self, e: n.Compare, s, c):
        a, b = self.eval(e.left, s, c), self.eval(e.right, s, c)
        if isinstance(a, list) or isinstance(b, list):
            self.tick(min(len(a), len(b)) if isinstance(a, list) and isinstance(b, list) else 1)
        return {"==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b,
                "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b}[e.op]()

    def eval_Contains(self, e: n.Contains, s, c):
        item, container = self.eval(e.item, s, c), self.eval(e.container, s, c)
        self.tick(len(container) if isinstance(container, (list, str)) else 1)
        return (item not in container) if e.negated else (item in container)

    def eval_IsNone(self, e: n.IsNone, s, c):
        v = self.eval(e.operand, s, c)
        return (v is not None) if e.negated else (v is None)

    def eval_IfElse(self, e: n.IfElse, s, c):
        return self.eval(e.then, s, c) if self.eval(e.test, s, c) else self.eval(e.orelse, s, c)

    def eval_ListLit(self, e: n.ListLit, s, c):
        return [self.eval(i, s, c) for i in e.items]

    def eval_MapLit(self, e: n.MapLit, s, c):
        return {self.eval(k, s, c): self.eval(v, s, c) for k, v in zip(e.keys, e.values)}

    def eval_FieldGet(self, e: n.FieldGet, s, c):
        return self.eval(e.obj, s, c).get(e.field)

    def eval_RecordNew(self, e: n.RecordNew, s, c):
        return RecordValue(e.record, tuple((k, self.eval(v, s, c)) for k, v in e.fields))

    def eval_EnumMember(self, e: n.EnumMember, s, c):
        return EnumValue(e.enum, e.member)

    def eval_Index(self, e: n.Index, s, c):
        obj, idx = self.eval(e.obj, s, c), self.eval(e.index, s, c)
        if isinstance(obj, dict):
            if idx not in obj:
                raise EvalError(f"key {idx!r} not in map")
            return obj[idx]
        if not -len(obj) <= idx < len(obj):
            raise EvalError(f"index {idx} out of range for length {len(obj)}")
        return obj[idx]

    def eval_Slice(self, e: n.Slice, s, c):
        obj = self.eval(e.obj, s, c)
        lo = self.eval(e.lower, s, c) if e.lower is not None else None
        hi = self.eval(e.upper, s, c) if e.upper is not None else None
        self.tick(len(obj))
        return obj[lo:hi]

    def eval_Comprehension(self, e: n.Comprehension, s, c):
        out: list[Any] = []
        self._generate(e, 0, dict(s), c, out)
        return out

    def _generate(self, e: n.Comprehension, depth: int, scope: dict, c, out: list) -> None:
        if depth == len(e.generators):
            out.append(self.eval(e.elt, scope, c))
            self.sized(out)
            return
        gen = e.generators[depth]
        for item in self.eval(gen.iter, scope, c):
            self.tick()
            scope[gen.var] = item
            if all(self.eval(cond, scope, c) for cond in gen.conds):
                self._generate(e, depth + 1, scope, c, out)
        scope.pop(gen.var, None)

    def eval_Method(self, e: n.Method, s, c):
        obj = self.eval(e.obj, s, c)
        args = [self.eval(a, s, c) for a in e.args]
        self.tick(len(obj))
        if e.method == "split":
            if args and args[0] == "":
                raise EvalError("empty separator")
            return obj.split(*args)
        if e.method == "join":
            self.tick(len(args[0]))
            return self.sized(obj.join(args[0]))
        if e.method == "replace":
            if args[0] == "":
                raise EvalError("replace of an empty string")
            if args[1] and obj.count(args[0]) * len(args[1]) > self.limits.size:
                raise LimitExceeded(f"a value grew past {self.limits.size} elements")
        if e.method == "count" and args[0] == "":
            raise EvalError("count of an empty string")
        return self.sized(getattr(obj, e.method)(*args))  # `upper` may grow: 'ß' -> 'SS'

    def eval_Call(self, e: n.Call, s, c):
        args = [self.eval(a, s, c) for a in e.args]
        f = e.func
        if f == "len":
            return len(args[0])
        if f == "sum":
            self.tick(len(args[0]))
            if e.type.name == "Int":
                total = 0
                for v in args[0]:
                    total = _int(total + v)
                return total
            result = 0.0  # left to right, as every target adds: Python 3.12's sum() compensates
            for v in args[0]:
                result += v
            return result
        if f in ("min", "max"):
            values = args[0] if len(args) == 1 else args
            if not values:
                raise EvalError(f"{f} of an empty list")
            self.tick(len(values))
            return min(values) if f == "min" else max(values)
        if f == "abs":
            return _int(abs(args[0])) if isinstance(args[0], int) else abs(args[0])
        if f == "sorted":
            items = list(args[0]) if not isinstance(args[0], dict) else list(args[0].keys())
            self.tick(len(items) * max(1, len(items).bit_length()))
            return sorted(items, reverse=e.reverse)
        if f == "reversed":
            self.tick(len(args[0]))
            return list(reversed(args[0]))
        if f in ("any", "all"):
            self.tick(len(args[0]))
            return any(args[0]) if f == "any" else all(args[0])
        if f == "range":
            if len(args) == 3 and args[2] == 0:
                raise EvalError("range step must not be zero")
            r = range(*args)
            count = _range_length(r)
            if count > self.limits.size:
                raise LimitExceeded(f"range of {count} elements is past the limit of {self.limits.size}")
            self.tick(count)
            return list(r)
        if f == "str":
            v = args[0]
            return ("True" if v else "False") if isinstance(v, bool) else str(v)
        if f == "int":
            v = args[0]
            try:
                if isinstance(v, float):
                    if math.isnan(v) or math.isinf(v):
                        raise EvalError(f"cannot convert {v} to Int")
                    return _int(int(v))
                if isinstance(v, str):
                    text = _number_text(v)
                    if text is None or not _INT_TEXT.fullmatch(text):
                        raise EvalError(f"invalid Int literal {v!r}")
                    digits = text.lstrip("+-").replace("_", "")
                    if len(digits.lstrip("0")) > 19:  # Python refuses past 4300 digits
                        raise EvalError("integer overflow")
                    return _int(int(text))
                return int(v)
            except ValueError:
                raise EvalError(f"invalid Int literal {v!r}") from None
        if f == "float":
            v = args[0]
            if isinstance(v, str):
                text = _number_text(v)
                try:
                    if text is None:
                        raise ValueError(v)
                    return float(text)
                except ValueError:
                    raise EvalError(f"invalid Float literal {v!r}") from None
            return float(v)
        if f == "round":
            v = args[0]
            if math.isnan(v) or math.isinf(v):
                raise EvalError(f"cannot round {v}")
            if len(args) == 2:
                try:
                    return round(v, args[1])
                except OverflowError:
                    raise EvalError(f"round({v!r}, {args[1]}) is too large for a Float") from None
            return _int(round(v))
        raise EvalError(f"unknown builtin {f}")
