"""Haskell: one namespace per module for field selectors and constructors.

Record fields are functions in the module's namespace, so two records with a `name`
field would clash: each field is prefixed with its record's name (`itemName`), the
usual Haskell spelling. Enum members are constructors, which share one namespace with
every record constructor: a member that would clash takes its enum's name as prefix
(`TokenEnd`). Type arguments that are applications are parenthesized (`Maybe (Maybe
Int)`), test calls pass their arguments as atoms (`f (-1) (Just 2)`), and a string
literal escapes every character GHC does not take as written (controls, format
characters, separators such as U+2028), ending a numeric escape with `\\&` only where a
hex digit follows. An Int literal where a Float is needed is written as a Float
literal.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from polyglot.body import nodes as n
from polyglot.codegen.naming import Scope
from polyglot.codegen.pack import ATOM
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT, Type


_HEX = frozenset("0123456789abcdefABCDEF")


class Renderer(Base):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.selectors = {r.name: {f.name: self.top.declare(f"{self.type_name(r.name)} {f.name}", "field")
                                   for f in r.fields} for r in self.spec.records}
        constructors = Scope(self.namer)
        for r in self.spec.records:
            constructors.reserve(self.type_name(r.name))
        self.constructors: dict[tuple[str, str], str] = {}
        for e in self.spec.enums:
            for m in e.members:
                clash = constructors.taken(self.namer.convert(m, "enum_member"))
                word = f"{self.type_name(e.name)} {m}" if clash else m
                self.constructors[(e.name, m)] = constructors.fresh(word, "enum_member")

    def quote(self, text: str) -> str:
        escapes = self.pack.strings["escapes"]
        out = []
        for i, ch in enumerate(text):
            if ch in escapes:
                out.append(escapes[ch])
            elif ch != " " and unicodedata.category(ch)[0] in "CZ":
                out.append(f"\\x{ord(ch):x}" + ("\\&" if text[i + 1:i + 2] in _HEX else ""))
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    def field_name(self, record: str, name: str) -> str:
        return self.selectors[record][name]

    def member_name(self, enum: str, member: str) -> str:
        return self.constructors[(enum, member)]

    def expr_Call(self, e: n.Call) -> Rendered:
        """`float(2)` of a literal is the literal `2.0`, not `fromIntegral 2`."""
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)
        return super().expr_Call(e)

    def type(self, t: Type) -> str:
        """The base spelling, with applied type arguments in parentheses: `Maybe [Int]`,
        `Map.Map String (Maybe Int)`."""
        key = self.type_key(t)
        template = self.pack.types.get(key) or self.pack.types.get(key.split("<")[0])
        if template is None or not t.args:
            return super().type(t)
        values = {"name": t.name, "module": self.module}
        for i, a in enumerate(t.args):
            text = self.type(a)
            bracketed = f"[{{{{{i}}}}}]" in template.text
            values[str(i)] = f"({text})" if " " in text and not bracketed else text
        return template.fill(values)

    def atom(self, r: Rendered) -> str:
        return r.text if r.prec >= ATOM else self.pack.literals["paren"].fill({"0": r.text})

    def case_value(self, value: Rendered) -> str:
        return self.atom(value)

    def case_call(self, name: str, args: Sequence[str], returns: Type | None) -> str:
        return self.atom(Rendered(" ".join([name, *args]), 90 if args else ATOM))
