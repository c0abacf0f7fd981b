import math

import pytest

from polyglot.body import nodes as N
from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.body.evaluate import EvalError, LimitExceeded, Limits, evaluate
from polyglot.spec.ir import EnumValue, Field, MapValue, Param, Record, RecordValue
from polyglot.spec.types import parse_type as T

CTX = BodyContext(
    params=(Param("xs", T("List<Int>")), Param("n", T("Int")), Param("x", T("Float")),
            Param("o", T("Int?")), Param("s", T("String")), Param("m", T("Map<String, Int>")),
            Param("items", T("List<Item>"))),
    records=(Record("Item", (Field("name", T("String")), Field("qty", T("Int")))),),
)
ENV = dict(xs=(3, -1, 2), n=-7, x=2.5, o=None, s="Hello, World", m=MapValue((("b", 2), ("a", 1))),
           items=(RecordValue("Item", (("name", "a"), ("qty", 2))),))


def run(source, **env):
    return evaluate(check_body(source, CTX), {**ENV, **env})


@pytest.mark.parametrize("source, value", [
    ("n // 2", -4), ("n % 3", 2), ("n / 2", -3.5), ("-n ** 2", -49), ("2 ** 10", 1024),
    ("round(x)", 2), ("round(3.5)", 4), ("round(-0.5)", 0), ("round(2.675, 2)", 2.67),
    ("abs(n)", 7), ("int(-2.9)", -2), ("int(' 42 ')", 42), ("float('1.5')", 1.5),
    ("str(x)", "2.5"), ("str(2.0)", "2.0"), ("str(n)", "-7"), ("str(True)", "True"),
    ("sorted(xs)", (-1, 2, 3)), ("sorted(xs, reverse=True)", (3, 2, -1)), ("sorted(m)", ("a", "b")),
    ("reversed(xs)", (2, -1, 3)), ("xs[-1]", 2), ("xs[1:]", (-1, 2)), ("xs[5:9]", ()),
    ("s[:5].upper()", "HELLO"), ("s.split(', ')", ("Hello", "World")), ("s.find('o')", 4),
    ("s.count('l')", 3), ("s.replace('l', 'L')", "HeLLo, WorLd"), ("s.startswith('He')", True),
    ("'-'.join(['a', 'b'])", "a-b"), ("len(s)", 12), ("m['b']", 2), ("'a' in m", True),
    ("[v * 2 for v in xs if v > 0]", (6, 4)), ("[a + b for a in [1, 2] for b in [10, 20]]", (11, 21, 12, 22)),
    ("sum([])", 0), ("sum([0.5, 0.25])", 0.75), ("min(xs)", -1), ("max(3, x)", 3.0),
    ("any(v < 0 for v in xs)", True), ("all(v < 0 for v in xs)", False),
    ("range(2, 8, 3)", (2, 5)), ("o is None", True),
    ("0 if o is None else o + 1", 0), ("Item(name='z', qty=n)", RecordValue("Item", (("name", "z"), ("qty", -7)))),
    ("{'k': n}", MapValue((("k", -7),))), ("[i.qty for i in items]", (2,)), ("'ab' * 3", "ababab"),
    ("-9223372036854775808", -2**63), ("n - -9223372036854775808", 2**63 - 7),
])
def test_values(source, value):
    assert run(source) == value


def test_option_present():
    assert run("0 if o is None else o + 1", o=41) == 42


@pytest.mark.parametrize("source, message", [
    ("n // 0", "division by zero"), ("x / 0", "division by zero"), ("n % 0", "division by zero"),
    ("xs[3]", "index 3 out of range for length 3"), ("m['zz']", "key 'zz' not in map"),
    ("min(xs[5:])", "min of an empty list"), ("9223372036854775807 + 1", "integer overflow"),
    ("2 ** 64", "integer overflow"), ("-9223372036854775808 - 1", "integer overflow"),
    ("-9223372036854775808 // -1", "integer overflow"), ("abs(-9223372036854775808)", "integer overflow"), ("int('x1')", "invalid Int literal 'x1'"),
    ("2 ** -1", "negative exponent for an Int power"), ("range(1, 5, 0)", "range step must not be zero"),
])
def test_runtime_errors(source, message):
    with pytest.raises(EvalError) as info:
        run(source)
    assert str(info.value) == message


def test_limits_stop_runaway_bodies():
    with pytest.raises(LimitExceeded, match="past the limit"):
        run("range(10 ** 12)")
    with pytest.raises(LimitExceeded, match="steps"):
        evaluate(check_body("[a * b for a in range(2000) for b in range(2000)]", CTX), ENV,
                 limits=Limits(steps=100_000))
    with pytest.raises(LimitExceeded, match="grew past"):
        run("'ab' * 10000000")


def test_nan_and_inf_are_values():
    assert math.isinf(run("x * 1e308 * 10"))


@pytest.mark.parametrize("source, shown", [
    # Float `//` is floor(a / b): inf, nan and -0.0 quotients pass through.
    ("str(x // 1.0)", "inf"), ("str(-x // 2.0)", "-inf"), ("str(2.0 // x)", "0.0"),
    ("str(-2.0 // x)", "-0.0"), ("str(-0.0 // 1.0)", "-0.0"), ("str(float('nan') // 2.0)", "nan"),
    ("str(1.0 // 0.1)", "10.0"), ("str(-7.5 // 2.0)", "-4.0"),
    ("str(float('1e999'))", "inf"), ("str(1e999 % 2.0)", "nan"),
    ("str(sorted([0.0, -0.0, -1.0])[1])", "0.0"), ("str(sorted([0.0, -0.0, -1.0])[2])", "-0.0"),
])
def test_float_edges(source, shown):
    assert run(source, x=float("inf")) == shown


def test_int_text_with_leading_zeros():
    assert run("int('-' + '0' * 40 + '7')") == -7


@pytest.mark.parametrize("source, error, message", [
    ("round(1.79e308, -308)", EvalError, "round(1.79e+308, -308) is too large for a Float"),
    ("x ** 1000.0", EvalError, "2.5 ** 1000.0 is too large for a Float"),
    ("0.0 ** -1.0", EvalError, "0.0 ** -1.0: zero to a negative power"),
    ("int(1e300)", EvalError, "integer overflow"),
    ("int('1' * 30)", EvalError, "integer overflow"),
    ("int('9' * 5000)", EvalError, "integer overflow"),
    ("len(range(-9223372036854775808, 9223372036854775807))", LimitExceeded,
     "range of 18446744073709551615 elements is past the limit of 1000000"),
    ("len(range(9223372036854775807, -9223372036854775808, -1))", LimitExceeded,
     "range of 18446744073709551615 elements is past the limit of 1000000"),
    ("'x' * 10 ** 18", LimitExceeded, "a value grew past 1000000 elements"),
    # a new string costs its length in steps, so a body cannot fill memory with copies
    ("[t + 'a' for t in ['x' * 100000] for v in range(1000)]", LimitExceeded,
     "evaluation took more than 1000000 steps"),
])
def test_no_python_exception_escapes(source, error, message):
    with pytest.raises(error) as info:
        run(source)
    assert str(info.value) == message


def test_upper_may_grow_past_the_size_limit():
    with pytest.raises(LimitExceeded, match="grew past 1000 elements"):
        evaluate(check_body("('ß' * 600).upper()", CTX), ENV, limits=Limits(size=1000))


def test_nesting_is_bounded():
    assert run("-" * 99 + "n") == 7
    with pytest.raises(BodyError) as info:
        check_body("-" * 100 + "n", CTX)
    assert (info.value.col, info.value.message) == (101, "the body nests more than 100 levels deep")
    with pytest.raises(BodyError, match="nests more than 100 levels"):
        check_body("1" + " + 1" * 10_000, CTX)  # past what Python's own parser can build
    deep = N.Name(T("Int"), 1, "n", "param")
    for _ in range(5000):  # a tree built without the checker
        deep = N.Unary(T("Int"), 1, "-", deep)
    with pytest.raises(LimitExceeded, match="nests too deeply"):
        evaluate(deep, ENV)


# int() and float() of text follow one rule, Python's: the whitespace str.strip() removes
# around the number (Unicode's too) except U+001C..U+001F, and underscores between digits.
NUMBER_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"


@pytest.mark.parametrize("space", list(NUMBER_SPACES))
def test_int_and_float_strip_the_same_whitespace_as_python(space):
    text = space + "12" + space
    assert run("[int(s), float(s)]", s=text) == (int(text), float(text)) == (12, 12.0)
    assert run("float(s)", s=space + "1.5" + space) == 1.5


@pytest.mark.parametrize("text", ["\x1c12", "12\x1f", "\x1d1\x1d", "1\x1e"])
def test_separators_are_whitespace_to_strip_but_not_around_a_number(text):
    assert run("s.strip()", s=text) == text.strip("\x1c\x1d\x1e\x1f")
    for body, kind in (("int(s)", "Int"), ("float(s)", "Float")):
        with pytest.raises(EvalError, match=f"invalid {kind} literal"):
            run(body, s=text)
        with pytest.raises(ValueError):  # Python refuses them too
            int(text) if kind == "Int" else float(text)


@pytest.mark.parametrize("text, value", [
    ("1_0", 10), ("-1_000_000", -1000000), (" +0_7 ", 7), ("9_223_372_036_854_775_807", 2**63 - 1),
    ("-0_009_223_372_036_854_775_808", -2**63),
])
def test_int_takes_underscores_between_digits(text, value):
    assert run("int(s)", s=text) == int(text) == value
    assert run("float(s)", s=text) == float(text) == float(value)


@pytest.mark.parametrize("text", ["1__0", "_1", "1_", "+_1", "_", "1_ 0", "1\u00a0_0"])
def test_int_refuses_underscores_python_refuses(text):
    with pytest.raises(EvalError, match="invalid Int literal"):
        run("int(s)", s=text)
    with pytest.raises(ValueError):
        int(text)


def test_int_with_underscores_past_64_bits_is_an_overflow():
    with pytest.raises(EvalError, match="integer overflow"):
        run("int(s)", s="9_223_372_036_854_775_808")
    assert run("int(s)", s="0_" * 30 + "5") == 5


@pytest.mark.parametrize("xs, total, compensated", [
    ((0.1,) * 10, 0.9999999999999999, 1.0),
    ((1e16, 1.0, -1e16), 0.0, 1.0),
    ((1e100, 1.0, -1e100, 1.0), 1.0, 2.0),
])
def test_float_sum_adds_left_to_right(xs, total, compensated):
    """Not Python 3.12's sum() (compensated, as math.fsum): what every target computes."""
    ctx = BodyContext(params=(Param("fs", T("List<Float>")),))
    assert evaluate(check_body("sum(fs)", ctx), {"fs": xs}) == total
    assert math.fsum(xs) == compensated != total


def test_float_sum_starts_at_zero():
    ctx = BodyContext(params=(Param("fs", T("List<Float>")),))
    got = evaluate(check_body("sum(fs)", ctx), {"fs": (-0.0,)})
    assert math.copysign(1.0, got) == 1.0  # 0.0 + -0.0 is 0.0
