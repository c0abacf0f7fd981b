"""Rendering from pack data: precedence, parentheses, literals, lookup order, files."""
import pytest

from polyglot.codegen import load_code_pack, render_project
from polyglot.codegen.render import Renderer
from polyglot.spec.reader import parse_spec

LANGS = ("python", "javascript", "rust")


def spec_of(implementation: str, params: str, returns: str):
    return parse_spec(f"name: t\nbehaviors:\n  - name: f\n    params: {params}\n    returns: {returns}\n"
                      f"    implementation: |-\n      {implementation}\n")


def returns(implementation: str, params: str, result: str) -> dict[str, str]:
    spec = spec_of(implementation, params, result)
    out = {}
    for lang in LANGS:
        files = render_project(load_code_pack(lang), [spec]).files
        source = next(text for path, text in files.items() if path.startswith("t."))
        out[lang] = next(line.strip() for line in source.splitlines() if line.strip().startswith("return"))
    return out


def test_float_precedence():
    assert returns("x - (y - z) + (x + y) * z - -(x * y) / (y * z)", "{x: Float, y: Float, z: Float}", "Float") == {
        "python": "return x - (y - z) + (x + y) * z - -(x * y) / (y * z)",
        "javascript": "return x - (y - z) + (x + y) * z - rt.divFloat(-(x * y), y * z);",
        "rust": "return x - (y - z) + (x + y) * z - rt::div_float(-(x * y), y * z);",
    }


def test_int_arithmetic_goes_through_checked_helpers():
    assert returns("(a - b) - c - (a - (b - c)) + -a ** 2 - (-2) ** 2", "{a: Int, b: Int, c: Int}", "Int") == {
        "python": "return _rt.i64(_rt.i64(_rt.i64(_rt.i64(_rt.i64(a - b) - c) - _rt.i64(a - _rt.i64(b - c))) "
                  "+ _rt.i64(-_rt.int_pow(a, 2))) - _rt.int_pow(-2, 2))",
        "javascript": "return rt.i64(rt.i64(rt.i64(rt.i64(rt.i64(a - b) - c) - rt.i64(a - rt.i64(b - c))) "
                      "+ rt.i64(-rt.powInt(a, 2n))) - rt.powInt(-2n, 2n));",
        "rust": "return rt::sub(rt::add(rt::sub(rt::sub(rt::sub(a, b), c), rt::sub(a, rt::sub(b, c))), "
                "rt::neg(rt::pow_int(a, 2_i64))), rt::pow_int(-2_i64, 2_i64));",
    }


def test_logic_and_comparison_grouping():
    assert returns("not (t and u) or (x < y) == t", "{t: Bool, u: Bool, x: Float, y: Float}", "Bool") == {
        "python": "return not (t and u) or (x < y) == t",
        "javascript": "return !(t && u) || x < y === t;",
        "rust": "return !(t && u) || (x < y) == t;",
    }


def test_comprehension_forms():
    assert returns("[v * 2 if v > 0 else -v for v in xs if v != 1]", "{xs: List<Int>}", "List<Int>") == {
        "python": "return [_rt.i64(v * 2) if v > 0 else _rt.i64(-v) for v in xs if v != 1]",
        "javascript": "return xs.flatMap((v) => ((v !== 1n ? [v > 0n ? rt.i64(v * 2n) : rt.i64(-v)] : [])));",
        "rust": "return { let mut out: Vec<i64> = Vec::new(); for v in xs.clone() { if v != 1_i64 { "
                "out.push(if v > 0_i64 { rt::mul(v, 2_i64) } else { rt::neg(v) }); } } out };",
    }


def test_string_literals_are_escaped_per_target():
    assert returns("'a\"b\\\\c\\n\\x01é' + s", "{s: String}", "String") == {
        "python": 'return "a\\"b\\\\c\\n\\x01é" + s',
        "javascript": 'return "a\\"b\\\\c\\n\\u0001é" + s;',
        "rust": 'return format!("{}{}", String::from("a\\"b\\\\c\\n\\u{1}é"), s.clone());',
    }


def test_lookup_candidates_most_specific_first():
    spec = spec_of("1", "{a: Int}", "Int")
    r = Renderer(load_code_pack("python"), spec, "t")
    from polyglot.spec.types import parse_type
    assert r.candidates("sum", [parse_type("List<Int>")], parse_type("Int")) == [
        "sum(List<Int>)->Int", "sum(List)->Int", "sum(List<Int>)", "sum(List)", "sum(List<Int>,...)",
        "sum(List,...)", "sum->Int", "sum"]


def test_cart_files_per_language():
    from polyglot.spec.reader import read_spec
    from pathlib import Path

    spec = read_spec(Path(__file__).resolve().parents[2] / "examples" / "cart.vibee")
    assert {lang: sorted(render_project(load_code_pack(lang), [spec]).files) for lang in LANGS} == {
        "python": ["cart.py", "polyglot_runtime.py", "run_tests.py", "test_cart.py"],
        "javascript": ["cart.js", "cart.test.js", "polyglot_runtime.js", "run_tests.js"],
        "rust": ["cart.rs", "cart_tests.rs", "main.rs", "polyglot_runtime.rs"],
    }


@pytest.mark.parametrize("lang", LANGS)
def test_stub_renders_a_loud_failure(lang):
    spec = parse_spec("name: s\nbehaviors:\n  - name: todo\n    params: {n: Int}\n    returns: Int\n"
                      "    test_cases:\n      - {name: one, input: {n: 1}, raises: true}\n")
    files = render_project(load_code_pack(lang), [spec]).files
    loud = {"python": "raise NotImplementedError(", "javascript": "throw new Error(", "rust": "unimplemented!("}[lang]
    assert loud in next(t for p, t in files.items() if p.startswith("s."))
    fail_call = {"python": 'suite.fail("s/todo/one", "not implemented (no implementation)")',
                 "javascript": 'suite.fail("s/todo/one", "not implemented (no implementation)");',
                 "rust": 'suite.fail("s/todo/one", "not implemented (no implementation)");'}[lang]
    assert fail_call in "".join(files.values())


def test_module_placeholder_in_expression_and_type_templates():
    import dataclasses

    from polyglot.codegen.pack import ExprTemplate
    from polyglot.codegen.template import Template

    pack = load_code_pack("python")
    pack = dataclasses.replace(
        pack, expr={**pack.expr, "call_behavior": ExprTemplate(Template("{{module}}_{{name}}({{args}})"))},
        types={**pack.types, "Record": Template("{{module}}_{{name}}")})
    spec = parse_spec("name: s\nmodule: shop\ntypes:\n  P: {fields: {x: Int}}\nbehaviors:\n  - name: f\n"
                      "    params: {p: P}\n    returns: Int\n    implementation: \"p.x\"\n"
                      "    test_cases:\n      - {name: one, input: {p: {x: 1}}, expected: 1}\n")
    files = render_project(pack, [spec]).files
    assert "def f(p: shop_P) -> int:" in files["shop.py"]
    assert 'suite.check("shop/f/one", lambda: shop_f(P(x=1)), 1, 1e-09)' in files["test_shop.py"]
