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
