"""Identifier rules: case styles, reserved words, scripts, digits and collisions, pinned."""
import pytest

from polyglot.codegen.naming import Namer, NamingRules, Scope, convert_case, words

CASES = {"type": "pascal", "function": "snake", "param": "camel", "constant": "upper",
         "enum_member": "upper", "field": "snake", "local": "snake", "module": "snake"}


def namer(**kwargs) -> Namer:
    rules = dict(reserved=frozenset({"type", "class", "len"}), escape="{{name}}_",
                 unicode=False, leading_digit="n{{name}}")
    rules.update(kwargs)
    return Namer(NamingRules(CASES, **rules), "ru")


@pytest.mark.parametrize("name, expected", [
    ("total_price", ["total", "price"]),
    ("totalPrice", ["total", "Price"]),
    ("parseHTTPResponse_v2", ["parse", "HTTP", "Response", "v2"]),
    ("итоговаяЦена", ["итоговая", "Цена"]),
    ("__x__y", ["x", "y"]),
])
def test_words(name, expected):
    assert words(name) == expected


@pytest.mark.parametrize("style, expected", [
    ("snake", "parse_http_response_v2"), ("camel", "parseHttpResponseV2"),
    ("pascal", "ParseHttpResponseV2"), ("upper", "PARSE_HTTP_RESPONSE_V2"),
    ("lower", "parsehttpresponsev2"), ("keep", "parseHTTPResponse_v2"),
])
def test_case_styles(style, expected):
    assert convert_case("parseHTTPResponse_v2", style) == expected


@pytest.mark.parametrize("name, kind, expected", [
    ("type", "param", "type_"),               # reserved: escaped
    ("Class", "function", "class_"),          # reserved after case conversion
    ("class", "type", "Class"),               # not reserved once Pascal-cased
    ("2fast", "function", "n2fast"),          # leading digit
    ("итоговая_цена", "function", "itogovaya_tsena"),  # transliterated (ASCII-only target)
    ("总价", "function", "zong_jia"),
    ("HTTPServer", "function", "http_server"),
    ("totalPrice", "constant", "TOTAL_PRICE"),
])
def test_convert(name, kind, expected):
    assert namer().convert(name, kind) == expected


def test_unicode_kept_except_ascii_kinds():
    n = Namer(NamingRules({"param": "snake", "module": "snake"}, unicode=True,
                          ascii_kinds=frozenset({"module"})), "ru")
    assert (n.convert("итоговая_цена", "param"), n.convert("итоговая_цена", "module")) == \
        ("итоговая_цена", "itogovaya_tsena")


def test_scope_collisions_are_numbered_in_declaration_order():
    top = Scope(namer())
    assert [top.declare(x, "function") for x in ("total_price", "totalPrice", "TotalPrice")] == \
        ["total_price", "total_price_2", "total_price_3"]
    assert top.declare("total_price", "function") == "total_price"  # same name, same answer
    inner = top.child()
    assert inner.declare("total_price", "local") == "total_price_4"  # parents' names are taken
    assert [inner.fresh("out"), inner.fresh("out")] == ["out", "out_2"]
    camel = top.child()
    assert [camel.declare("a_b", "param"), camel.declare("aB", "param")] == ["aB", "aB2"]


def test_case_insensitive_reserved():
    n = Namer(NamingRules({"function": "camel"}, reserved=frozenset({"Echo"}), case_insensitive=True))
    assert n.convert("echo", "function") == "echo_"
    scope = Scope(n)
    assert [scope.declare("ab", "function"), scope.declare("AB", "function")] == ["ab", "ab2"]
