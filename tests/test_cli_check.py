"""`polyglot check` and `polyglot schema` as a user runs them."""
import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from polyglot.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.vibee"))
CART = (ROOT / "examples" / "cart.vibee").read_text(encoding="utf-8")


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_passes(path):
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
    assert "failed" not in result.stdout


def test_check_report_lines():
    result = invoke("check", str(ROOT / "examples" / "cart.vibee"))
    assert result.stdout.splitlines()[0] == "  PASS total_price/two_items"
    assert result.stdout.splitlines()[-1].endswith("cart.vibee: 7 behaviours, 13 cases: 13 passed")


@pytest.mark.parametrize("old, new, message", [
    ("    given: a list of items\n    when: the cart total",
     "    gven: a list of items\n    when: the cart total",
     "bad.vibee:23:5: error: behaviors[0].gven: unknown key `gven` in a behavior (did you mean `given`?)"),
    ("      price: Float", "      price: Flaot",
     "bad.vibee:12:14: error: types.Item.fields.price: unknown type `Flaot`; expected Int, Float, Bool, "
     "String, List<T>, Map<K,V>, Option<T> or a declared type (did you mean `Float`?)"),
    ("        expected: 7\n", "        expected: seven\n",
     "bad.vibee:48:19: error: behaviors[1].test_cases[0].expected: value does not fit Int; expected an Int, "
     "found String 'seven'"),
    ('implementation: "count < MAX_ITEMS"', 'implementation: "count < len({x for x in [1]})"',
     "bad.vibee:79:34: error: behaviors[4].implementation: body: `set comprehension` is not supported in a "
     "body (the body language is described in docs/body-language.md)"),
])
def test_malformed_specs_give_one_located_line_and_exit_2(tmp_path, old, new, message):
    assert old in CART
    (tmp_path / "bad.vibee").write_text(CART.replace(old, new, 1), encoding="utf-8")
    result = _run_in(tmp_path, "check", "--strict", "bad.vibee")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [message]
    assert result.stdout == ""


def _run_in(folder, *args):
    """Run in `folder`, so messages name the file as the user typed it."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(old)


def test_failing_case_exits_1(tmp_path):
    (tmp_path / "bad.vibee").write_text(CART.replace("        expected: 7\n", "        expected: 8\n"), encoding="utf-8")
    result = _run_in(tmp_path, "check", "-q", "bad.vibee")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "  FAIL item_count/three_lines  (got 7; expected 8)",
        "bad.vibee: 7 behaviours, 13 cases: 12 passed, 1 failed",
    ]


def test_check_json(tmp_path):
    result = invoke("check", "--json", str(ROOT / "examples" / "legacy_vibee.vibee"), str(tmp_path / "missing.vibee"))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    legacy, missing = report["files"]
    assert legacy["counts"] == {"passed": 6, "failed": 0, "error": 0, "skipped": 1}
    assert [w["message"] for w in legacy["warnings"]] == [
        "decorative key `sacred_constants` ignored", "decorative key `creation_pattern` ignored"]
    assert missing["error"]["message"] == "no such file"


def test_schema_accepts_every_example():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in EXAMPLES:
        if path.name in ("cart.vibee", "legacy_vibee.vibee"):
            jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
    ru = json.loads(invoke("schema", "--locale", "ru").stdout)
    jsonschema.validate(yaml.safe_load((ROOT / "examples" / "text_ru.vibee").read_text(encoding="utf-8")), ru)
    assert "поведения" in ru["properties"]


def test_schema_unknown_locale():
    result = invoke("schema", "--locale", "xx")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--locale: error: unknown locale `xx`"


def test_help_shows_examples():
    for command in ("check", "schema"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout
