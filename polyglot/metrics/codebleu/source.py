"""Code as CodeBLEU compares it: parsed, stripped of comments, and split into tokens.

Comments are found by a language's ``comments.scm`` (every capture is stripped), not by
a regular expression: a ``//`` inside a string stays, and a language whose comments start
with ``#``, ``--`` or ``(*`` needs no code of its own. A stripped comment becomes one
space, so the tokens on either side stay apart.

Compat mode instead strips as the ``codebleu`` package does, faults included, before
anything is parsed: `RegexStripper` (its C-family regular expression) and
`TokenizeStripper` (its loop over Python's tokenizer), named per language in
``compat/strip.toml``.
"""
from __future__ import annotations

import functools
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node, Parser, Query, QueryCursor, Tree

from polyglot.metrics.codebleu._native import strip_python, strip_slash_comments
from polyglot.metrics.codebleu.scan import Kinds, scan


def captured_ranges(query: Query | None, root: Node, prefix: str) -> list[tuple[int, int]]:
    """Byte ranges of every capture whose name starts with ``prefix``, sorted, outermost kept.

    Args:
        query: a compiled query (None: nothing to strip).
        root: the tree to search.
        prefix: the capture family, e.g. ``comment`` or ``compat.strip``.

    Returns:
        Disjoint ``(start, end)`` byte ranges in source order.
    """
    if query is None:
        return []
    spans = sorted({(node.start_byte, node.end_byte)
                    for name, nodes in QueryCursor(query).captures(root).items()
                    if name == prefix or name.startswith(prefix + ".") for node in nodes})
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:  # nested or overlapping: keep the outer span
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def blank_out(source: bytes, ranges: list[tuple[int, int]]) -> bytes:
    """``source`` with each range replaced by one space."""
    if not ranges:
        return source
    out, last = [], 0
    for start, end in ranges:
        out += [source[last:start], b" "]
        last = end
    out.append(source[last:])
    return b"".join(out)


def parse_stripped(parser: Parser, source: bytes, query: Query | None,
                   prefix: str = "comment") -> tuple[Tree, bytes]:
    """Parse, strip the captured comments, and parse the rest again.

    Args:
        parser: a parser for the language.
        source: UTF-8 code.
        query: the query whose ``prefix`` captures are stripped.
        prefix: capture family to strip.

    Returns:
        ``(tree, stripped source)``.
    """
    tree = parser.parse(source)
    ranges = captured_ranges(query, tree.root_node, prefix)
    if not ranges:
        return tree, source
    stripped = blank_out(source, ranges)
    return parser.parse(stripped), stripped


#: the expression `_native.strip_slash_comments` replays in C: codebleu 0.7.0's for its
#: C-family languages, with its flags and what starts a comment
SLASH_COMMENTS = (r'''//.*?$|/\*.*?\*/|\'(?:\\.|[^\\\'])*\'|"(?:\\.|[^\\"])*"''',
                  re.DOTALL | re.MULTILINE, "/")


@dataclass(frozen=True)
class RegexStripper:
    """A comment-removing regular expression, as codebleu 0.7.0 applies it (compat mode).

    Args:
        pattern: matches comments and the literals that may hold comment markers.
        comment_starts: a match starting so is a comment and becomes one space; any
            other match (a literal) is kept.
    """

    pattern: re.Pattern
    comment_starts: str

    def __call__(self, text: str) -> str:
        """``text`` without its comments and without the lines that leaves blank."""
        return _drop_blank_lines(self.pattern.sub(self._replace, text))

    def fast(self, text: str) -> str:
        """The same; for the package's own expression (`SLASH_COMMENTS`), replayed in C."""
        if self._replayed:
            try:
                return strip_slash_comments(text)
            except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so only `re`
                pass
        return self(text)

    @functools.cached_property
    def _replayed(self) -> bool:
        return (self.pattern.pattern, self.pattern.flags & ~re.UNICODE, self.comment_starts) == SLASH_COMMENTS

    def _replace(self, match: re.Match) -> str:
        found = match.group(0)
        return " " if found.startswith(self.comment_starts) else found


class TokenizeStripper:
    """codebleu 0.7.0's comment and docstring removal for Python (compat mode).

    The package writes each `tokenize` token back at its column, leaving out comments
    and every string that opens a logical line or starts at column 0, then drops the
    lines left blank; where tokenize raises (code cut short, an unclosed bracket, a
    dedent to no known column) it keeps the text whole. This is that loop, on the
    standard library's tokenizer: the definition. `fast` is the same in C.
    """

    def __call__(self, text: str) -> str:
        """``text`` as the package strips it."""
        out: list[str] = []
        previous, last_line, last_col = tokenize.INDENT, -1, 0
        try:
            for kind, string, (line, col), (end_line, end_col), _ in tokenize.generate_tokens(io.StringIO(text).readline):
                if line > last_line:
                    last_col = 0
                if col > last_col:
                    out.append(" " * (col - last_col))
                if kind == tokenize.STRING:
                    if previous not in (tokenize.INDENT, tokenize.NEWLINE) and col > 0:
                        out.append(string)
                elif kind != tokenize.COMMENT:
                    out.append(string)
                previous, last_col, last_line = kind, end_col, end_line
        except (tokenize.TokenError, SyntaxError):
            return text
        return _drop_blank_lines("".join(out))

    def fast(self, text: str) -> str:
        """The same, replayed in C (``_native.strip_python``)."""
        try:
            stripped = strip_python(text)
        except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so only the slow way
            return self(text)
        return text if stripped is None else stripped


def _drop_blank_lines(text: str) -> str:
    """The package's last step after stripping: lines whose ``strip()`` is empty go."""
    return "\n".join(filter(str.strip, text.split("\n")))


def iter_nodes(root: Node) -> Iterator[Node]:
    """Every node in document order (pre-order), without recursion."""
    cursor = root.walk()
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


def code_tokens(root: Node, source: bytes,
                leaves: list[tuple[int, int, int]] | None = None) -> list[str]:
    """Tokens for the n-gram matches: the tree's leaves, plus any text between them.

    Leaves split ``a+b`` into three tokens where whitespace splitting sees one; text that
    a grammar leaves outside every leaf (string bodies in some grammars) is kept too,
    split on whitespace, so no code is lost from the comparison.

    Args:
        root: the (comment-stripped) tree.
        source: the bytes it was parsed from.
        leaves: the tree's `scan` leaves, when the caller has them already.

    Returns:
        Token strings in source order.
    """
    if leaves is None:
        leaves = scan(root, Kinds.of_tree(root), {}).leaves
    tokens: list[str] = []
    last = root.start_byte
    for start, end, _ in leaves:
        if start == end:
            continue
        if start > last:
            tokens += source[last:start].decode("utf-8", "replace").split()
        tokens.append(source[start:end].decode("utf-8", "replace"))
        last = max(last, end)
    tokens += source[last:root.end_byte].decode("utf-8", "replace").split()
    return tokens
