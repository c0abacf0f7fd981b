"""The spec's type language: Int, Float, Bool, String, List<T>, Map<K,V>, Option<T>, names.

A type is a small immutable tree, so renderers can pattern-match on it and the checker can
compare types with `==`.
"""
from __future__ import annotations

from dataclasses import dataclass

from polyglot.spec.names import normal_name

PRIMITIVES = ("Int", "Float", "Bool", "String")
GENERICS = {"List": 1, "Map": 2, "Option": 1}

#: Other spellings real specs use for the built-in types (VIBEE, Zig, Rust, Python habits).
TYPE_ALIASES: dict[str, str] = {
    "int": "Int", "integer": "Int", "Integer": "Int", "i64": "Int", "i32": "Int",
    "u8": "Int", "u16": "Int", "u32": "Int", "u64": "Int", "i8": "Int", "i16": "Int", "usize": "Int", "isize": "Int", "Long": "Int", "long": "Int",
    "float": "Float", "f64": "Float", "f32": "Float", "Double": "Float", "double": "Float",
    "Number": "Float", "number": "Float", "Real": "Float",
    "bool": "Bool", "Boolean": "Bool", "boolean": "Bool",
    "str": "String", "string": "String", "Str": "String", "Text": "String", "text": "String",
    "list": "List", "Array": "List", "array": "List", "Vec": "List", "Seq": "List",
    "map": "Map", "Dict": "Map", "dict": "Map", "HashMap": "Map", "Mapping": "Map",
    "Optional": "Option", "Maybe": "Option", "option": "Option",
}


@dataclass(frozen=True)
class Type:
    """A type: `name` is a built-in or a declared record/enum; `args` its parameters."""

    name: str
    args: tuple[Type, ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        return f"{self.name}<{', '.join(map(str, self.args))}>"

    @property
    def is_numeric(self) -> bool:
        return self.name in ("Int", "Float")

    @property
    def elem(self) -> Type:
        """The element type of a List, the value type of an Option, the key type of a Map."""
        return self.args[0]


INT, FLOAT, BOOL, STRING = Type("Int"), Type("Float"), Type("Bool"), Type("String")
#: The one character no String may hold: R's strings cannot (`"a\\u0000b"` does not parse
#: there, `rawToChar` refuses it, `intToUtf8` drops it), so a body literal or a test value
#: holding one could not mean the same in every target.
NUL = "\x00"
NUL_ERROR = "a String may not hold a NUL character (U+0000)", "R's strings cannot hold one, so no target may"
#: The type of `None` before context fixes what it is an empty Option of.
NONE = Type("None")
#: The element type of an empty list literal, unified away by context.
ANY = Type("Any")


def list_of(t: Type) -> Type:
    return Type("List", (t,))


def map_of(k: Type, v: Type) -> Type:
    return Type("Map", (k, v))


def option_of(t: Type) -> Type:
    return Type("Option", (t,))


class TypeSyntaxError(ValueError):
    """A type string that does not parse; `offset` is the 0-based column of the fault."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


_PUNCT = "<>[],?"


def _tokens(text: str) -> list[tuple[str, int]]:
    """Names (Python's identifier rule, so Hindi and Thai marks belong to words) and punctuation."""
    out: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
        elif ch in _PUNCT:
            out.append((ch, pos))
            pos += 1
        elif ch.isidentifier():
            end = pos + 1
            while end < len(text) and text[pos:end + 1].isidentifier():
                end += 1
            out.append((text[pos:end], pos))
            pos = end
        else:
            raise TypeSyntaxError(f"unexpected character {ch!r} in type", pos)
    return out


def parse_type(text: str, aliases: dict[str, str] | None = None) -> Type:
    """Parse `List<Map<String, Int>>`, `Int?`, `[Item]`, `Option<T>` into a Type.

    Args:
        text: the type as written in the spec.
        aliases: extra spellings (a human pack's localized type names) -> canonical names,
            spelled in NFKC form (`polyglot.spec.names`), as names in `text` are read.

    Returns:
        The Type; names are not resolved here (the reader checks declared names).

    Raises:
        TypeSyntaxError: with the offset of the first character that does not fit.
    """
    names = {**TYPE_ALIASES, **(aliases or {})}
    text = str(text)
    tokens = _tokens(text)
    if not tokens:
        raise TypeSyntaxError("empty type", 0)
    index = 0

    def peek() -> str | None:
        return tokens[index][0] if index < len(tokens) else None

    def take(expected: str | None = None) -> tuple[str, int]:
        nonlocal index
        if index >= len(tokens):
            raise TypeSyntaxError(f"type ends early; expected {expected or 'a type name'}", len(text))
        tok = tokens[index]
        if expected is not None and tok[0] != expected:
            raise TypeSyntaxError(f"expected {expected!r}, found {tok[0]!r}", tok[1])
        index += 1
        return tok

    def parse() -> Type:
        if peek() == "[":  # [T] and []T
            take("[")
            if peek() == "]":
                take("]")
                return _optional(Type("List", (parse(),)))
            inner = parse()
            take("]")
            return _optional(Type("List", (inner,)))
        word, at = take()
        if not (word[0].isalpha() or word[0] == "_"):
            raise TypeSyntaxError(f"expected a type name, found {word!r}", at)
        word = normal_name(word)  # `Ｉｎｔ` is Int, as `ﬁle` is `file` in a body
        name = names.get(word, word)
        args: list[Type] = []
        if peek() == "<":
            take("<")
            args.append(parse())
            while peek() == ",":
                take(",")
                args.append(parse())
            take(">")
        arity = GENERICS.get(name)
        if arity is not None and len(args) != arity:
            if not args:
                raise TypeSyntaxError(f"{name} needs {arity} type argument(s), e.g. "
                                      f"{name}<{', '.join(['String'] * arity)}>", at)
            raise TypeSyntaxError(f"{name} takes {arity} type argument(s), got {len(args)}", at)
        if arity is None and args:
            raise TypeSyntaxError(f"{name} takes no type arguments", at)
        return _optional(Type(name, tuple(args)))

    def _optional(t: Type) -> Type:
        while peek() == "?":
            take("?")
            t = option_of(t)
        return t

    result = parse()
    if index != len(tokens):
        tok = tokens[index]
        raise TypeSyntaxError(f"unexpected {tok[0]!r} after the type", tok[1])
    return result
