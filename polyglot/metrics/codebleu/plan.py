"""Query patterns shallow enough for the C engine to match while it scans.

tree-sitter's query cursor walks every node of a tree a second time and steps a state
machine for each pattern; for the short compat queries that walk cost more than the
scan itself. Most patterns are one node with its direct children, though:

    ((assignment left: (_) @flow.target right: (_) @flow.value) @flow.assign
      (#set! flow.style "zip"))
    (if_statement "else" @flow.alternative alternative: (_) @flow.alternative)
    ((assignment !right) @flow.skip)

`scan_plan` turns a query made only of such patterns (or of ``[(a) (b)] @c``, plain nodes
in an alternation) into plain data, and the engine matches them at each node it visits
anyway. A query with any other pattern (deeper nesting, other alternations, anchors,
repetition, escapes in a string, a wildcard or supertype root) gets no plan and keeps
tree-sitter's cursor. Matches are what the cursor finds: every way the child steps fit
the children in order, a step with ``?`` possibly left out, and of two matches of one
pattern at one node the one whose captures include the other's (tree-sitter keeps the
longest match). The tests hold both ways equal on every planned query.
"""
from __future__ import annotations

import re

from tree_sitter import Query

__all__ = ["scan_plan"]

# one token of a query; a pattern needing any other (".", "*", "+") has no plan
TOKEN = re.compile(r"""
    (?P<space>\s+|;[^\n]*)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<string>"(?:[^"\\\n])*")
  | (?P<capture>@[\w.-]+)
  | (?P<negated>![\w-]+)
  | (?P<field>[\w-]+:)
  | (?P<predicate>\#[\w?!-]+)
  | (?P<optional>\?)
  | (?P<name>[\w-][\w.-]*)
  | (?P<alternatives>\[)
  | (?P<end>\])
  | (?P<other>.)
""", re.VERBOSE)

# a child step: (field or "", kind or "" for a wildcard, named, optional, captures)
Child = tuple[str, str, bool, bool, tuple[str, ...]]
# a pattern: (root kinds, root captures, negated fields, child steps)
Pattern = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[Child, ...]]


class _Unplannable(Exception):
    """The pattern needs tree-sitter's cursor."""


class _Tokens:
    def __init__(self, text: str) -> None:
        self.items = [(m.lastgroup, m.group()) for m in TOKEN.finditer(text) if m.lastgroup != "space"]
        self.at = 0

    def peek(self, ahead: int = 0) -> tuple[str | None, str]:
        i = self.at + ahead
        return self.items[i] if i < len(self.items) else (None, "")

    def take(self, kind: str) -> str:
        got, text = self.peek()
        if got != kind:
            raise _Unplannable
        self.at += 1
        return text

    def captures(self) -> tuple[str, ...]:
        names = []
        while self.peek()[0] == "capture":
            names.append(self.take("capture")[1:])
        return tuple(names)

    def skip_predicate(self) -> None:
        """``(#name args...)``: the engine reads predicates from the compiled query."""
        self.take("open")
        self.take("predicate")
        while self.peek()[0] in ("capture", "string", "name"):
            self.at += 1
        self.take("close")


def _child(tokens: _Tokens) -> Child:
    field = tokens.take("field")[:-1] if tokens.peek()[0] == "field" else ""
    kind, text = tokens.peek()
    if kind == "string":
        tokens.at += 1
        step_kind, named = text[1:-1], False
    elif kind == "name" and text == "_":
        tokens.at += 1
        step_kind, named = "", False
    else:
        tokens.take("open")
        name = tokens.take("name")
        tokens.take("close")
        step_kind, named = ("" if name == "_" else name), True
    optional = tokens.peek()[0] == "optional"
    tokens.at += optional
    return field, step_kind, named, optional, tokens.captures()


def _node(tokens: _Tokens) -> tuple[str, tuple[str, ...], tuple[Child, ...]]:
    tokens.take("open")
    kind = tokens.take("name")
    if kind == "_" or kind.startswith("_"):  # wildcard or supertype root
        raise _Unplannable
    negated, children = [], []
    while tokens.peek()[0] != "close":
        if tokens.peek()[0] == "negated":
            negated.append(tokens.take("negated")[1:])
        elif tokens.peek() == ("open", "(") and tokens.peek(1)[0] == "predicate":
            tokens.skip_predicate()
        else:
            children.append(_child(tokens))
    tokens.take("close")
    return kind, tuple(negated), tuple(children)


def _alternatives(tokens: _Tokens) -> tuple[str, ...]:
    """``[(a) (b)]``: plain nodes, any of which is the root."""
    tokens.take("alternatives")
    kinds = []
    while tokens.peek()[0] != "end":
        kind, negated, children = _node(tokens)
        if negated or children or tokens.peek()[0] == "capture":
            raise _Unplannable
        kinds.append(kind)
    tokens.take("end")
    return tuple(kinds)


def _pattern(text: str) -> Pattern:
    tokens = _Tokens(text)
    grouped = tokens.peek(1)[0] in ("open", "alternatives") and tokens.peek()[0] == "open"
    if grouped:
        tokens.take("open")
    if tokens.peek()[0] == "alternatives":
        kinds, negated, children = _alternatives(tokens), (), ()
    else:
        kind, negated, children = _node(tokens)
        kinds = (kind,)
    captures = tokens.captures()
    if grouped:
        while tokens.peek() == ("open", "("):
            tokens.skip_predicate()
        tokens.take("close")
    if tokens.peek()[0] is not None:
        raise _Unplannable
    return kinds, captures, negated, children


def scan_plan(query: Query, source: str) -> list[Pattern] | None:
    """Every pattern of ``query`` as data, in pattern order, or None if one needs the cursor.

    Args:
        query: ``source`` compiled (its pattern boundaries are tree-sitter's own).
        source: the query text.

    Returns:
        ``[(root kinds, root captures, negated fields, child steps), ...]``, a child step
        being ``(field or "", kind or "" for a wildcard, named, optional, captures)``.
    """
    data = source.encode()
    plan = []
    for i in range(query.pattern_count):
        if not query.is_pattern_rooted(i) or query.is_pattern_non_local(i):
            return None
        text = data[query.start_byte_for_pattern(i):query.end_byte_for_pattern(i)].decode()
        try:
            plan.append(_pattern(text))
        except _Unplannable:
            return None
    return plan
