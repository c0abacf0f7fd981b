"""The reader: every VIBEE spelling maps to the same IR; every fault is located."""
import textwrap

import pytest

from polyglot.errors import SpecError
from polyglot.spec.ir import EnumValue, MapValue, RecordValue
from polyglot.spec.reader import parse_spec
from polyglot.spec.run import run_spec
from polyglot.spec.types import parse_type as T


def read(text, **kw):
    warnings = []
    spec = parse_spec(textwrap.dedent(text), file="t.vibee", on_warning=warnings.append, **kw)
    return spec, [str(w) for w in warnings]


def error(text, **kw):
    with pytest.raises(SpecError) as info:
        parse_spec(textwrap.dedent(text), file="t.vibee", **kw)
    return str(info.value)


CANONICAL = """
name: shapes
types:
  Point:
    fields: {x: Float, y: Float}
  Kind:
    enum: [circle, square]
behaviors:
  - name: dist2
    given: a point
    when: measured
    then: squared distance from the origin
    params: [{name: p, type: Point}]
    returns: Float
    implementation: "p.x * p.x + p.y * p.y"
    test_cases:
      - {name: unit, input: {p: {x: 1.0, y: 0.0}}, expected: 1.0}
"""


def test_canonical_spec():
    spec, warnings = read(CANONICAL)
    assert warnings == []
    assert spec.name == "shapes" and spec.module == "shapes" and spec.locale == "en"
    assert [r.name for r in spec.records] == ["Point"] and spec.enums[0].members == ("circle", "square")
    b = spec.behaviors[0]
    assert (b.given, b.when, b.then) == ("a point", "measured", "squared distance from the origin")
    assert b.returns == T("Float") and b.body.source == "p.x * p.x + p.y * p.y"
    assert b.tests[0].inputs == (("p", RecordValue("Point", (("x", 1.0), ("y", 0.0)))),)


def test_vibee_spellings_give_the_same_ir():
    legacy = """
    name: shapes
    types:
      - name: Point
        fields:
          - x: Float
          - y: Float
      - name: Kind
        values: [circle, square]
    behaviours:
      - name: dist2
        given: a point
        When: measured
        then: squared distance from the origin
        params: {p: Point}
        returns: f64
        implementation: "p.x * p.x + p.y * p.y"
    test_cases:
      - name: unit
        behavior: dist2
        input: '{"p": {"x": 1.0, "y": 0.0}}'
        expected: "1.0"
    """
    assert read(legacy)[0] == read(CANONICAL)[0]


def test_variants_option_shorthand_and_map_values():
    spec, _ = read("""
    name: m
    types:
      Color: {variants: [red, green]}
    behaviors:
      - name: pick
        params: {c: Color, counts: "Map<String, Int>", maybe: "Int?"}
        returns: Int
        implementation: "maybe if maybe is not None else len(counts)"
        test_cases:
          - {input: {c: red, counts: {a: 1, b: 2}}, expected: 2}
    """)
    case = spec.behaviors[0].tests[0]
    assert case.name == "case_1"
    assert dict(case.inputs) == {"c": EnumValue("Color", "red"), "counts": MapValue((("a", 1), ("b", 2))), "maybe": None}


def test_decorative_and_unknown_keys():
    spec, warnings = read("""
    name: x
    sacred_formula: {n: 5}
    colour: red
    behaviors: []
    """)
    assert warnings == [
        "t.vibee:3:1: warning: sacred_formula: decorative key `sacred_formula` ignored",
        "t.vibee:4:1: warning: colour: unknown key `colour` ignored",
    ]
    assert error("name: x\ncolour: y\n", strict=True) == "t.vibee:2:1: error: colour: unknown key `colour`"


def test_strict_unknown_key_in_behavior():
    assert error("""
    name: x
    behaviors:
      - name: f
        gven: y
    """, strict=True) == "t.vibee:5:5: error: behaviors[0].gven: unknown key `gven` in a behavior (did you mean `given`?)"


def test_legacy_behaviour_without_signature_is_a_stub():
    spec, warnings = read("""
    name: legacy
    behaviors:
      - name: init
        given: config
        when: start
        then: ready
        implementation: "const x = 1;"
        test_cases:
          - {name: default_init, input: {enabled: true}, expected: {status: ok}}
    """)
    b = spec.behaviors[0]
    assert not b.signature_given and b.body is None and b.returns is None
    assert b.tests[0].inputs == (("enabled", True),) and b.tests[0].expected == MapValue((("status", "ok"),))
    assert warnings == ["t.vibee:8:21: warning: behaviors[0].implementation: `implementation` ignored: "
                        "the behaviour has no `params` or `returns`"]


@pytest.mark.parametrize("text, message", [
    ("", "t.vibee: error: a spec is a mapping of keys such as `name:` and `behaviors:`, found an empty file"),
    ("- a\n- b\n", "t.vibee:1:1: error: a spec is a mapping of keys such as `name:` and `behaviors:`, found a list"),
    ("behaviors: []\n", "t.vibee:1:1: error: missing `name` (every spec starts with `name: ...`)"),
    ("name: x\nname: y\n", "t.vibee:2:1: error: duplicate key `name`"),
    ("name: x\nbehaviors: [\n", "t.vibee:3:1: error: invalid YAML: did not find expected node content"),
    ("name: !!python/object:os.system x\n", "t.vibee:1:7: error: cannot read value: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'"),
    ("name: x\nlocale: xx\n", "t.vibee:2:9: error: locale: unknown locale; expected ar de el en es fr he hi it ja ko nl pl pt ru sw th tr vi zh, found String 'xx'"),
    ("name: x\ntypes: {Int: {fields: {a: Int}}}\n", "t.vibee:2:9: error: types.Int: `Int` is a built-in type and cannot be redeclared"),
    ("name: x\ntypes: {Node: {fields: {next: \"Node?\"}}}\n", "t.vibee:2: error: record `Node` contains itself; recursive types are not supported"),
    ("name: x\ntypes: {P: {fields: {a: Map<Int>}}}\n", "t.vibee:2:25: error: types.P.fields.a: bad type `Map<Int>`: Map takes 2 type argument(s), got 1"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n    implementation: a\n    test_cases: [{input: {b: 1}, expected: 1}]\n",
     "t.vibee:7:27: error: behaviors[0].test_cases[0].input.b: `b` is not a parameter of this behaviour (parameters: a)"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n    implementation: a\n    test_cases: [{input: {a: 1}}]\n",
     "t.vibee:7:18: error: behaviors[0].test_cases[0]: test case `case_1` has no `expected:` (or `raises: true`)"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n    implementation: a\n    test_cases: [{input: {a: 1.5}, expected: 1}]\n",
     "t.vibee:7:30: error: behaviors[0].test_cases[0].input.a: value does not fit Int; expected an Int, found Float 1.5"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    implementation: a +\n",
     "t.vibee:5:21: error: behaviors[0].implementation: body: not a valid expression: invalid syntax (a body is one expression, e.g. `sum(i.price * i.qty for i in items)`)"),
    ("name: x\nbehaviors:\n  - name: f\n  - name: f\n", "t.vibee:4:5: error: behaviors[1]: behaviour `f` is declared twice"),
    ("name: x\ntest_cases: [{behavior: g, expected: 1}]\nbehaviors:\n  - name: f\n  - name: h\n",
     "t.vibee:2:14: error: test_cases[0]: test case names unknown behaviour `g`"),
])
def test_located_errors(text, message):
    assert error(text) == message


def test_body_error_column_points_into_the_file():
    text = 'name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n    implementation: "a + len({v for v in [1]})"\n'
    assert error(text) == ("t.vibee:6:30: error: behaviors[0].implementation: body: `set comprehension` is not "
                           "supported in a body (the body language is described in docs/body-language.md)")


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(7))
    assert "nodes (an alias bomb?)" in error(bomb)


def test_names_are_read_as_python_reads_them():
    # NFKC: the ligature `ﬁ` is `fi`, fullwidth `Ｐ` is `P`, Thai `ำ` is `ํา`, as in a body.
    spec, _ = read("""
    name: nfkc
    types:
      Ｐａｉｒ: {fields: {ﬁrst: Int, second: Int}}
      Kind: [ﬁxed, ﬂoat]
    constants: {ＬＩＭＩＴ: 3}
    behaviors:
      - name: ﬁnd
        params: {ﬁle: Ｐａｉｒ, k: Kind, จำนวน: Int}
        returns: Int
        implementation: "file.first + LIMIT + จำนวน if k == Kind.fixed else ﬁle.ﬁrst"
        test_cases:
          - {input: {ﬁle: {ﬁrst: 1, second: 2}, k: ﬁxed, จำนวน: 10}, expected: 14}
          - {input: {file: {first: 1, second: 2}, k: Kind.float, จํานวน: 0}, expected: 1}
    """)
    assert [(r.name, [f.name for f in r.fields]) for r in spec.records] == [("Pair", ["first", "second"])]
    assert spec.enums[0].members == ("fixed", "float") and spec.constants[0].name == "LIMIT"
    b = spec.behaviors[0]
    assert (b.name, [p.name for p in b.params]) == ("find", ["file", "k", "จํานวน"])
    assert b.params[0].type == T("Pair")
    assert [r.status for r in run_spec(spec)] == ["passed", "passed"]


HINT = "are one name to Python, which reads identifiers in NFKC form; rename one"


@pytest.mark.parametrize("text, message", [
    ("name: x\nbehaviors:\n  - name: f\n    params: {ﬁle: Int, file: Int}\n",
     "t.vibee:4:24: error: behaviors[0].params.file: parameter `file` is declared twice (`ﬁle` and `file` " + HINT + ")"),
    ("name: x\ntypes:\n  ﬁle: {fields: {a: Int}}\n  file: {fields: {a: Int}}\n",
     "t.vibee:4:3: error: types.file: type `file` is declared twice (`ﬁle` and `file` " + HINT + ")"),
    ("name: x\ntypes:\n  P: {fields: {ﬁeld: Int, field: Int}}\n",
     "t.vibee:3:27: error: types.P.fields.field: field `field` is declared twice (`ﬁeld` and `field` " + HINT + ")"),
    ("name: x\ntypes:\n  K: [ﬁrst, first]\n",
     "t.vibee:3:13: error: types.K[1]: enum member `first` appears twice (`ﬁrst` and `first` " + HINT + ")"),
    ("name: x\nconstants: {ＭＡＸ: 1, MAX: 2}\n",
     "t.vibee:2:21: error: constants.MAX: constant `MAX` is declared twice (`ＭＡＸ` and `MAX` " + HINT + ")"),
    ("name: x\nbehaviors:\n  - name: ﬁnd\n  - name: find\n",
     "t.vibee:4:5: error: behaviors[1]: behaviour `find` is declared twice (`ﬁnd` and `find` " + HINT + ")"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {ﬁle: Int}\n    returns: Int\n    implementation: file\n"
     "    test_cases: [{input: {ﬁle: 1, file: 1}, expected: 1}]\n",
     "t.vibee:7:35: error: behaviors[0].test_cases[0].input.file: parameter `file` is given twice (`ﬁle` and `file` " + HINT + ")"),
    ("name: x\ntypes: {P: {fields: {ﬁeld: Int}}}\nbehaviors:\n  - name: f\n    params: {p: P}\n    returns: Int\n"
     "    implementation: p.field\n    test_cases: [{input: {p: {ﬁeld: 1, field: 2}}, expected: 1}]\n",
     "t.vibee:8:47: error: behaviors[0].test_cases[0].input.p.field: field `field` is given twice "
     "(`ﬁeld` and `field` are one name to Python, which reads identifiers in NFKC form)"),
])
def test_spellings_that_are_one_name_clash(text, message):
    assert error(text) == message


@pytest.mark.parametrize("text, message", [
    ("name: x\ntypes: {Integer: {fields: {a: Int}}}\n",
     "t.vibee:2:9: error: types.Integer: `Integer` is another spelling of the built-in type `Int` and cannot "
     "name a declared type (`Integer` in a type means `Int`; rename this one, e.g. `MyInteger`)"),
    ("name: x\ntypes:\n  - name: Vec\n    enum: [a, b]\n",
     "t.vibee:3:11: error: types[0].name: `Vec` is another spelling of the built-in type `List` and cannot "
     "name a declared type (`Vec` in a type means `List`; rename this one, e.g. `MyVec`)"),
    ("name: x\ntypes: {Ｔｅｘｔ: [a, b]}\n",
     "t.vibee:2:9: error: types.Ｔｅｘｔ: `Text` is another spelling of the built-in type `String` and cannot "
     "name a declared type (`Text` in a type means `String`; rename this one, e.g. `MyText`)"),
    ("name: x\ntypes: {Any: {fields: {a: Int}}}\n",
     "t.vibee:2:9: error: types.Any: `Any` is reserved by the body checker and cannot name a declared type "
     "(rename this one, e.g. `MyAny`)"),
    ("name: x\ntypes: {None: [a]}\n",
     "t.vibee:2:9: error: types.None: `None` is reserved by the body checker and cannot name a declared type "
     "(rename this one, e.g. `MyNone`)"),
    ("name: x\nlocale: ru\nтипы: {Строка: {поля: {a: Int}}}\n",
     "t.vibee:3:8: error: типы.Строка: `Строка` is another spelling of the built-in type `String` and cannot "
     "name a declared type (`Строка` in a type means `String`; rename this one, e.g. `MyСтрока`)"),
])
def test_a_type_cannot_take_a_builtin_spelling(text, message):
    assert error(text) == message


def test_enum_members_that_look_like_json_stay_names():
    spec, _ = read("""
    name: e
    types:
      Token: {enum: ["true", "null", NaN, Infinity, other]}
    behaviors:
      - name: same
        params: {t: Token, counts: "Map<Token, Int>"}
        returns: Token
        implementation: t
        test_cases:
          - {input: {t: "true", counts: {"null": 1}}, expected: "true"}
          - {input: {t: NaN, counts: {}}, expected: "NaN"}
          - {input: '{"t": "Infinity", "counts": {}}', expected: '"null"'}
    """)
    cases = spec.behaviors[0].tests
    assert [dict(c.inputs)["t"].member for c in cases] == ["true", "NaN", "Infinity"]
    assert [c.expected.member for c in cases] == ["true", "NaN", "null"]
    assert dict(cases[0].inputs)["counts"] == MapValue(((EnumValue("Token", "null"), 1),))


@pytest.mark.parametrize("text, message", [
    ("name: x\nbehaviors:\n  - name: f\n    params: {m: \"Map<List<Int>, Int>\"}\n    returns: Int\n",
     "t.vibee:4:17: error: behaviors[0].params.m: a map key cannot be List<Int>; expected Int, String, Bool "
     "or an enum (a list or record of values can stand in for a map)"),
    ("name: x\ntypes: {P: {fields: {a: \"List<Map<Float, Int>>\"}}}\n",
     "t.vibee:2:25: error: types.P.fields.a: a map key cannot be Float; expected Int, String, Bool "
     "or an enum (a list or record of values can stand in for a map)"),
])
def test_map_keys_are_hashable_everywhere(text, message):
    assert error(text) == message


def test_an_enum_is_a_map_key():
    spec, _ = read("name: x\ntypes: {K: [a, b]}\nconstants: {M: {type: \"Map<K, Int>\", value: {a: 1}}}\n")
    assert spec.constants[0].value == MapValue(((EnumValue("K", "a"), 1),))


def test_yes_no_on_off_are_words():
    spec, _ = read("""
    name: answers
    types:
      Answer: [yes, no]
    constants: {MODE: off}
    behaviors:
      - name: say
        params: {a: Answer, word: String}
        returns: String
        implementation: "word + MODE if a == Answer.yes else 'no'"
        test_cases:
          - {input: {a: yes, word: on}, expected: onoff}
          - {input: {a: no, word: x}, expected: no}
    """)
    assert spec.enums[0].members == ("yes", "no")
    assert (spec.constants[0].type, spec.constants[0].value) == (T("String"), "off")
    assert [r.status for r in run_spec(spec)] == ["passed", "passed"]


YAML11 = "is text in YAML 1.2, which this reader follows; write true or false"


@pytest.mark.parametrize("text, message", [
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Bool\n    implementation: a > 0\n"
     "    test_cases: [{input: {a: 1}, expected: yes}]\n",
     "t.vibee:7:44: error: behaviors[0].test_cases[0].expected: value does not fit Bool; expected true or "
     "false, found String 'yes' (`yes` " + YAML11 + ")"),
    ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n    implementation: a\n"
     "    test_cases: [{input: {a: 1}, raises: on}]\n",
     "t.vibee:7:42: error: behaviors[0].test_cases[0].raises: `raises` must be true or false, "
     "found String 'on' (`on` " + YAML11 + ")"),
])
def test_yaml11_booleans_where_a_bool_is_expected(text, message):
    assert error(text) == message


def one_case(param: str, returns: str, value: str, expected: str) -> str:
    return (f"name: x\nbehaviors:\n  - name: f\n    params: {{a: {param}}}\n    returns: {returns}\n"
            f"    implementation: a\n    test_cases: [{{input: {{a: {value}}}, expected: {expected}}}]\n")


YAML12 = "is text in YAML 1.2, which this reader follows; did you mean"


@pytest.mark.parametrize("text, message", [
    (one_case("Int", "Int", "1_000", "1"),
     "t.vibee:7:30: error: behaviors[0].test_cases[0].input.a: value does not fit Int; expected an Int, "
     "found String '1_000' (`1_000` " + YAML12 + " 1000, as YAML 1.1 read it?)"),
    (one_case("Int", "Int", "1", "0b11"),
     "t.vibee:7:44: error: behaviors[0].test_cases[0].expected: value does not fit Int; expected an Int, "
     "found String '0b11' (`0b11` " + YAML12 + " 3, as YAML 1.1 read it?)"),
    (one_case("Float", "Float", "1:30", "1.0"),
     "t.vibee:7:30: error: behaviors[0].test_cases[0].input.a: value does not fit Float; expected a Float, "
     "found String '1:30' (`1:30` " + YAML12 + " 90, as YAML 1.1 read it?)"),
    (one_case("String", "String", "010", "x"),
     "t.vibee:7:30: error: behaviors[0].test_cases[0].input.a: value does not fit String; expected a String, "
     'found Int 10 (quote it to keep it as text: "010")'),
    (one_case("Int", "Int", "1", "1").replace("expected: 1}", "expected: 1, tolerance: 1_000}"),
     "t.vibee:7:58: error: behaviors[0].test_cases[0].tolerance: `tolerance` must be a non-negative number, "
     "found String '1_000' (`1_000` " + YAML12 + " 1000, as YAML 1.1 read it?)"),
])
def test_yaml11_numbers_where_a_number_is_expected(text, message):
    assert error(text) == message


def test_numbers_are_read_as_yaml12_does():
    spec, _ = read(one_case("List<Float>", "Int", "[0o17, 0x1F, 1e3, .5, -.inf]", "010")
                   .replace("implementation: a", "implementation: len(a)"))
    case = spec.behaviors[0].tests[0]
    assert case.inputs == (("a", (15.0, 31.0, 1000.0, 0.5, float("-inf"))),) and case.expected == 10
    spec, _ = read(one_case("String", "String", "2024-01-31", "1:30"))
    assert spec.behaviors[0].tests[0].inputs == (("a", "2024-01-31"),)
    assert spec.behaviors[0].tests[0].expected == "1:30"


def test_an_untyped_constant_yaml11_read_as_a_number_warns():
    spec, warnings = read("name: x\nconstants: {LIMIT: 1_000, QUOTED: '1_000', OCTAL: 010}\n")
    assert [(c.name, c.type, c.value) for c in spec.constants] == [
        ("LIMIT", T("String"), "1_000"), ("QUOTED", T("String"), "1_000"), ("OCTAL", T("Int"), 10)]
    assert warnings == ["t.vibee:2:20: warning: constants.LIMIT: constant `LIMIT` is the text `1_000`, not a "
                        "number (YAML 1.1 read it as 1000 but YAML 1.2, which this reader follows, reads "
                        "text; write 1000, or quote it to keep it as text)"]


def test_text_fields_keep_what_was_written():
    spec, _ = read("name: x\nversion: 1.10\ndescription: 010\nbehaviors:\n  - {name: f, given: true, then: [1.50, no]}\n")
    assert (spec.version, spec.description) == ("1.10", "010")
    assert (spec.behaviors[0].given, spec.behaviors[0].then) == ("true", "1.50; no")


def named_cases(*names: str) -> str:
    cases = "".join(f"      - {{name: {n}, input: {{a: 1}}, expected: 1}}\n" for n in names)
    return ("name: x\nbehaviors:\n  - name: f\n    params: {a: Int}\n    returns: Int\n"
            "    implementation: a\n    test_cases:\n" + cases)


@pytest.mark.parametrize("written, name", [
    ("null", "null"), ("Null", "Null"), ("true", "true"), ("False", "False"), ("'null'", "null"), ("yes", "yes"),
])
def test_a_test_case_name_is_its_text_as_written(written, name):
    spec, _ = read(named_cases(written))
    assert spec.behaviors[0].tests[0].name == name


@pytest.mark.parametrize("written, message", [
    ("~", "a test case name `~` is not a valid identifier; expected letters, digits and _, not starting with a digit"),
    ("5", "a test case name `5` is not a valid identifier; expected letters, digits and _, not starting with a digit"),
    ("0x1F", "a test case name `0x1F` is not a valid identifier; expected letters, digits and _, not starting with a digit"),
    ("", "a test case name is empty"),
])
def test_a_test_case_name_that_is_not_a_name_is_an_error(written, message):
    assert error(named_cases(written)) == f"t.vibee:8:16: error: behaviors[0].test_cases[0].name: {message}"


def test_a_test_case_named_null_twice_is_a_duplicate():
    assert error(named_cases("null", "'null'")) == (
        "t.vibee:9:9: error: behaviors[0].test_cases[1]: test case `null` appears twice in `f`")


def test_enum_members_written_as_plain_scalars_keep_their_text():
    spec, _ = read("name: x\ntypes:\n  Answer: [yes, no, null, true]\n  Flag: [{name: false}]\n")
    assert spec.enums[0].members == ("yes", "no", "null", "true") and spec.enums[1].members == ("false",)


def test_a_colon_in_prose_is_located_with_a_hint():
    assert error("name: x\nbehaviors:\n  - name: f\n    then: returns a: b\n") == (
        "t.vibee:4:20: error: invalid YAML: mapping values are not allowed in this context "
        '(text holding `: ` must be quoted: then: "returns a: b")')


FOLDED = """
name: 求和
description: >-
  计算
  总和
behaviors:
  - name: total
    given: >-
      一个
      整数列表
    when: >-
      调用，
      “求和”
    then: >-
      返回
      总和 in
      one line
    description: >-
      คืนค่า
      ผลรวม
    params: {xs: List<Int>}
    returns: String
    implementation: >-
      "返回" if len(xs) > 0
      else "总和"
    test_cases:
      - input: {xs: [1]}
        expected: >-
          返回
          总和
        raises: false
  - name: korean
    given: >-
      정수
      목록
"""


def test_folded_prose_joins_cjk_and_thai_lines_without_a_space():
    spec, _ = read(FOLDED.replace('expected: >-\n          返回\n          总和', 'expected: "返回"'))
    total, korean = spec.behaviors
    assert spec.description == "计算总和"
    assert (total.given, total.when, total.then) == ("一个整数列表", "调用，“求和”", "返回总和 in one line")
    assert total.description == "คืนค่าผลรวม"
    assert total.body.source == '"返回" if len(xs) > 0 else "总和"'  # code: folded as YAML says
    assert korean.given == "정수 목록"


def test_folded_string_test_values_are_folded_as_yaml_says():
    spec, _ = read(FOLDED.replace("        raises: false\n", ""))
    assert spec.behaviors[0].tests[0].expected == "返回 总和"


def test_a_nul_in_a_string_test_value_or_map_key_is_refused():
    spec = ('name: x\nbehaviors:\n  - name: f\n    params: {{m: "Map<String, Int>", s: String}}\n'
            '    returns: Int\n    implementation: "len(s)"\n    test_cases:\n'
            '      - name: c\n        input: {{m: {m}, s: {s}}}\n        expected: 1\n')
    message = error(spec.format(m="{}", s='"a\\0b"'))
    assert "a String may not hold a NUL character (U+0000)" in message
    assert message.startswith("t.vibee:9:") and "test_cases[0].input.s" in message
    message = error(spec.format(m='{"k\\0": 1}', s='"a"'))
    assert "a String may not hold a NUL character (U+0000)" in message and "input.m" in message
