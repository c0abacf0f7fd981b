"""The safe YAML loader: YAML 1.2's core schema, so `no` stays a word and `010` is ten."""
import math

import pytest

from polyglot.errors import SpecError
from polyglot.spec.yamlsafe import colon_hint, load_yaml, yaml11_number


def test_only_true_and_false_are_booleans():
    doc = load_yaml("a: no\nb: [yes, On, OFF, y, n]\nc: True\nd: FALSE\non: 1\ne: null\nf: 0x1F\n").value
    assert doc == {"a": "no", "b": ["yes", "On", "OFF", "y", "n"], "c": True, "d": False, "on": 1,
                   "e": None, "f": 31}


@pytest.mark.parametrize("text, value", [
    ("010", 10), ("007", 7), ("-010", -10), ("+12", 12), ("0o17", 15), ("0x1F", 31), ("0xff", 255),
    ("1.5", 1.5), ("-1.5", -1.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("1.5E-3", 0.0015),
    ("+.inf", math.inf), ("-.Inf", -math.inf), (".INF", math.inf),
    # YAML 1.1 read these as numbers, a date or a value marker; YAML 1.2 reads text
    ("1:30", "1:30"), ("0b11", "0b11"), ("1_000", "1_000"), ("0x1_F", "0x1_F"), ("1_0.5", "1_0.5"),
    ("190:20:30.15", "190:20:30.15"), ("2024-01-31", "2024-01-31"), ("=", "="), ("<<", "<<"),
    ("0O17", "0O17"), ("-0o17", "-0o17"), ("+0x1F", "+0x1F"), ("1e", "1e"), (".", "."),
])
def test_numbers_follow_the_yaml12_core_schema(text, value):
    got = load_yaml(f"a: {text}\n").value["a"]
    assert type(got) is type(value) and got == value


def test_nan():
    assert math.isnan(load_yaml("a: .NaN\n").value["a"])


def test_an_explicit_int_tag_outside_the_core_schema_is_an_error():
    with pytest.raises(SpecError) as info:
        load_yaml("a: !!int 0b11\n", "t.vibee")
    assert str(info.value) == "t.vibee:1:4: error: cannot read value: `0b11` is not a YAML 1.2 integer"


def test_a_merge_key_is_still_refused():
    with pytest.raises(SpecError, match="merge keys"):
        load_yaml("a: &a {x: 1}\nb: {<<: *a}\n")


@pytest.mark.parametrize("text, value", [
    ("1_000", 1000), ("0b11", 3), ("1:30", 90), ("0x1_F", 31), ("1_0.5", 10.5),
    ("010", None), ("10", None), ("0x1F", None), ("1e3", None), ("ten", None), ("", None),
])
def test_yaml11_number(text, value):
    assert yaml11_number(text) == value


def test_the_written_text_of_scalars_that_are_not_strings_is_kept():
    doc = load_yaml("a: null\nb: ~\nc:\nd: 010\ne: 'null'\nf: 1_000\ng: [true, x]\nh: {1: 2}\n")
    assert doc.written == {("a",): "null", ("b",): "~", ("c",): "", ("d",): "010", ("g", 0): "true",
                           ("h", "1"): "2"}
    assert doc.yaml11_numbers == {("f",)}


def test_a_folded_scalar_can_be_reread_with_its_line_breaks():
    doc = load_yaml("a: >-\n  返回\n  总和\nb: >+  # note\n  x\n\n  y\nc: |\n  z\nd: >2\n   w\ne: x\n")
    assert doc.value["a"] == "返回 总和" and doc.literal(("a",)) == "返回\n总和"
    assert doc.literal(("b",)) == "x\n\ny\n"
    assert doc.literal(("c",)) is None and doc.literal(("e",)) is None
    assert doc.literal(("d",)) is None  # an explicit indentation indicator: left as folded


@pytest.mark.parametrize("text, message", [
    ("name: x\nbehaviors:\n  - name: f\n    then: returns a: b\n",
     't.vibee:4:20: error: invalid YAML: mapping values are not allowed in this context '
     '(text holding `: ` must be quoted: then: "returns a: b")'),
    ('then: say "hi" a: b  # note\n',
     "t.vibee:1:17: error: invalid YAML: mapping values are not allowed in this context "
     "(text holding `: ` must be quoted: then: 'say \"hi\" a: b'  # note)"),
    ("- then: it's a: b\n",
     "t.vibee:1:15: error: invalid YAML: mapping values are not allowed in this context "
     "(text holding `: ` must be quoted: - then: \"it's a: b\")"),
    ("then: returns the sum\n  of a: b\n",
     "t.vibee:2:7: error: invalid YAML: mapping values are not allowed in this context "
     "(text holding `: ` must be quoted; for text over several lines quote all of it, or write "
     "`key: >-` and the text on indented lines below)"),
])
def test_a_colon_in_prose_says_to_quote_it(text, message):
    with pytest.raises(SpecError) as info:
        load_yaml(text, "t.vibee")
    assert str(info.value) == message


def test_colon_hint_quotes_text_holding_both_quotes():
    assert colon_hint("when: it's \"x\" a: b\n", 0, 17) == (
        "text holding `: ` must be quoted: when: 'it''s \"x\" a: b'")
