"""Identifiers for a target: case conversion, reserved words, scripts, collisions.

A spec name becomes a target name in fixed steps, so the same spec gives the same code
every time:

1. NFC-normalize; where the target does not allow non-ASCII identifiers, transliterate
   (through the human pack of the spec's locale when `polyglot.langpacks` offers it);
2. split into words (`_`, other separators, and lower->Upper boundaries: `totalPrice`,
   `HTTPServer`) and join them in the kind's case style;
3. prefix a leading digit, escape a reserved word with the pack's pattern (`type_`,
   `r#type`);
4. within a scope, a name already taken gets `_2`, `_3`... (`2`, `3` in camel and
   Pascal case), in declaration order.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from polyglot.codegen.template import fill
from polyglot.errors import SpecError

#: Case styles a pack may give each kind of name.
CASES = ("snake", "camel", "pascal", "upper", "lower", "keep")
#: Kinds of names a pack gives a case style to.
KINDS = ("type", "function", "field", "param", "constant", "enum_member", "local", "module")

_SEPARATORS = re.compile(r"[^\w]+|_+")


def _split_camel(chunk: str) -> list[str]:
    """Split before an upper-case letter that follows a lower-case one or a digit, and
    before the last capital of a run followed by a lower-case letter (any script)."""
    out, start = [], 0
    for i in range(1, len(chunk)):
        a, b, nxt = chunk[i - 1], chunk[i], chunk[i + 1: i + 2]
        if b.isupper() and (a.islower() or a.isdigit() or (a.isupper() and nxt.islower())):
            out.append(chunk[start:i])
            start = i
    out.append(chunk[start:])
    return out


def words(name: str) -> list[str]:
    """Split a name into words: `total_price`, `totalPrice`, `TotalPrice` -> total, price.

    Example:
        >>> words("parseHTTPResponse_v2")
        ['parse', 'HTTP', 'Response', 'v2']
    """
    out: list[str] = []
    for chunk in _SEPARATORS.split(name):
        if chunk:
            out.extend(_split_camel(chunk))
    return out


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def convert_case(name: str, style: str) -> str:
    """`name` in a case style: snake, camel, pascal, upper, lower (no separators) or keep.

    Example:
        >>> convert_case("total_price", "camel"), convert_case("totalPrice", "upper")
        ('totalPrice', 'TOTAL_PRICE')
    """
    if style == "keep":
        return name
    parts = words(name)
    if style == "snake":
        return "_".join(w.lower() for w in parts)
    if style == "upper":
        return "_".join(w.upper() for w in parts)
    if style == "lower":
        return "".join(w.lower() for w in parts)
    if style == "pascal":
        return "".join(_cap(w) for w in parts)
    if style == "camel":
        return "".join(w.lower() if i == 0 else _cap(w) for i, w in enumerate(parts))
    raise ValueError(f"unknown case style {style!r}")


def _default_transliterate(text: str, locale: str | None) -> str:
    """The human pack's transliteration; an unknown locale falls back to the generic rules."""
    from polyglot.langpacks import transliterate

    try:
        return transliterate(text, locale)
    except SpecError:  # a spec whose locale has no pack must still render
        return transliterate(text, None)


@dataclass(frozen=True)
class NamingRules:
    """How a pack spells names (the `[naming]` table of pack.toml).

    Args:
        cases: kind -> case style (see `KINDS`, `CASES`).
        reserved: words a name may not be (keywords, builtins, runtime helpers).
        escape: template turning a reserved `{{name}}` into a usable one, e.g. `{{name}}_`.
        unicode: whether identifiers may keep non-ASCII letters.
        leading_digit: template for a name that starts with a digit, e.g. `_{{name}}`.
        case_insensitive: reserved words match whatever their case (PHP, Nim).
        empty: the name used when nothing usable is left.
        ascii_kinds: kinds that must be ASCII even where `unicode` is true (module names
            become file names, which some toolchains require to be ASCII).
    """

    cases: dict[str, str]
    reserved: frozenset[str] = frozenset()
    escape: str = "{{name}}_"
    unicode: bool = True
    leading_digit: str = "_{{name}}"
    case_insensitive: bool = False
    empty: str = "x"
    ascii_kinds: frozenset[str] = frozenset()

    def is_reserved(self, name: str) -> bool:
        if self.case_insensitive:
            return name.casefold() in {r.casefold() for r in self.reserved}
        return name in self.reserved


@dataclass
class Namer:
    """Turns spec names into target names for one pack and one locale (no scope)."""

    rules: NamingRules
    locale: str | None = None
    transliterate: Callable[[str, str | None], str] = _default_transliterate

    def convert(self, name: str, kind: str) -> str:
        """The target spelling of `name` as a `kind`, before collision handling.

        Example:
            >>> Namer(NamingRules({"param": "snake"})).convert("type", "param")
            'type'
        """
        text = unicodedata.normalize("NFC", name)
        if (not self.rules.unicode or kind in self.rules.ascii_kinds) and not text.isascii():
            text = self.transliterate(text, self.locale)
        out = convert_case(text, self.rules.cases.get(kind, "keep"))
        if not out:
            out = self.rules.empty
        if out[0].isdigit():
            out = fill(self.rules.leading_digit, {"name": out})
        if self.rules.is_reserved(out):
            out = fill(self.rules.escape, {"name": out})
        return out

    def suffixed(self, name: str, kind: str, n: int) -> str:
        style = self.rules.cases.get(kind, "keep")
        return f"{name}{n}" if style in ("camel", "pascal", "lower") else f"{name}_{n}"


@dataclass
class Scope:
    """Names taken in one scope (and its parents); hands out unique target names.

    Args:
        namer: the pack's `Namer`.
        parent: an enclosing scope whose names must not be shadowed.
    """

    namer: Namer
    parent: Scope | None = None
    _taken: set[str] = field(default_factory=set)
    _names: dict[tuple[str, str], str] = field(default_factory=dict)

    def taken(self, name: str) -> bool:
        folded = name.casefold() if self.namer.rules.case_insensitive else name
        scope: Scope | None = self
        while scope is not None:
            if folded in scope._taken:
                return True
            scope = scope.parent
        return False

    def declare(self, name: str, kind: str) -> str:
        """A new target name for spec name `name`, unique in this scope and its parents.

        Declaring the same (name, kind) twice returns the first answer.
        """
        if (name, kind) not in self._names:
            self._names[(name, kind)] = self.fresh(name, kind)
        return self._names[(name, kind)]

    def fresh(self, word: str, kind: str = "local") -> str:
        """A new name for a temporary (never memoized): `word`, `word_2`, ..."""
        base = self.namer.convert(word, kind)
        out, n = base, 1
        while self.taken(out) or self.namer.rules.is_reserved(out):
            n += 1
            out = self.namer.suffixed(base, kind, n)
        self._taken.add(out.casefold() if self.namer.rules.case_insensitive else out)
        return out

    def reserve(self, target: str) -> None:
        """Mark a target name as used (names the runtime or templates define)."""
        self._taken.add(target.casefold() if self.namer.rules.case_insensitive else target)

    def get(self, name: str, kind: str) -> str:
        """The name declared for (name, kind) here or in a parent; KeyError if none."""
        scope: Scope | None = self
        while scope is not None:
            if (name, kind) in scope._names:
                return scope._names[(name, kind)]
            scope = scope.parent
        raise KeyError((name, kind))

    def child(self) -> Scope:
        return Scope(self.namer, self)
