"""A JSON Schema of the .vibee format, for editors' YAML plugins.

Built from the same key tables the reader uses, so the two cannot drift apart. With a
locale, each canonical key also accepts that language's spellings.
"""
from __future__ import annotations

from typing import Any

from polyglot import __version__

_TYPE = {"type": "string", "description": "Int, Float, Bool, String, List<T>, Map<K,V>, Option<T>, T?, or a declared type"}
#: Prose and other text fields: a plain `1.10`, `true` or `null` is kept as its text (null is
#: empty), and a list of scalars is joined with "; ", as the reader does.
_SCALAR = ["string", "number", "boolean"]
_TEXT = {"anyOf": [{"type": [*_SCALAR, "null"]}, {"type": "array", "items": {"type": _SCALAR}}]}
#: A declared name (behaviour, parameter, test case, enum member): a plain `null`, `true` or
#: `false` is the name as written; a number is never an identifier, so the reader refuses it.
_NAME = {"type": ["string", "boolean", "null"]}
_VALUE: dict[str, Any] = {}  # any YAML value; checked against the parameter's type by the reader


def _object(props: dict[str, Any], aliases: dict[str, list[str]], required: list[str] = ()) -> dict:
    properties: dict[str, Any] = {}
    for key, schema in props.items():
        properties[key] = schema
        for alias in aliases.get(key, []):
            properties[alias] = schema
    out: dict[str, Any] = {"type": "object", "properties": properties}
    for key in required:  # any spelling of a required key will do
        spellings = [key, *aliases.get(key, [])]
        if len(spellings) == 1:
            out.setdefault("required", []).append(key)
        else:
            out.setdefault("allOf", []).append({"anyOf": [{"required": [s]} for s in spellings]})
    return out


def spec_schema(aliases: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The schema; `aliases` maps canonical keys to extra spellings (a human pack's)."""
    a = aliases or {}
    param = _object({"name": _NAME, "type": _TYPE, "description": _TEXT}, a)
    one_key = {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": _TYPE}  # `- x: Int`
    test = _object({"name": _NAME, "behavior": {"type": "string"},
                    "input": {"description": "parameter name -> value (or JSON in a string)"},
                    "expected": _VALUE, "tolerance": {"type": "number", "minimum": 0},
                    "raises": {"type": "boolean"}, "description": _TEXT}, a)
    behavior = _object({
        "name": _NAME, "description": _TEXT, "given": _TEXT, "when": _TEXT, "then": _TEXT,
        "params": {"anyOf": [{"type": "array", "items": {"anyOf": [param, one_key]}},
                             {"type": "object", "additionalProperties": _TYPE}]},
        "returns": _TYPE,
        "implementation": {"type": "string", "description": "a portable expression, e.g. sum(x for x in xs)"},
        "test_cases": {"type": "array", "items": test},
    }, a, required=["name"])
    members = {"type": "array", "items": _NAME}
    type_body = {"anyOf": [
        _object({"fields": {"anyOf": [{"type": "object", "additionalProperties": _TYPE},
                                      {"type": "array"}]},
                 "enum": members, "values": members, "variants": members, "description": _TEXT}, a),
        members,
    ]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "polyglot .vibee spec",
        "description": f"Behaviour specification read by polyglot {__version__}.",
        **_object({
            "name": {"type": _SCALAR}, "version": _TEXT, "locale": {"type": "string"},
            "language": {"type": "string"}, "module": {"type": "string"}, "description": _TEXT,
            "types": {"anyOf": [{"type": "object", "additionalProperties": type_body},
                                {"type": "array", "items": {"type": "object"}}]},
            "constants": {"anyOf": [{"type": "object"}, {"type": "array"}]},
            "imports": {"type": "array"},
            "behaviors": {"type": "array", "items": behavior},
            "behaviours": {"type": "array", "items": behavior},
            "test_cases": {"type": "array", "items": test},
        }, a, required=["name"]),
    }
