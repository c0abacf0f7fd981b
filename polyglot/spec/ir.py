"""The typed, immutable intermediate representation of a spec.

Everything downstream -- the checker, the reference evaluator, the 20 renderers, the data
sampler -- reads these dataclasses and nothing else, so a spec in any human language and
any VIBEE spelling arrives as the same IR.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from polyglot.spec.types import Type


@dataclass(frozen=True)
class RecordValue:
    """A value of a declared record type; `fields` in declaration order."""

    type: str
    fields: tuple[tuple[str, Any], ...]

    def get(self, name: str) -> Any:
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)


@dataclass(frozen=True)
class EnumValue:
    """A member of a declared enum."""

    type: str
    member: str


@dataclass(frozen=True)
class MapValue:
    """A Map value: entries in the order written (immutable, so the IR can be hashed)."""

    entries: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    description: str = ""


@dataclass(frozen=True)
class Record:
    name: str
    fields: tuple[Field, ...]
    description: str = ""


@dataclass(frozen=True)
class Enum:
    name: str
    members: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Constant:
    name: str
    type: Type
    value: Any
    description: str = ""


@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    description: str = ""


@dataclass(frozen=True)
class TestCase:
    """One example: inputs by parameter name, and the expected result or an expected error.

    Values are typed: lists are tuples, maps are MapValue, records RecordValue, enum members
    EnumValue, an empty Option is None.
    """

    name: str
    inputs: tuple[tuple[str, Any], ...]
    expected: Any = None
    raises: bool = False
    tolerance: float = 1e-9


@dataclass(frozen=True)
class Body:
    """A checked body: its source text and typed expression tree (`polyglot.body.nodes`)."""

    source: str
    expr: Any  # polyglot.body.nodes.Expr; Any here to keep the IR free of import cycles


@dataclass(frozen=True)
class Behavior:
    name: str
    given: str = ""
    when: str = ""
    then: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    returns: Type | None = None
    body: Body | None = None
    tests: tuple[TestCase, ...] = ()
    #: True when the spec gave no params/returns (legacy VIBEE): renderers emit a stub.
    signature_given: bool = True


@dataclass(frozen=True)
class Spec:
    name: str
    module: str
    version: str = ""
    locale: str = "en"
    description: str = ""
    records: tuple[Record, ...] = ()
    enums: tuple[Enum, ...] = ()
    constants: tuple[Constant, ...] = ()
    imports: tuple[str, ...] = ()
    behaviors: tuple[Behavior, ...] = ()
    source: str | None = field(default=None, compare=False)

    def record(self, name: str) -> Record | None:
        return next((r for r in self.records if r.name == name), None)

    def enum(self, name: str) -> Enum | None:
        return next((e for e in self.enums if e.name == name), None)

    def constant(self, name: str) -> Constant | None:
        return next((c for c in self.constants if c.name == name), None)
