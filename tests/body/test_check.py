import pytest

from polyglot.body import nodes as n
from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.spec.ir import Constant, Enum, Field, Param, Record
from polyglot.spec.types import parse_type as T

CTX = BodyContext(
    params=(Param("items", T("List<Item>")), Param("n", T("Int")), Param("x", T("Float")),
            Param("o", T("Int?")), Param("s", T("String")), Param("m", T("Map<String, Int>"))),
    records=(Record("Item", (Field("name", T("String")), Field("price", T("Float")), Field("qty", T("Int")))),),
    enums=(Enum("Color", ("red", "green")),),
    constants=(Constant("LIMIT", T("Int"), 10),),
)


@pytest.mark.parametrize("source, type_", [
    ("sum(i.price * i.qty for i in items)", "Float"),
    ("n // 2 + n % 3", "Int"),
    ("n / 2", "Float"),
    ("n + x", "Float"),
    ("o + 1 if o is not None else 0", "Int"),
    ("o is not None and o > 3", "Bool"),
    ("[i.name for i in items if i.qty > LIMIT]", "List<String>"),
    ("s.split(',')", "List<String>"),
    ("', '.join(sorted(m))", "String"),
    ("Item(name=s, price=n, qty=1)", "Item"),
    ("Color.red", "Color"),
    ("None if n > 0 else n", "Option<Int>"),
    ("[]", None),
    ("{'a': 1}", "Map<String, Int>"),
    ("s[1:-1]", "String"),
    ("len(m) + len(s) + len(items)", "Int"),
    ("round(x)", "Int"),
    ("round(x, 2)", "Float"),
    ("0 <= n < 10", "Bool"),
    ("'-' * n", "String"),
    ("reversed(s)", "List<String>"),
    ("'a' in s and n in [1, 2] and 'k' in m", "Bool"),
])
def test_types_inferred(source, type_):
    if type_ is None:
        with pytest.raises(BodyError, match="cannot tell the type"):
            check_body(source, CTX)
        return
    assert str(check_body(source, CTX).type) == type_


def test_conversions_are_explicit():
    e = check_body("n + x", CTX)
    assert isinstance(e, n.Binary) and e.left == n.Call(T("Float"), 1, "float", (n.Name(T("Int"), 1, "n", "param"),))
    e = check_body("n", CTX, returns=T("Int?"))
    assert isinstance(e, n.OptionSome) and e.type == T("Int?")
    e = check_body("o + 1 if o is not None else 0", CTX)
    assert isinstance(e.then.left, n.Unwrap)
    assert check_body("[]", CTX, returns=T("List<Int>")) == n.ListLit(T("List<Int>"), 1, ())


@pytest.mark.parametrize("source, line, col, message, hint", [
    ("lambda v: v", 1, 1, "`lambda` is not supported in a body", "the body language is described in docs/body-language.md"),
    ("{v for v in items}", 1, 1, "`set comprehension` is not supported in a body", "the body language is described in docs/body-language.md"),
    ("foo(n)", 1, 1, "unknown function `foo`",
     "the builtins are len, sum, min, max, abs, sorted, reversed, any, all, range, str, int, float, round"),
    ("summ(items)", 1, 1, "unknown function `summ`", "did you mean `sum`?"),
    ("nn + 1", 1, 1, "unknown name `nn`", "did you mean `n`?"),
    ("items[0].prise", 1, 1, "record `Item` has no field `prise`", "did you mean `price`?"),
    ("s.uper()", 1, 1, "string method `uper` is not supported", "did you mean `upper`?"),
    ("n + 'a'", 1, 5, "`+` needs numbers, not String", None),
    ("not n", 1, 5, "the operand of `not` must be Bool, not Int", None),
    ("n == None", 1, 6, "compare with None using `is None`, not `==`", None),
    ("Item(name=s)", 1, 1, "`Item(...)` is missing field(s): price, qty", None),
    ("Color.blue", 1, 1, "`Color` has no member `blue`", None),
    ("s[::2]", 1, 5, "slices with a step are not supported", "use reversed(...) to reverse"),
    ("n if n > 0 else 'neg'", 1, 17, "the branches have different types: Int and String", None),
    ("[v for v in m]", 1, 13, "iterate a map through sorted(m) (its keys in order)", None),
    ("99999999999999999999", 1, 1, "integer 99999999999999999999 does not fit in 64 bits", None),
    ("n +", 1, 1, "not a valid expression: invalid syntax",
     "a body is one expression, e.g. `sum(i.price * i.qty for i in items)`"),
    # Python only warns of an unknown escape (and prints the warning): here it is an error
    ('s + "a\\d"', 1, 7, "not a valid expression: invalid escape sequence '\\d'",
     "write `\\\\d` for a backslash followed by `d`"),
])
def test_errors_are_located(source, line, col, message, hint):
    with pytest.raises(BodyError) as info:
        check_body(source, CTX)
    err = info.value
    assert (err.line, err.col, err.message, err.hint) == (line, col, message, hint)


def test_return_type_mismatch():
    with pytest.raises(BodyError) as info:
        check_body("s", CTX, returns=T("Int"))
    assert info.value.message == "the body has type String but Int is expected"


def test_shadowing_a_parameter_is_refused():
    with pytest.raises(BodyError, match="`n` already names something"):
        check_body("[n for n in items]", CTX)


def test_int64_min_is_a_literal():
    # Python reads `-9223372036854775808` as -(9223372036854775808): the sign is folded first.
    assert check_body("-9223372036854775808", CTX) == n.Literal(T("Int"), 1, -2**63)
    assert check_body("n - -9223372036854775808", CTX).right == n.Literal(T("Int"), 5, -2**63)


@pytest.mark.parametrize("source, col, message", [
    ("-9223372036854775809", 1, "integer -9223372036854775809 does not fit in 64 bits"),
    ("--9223372036854775808", 1, "integer 9223372036854775808 does not fit in 64 bits"),
    ("+9223372036854775808", 2, "integer 9223372036854775808 does not fit in 64 bits"),
])
def test_int_literals_past_64_bits(source, col, message):
    with pytest.raises(BodyError) as info:
        check_body(source, CTX)
    assert (info.value.col, info.value.message) == (col, message)


PLACEHOLDERS = ("Any", "None")


def _placeholders(e):
    def holds(t):
        return t.name in PLACEHOLDERS or any(holds(a) for a in t.args)
    found = [str(node.type) for node in n.walk(e) if holds(node.type)]
    for node in n.walk(e):
        if isinstance(node, n.Comprehension):
            found += [str(g.var_type) for g in node.generators if holds(g.var_type)]
    return found


@pytest.mark.parametrize("source, returns", [
    ("len([])", None), ("len({})", None), ("len([[]])", None), ("len([None])", None),
    ("any([])", None), ("all([])", None), ("sum(sorted([]))", None),
    ("[] == []", None), ("{} != {}", None), ("[[]] == [[], []]", None), ("m == {}", None),
    ("[] == [i.name for i in items]", None), ("sorted([]) == reversed([])", None),
    ("n in []", None), ("n not in {}", None), ("'k' in {}", None), ("[] in []", None),
    ("n in {1: []}", None), ("[][0] == n", None), ("{}['a'] == n", None), ("[[]][0] == []", None),
    ("len([v for v in []])", None), ("len([[] for i in items])", None), ("len([] + [])", None),
    ("len([][1:])", None), ("', '.join(sorted({}))", None), ("len(sorted({1: []}))", None),
    ("([] if n > 0 else None) is None", None),
    ("sorted([])", "List<Int>"), ("reversed([])", "List<String>"), ("[] + []", "List<Float>"),
    ("{}", "Map<String, Int>"), ("[None]", "List<Int?>"), ("[[]][0]", "List<Bool>"),
])
def test_no_placeholder_type_reaches_a_renderer(source, returns):
    e = check_body(source, CTX, returns=T(returns) if returns else None)
    assert _placeholders(e) == []


@pytest.mark.parametrize("source, settled", [
    ("len([])", "List<Int>"), ("len({})", "Map<Int, Int>"), ("any([])", "List<Bool>"),
    ("len([None])", "List<Option<Int>>"),
])
def test_an_empty_literal_alone_is_settled(source, settled):
    assert str(check_body(source, CTX).args[0].type) == settled


def test_an_empty_literal_takes_the_other_operands_type():
    assert str(check_body("[] == [i.name for i in items]", CTX).left.type) == "List<String>"
    e = check_body("'k' in {}", CTX)
    assert (str(e.item.type), str(e.container.type)) == ("String", "Map<String, Int>")
    e = check_body("n in []", CTX)
    assert str(e.container.type) == "List<Int>"
    assert str(check_body("{}['a'] == n", CTX).left.obj.type) == "Map<String, Int>"


@pytest.mark.parametrize("source, col, message", [
    ("[] in {}", 1, "map keys must be Int, String, Bool or an enum, not List<Int>"),
    ("{}[[]] == n", 4, "map keys must be Int, String, Bool or an enum, not List<Int>"),
    ("{1.5: n}", 1, "map keys must be Int, String, Bool or an enum, not Float"),
])
def test_map_keys_stay_hashable_everywhere(source, col, message):
    with pytest.raises(BodyError) as info:
        check_body(source, CTX)
    assert (info.value.col, info.value.message) == (col, message)


@pytest.mark.parametrize("source, col", [("'a\\x00b'", 1), ("s + '\\0'", 5), ("[s, 'x\\u0000']", 5)])
def test_a_nul_character_is_refused(source, col):
    with pytest.raises(BodyError) as info:
        check_body(source, CTX)
    err = info.value
    assert (err.line, err.col, err.message) == (1, col, "a String may not hold a NUL character (U+0000)")
    assert err.hint == "R's strings cannot hold one, so no target may"
