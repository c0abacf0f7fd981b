"""Dataflow match: def-use edges from query captures, one engine for every language.

A language says *where* things are in its ``locals.scm``; this module says *what they
mean*, once. The captures it reads:

    @local.scope                  a node whose definitions are invisible outside it
    @local.definition.<kind>      a name being defined (``(#set! definition.scope "parent")``
                                  defines it in the enclosing scope, e.g. a function's name)
    @local.reference              a name being used (a catch-all is fine: definitions win)
    @local.ignore                 a name that is neither (field names, keyword labels)
    @flow.define / @flow.assign   a declaration / an assignment: ``@flow.value`` flows into
                                  ``@flow.target`` ("comesFrom" / "computedFrom" edges)
    @flow.update                  ``x++``, ``x += y``: the target is read and written
    @flow.branch                  a conditional; its ``@flow.alternative`` children start from
                                  the state before it, the others run in sequence; the
                                  states of all paths merge. A child captured ``@flow.else``
                                  means some path always runs, so the state from before the
                                  branch is not merged in (``(#set! flow.keep "always")``
                                  or ``"never"`` overrides)
    @flow.loop                    analysed twice, so uses see definitions from the previous
                                  iteration; ``@flow.target``/``@flow.value``/``@flow.body``
                                  describe a for-each; the second pass walks ``@flow.again``
                                  and then everything but ``@flow.once`` (an initializer)
    @flow.first                   a child analysed before its siblings (comprehension clauses)
    @flow.skip                    a node that is not analysed at all

The walk keeps, for every visible name, the set of places that last defined it (branches
merge, loops iterate), and emits one entry per name occurrence: ``(name, position,
relation, parent names, parent positions)``. Entries are kept when they take part in an
edge; names are then renamed ``var_0, var_1, ...`` in order of appearance, so that a
consistent renaming of variables does not change the result, and the reference's
entries are matched against the hypothesis's as a multiset.

Two policies drive the same walk:

* ``default``: only captured definitions define and only captured references use,
  resolved through ``@local.scope`` scopes; parents are ordered by position.
* ``compat``: the ``codebleu`` 0.7.0 walkers' rules -- every leaf token is a node, the
  first sight of an ``identifier`` defines it, no scopes, and merged parent lists are
  ordered as CPython's ``set`` orders them under ``PYTHONHASHSEED=0`` (see `pyset`).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import repeat
from dataclasses import dataclass, field
from typing import NamedTuple

from tree_sitter import Node, Query, QueryCursor

from polyglot.metrics.codebleu.multiset import Bag
from polyglot.metrics.codebleu.pyset import set_order
from polyglot.metrics.codebleu.scan import Kinds, scan
from polyglot.metrics.codebleu.source import iter_nodes

COMES_FROM = "comesFrom"
COMPUTED_FROM = "computedFrom"
FLOW_KINDS = ("define", "assign", "update", "branch", "loop", "skip")
# What codebleu 0.7.0 treats as one token, and the one leaf type it skips (all languages).
COMPAT_ATOMIC = frozenset({"string_literal", "string", "character_literal"})
COMPAT_NAME = "identifier"

Entry = tuple  # (name, position, relation, parent names, parent positions)


@dataclass
class Flow:
    """What one captured construct does to the dataflow state."""

    kind: str
    targets: list[Node] = field(default_factory=list)
    values: list[Node] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    again: list[Node] = field(default_factory=list)
    once: Node | None = None
    style: str = "pairs"   # compat only: "pairs", "list" or "zip" (see `_assign`)
    keep: str = "unless-else"  # branch: merge the state from before it "always", "never", or
    #                            only when no child is captured ``@flow.else``


@dataclass
class Captures:
    """The flow and locals captures of one tree, by node id."""

    flows: dict[int, Flow] = field(default_factory=dict)
    alternatives: set[int] = field(default_factory=set)
    elses: set[int] = field(default_factory=set)
    first: set[int] = field(default_factory=set)
    scopes: set[int] = field(default_factory=set)
    definitions: dict[int, Node] = field(default_factory=dict)
    in_parent: set[int] = field(default_factory=set)
    references: dict[int, Node] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)
    other: dict[str, list[Node]] = field(default_factory=dict)  # e.g. compat tree shims
    # byte spans of the nodes the walk must visit itself (see `_Walk.plain`): flows,
    # loop initialisers, `@flow.first`, scopes and definitions in the parent scope
    marks: list[tuple[int, int, Node]] = field(default_factory=list)


def read_captures(query: Query | None, root: Node) -> Captures:
    """Run ``query`` over ``root`` and sort its captures into a `Captures`.

    Args:
        query: a locals (or compat) query; None gives empty captures.
        root: the tree.

    Returns:
        The captures, by node id.
    """
    caps = Captures()
    if query is None:
        return caps
    settings_of: dict[int, dict] = {}
    for pattern, match in QueryCursor(query).matches(root):
        settings = settings_of.get(pattern)
        if settings is None:
            settings = settings_of[pattern] = query.pattern_settings(pattern)
        for name, nodes in match.items():
            _record(caps, name, nodes, match, settings)
    return caps


def _mark(caps: Captures, nodes: list[Node]) -> None:
    caps.marks += [(n.start_byte, n.end_byte, n) for n in nodes]


#: parts of a flow match, read with the flow node itself (see `_record`)
FLOW_PARTS = frozenset({"flow.target", "flow.value", "flow.body", "flow.again", "flow.once"})


def _record(caps: Captures, name: str, nodes: list[Node], match: dict, settings: dict) -> None:
    if name in FLOW_PARTS:
        return
    kind = name[5:] if name.startswith("flow.") else None
    if kind in FLOW_KINDS:
        _mark(caps, nodes)
        once = match.get("flow.once")
        if once:
            _mark(caps, once)
        for node in nodes:
            flow = caps.flows.get(node.id)
            if flow is None:
                flow = caps.flows[node.id] = Flow(kind)
            flow.targets += match.get("flow.target", ())
            flow.values += match.get("flow.value", ())
            flow.body += match.get("flow.body", ())
            flow.again += match.get("flow.again", ())
            if once:  # the earliest initialiser of all the matches
                onces = [n for n in [flow.once, *once] if n is not None]
                flow.once = min(onces, key=lambda n: n.start_byte)
            if settings:
                flow.style = settings.get("flow.style", flow.style)
                flow.keep = settings.get("flow.keep", flow.keep)
    elif name == "flow.alternative":
        caps.alternatives.update(n.id for n in nodes)
    elif name == "flow.else":
        caps.elses.update(n.id for n in nodes)
    elif name == "flow.first":
        caps.first.update(n.id for n in nodes)
        _mark(caps, nodes)
    elif name == "local.scope":
        caps.scopes.update(n.id for n in nodes)
        _mark(caps, nodes)
    elif name.startswith("local.definition"):
        parent = settings.get("definition.scope") == "parent"
        for node in nodes:
            caps.definitions[node.id] = node
            if parent:
                caps.in_parent.add(node.id)
        if parent:
            _mark(caps, nodes)
    elif name == "local.ignore":
        caps.ignored.update(n.id for n in nodes)
    elif name == "local.reference":
        for node in nodes:
            caps.references.setdefault(node.id, node)
    elif not name.startswith("flow."):
        caps.other.setdefault(name, []).extend(nodes)


class Token(NamedTuple):
    """A dataflow node: one occurrence of a name (or, in compat mode, of any leaf)."""

    start: int
    end: int
    idx: int
    code: str
    kind: str  # node type (compat); "def" or "ref" (default)


def _text(node: Node, source: bytes) -> str:
    # codebleu joins a multi-line token's lines without their newlines
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace").replace("\n", "")


def compat_tokens(root: Node, source: bytes, hidden: set[int] = frozenset(),
                  kinds: Kinds | None = None) -> list[Token]:
    """codebleu's tokens: every leaf, strings and characters whole, comments left out.

    ``hidden`` node ids are left out too: leaves today's grammar has and the older one
    the package was measured with did not (Go's string contents). ``kinds`` (the
    language's `Kinds`) is read from the tree when not given.
    """
    kinds = kinds or Kinds.of_tree(root)
    hidden_kinds = {n.kind_id for n in iter_nodes(root) if n.id in hidden} if hidden else ()
    found = scan(root, kinds, {}, whole=kinds.ids(COMPAT_ATOMIC), hidden=hidden,
                 hidden_kinds=hidden_kinds)
    return tokens_from_leaves(found.leaves, source, kinds)


def tokens_from_leaves(leaves: list[tuple[int, int, int]], source: bytes, kinds: Kinds) -> list[Token]:
    """`compat_tokens` from a `scan` made with codebleu's whole kinds and hidden nodes."""
    names = kinds.names
    kept = [(start, end, names[kind]) for start, end, kind in leaves if names[kind] != "comment"]
    if source.isascii():  # then a byte offset is a character offset: decode once
        text = source.decode("ascii")
        codes = [text[start:end].replace("\n", "") for start, end, _ in kept]
    else:
        codes = [source[start:end].decode("utf-8", "replace").replace("\n", "")
                 for start, end, _ in kept]
    if not kept:
        return []
    starts, ends, types = zip(*kept)
    # tuple.__new__ builds each Token in C (calling Token() runs Python code per token)
    return list(map(tuple.__new__, repeat(Token), zip(starts, ends, range(len(codes)), codes, types)))


def default_tokens(caps: Captures, source: bytes) -> list[Token]:
    """Captured definitions and references, outermost first, in source order."""
    nodes = [(n.start_byte, -n.end_byte, "def", n) for n in caps.definitions.values()]
    nodes += [(n.start_byte, -n.end_byte, "ref", n) for i, n in caps.references.items()
              if i not in caps.definitions and i not in caps.ignored]
    nodes.sort(key=lambda t: (t[0], t[1]))
    out: list[Token] = []
    for start, neg_end, kind, node in nodes:
        if out and start < out[-1].end:
            continue  # nested inside an earlier capture
        out.append(Token(start, -neg_end, len(out), _text(node, source), kind))
    return out


class _Walk:
    """One analysis of one tree; holds the per-tree tables, not global state."""

    def __init__(self, root: Node, source: bytes, caps: Captures, compat: bool,
                 hashes: dict, tokens: list[Token] | None = None,
                 kinds: Kinds | None = None) -> None:
        self.caps = caps
        self.compat = compat
        if compat:
            kinds = kinds or Kinds.of_tree(root)
            self.whole = kinds.ids(COMPAT_ATOMIC)  # codebleu's token kinds, by kind id
            self.comment_kinds = kinds.ids({"comment"})
        if tokens is None:
            hidden = {n.id for n in caps.other.get("compat.untoken", [])}
            tokens = compat_tokens(root, source, hidden) if compat else default_tokens(caps, source)
        self.tokens = tokens
        self.starts = [t.start for t in self.tokens]
        self.by_span = dict(zip(zip(self.starts, (t.end for t in self.tokens)), self.tokens))
        # Starts of the tokens that can make an entry. A subtree holding none of them
        # cannot change the state, so the walk skips it: most of a tree is punctuation,
        # keywords and types.
        self.live = [t.start for t in self.tokens if not (compat and t.kind == t.code)]
        # A subtree that holds no marked node (`Captures.marks`) is walked by reading its
        # tokens in order (`fold`) instead of node by node. That is the same walk only
        # when every token has a width (a zero-width MISSING token can sit on a subtree's
        # end and be read or skipped depending on the path); otherwise, node by node.
        self.marks = sorted(caps.marks, key=lambda m: (m[0], -m[1]))  # outermost first
        self.mark_starts = [m[0] for m in self.marks]
        self.mark_ends = [m[1] for m in self.marks]
        self.folds = all(t.start < t.end for t in self.tokens)
        self.scope_stack: list[int] = [root.id]
        self.skip: set[int] = set()  # nodes a loop's second pass leaves out
        # how merged parent lists are ordered: CPython's set order, or first appearance
        if compat:
            self.union: Callable[[list[str]], list[str]] = lambda names: set_order(names, hashes)
        else:
            first_pos = {t.code: t.idx for t in reversed(self.tokens)}
            self.union = lambda names: sorted(set(names), key=first_pos.__getitem__)

    # ---- tokens ----------------------------------------------------------------

    def token_of(self, node: Node, node_id: int | None = None, start: int | None = None,
                 end: int | None = None) -> Token | None:
        """The token ``node`` is (id and span may be passed when already read)."""
        if self.compat:
            kind = node.kind_id
            if kind not in self.whole and node.child_count:
                return None
            if kind in self.comment_kinds:
                return None
        else:
            node_id = node.id if node_id is None else node_id
            if node_id not in self.caps.definitions and (
                    node_id not in self.caps.references or node_id in self.caps.ignored):
                return None
        if start is None:
            start, end = node.start_byte, node.end_byte
        return self.by_span.get((start, end))

    def tokens_in(self, node: Node) -> list[Token]:
        """The tokens inside ``node`` (codebleu's ``tree_to_variable_index``)."""
        lo = bisect_left(self.starts, node.start_byte)
        hi = bisect_right(self.starts, node.end_byte)
        found = [t for t in self.tokens[lo:hi] if t.end <= node.end_byte]
        if self.compat:
            return [t for t in found if t.kind != t.code]
        return found

    # ---- names -----------------------------------------------------------------

    def lookup(self, states: dict, code: str):
        if self.compat:
            return code if code in states else None
        for scope in reversed(self.scope_stack):
            if (scope, code) in states:
                return (scope, code)
        return None

    def key_for_definition(self, token: Token, node_id: int | None = None):
        if self.compat:
            return token.code
        parent = node_id is not None and node_id in self.caps.in_parent and len(self.scope_stack) > 1
        return (self.scope_stack[-2] if parent else self.scope_stack[-1], token.code)

    def key_for_target(self, states: dict, token: Token):
        """Where an assignment writes: an existing visible name, else a new local."""
        if self.compat:
            return token.code
        if token.kind == "ref":
            found = self.lookup(states, token.code)
            if found is not None:
                return found
        return (self.scope_stack[-1], token.code)

    # ---- the walk ---------------------------------------------------------------

    def walk(self, node: Node, states: dict) -> tuple[list[Entry], dict]:
        start, end = node.start_byte, node.end_byte
        if self.folds and self.plain(start, end):
            return self.fold(start, end, states)
        return self.visit(node, start, end, states)

    def visit(self, node: Node, start: int, end: int, states: dict) -> tuple[list[Entry], dict]:
        """`walk` node by node (always right; `fold` is the shortcut)."""
        node_id = node.id
        if node_id in self.skip:
            return [], states
        token = self.token_of(node, node_id, start, end)
        if token is not None:
            return self.leaf(node_id, token, states)
        i = bisect_left(self.live, start)
        if i == len(self.live) or self.live[i] >= end:
            return [], states
        flow = self.caps.flows.get(node_id)
        if self.compat or node_id not in self.caps.scopes:
            if flow is None:
                return self.sequence(node, states)
            return getattr(self, "_" + flow.kind)(node, flow, states)
        self.scope_stack.append(node_id)
        try:
            if flow is None:
                return self.sequence(node, states)
            return getattr(self, "_" + flow.kind)(node, flow, states)
        finally:
            self.scope_stack.pop()

    def plain(self, start: int, end: int) -> bool:
        """Whether the node spanning ``start:end`` surely holds no marked node."""
        starts, ends = self.mark_starts, self.mark_ends
        i = bisect_left(starts, start)
        while i < len(starts) and starts[i] <= end:
            if ends[i] <= end:
                return False
            i += 1
        return True

    def fold(self, start: int, end: int, states: dict) -> tuple[list[Entry], dict]:
        """`walk` of a plain subtree: `leaf` of each of its tokens in turn.

        ``states`` is copied once, on the first definition, rather than per definition:
        no one else sees the states in between.
        """
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end, lo)
        if lo == hi:
            return [], states
        entries: list[Entry] = []
        owned = False
        tokens = self.tokens[lo:hi]
        if self.compat:
            for token in tokens:
                code = token.code
                if token.kind == code:
                    continue
                where = states.get(code)
                if where is not None:
                    entries.append((code, token.idx, COMES_FROM, [code], list(where)))
                    continue
                if token.kind == COMPAT_NAME:
                    if not owned:
                        states, owned = dict(states), True
                    states[code] = [token.idx]
                entries.append((code, token.idx, COMES_FROM, [], []))
            return entries, states
        scope = self.scope_stack[-1]  # a plain subtree opens no scope
        for token in tokens:
            code = token.code
            if token.kind == "def":
                if not owned:
                    states, owned = dict(states), True
                states[(scope, code)] = [token.idx]
                entries.append((code, token.idx, COMES_FROM, [], []))
                continue
            key = self.lookup(states, code)
            if key is not None:
                entries.append((code, token.idx, COMES_FROM, [code], list(states[key])))
        return entries, states

    def leaf(self, node_id: int | None, token: Token, states: dict) -> tuple[list[Entry], dict]:
        if self.compat:
            if token.kind == token.code:
                return [], states
            if token.code in states:
                return [(token.code, token.idx, COMES_FROM, [token.code], list(states[token.code]))], states
            if token.kind == COMPAT_NAME:
                states = {**states, token.code: [token.idx]}
            return [(token.code, token.idx, COMES_FROM, [], [])], states
        if token.kind == "def":
            states = {**states, self.key_for_definition(token, node_id): [token.idx]}
            return [(token.code, token.idx, COMES_FROM, [], [])], states
        key = self.lookup(states, token.code)
        if key is None:
            return [], states
        return [(token.code, token.idx, COMES_FROM, [token.code], list(states[key]))], states

    def walk_all(self, nodes, states: dict, entries: list[Entry]) -> dict:
        for child in nodes:
            found, states = self.walk(child, states)
            entries += found
        return states

    def sequence(self, node: Node, states: dict) -> tuple[list[Entry], dict]:
        if self.folds:
            marked = self.marked_children(node)
            if marked is not None:
                return self.sequence_folded(node, marked, states)
        entries: list[Entry] = []
        children = node.children
        first = self.caps.first
        if first and any(c.id in first for c in children):
            states = self.walk_all([c for c in children if c.id in first], states, entries)
            states = self.walk_all([c for c in children if c.id not in first], states, entries)
            return _by_position(entries), states
        return entries, self.walk_all(children, states, entries)

    def marked_children(self, node: Node) -> list[Node] | None:
        """The children of ``node`` that hold a marked node, in order.

        None when some child is ``@flow.first`` (the children are then reordered), or a
        mark inside the span is not found below ``node``, or the marks do not come out in
        order: the caller then walks every child, which is always right.
        """
        start, end, node_id = node.start_byte, node.end_byte, node.id
        marks, starts, first = self.marks, self.mark_starts, self.caps.first
        out: list[Node] = []
        last_end = start
        i = bisect_left(starts, start)
        while i < len(starts) and starts[i] <= end:
            _, mark_end, mark = marks[i]
            i += 1
            if mark_end > end or mark.id == node_id:
                continue
            child = node.child_with_descendant(mark)
            if child is None:  # not below ``node`` after all (an ancestor of the same span)
                return None
            if out and child.id == out[-1].id:
                continue
            if child.start_byte < last_end or (first and child.id in first):
                return None
            out.append(child)
            last_end = child.end_byte
            i = max(i, bisect_left(starts, last_end))
        return out

    def sequence_folded(self, node: Node, marked: list[Node],
                        states: dict) -> tuple[list[Entry], dict]:
        """`sequence` that walks the marked children and folds the tokens between them.

        The tokens between two marked children are the tokens of the plain children
        there, in order, so one `fold` reads them all.
        """
        entries: list[Entry] = []
        position = node.start_byte
        for child in marked:
            child_start, child_end = child.start_byte, child.end_byte
            found, states = self.fold(position, child_start, states)
            entries += found
            found, states = self.visit(child, child_start, child_end, states)
            entries += found
            position = child_end
        found, states = self.fold(position, node.end_byte, states)
        entries += found
        return entries, states

    def _skip(self, node: Node, flow: Flow, states: dict) -> tuple[list[Entry], dict]:
        return [], states

    def _define(self, node: Node, flow: Flow, states: dict) -> tuple[list[Entry], dict]:
        if self.compat and not flow.values:  # `int x;`: each name is a bare definition
            states = dict(states)
            entries = []
            for token in (t for n in flow.targets for t in self.tokens_in(n)):
                entries.append((token.code, token.idx, COMES_FROM, [], []))
                states[token.code] = [token.idx]
            return entries, states
        return self._assign(node, flow, states, COMES_FROM)

    def _assign(self, node: Node, flow: Flow, states: dict,
                relation: str = COMPUTED_FROM) -> tuple[list[Entry], dict]:
        """Values first, then targets (``x = x + 1`` reads the old ``x``)."""
        if not self.compat:
            return self._assign_default(node, flow, states, relation)
        if flow.style == "zip" and not flow.values:
            return [], states
        entries: list[Entry] = []
        pairs = self.zip_pairs(flow) if flow.style == "zip" else [(flow.targets, flow.values)]
        for _, values in pairs:
            states = self.walk_all(values, states, entries)
        states = dict(states)
        return _by_position(entries + self.bind(pairs, flow.style, relation, states)), states

    def zip_pairs(self, flow: Flow) -> list[tuple[list[Node], list[Node]]]:
        """codebleu's Python/Ruby rule: ``a, b = b, a`` pairs element with element."""
        left = [c for t in flow.targets for c in t.children if c.type != ","]
        right = [c for v in flow.values for c in v.children if c.type != ","]
        if len(left) != len(right) or not left:
            left, right = list(flow.targets), list(flow.values)
        return [([lhs], [rhs]) for lhs, rhs in zip(left, right)]

    def bind(self, pairs, style: str, relation: str, states: dict) -> list[Entry]:
        """Compat: make each target token come from the value tokens; updates ``states``."""
        entries: list[Entry] = []
        for targets, values in pairs:
            sources = [t for v in values for t in self.tokens_in(v)]
            for target in (t for n in targets for t in self.tokens_in(n)):
                if style == "pairs":
                    entries += [(target.code, target.idx, relation, [s.code], [s.idx]) for s in sources]
                else:  # "list" and "zip": one entry with every value token as a parent
                    entries.append((target.code, target.idx, relation,
                                    [s.code for s in sources], [s.idx for s in sources]))
                states[target.code] = [target.idx]
        return entries

    def _assign_default(self, node: Node, flow: Flow, states: dict,
                        relation: str) -> tuple[list[Entry], dict]:
        entries: list[Entry] = []
        states = self.walk_all(flow.values, states, entries)
        sources = _sources(entries)
        targets: list[Token] = []
        for target in flow.targets:
            token = self.token_of(target)
            if token is not None:
                targets.append(token)
                continue
            inner = [t for t in self.tokens_in(target) if t.kind == "def"]
            targets += inner
            skip = {t.idx for t in inner}
            found: list[Entry] = []
            states = self.walk_all(target.children, states, found)
            entries += [e for e in found if e[1] not in skip]
        states = dict(states)
        names = self.union([s[0] for s in sources])
        for token in targets:
            entries.append((token.code, token.idx, relation, names, [s[1] for s in sources]))
            key = (self.key_for_definition(token) if token.kind == "def"
                   else self.key_for_target(states, token))
            states[key] = [token.idx]
        return _by_position(entries), states

    def _update(self, node: Node, flow: Flow, states: dict) -> tuple[list[Entry], dict]:
        """``x++`` / ``x += y``: the target comes from what the expression read.

        Compat: every token of the expression comes from every token (codebleu's rule).
        """
        if self.compat:
            tokens = self.tokens_in(node)
            states = dict(states)
            entries = []
            for t1 in tokens:
                entries += [(t1.code, t1.idx, COMPUTED_FROM, [t2.code], [t2.idx]) for t2 in tokens]
                states[t1.code] = [t1.idx]
            return _by_position(entries), states
        entries: list[Entry] = []
        states = self.walk_all(node.children, states, entries)
        sources = _sources(entries)
        targets = [t for n in flow.targets for t in self.tokens_in(n)] or self.tokens_in(node)
        states = dict(states)
        names = self.union([s[0] for s in sources])
        for token in targets:
            entries.append((token.code, token.idx, COMPUTED_FROM, names, [s[1] for s in sources]))
            states[self.key_for_target(states, token)] = [token.idx]
        return _by_position(entries), states

    def _branch(self, node: Node, flow: Flow, states: dict) -> tuple[list[Entry], dict]:
        entries: list[Entry] = []
        current = states
        outcomes: list[dict] = []
        has_else = False
        for child in node.children:
            has_else = has_else or child.id in self.caps.elses
            if child.id in self.caps.alternatives:
                found, after = self.walk(child, states)
                outcomes.append(after)
            else:
                found, current = self.walk(child, current)
            entries += found
        outcomes.append(current)
        if flow.keep == "always" or (flow.keep != "never" and not has_else):
            outcomes.append(states)
        merged: dict = {}
        for outcome in outcomes:
            for key, where in outcome.items():
                merged.setdefault(key, []).extend(where)
        return entries, {key: sorted(set(where)) for key, where in merged.items()}

    def _loop(self, node: Node, flow: Flow, states: dict) -> tuple[list[Entry], dict]:
        entries: list[Entry] = []
        if flow.targets:
            for _ in range(2):
                found, states = self._assign(node, flow, states)
                entries += found
                states = self.walk_all(flow.body, states, entries)
        else:
            children = node.children
            states = self.walk_all(children, states, entries)
            if flow.once is not None or flow.again:
                # the second pass: what `@flow.again` names, then everything but `@flow.once`
                states = self.walk_all(flow.again, states, entries)
                if flow.once is not None:
                    self.skip.add(flow.once.id)
                    try:
                        states = self.walk_all(children, states, entries)
                    finally:
                        self.skip.discard(flow.once.id)
            else:
                states = self.walk_all(children, states, entries)
        return self.merge_loop(entries), states

    def merge_loop(self, entries: list[Entry]) -> list[Entry]:
        """One entry per (name, position, relation): the two passes' parents united."""
        merged: dict[tuple, list] = {}
        for name, idx, rel, names, idxs in entries:
            key = (name, idx, rel)
            if key not in merged:
                merged[key] = [names, idxs]
            else:
                old = merged[key]
                merged[key] = [self.union(old[0] + names), sorted(set(old[1] + idxs))]
        return [(k[0], k[1], k[2], v[0], v[1]) for k, v in sorted(merged.items(), key=lambda t: t[0][1])]


def _by_position(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e[1])


def _sources(entries: list[Entry]) -> list[tuple[str, int]]:
    """Distinct ``(name, position)`` of the names an expression read, in source order."""
    seen = {e[1]: e[0] for e in entries}
    return [(seen[i], i) for i in sorted(seen)]


def extract_dataflow(root: Node, source: bytes, caps: Captures, compat: bool,
                     hashes: dict | None = None, tokens: list[Token] | None = None,
                     kinds: Kinds | None = None) -> list[Entry]:
    """The dataflow entries of one tree, merged per position (codebleu's ``get_data_flow``).

    Args:
        root: the comment-stripped tree.
        source: its bytes.
        caps: its captures (`read_captures`).
        compat: follow codebleu 0.7.0's rules instead of scoped def-use.
        hashes: a memo for `pyset.set_order` that the caller keeps between trees.
        tokens: compat mode's `compat_tokens`, when the caller has them already.
        kinds: the language's `Kinds` (read from the tree when not given).

    Returns:
        ``(name, position, relation, parent names, parent positions)`` tuples, in position
        order, each taking part in at least one edge.
    """
    walker = _Walk(root, source, caps, compat, {} if hashes is None else hashes,
                   tokens if compat else None, kinds)
    entries, _ = walker.walk(root, {})
    entries = _by_position(entries)
    linked: set[int] = set()
    for _, idx, _, _, idxs in entries:
        if idxs:
            linked.add(idx)
            linked.update(idxs)
    merged: dict[int, Entry] = {}
    for entry in entries:
        idx = entry[1]
        if idx not in linked:
            continue
        if idx not in merged:
            merged[idx] = entry
            continue
        old = merged[idx]
        merged[idx] = (entry[0], idx, entry[2], walker.union(old[3] + entry[3]),
                       sorted(set(old[4] + entry[4])))
    return list(merged.values())


def normalize(entries: list[Entry]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Rename variables ``var_0, var_1, ...`` in order of first appearance.

    Args:
        entries: `extract_dataflow` output.

    Returns:
        ``(name, relation, parent names)`` with names replaced; hashable, for matching.
    """
    names: dict[str, str] = {}
    out = []
    for name, _, relation, parents, _ in entries:
        for parent in parents:
            if parent not in names:
                names[parent] = f"var_{len(names)}"
        if name not in names:
            names[name] = f"var_{len(names)}"
        out.append((names[name], relation, tuple(map(names.__getitem__, parents))))
    return out


def match_counts(hyp: list[tuple] | Bag, ref: list[tuple] | Bag) -> tuple[int, int]:
    """``(matched, total)``: reference edges found in the hypothesis, each used once."""
    ref = Bag.of(ref)
    return ref.clipped(Bag.of(hyp)), len(ref)
