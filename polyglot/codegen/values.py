"""Test and constant values as typed expression nodes.

A test case's `[{name: a, price: 2.0}]` and a body's `[Item(name='a', price=2.0)]` must
render identically, so values are turned into the same nodes the checker produces and
go through the one expression renderer.
"""
from __future__ import annotations

from typing import Any

from polyglot.body import nodes as n
from polyglot.errors import SpecError
from polyglot.spec.ir import EnumValue, MapValue, RecordValue, Spec
from polyglot.spec.types import Type


def value_node(value: Any, t: Type, spec: Spec) -> n.Expr:
    """The expression node that builds `value` (IR form) of type `t`.

    Args:
        value: a typed IR value (tuple, MapValue, RecordValue, EnumValue, None, scalar).
        t: its declared type.
        spec: where record and enum declarations are looked up.

    Returns:
        Literal, ListLit, MapLit, RecordNew, EnumMember or OptionSome nodes.
    """
    if t.name == "Option":
        if value is None:
            return n.Literal(t, 0, None)
        return n.OptionSome(t, 0, value_node(value, t.elem, spec))
    if t.name == "List":
        return n.ListLit(t, 0, tuple(value_node(v, t.elem, spec) for v in value))
    if t.name == "Map":
        entries = value.entries if isinstance(value, MapValue) else tuple(value.items())
        return n.MapLit(t, 0, tuple(value_node(k, t.args[0], spec) for k, _ in entries),
                        tuple(value_node(v, t.args[1], spec) for _, v in entries))
    if t.name in ("Int", "Float", "Bool", "String"):
        return n.Literal(t, 0, float(value) if t.name == "Float" else value)
    record = spec.record(t.name)
    if record is not None and isinstance(value, RecordValue):
        return n.RecordNew(t, 0, record.name, tuple(
            (f.name, value_node(value.get(f.name), f.type, spec)) for f in record.fields))
    if spec.enum(t.name) is not None and isinstance(value, EnumValue):
        return n.EnumMember(t, 0, value.type, value.member)
    raise SpecError(f"cannot render a value of type {t}", found=repr(value)[:60])
