"""Safe YAML reading that remembers where every value came from.

PyYAML's SafeLoader already refuses arbitrary tags; on top of it we bound the file size,
nesting depth and node count (so an alias bomb is an error, not an out-of-memory), refuse
duplicate keys, and record a (line, column) for every key path so errors can point at it.

Plain scalars are resolved by YAML 1.2's core schema, not PyYAML's YAML 1.1 one: booleans
are `true` and `false` only (YAML 1.1 also read `yes`, `no`, `on` and `off`, which turns an
enum `[yes, no]` or a name `no` into False); integers are decimal (`010` is 10, not octal 8),
`0o17` or `0x1F`; floats are decimal, `.inf` or `.nan`. What YAML 1.1 alone read as a
number (`1_000`, `0b11`, `1:30`) or a date (`2024-01-31`) is text, and the places where such
text meets an Int or Float say what YAML 1.1 made of it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from polyglot.errors import SpecError

_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_STR, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"
#: Plain scalars YAML 1.1 read as a number and YAML 1.2 reads as text (`1_000`, `0b11`, `1:30`).
YAML11_NUMBER = "tag:polyglot,2026:yaml11-number"
#: The words YAML 1.1 read as booleans and YAML 1.2 (and this loader) reads as text.
YAML11_BOOLEANS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())
#: YAML 1.2 core schema (10.3.2), whole-scalar patterns.
_CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_CORE_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
#: PyYAML's own YAML 1.1 number patterns, {first character: [pattern, ...]}.
_YAML11_NUMBERS = {first: [rx for tag, rx in resolvers if tag in (_INT, _FLOAT)]
                   for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
#: Kept from YAML 1.1: null (as in 1.2) and `<<` (so a merge key can be refused by name).
_KEPT = ("tag:yaml.org,2002:null", _MERGE)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML was built with it (several times faster), else pure
    Python; either way resolving plain scalars by YAML 1.2's core schema."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag in _KEPT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if not _CORE_INT.match(text):  # only reachable through an explicit `!!int` tag
        raise yaml.constructor.ConstructorError(None, None, f"`{text}` is not a YAML 1.2 integer",
                                                node.start_mark)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    if not _CORE_FLOAT.match(text):
        raise yaml.constructor.ConstructorError(None, None, f"`{text}` is not a YAML 1.2 float",
                                                node.start_mark)
    if text.lstrip("+-").lower() == ".inf":
        return -math.inf if text[0] == "-" else math.inf
    if text.lower() == ".nan":
        return math.nan
    return float(text)


_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_INT, _CORE_INT, list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, _CORE_FLOAT, list("-+.0123456789"))
for _first, _patterns in _YAML11_NUMBERS.items():
    for _rx in _patterns:
        _Loader.add_implicit_resolver(YAML11_NUMBER, _rx, [_first])
_Loader.add_constructor(_INT, _construct_int)
_Loader.add_constructor(_FLOAT, _construct_float)
_Loader.add_constructor(YAML11_NUMBER, yaml.SafeLoader.construct_yaml_str)
_Loader.add_constructor(_MERGE, yaml.SafeLoader.construct_yaml_str)  # `<<` as a value is text


def core_scalar(text: str) -> Any:
    """What a plain scalar `text` reads as under YAML 1.2's core schema (`010`: 10, `1e3`: 1000.0,
    `true`: True, `~`: None; anything else, `1_000` included, is the text itself).

    Mapping keys are kept as written; this reads one back where the key type is not String.
    """
    if _CORE_INT.match(text):
        return int(text[2:], 8 if text[1] == "o" else 16) if text.startswith(("0o", "0x")) else int(text)
    if _CORE_FLOAT.match(text):
        if text.lstrip("+-").lower() == ".inf":
            return -math.inf if text[0] == "-" else math.inf
        return math.nan if text.lower() == ".nan" else float(text)
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    return text


def yaml11_number(text: str) -> int | float | None:
    """What YAML 1.1 read `text` as, when it read a number and YAML 1.2 reads text (`1_000`: 1000)."""
    if not text or _CORE_INT.match(text) or _CORE_FLOAT.match(text):
        return None
    if any(rx.match(text) for rx in _YAML11_NUMBERS.get(text[0], ())):
        return yaml.load(text, Loader=yaml.SafeLoader)
    return None


MAX_BYTES = 2_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000

Path = tuple  # a key path: ("behaviors", 2, "params", 0, "type")


@dataclass
class Located:
    """A YAML document as plain Python values plus the position of every path in it."""

    value: Any
    file: str
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    #: the source text of plain scalars that were not read as a string (`null`, `~`, `true`,
    #: `010`, an empty value), so a name or a prose field can keep what was written
    written: dict[Path, str] = field(default_factory=dict)
    #: paths of plain scalars YAML 1.1 read as a number and this loader reads as text
    yaml11_numbers: set[Path] = field(default_factory=set)
    #: source span (start, end offsets into `text`) of each folded (`>`) block scalar
    folded: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def literal(self, path: Path) -> str | None:
        """The folded block scalar at `path` re-read as a literal one (`|`): its line breaks kept.

        None when `path` is not a folded scalar, or its header has an explicit indentation
        indicator (`>2`), which means something else once the scalar is read on its own.
        """
        span = self.folded.get(path)
        if span is None:
            return None
        source = self.text[span[0]:span[1]]
        header = source.split("\n", 1)[0]
        if not source.startswith(">") or any(c.isdigit() for c in header.split("#", 1)[0]):
            return None
        try:
            value = yaml.load("|" + source[1:], Loader=_Loader)
        except yaml.YAMLError:
            return None
        return value if isinstance(value, str) else None

    def locate_fragment(self, path: Path, line: int, col: int, fragment: str) -> tuple[int, int]:
        """File (line, column) of position (line, col) inside a string value at `path`.

        Found by searching the source for the fragment's text from the value's mark, so it
        is exact for plain, quoted and block scalars alike; falls back to the value's mark.
        """
        start_line, start_col = self.where(path)
        if start_line is None:
            return (None, None)  # type: ignore[return-value]
        lines = self.text.splitlines()
        wanted = fragment.splitlines()[line - 1].strip() if fragment.splitlines() else ""
        for number in range(start_line - 1, min(len(lines), start_line + 200)):
            origin = (start_col or 1) - 1 if number == start_line - 1 else 0
            at = lines[number].find(wanted, origin) if wanted else -1
            if at >= 0:
                return (number + 1, at + col)
        return (start_line, start_col)  # type: ignore[return-value]

    def where(self, path: Path, key: bool = False) -> tuple[int | None, int | None]:
        """(line, column), 1-based, of the value at `path` (or of its key), else the nearest parent."""
        table = self.key_marks if key else self.marks
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def error(self, path: Path, message: str, key: bool = False, **kw: Any) -> SpecError:
        line, column = self.where(path, key=key)
        return SpecError(message, file=self.file, line=line, column=column,
                         path=format_path(path) or None, **kw)


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def load_yaml(text: str | bytes, file: str = "<input>") -> Located:
    """Parse one YAML document into values and marks.

    Raises:
        SpecError: on size, syntax, tags, depth, node-count or duplicate-key problems.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise SpecError(f"file is too large ({len(text)} bytes; the limit is {MAX_BYTES})", file=file)
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise SpecError(f"file is not valid UTF-8 (byte {err.start})", file=file) from None
    if len(text) > MAX_BYTES:
        raise SpecError(f"file is too large ({len(text)} characters; the limit is {MAX_BYTES})", file=file)
    if "\x00" in text:
        raise SpecError("file contains a NUL byte; is it binary?", file=file)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        raise _reader_error(err, text, file) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        hint = None
        if mark and problem.startswith("mapping values are not allowed"):
            hint = colon_hint(text, mark.line, mark.column)
        raise SpecError(f"invalid YAML: {problem}", file=file,
                        line=mark.line + 1 if mark else None,
                        column=mark.column + 1 if mark else None, hint=hint) from None
    except yaml.reader.ReaderError as err:
        raise _reader_error(err, text, file) from None
    except yaml.YAMLError as err:
        raise SpecError(f"invalid YAML: {err}", file=file) from None
    except RecursionError:
        raise SpecError("document is nested too deeply", file=file) from None
    finally:
        loader.dispose()
    located = Located(None, file, text=text)
    if node is None:
        return located
    budget = [MAX_NODES]
    located.value = _convert(node, (), 0, located, loader, budget)
    return located


_KEY_VALUE = re.compile(r"^(?P<key>\s*(?:-\s+)*[^\s#'\"{\[|>-][^:#]*?:[ \t]+)(?P<value>.*?)"
                        r"(?P<comment>[ \t]+#.*)?$")


def colon_hint(text: str, line: int, column: int) -> str:
    """How to write prose holding `: ` (`then: returns a: b`): quote it; the corrected line.

    `line` and `column` (0-based) are where PyYAML stopped, at the second colon.
    """
    lines = text.splitlines()
    source = lines[line] if line < len(lines) else ""
    match = _KEY_VALUE.match(source)
    if match and len(match["key"]) <= column and match["value"][:1] not in ("'", '"'):
        value = match["value"].rstrip()
        if '"' not in value and "\\" not in value:
            quoted = f'"{value}"'
        else:
            quoted = "'" + value.replace("'", "''") + "'"
        corrected = match["key"].strip() + " " + quoted + (match["comment"] or "")
        return f"text holding `: ` must be quoted: {corrected}"
    return ("text holding `: ` must be quoted; for text over several lines quote all of it, "
            "or write `key: >-` and the text on indented lines below")


def _reader_error(err: yaml.reader.ReaderError, text: str, file: str) -> SpecError:
    before = text[:err.position]
    line = before.count("\n") + 1
    column = err.position - (before.rfind("\n") + 1) + 1
    return SpecError(f"invalid YAML: character U+{err.character:04X} is not allowed", file=file,
                     line=line, column=column)


def _convert(node: yaml.Node, path: Path, depth: int, out: Located,
             loader: yaml.SafeLoader, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise SpecError(f"document has more than {MAX_NODES} nodes (an alias bomb?)",
                        file=out.file, line=node.start_mark.line + 1)
    if depth > MAX_DEPTH:
        raise SpecError(f"document is nested deeper than {MAX_DEPTH} levels", file=out.file,
                        line=node.start_mark.line + 1, column=node.start_mark.column + 1)
    out.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    where = dict(file=out.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        try:
            value = loader.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise SpecError(f"cannot read value: {getattr(err, 'problem', err)}", **where) from None
        if node.tag != _STR and not node.style:  # plain: None in PyYAML, '' in libyaml's binding
            if node.tag == YAML11_NUMBER:
                out.yaml11_numbers.add(path)
            else:
                out.written[path] = node.value
        elif node.style == ">":
            out.folded[path] = (node.start_mark.index, node.end_mark.index)
        return value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise SpecError(f"tag {node.tag} is not allowed", **where)
        return [_convert(item, path + (i,), depth + 1, out, loader, budget)
                for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise SpecError(f"tag {node.tag} is not allowed", **where)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SpecError("merge keys (<<) are not supported", file=out.file,
                                line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                raise SpecError("a mapping key must be a plain value, not a list or mapping",
                                file=out.file, line=key_node.start_mark.line + 1,
                                column=key_node.start_mark.column + 1)
            key = _convert(key_node, path + ("<key>",), depth + 1, out, loader, budget)
            if not isinstance(key, str):  # a key is its text as written: `010:` is "010", `~:` is "~"
                key = key_node.value
            if key in result:
                raise SpecError(f"duplicate key `{key}`", file=out.file,
                                line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                                path=format_path(path) or None)
            out.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, path + (key,), depth + 1, out, loader, budget)
        for table in (out.marks, out.written, out.folded):
            table.pop(path + ("<key>",), None)
        out.yaml11_numbers.discard(path + ("<key>",))
        return result
    raise SpecError("unsupported YAML node", **where)
