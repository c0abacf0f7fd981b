"""The `{{name}}` template syntax: blocks, defaults, errors, blank lines."""
import pytest

from polyglot.codegen.template import Template, TemplateError, collapse_blank_lines, fill


def test_inline_and_default():
    assert fill("f({{a}}) {{b|pass}}", {"a": "x, y", "b": ""}) == "f(x, y) pass"


def test_single_braces_are_text():
    assert fill("{ {{a}} }{}", {"a": "1"}) == "{ 1 }{}"
    assert fill("{{{a}}}", {"a": "k: v"}) == "{k: v}"


def test_block_placeholder_indents_and_drops_empty_lines():
    text = "def f():\n    {{doc}}\n    {{body}}\n"
    assert fill(text, {"doc": "", "body": "x = 1\n\nreturn x"}) == "def f():\n    x = 1\n\n    return x\n"


def test_missing_placeholder_names_the_template():
    with pytest.raises(TemplateError, match=r"template `case` uses `\{\{expected\}\}`, which is not available here; available: id"):
        Template("{{id}} {{expected}}", "case").fill({"id": "1"})


def test_placeholders_in_order():
    assert Template("{{b}} {{a}} {{b}} {{c|x}}").placeholders == ("b", "a", "c")


def test_collapse_blank_lines():
    assert collapse_blank_lines("\n\na  \n\n\n\nb\n\n", 1) == "a\n\nb\n"
