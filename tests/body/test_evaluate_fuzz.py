"""No well-typed body may escape the evaluator as anything but a value or an EvalError.

Random Int, Float and String expressions built from the edges of each type (Int64's ends,
inf, nan, -0.0, huge exponents, long strings), run on inputs from the same edges.
"""
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyglot.body.check import BodyContext, BodyError, check_body
from polyglot.body.evaluate import EvalError, evaluate
from polyglot.spec.ir import Param
from polyglot.spec.types import parse_type as T

CTX = BodyContext(params=(Param("n", T("Int")), Param("x", T("Float")), Param("s", T("String")),
                          Param("xs", T("List<Int>")), Param("fs", T("List<Float>"))))
ENVS = [
    dict(n=0, x=math.inf, s="", xs=(), fs=()),
    dict(n=2**63 - 1, x=-0.0, s="ß" * 8, xs=(2**63 - 1, -2**63), fs=(1e308, math.nan)),
    dict(n=-2**63, x=1e308, s=" 42 ", xs=(64, -1), fs=(-0.0, 0.0)),
]
INTS = st.sampled_from(["0", "-1", "2", "64", "9223372036854775807", "-9223372036854775808", "10 ** 18",
                        "n", "len(s)", "len(xs)", "-308"])
FLOATS = st.sampled_from(["-0.0", "0.5", "1.79e308", "-1e308", "1e999", "5e-324", "x", "float('nan')"])
STRINGS = st.sampled_from(["s", "''", "'ab'", "' -7 '", "'1e999'", "'9' * 30"])


def _int(inner):
    i, f, s = inner
    return st.one_of(
        st.builds("({} {} {})".format, i, st.sampled_from(["+", "-", "*", "//", "%", "**"]), i),
        st.builds("abs({})".format, i), st.builds("int({})".format, f), st.builds("int({})".format, s),
        st.builds("round({})".format, f), st.builds("len(range({}, {}, {}))".format, i, i, i),
        st.builds("sum(range({}, {}))".format, i, i), st.builds("max(xs + [{}])".format, i),
        st.builds("{}.find({})".format, s, s))


def _float(inner):
    i, f, s = inner
    return st.one_of(
        st.builds("({} {} {})".format, f, st.sampled_from(["+", "-", "*", "/", "//", "%", "**"]), f),
        st.builds("round({}, {})".format, f, i), st.builds("float({})".format, s),
        st.builds("sum(fs + [{}])".format, f), st.builds("min(sorted(fs + [{}, -0.0]))".format, f))


def _string(inner):
    i, f, s = inner
    return st.one_of(
        st.builds("({} * {})".format, s, i), st.builds("({} + {})".format, s, s),
        st.builds("str({})".format, f), st.builds("str({})".format, i),
        st.builds("{}.replace({}, {})".format, s, s, s), st.builds("{}.upper()".format, s),
        st.builds("'-'.join({}.split({}))".format, s, s), st.builds("{}[{}:{}]".format, s, i, i))


def _expressions(depth: int):
    leaves = (INTS, FLOATS, STRINGS)
    for _ in range(depth):
        leaves = (st.one_of(leaves[0], _int(leaves)), st.one_of(leaves[1], _float(leaves)),
                  st.one_of(leaves[2], _string(leaves)))
    return st.one_of(*leaves)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions(3))
def test_only_values_or_eval_errors(source):
    try:
        expr = check_body(source, CTX)
    except BodyError:
        return
    for env in ENVS:
        try:
            evaluate(expr, env)
        except EvalError:
            pass


@pytest.mark.parametrize("source", ["len(range(-9223372036854775808, n))", "int('9' * 30) + n",
                                    "x ** 1000.0", "round(x, -308)"])
def test_known_escapes_stay_closed(source):
    """Bodies that once raised OverflowError or ValueError out of the evaluator."""
    with pytest.raises(EvalError):
        evaluate(check_body(source, CTX), dict(ENVS[0], n=2**63 - 1, x=1.79e308))
