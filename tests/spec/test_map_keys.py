"""Map keys mean what was written: the text for a String key, the YAML 1.2 number for an Int."""
from __future__ import annotations

import textwrap

import pytest

from polyglot.errors import SpecError
from polyglot.spec import parse_spec
from polyglot.spec.ir import MapValue
from polyglot.spec.yamlsafe import core_scalar, load_yaml

SPEC = """\
    name: m
    behaviors:
      - name: f
        params: {{m: "Map<{key}, Int>"}}
        returns: Int
        implementation: len(m)
        test_cases:
          - input: {{m: {value}}}
            expected: 1
"""


def _map(key: str, value: str) -> MapValue:
    spec = parse_spec(textwrap.dedent(SPEC.format(key=key, value=value)), "m.vibee")
    return spec.behaviors[0].tests[0].inputs[0][1]


def _error(key: str, value: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_spec(textwrap.dedent(SPEC.format(key=key, value=value)), "m.vibee")
    return info.value


def test_string_keys_keep_their_source_text():
    written = "{010: 1, 1e3: 2, ~: 3, null: 4, True: 5, 0x1F: 6, .5: 7, '1e3 ': 8}"
    assert _map("String", written).entries == (
        ("010", 1), ("1e3", 2), ("~", 3), ("null", 4), ("True", 5), ("0x1F", 6), (".5", 7), ("1e3 ", 8))


def test_a_quoted_key_is_its_string_and_clashes_with_the_same_plain_text():
    err = _error("String", "{010: 1, '010': 2}")
    assert str(err).startswith("m.vibee:8:")
    assert "duplicate key `010`" in str(err)


def test_int_keys_are_read_as_yaml_1_2_integers():
    assert _map("Int", "{010: 1, 0x1F: 2, 0o17: 3, -3: 4, +5: 5, 1e3: 6}").entries == (
        (10, 1), (31, 2), (15, 3), (-3, 4), (5, 5), (1000, 6))


def test_bool_keys():
    assert _map("Bool", "{True: 1, false: 2}").entries == ((True, 1), (False, 2))


@pytest.mark.parametrize("written, message", [
    ("{1.5: 1}", "map key `1.5`: value does not fit Int; expected an Int, found Float 1.5"),
    ("{abc: 1}", "map key `abc`: value does not fit Int; expected an Int, found String 'abc'"),
    ("{1_000: 1}", "map key `1_000`: value does not fit Int; expected an Int, found String '1_000' "
                   "(`1_000` is text in YAML 1.2, which this reader follows; did you mean 1000, "
                   "as YAML 1.1 read it?)"),
    ("{010: 1, 10: 2}", "map key 10 is given twice (`010` and `10` are the same Int)"),
])
def test_bad_int_keys_are_located_errors(written, message):
    err = str(_error("Int", written))
    line = textwrap.dedent(SPEC.format(key="Int", value=written)).splitlines()[7]
    bad = written.split(", ")[-1].strip("{").split(":")[0]
    column = line.rindex(bad) + 1
    assert err.startswith(f"m.vibee:8:{column}: error: behaviors[0].test_cases[0].input.m.")
    assert err.endswith(message)


def test_core_scalar():
    assert [core_scalar(t) for t in ("010", "-0", "0x1F", "0o17", "1e3", "true", "FALSE", "~", "", "1_000", "yes")] == [
        10, 0, 31, 15, 1000.0, True, False, None, None, "1_000", "yes"]


def test_loader_keeps_plain_key_text():
    assert list(load_yaml("{010: a, 1e3: b, ~: c, true: d, '5': e}").value) == ["010", "1e3", "~", "true", "5"]
