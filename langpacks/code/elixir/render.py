"""Elixir: float literals in Elixir's spelling, names the grammar can read.

Python writes `1e+16` and `1e-05`; an Elixir float needs a fraction and takes no `+` in
its exponent: `1.0e16`, `1.0e-5`. An Int literal where a Float is needed is written as a
Float literal, not converted at run time.

Elixir takes identifiers in any script, but the tree-sitter grammar cannot start one
with a CJK ideograph, a Hangul syllable or a letter past U+FFFF: such names are
transliterated, the others (Cyrillic, Greek, Arabic, kana...) kept.
"""
from __future__ import annotations

import math
import unicodedata

from polyglot.body import nodes as n
from polyglot.codegen.naming import Namer
from polyglot.codegen.render import Rendered
from polyglot.codegen.render import Renderer as Base
from polyglot.spec.types import FLOAT, Type


def _grammar_cannot_start(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or code > 0xFFFF


class _Namer(Namer):
    def convert(self, name: str, kind: str) -> str:
        text = unicodedata.normalize("NFC", name)
        if text and _grammar_cannot_start(text[0]):
            text = self.transliterate(text, self.locale)
        return super().convert(text, kind)


class Renderer(Base):
    @property
    def namer(self) -> Namer:
        return self._namer

    @namer.setter
    def namer(self, value: Namer) -> None:  # the base class builds a plain Namer; ours wraps it
        self._namer = _Namer(value.rules, value.locale, value.transliterate)

    def literal(self, value: object, t: Type) -> Rendered:
        if t == FLOAT and isinstance(value, (int, float)) and value == 0 and math.copysign(1.0, value) < 0:
            return Rendered("R.negative_zero()")  # the compiler merges a literal -0.0 with 0.0
        out = super().literal(value, t)
        if t == FLOAT and isinstance(value, (int, float)) and math.isfinite(value) and "e" in out.text:
            mantissa, exponent = out.text.split("e")
            mantissa = mantissa if "." in mantissa else mantissa + ".0"
            return Rendered(f"{mantissa}e{int(exponent)}", out.prec)
        return out

    def expr_Call(self, e: n.Call) -> Rendered:
        if e.func == "float" and isinstance(e.args[0], n.Literal) and e.args[0].type.name == "Int":
            return self.literal(float(e.args[0].value), FLOAT)
        return super().expr_Call(e)
