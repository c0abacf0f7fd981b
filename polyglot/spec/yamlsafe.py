"""Safe YAML reading that remembers where every value came from.

PyYAML's SafeLoader already refuses arbitrary tags; on top of it we bound the file size,
nesting depth and node count (so an alias bomb is an error, not an out-of-memory), refuse
duplicate keys, and record a (line, column) for every key path so errors can point at it.
Booleans are YAML 1.2's (`true`, `false`): YAML 1.1 also read `yes`, `no`, `on` and `off`
as booleans, which turns an enum `[yes, no]` or a name `no` into False.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from polyglot.errors import SpecError

_BOOL = "tag:yaml.org,2002:bool"
#: The words YAML 1.1 read as booleans and YAML 1.2 (and this loader) reads as text.
YAML11_BOOLEANS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML was built with it (several times faster), else pure
    Python; either way with YAML 1.2's booleans."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
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
        raise SpecError(f"invalid YAML: {problem}", file=file,
                        line=mark.line + 1 if mark else None,
                        column=mark.column + 1 if mark else None) from None
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
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise SpecError(f"cannot read value: {getattr(err, 'problem', err)}", **where) from None
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
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            if key is None:
                key = "null"
            if isinstance(key, (int, float, bool)):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                raise SpecError(f"duplicate key `{key}`", file=out.file,
                                line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                                path=format_path(path) or None)
            out.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, path + (key,), depth + 1, out, loader, budget)
        out.marks.pop(path + ("<key>",), None)
        return result
    raise SpecError("unsupported YAML node", **where)
