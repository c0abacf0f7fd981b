"""Test-case values: YAML (or JSON in a string) checked against a type into IR values."""
from __future__ import annotations

import json
import math
from typing import Any

from polyglot.errors import did_you_mean
from polyglot.spec.ir import Enum, EnumValue, MapValue, Record, RecordValue
from polyglot.spec.names import normal_name
from polyglot.spec.types import NUL, NUL_ERROR, Type
from polyglot.spec.yamlsafe import YAML11_BOOLEANS, core_scalar, yaml11_number

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class ValueError_(Exception):
    """A value that does not fit its type; `path` is relative to the value checked."""

    def __init__(self, message: str, path: tuple = (), expected: str | None = None,
                 found: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message, self.path, self.expected, self.found, self.hint = message, path, expected, found, hint
        self.key = False  # the fault is in the mapping key at `path`, not its value


def describe(value: Any) -> str:
    """A short name for what a YAML value is, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"Bool {str(value).lower()}"
    if isinstance(value, int):
        return f"Int {value}"
    if isinstance(value, float):
        return f"Float {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"String {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def maybe_json(value: Any, t: Type) -> Any:
    """VIBEE writes inputs and expectations as JSON inside strings; accept that."""
    if isinstance(value, str) and t.name != "String" and t.name not in ("Option",):
        text = value.strip()
        if text[:1] in "[{\"" or text in ("true", "false", "null") or _is_number(text):
            try:
                return json.loads(text)
            except (json.JSONDecodeError, RecursionError):
                return value
    return value


def yaml11_hint(value: Any) -> str | None:
    """Why `yes` is not a Bool, or `1_000` not an Int, here: only YAML 1.1 read them so."""
    if not isinstance(value, str):
        return None
    if value in YAML11_BOOLEANS:
        return f"`{value}` is text in YAML 1.2, which this reader follows; write true or false"
    number = yaml11_number(value.strip())
    if number is not None:
        return (f"`{value.strip()}` is text in YAML 1.2, which this reader follows; "
                f"did you mean {number}, as YAML 1.1 read it?")
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def convert_value(value: Any, t: Type, records: dict[str, Record], enums: dict[str, Enum],
                  path: tuple = ()) -> Any:
    """Check `value` against `t`, returning the IR value (tuples, MapValue, ...).

    Raises:
        ValueError_: naming the sub-path that does not fit.
    """
    name = t.name
    if name not in enums or (isinstance(value, str) and value.strip()[:1] == '"'):
        value = maybe_json(value, t)  # an enum member is a name: `true`, `null`, `NaN` stay as written

    def bad(expected: str) -> ValueError_:
        return ValueError_(f"value does not fit {t}", path, expected=expected, found=describe(value))

    if name == "Option":
        if value is None:
            return None
        return convert_value(value, t.elem, records, enums, path)
    if value is None:
        raise ValueError_(f"null is not a {t}", path, hint=f"declare the type as {t}? to allow null")
    if name == "Int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                return int(value)
            error = bad("an Int")
            error.hint = yaml11_hint(value)
            raise error
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError_(f"Int {value} does not fit in 64 bits", path)
        return value
    if name == "Float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and value.strip().lower() in ("nan", "inf", "-inf", "+inf"):
                return float(value)
            error = bad("a Float")
            error.hint = yaml11_hint(value)
            raise error
        if isinstance(value, int) and abs(value) > 2**53:
            raise ValueError_(f"Int {value} is not exactly representable as a Float", path)
        return float(value)
    if name == "Bool":
        if not isinstance(value, bool):
            error = bad("true or false")
            error.hint = yaml11_hint(value)
            raise error
        return value
    if name == "String":
        if not isinstance(value, str):
            raise bad("a String")
        if NUL in value:
            message, hint = NUL_ERROR
            raise ValueError_(message, path, hint=hint)
        return value
    if name == "List":
        if not isinstance(value, list):
            raise bad("a list")
        return tuple(convert_value(v, t.elem, records, enums, path + (i,)) for i, v in enumerate(value))
    if name == "Map":
        if not isinstance(value, dict):
            raise bad("a mapping")
        entries = []
        written: dict[Any, Any] = {}  # key as read -> as written, so `010` and `10` clash in an Int map
        for k, v in value.items():
            key = _map_key(k, t.args[0], records, enums, path)
            if key in written:
                error = ValueError_(f"map key {show(key)} is given twice", path + (k,),
                                    hint=f"`{written[key]}` and `{k}` are the same {t.args[0]}")
                error.key = True
                raise error
            written[key] = k
            entries.append((key, convert_value(v, t.args[1], records, enums, path + (k,))))
        return MapValue(tuple(entries))
    if name in records:
        record = records[name]
        if not isinstance(value, dict):
            raise bad(f"a mapping of {record.name}'s fields")
        names = [f.name for f in record.fields]
        given: dict[str, Any] = {}  # field name -> its key as written (names are NFKC, as in Python)
        for k in value:
            name = normal_name(str(k).strip())
            if name not in names:
                raise ValueError_(f"record {record.name} has no field `{k}`", path + (k,),
                                  hint=did_you_mean(str(k), names))
            if name in given:
                raise ValueError_(f"field `{name}` is given twice", path + (k,),
                                  hint=f"`{given[name]}` and `{k}` are one name to Python, which "
                                  "reads identifiers in NFKC form")
            given[name] = k
        missing = [f for f in names if f not in given]
        if missing:
            raise ValueError_(f"{record.name} value is missing field(s): {', '.join(missing)}", path)
        return RecordValue(record.name, tuple(
            (f.name, convert_value(value[given[f.name]], f.type, records, enums, path + (given[f.name],)))
            for f in record.fields))
    if name in enums:
        enum = enums[name]
        member = value
        if isinstance(member, str):
            member = normal_name(member.strip())
            if member.startswith(enum.name + "."):
                member = member[len(enum.name) + 1:]
        if not isinstance(member, str) or member not in enum.members:
            raise ValueError_(f"not a member of {enum.name}", path,
                              expected=" | ".join(enum.members), found=describe(value),
                              hint=did_you_mean(str(member), enum.members))
        return EnumValue(enum.name, member)
    raise ValueError_(f"unknown type {name}", path)


def _map_key(key: Any, t: Type, records, enums, path: tuple) -> Any:
    """A map key as its key type reads it.

    Keys arrive as the text written (`010`, `1e3`, `~`), which is the key of a String map; an
    Int or Bool key is that text read as a YAML 1.2 plain value (`010` is 10, `0x1F` 31),
    so it means what the same text means as a value.
    """
    value = key
    if isinstance(key, str) and t.name in ("Int", "Bool"):
        value = core_scalar(key.strip())
    try:
        return convert_value(value, t, records, enums, path + (key,))
    except ValueError_ as err:
        err.message, err.path, err.key = f"map key `{key}`: {err.message}", path + (key,), True
        raise


def infer_type(value: Any) -> Type | None:
    """The type of a constant written without one (`MAX_ITEMS: 100`)."""
    from polyglot.spec.types import BOOL, FLOAT, INT, STRING, list_of, map_of

    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    if isinstance(value, str):
        return STRING
    if isinstance(value, list) and value:
        types = {infer_type(v) for v in value}
        if types == {INT, FLOAT}:
            return list_of(FLOAT)
        if len(types) == 1 and None not in types:
            return list_of(types.pop())  # type: ignore[arg-type]
    if isinstance(value, dict) and value:
        types = {infer_type(v) for v in value.values()}
        if len(types) == 1 and None not in types:
            return map_of(STRING, types.pop())  # type: ignore[arg-type]
    return None


def values_equal(actual: Any, expected: Any, tolerance: float = 1e-9) -> bool:
    """Structural equality with a relative tolerance on floats (NaN equals NaN)."""
    if isinstance(expected, float) or isinstance(actual, float):
        if not isinstance(actual, (int, float)) or not isinstance(expected, (int, float)):
            return False
        if isinstance(actual, bool) or isinstance(expected, bool):
            return False
        if math.isnan(actual) or math.isnan(expected):
            return math.isnan(actual) and math.isnan(expected)
        return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(expected, tuple):
        return (isinstance(actual, tuple) and len(actual) == len(expected)
                and all(values_equal(a, e, tolerance) for a, e in zip(actual, expected)))
    if isinstance(expected, MapValue):
        if not isinstance(actual, MapValue) or len(actual.entries) != len(expected.entries):
            return False
        got = dict(actual.entries)
        return all(k in got and values_equal(got[k], v, tolerance) for k, v in expected.entries)
    if isinstance(expected, RecordValue):
        return (isinstance(actual, RecordValue) and actual.type == expected.type
                and all(values_equal(a[1], e[1], tolerance) for a, e in zip(actual.fields, expected.fields)))
    return type(actual) is type(expected) and actual == expected




def show(value: Any) -> str:
    """A value as a spec author would write it (for reports)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, MapValue):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.entries) + "}"
    if isinstance(value, RecordValue):
        return value.type + "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.fields) + "}"
    if isinstance(value, EnumValue):
        return f"{value.type}.{value.member}"
    return repr(value)
