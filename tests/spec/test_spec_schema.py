"""The JSON Schema `polyglot schema` prints accepts what the reader accepts, and no more."""
from __future__ import annotations

import glob
import textwrap

import pytest

from polyglot.langpacks import human_packs
from polyglot.spec import parse_spec, read_spec
from polyglot.spec.schema import spec_schema
from polyglot.spec.yamlsafe import load_yaml
from polyglot.errors import SpecError

jsonschema = pytest.importorskip("jsonschema")

SPECS = sorted(glob.glob("examples/*.vibee") + glob.glob("tests/conformance/specs/*.vibee"))


def _validator(locale: str = "en") -> "jsonschema.Draft202012Validator":
    aliases: dict[str, list[str]] = {}
    for alias, key in human_packs()[locale].alias_to_key.items():
        if alias != key:
            aliases.setdefault(key, []).append(alias)
    schema = spec_schema(aliases)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(text: str, locale: str = "en") -> list[str]:
    data = load_yaml(textwrap.dedent(text)).value
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(locale).iter_errors(data)]


@pytest.mark.parametrize("path", SPECS)
def test_every_shipped_spec_validates(path):
    spec = read_spec(path)
    with open(path, encoding="utf-8") as f:
        assert _errors(f.read(), spec.locale) == []


def test_there_are_specs_to_check():
    assert len(SPECS) >= 40


NAMED = """\
    name: names
    types:
      Word: [null, true, other]
    behaviors:
      - name: {name}
        params:
          - name: {name}
            type: Word
        returns: Word
        implementation: '{name}'
        test_cases:
          - name: {name}
            input: {{{name}: other}}
            expected: other
"""


@pytest.mark.parametrize("written, name", [("null", "null"), ("true", "true"), ("false", "false")])
def test_plain_null_and_boolean_names_read_and_validate(written, name):
    text = NAMED.format(name=written)
    spec = parse_spec(textwrap.dedent(text))
    behavior = spec.behaviors[0]
    assert (behavior.name, behavior.params[0].name, behavior.tests[0].name) == (name, name, name)
    assert spec.enums[0].members == ("null", "true", "other")
    assert _errors(text) == []


def test_a_number_name_is_refused_by_both():
    text = NAMED.format(name="5")
    with pytest.raises(SpecError, match="not a valid identifier"):
        parse_spec(textwrap.dedent(text))
    data = load_yaml(textwrap.dedent(text)).value
    errors = sorted(list(e.absolute_path) for e in _validator().iter_errors(data))
    assert errors == [["behaviors", 0, "name"], ["behaviors", 0, "params"],
                      ["behaviors", 0, "test_cases", 0, "name"]]


def test_top_level_name_and_prose_keep_plain_text():
    text = """\
        name: true
        version: 1.10
        description: [one, 2, false]
        behaviors:
          - name: f
            given: null
            then: true
    """
    spec = parse_spec(textwrap.dedent(text))
    assert (spec.name, spec.version, spec.description) == ("true", "1.10", "one; 2; false")
    assert (spec.behaviors[0].given, spec.behaviors[0].then) == ("", "true")
    assert _errors(text) == []


def test_top_level_null_name_is_refused_by_both():
    text = "name: null\n"
    with pytest.raises(SpecError, match="`name` is empty"):
        parse_spec(text)
    assert _errors(text) == ["['name']: None is not of type 'string', 'number', 'boolean'"]


def test_a_mapping_as_a_name_is_refused_by_both():
    text = """\
        name: s
        behaviors:
          - name: {a: 1}
    """
    with pytest.raises(SpecError, match="must be a name"):
        parse_spec(textwrap.dedent(text))
    assert len(_errors(text)) == 1
