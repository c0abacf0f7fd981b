"""One pass over a parse tree: its leaves and its subtree keys, for every component.

Tokens (n-grams in default mode, dataflow nodes in compat mode) are leaves, and the
syntax match compares every subtree; both used to be separate walks, each asking every
node for several attributes. In CPython the cost of such a walk is the number of calls
into the tree-sitter binding, so this pass makes as few as it can: one ``cursor.node``
and one ``kind_id`` per node; a node's type name and named-ness come from a per-language
table indexed by ``kind_id``, a field by ``field_id``, and byte offsets are read only
for leaves and for the few node kinds that need them.

A subtree's key is an integer interned bottom-up from ``(type, ((field, child key),
...))``, so two subtrees have the same key exactly when their S-expressions (node types
and field names, as ``codebleu`` compares them) are equal: one pass, linear in the tree.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from tree_sitter import Language, Node

#: ``kind_id`` of tree-sitter's ERROR node (the table of a language stops before it).
ERROR_KIND = 0xFFFF


@dataclass(frozen=True)
class Kinds:
    """A language's node kinds, indexed by ``kind_id``.

    Args:
        names: the type name of each kind (``ERROR`` included).
        named: whether each kind is a named node (anonymous ones are left out of
            S-expressions).
        found: memo of `ids`.

    A node's ``kind_id`` is its public symbol, so these tables give exactly its ``type``
    and ``is_named``, without asking the node.
    """

    names: dict[int, str]
    named: dict[int, bool]
    found: dict[frozenset, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, language: Language) -> Kinds:
        """Read the tables from ``language``."""
        ids = [*range(language.node_kind_count), ERROR_KIND]
        return cls({i: language.node_kind_for_id(i) for i in ids},
                   {i: language.node_kind_is_named(i) for i in ids})

    @classmethod
    def of_tree(cls, root: Node) -> Kinds:
        """The tables for the kinds that occur under ``root`` (when no language is at hand)."""
        cursor, kinds = root.walk(), cls({}, {})
        while True:
            node = cursor.node
            kinds.names[node.kind_id], kinds.named[node.kind_id] = node.type, node.is_named
            if cursor.goto_first_child():
                continue
            while not cursor.goto_next_sibling():
                if not cursor.goto_parent():
                    return kinds

    def ids(self, names: Collection[str]) -> frozenset[int]:
        """Every kind id whose type name is in ``names`` (a name may have several ids)."""
        key = frozenset(names)
        if key not in self.found:
            self.found[key] = frozenset(i for i, name in self.names.items() if name in key)
        return self.found[key]


@dataclass
class TreeShims:
    """Edits that make a newer grammar's tree look like the one a reference tool saw.

    Args:
        transparent: node ids whose children are spliced into their parent.
        wrap: node id -> type of a node inserted above it (taking over its field).
        rename: node id -> the type it is counted as.
        kinds: the kind ids of all those nodes (only nodes of these kinds are asked for
            their id).
    """

    transparent: set[int] = field(default_factory=set)
    wrap: dict[int, str] = field(default_factory=dict)
    rename: dict[int, str] = field(default_factory=dict)
    kinds: set[int] = field(default_factory=set)  # kind ids of every node above

    def __bool__(self) -> bool:
        return bool(self.transparent or self.wrap or self.rename)


def shims_from(captures: dict[str, list[Node]]) -> TreeShims:
    """`TreeShims` from ``@compat.transparent``, ``@compat.wrap.<type>``, ``@compat.rename.<type>``."""
    shims = TreeShims()
    for name, nodes in captures.items():
        if name == "compat.transparent":
            shims.transparent.update(n.id for n in nodes)
        elif name.startswith("compat.wrap."):
            shims.wrap.update((n.id, name[len("compat.wrap."):]) for n in nodes)
        elif name.startswith("compat.rename."):
            shims.rename.update((n.id, name[len("compat.rename."):]) for n in nodes)
        else:
            continue
        shims.kinds.update(n.kind_id for n in nodes)
    return shims


@dataclass
class Scan:
    """What one pass over a tree found.

    Args:
        keys: one subtree key per compared subtree (the root and every named node with
            children), in the order the nodes close.
        leaves: ``(start byte, end byte, kind id)`` of every leaf in document order --
            or, where ``whole`` kinds were given, of those nodes taken whole instead of
            their leaves; ``hidden`` nodes and whatever they hold are left out.
    """

    keys: list[int]
    leaves: list[tuple[int, int, int]]


def scan(root: Node, kinds: Kinds, interner: dict[tuple, int], shims: TreeShims | None = None,
         whole: frozenset[int] = frozenset(), hidden: Collection[int] = (),
         hidden_kinds: Collection[int] = ()) -> Scan:
    """Walk the tree once.

    Args:
        root: the tree's root node.
        kinds: the language's `Kinds`.
        interner: shared ``structure -> key`` table; pass the same dict for trees that
            are compared with each other.
        shims: optional tree edits for the subtree keys (compat mode).
        whole: kind ids of nodes taken as one leaf (codebleu's strings and characters).
        hidden: ids of nodes left out of the leaves with everything they hold.
        hidden_kinds: the kind ids of the ``hidden`` nodes (only those are asked for
            their id).

    Returns:
        The `Scan`. A node inside the byte span of an earlier whole or hidden node is
        skipped for the leaves, as codebleu's token walk skips it.
    """
    names, named = kinds.names, kinds.named
    shims = shims or None
    transparent = shims.transparent if shims else ()
    wrap = shims.wrap if shims else {}
    rename = shims.rename if shims else {}
    shim_kinds = shims.kinds if shims else ()
    special = whole | frozenset(hidden_kinds) if hidden else whole
    keys: list[int] = []
    leaves: list[tuple[int, int, int]] = []
    skip_until = -1
    cursor = root.walk()
    node = root
    # one frame per open node: [kind, field id, children's (field, key) entries, node id]
    stack: list[list] = []
    while True:
        kind = node.kind_id
        is_named = named[kind]
        field_id = cursor.field_id if is_named else None  # anonymous nodes need none
        taken = False  # this node was handled as whole or hidden
        if kind in special:
            start = node.start_byte
            if start >= skip_until:
                if hidden and kind in hidden_kinds and node.id in hidden:
                    skip_until = node.end_byte
                    taken = True
                elif kind in whole:
                    end = node.end_byte
                    leaves.append((start, end, kind))
                    taken = True
                    if node.child_count:
                        skip_until = end
        if cursor.goto_first_child():
            stack.append([kind, field_id, [], node.id if kind in shim_kinds else None])
            node = cursor.node
            continue
        # a leaf
        start, end = node.start_byte, node.end_byte
        if start >= skip_until and not taken:
            leaves.append((start, end, kind))
        missing = start == end and node.is_missing
        if is_named or missing:
            if missing and not is_named:
                field_id = cursor.field_id
            node_id = node.id if kind in shim_kinds else None
            if node_id is None or node_id not in transparent:
                label = rename.get(node_id, names[kind]) if node_id is not None else names[kind]
                if missing:
                    label = ("MISSING", label)
                key = interner.setdefault((label, ()), len(interner))
                if not stack:
                    keys.append(key)
                if node_id is not None and node_id in wrap:
                    key = interner.setdefault((wrap[node_id], ((None, key),)), len(interner))
                    keys.append(key)
                if stack:
                    stack[-1][2].append((field_id, key))
        # close every node that has no next sibling, then move on
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return Scan(keys, leaves)
            kind, field_id, entries, node_id = stack.pop()
            if not named[kind]:
                continue  # anonymous nodes (and what they hold) are not in S-expressions
            if node_id is not None and node_id in transparent:
                stack[-1][2].extend(entries)
                continue
            label = rename.get(node_id, names[kind]) if node_id is not None else names[kind]
            key = interner.setdefault((label, tuple(entries)), len(interner))
            keys.append(key)
            if node_id is not None and node_id in wrap:
                key = interner.setdefault((wrap[node_id], ((None, key),)), len(interner))
                keys.append(key)
            if stack:
                stack[-1][2].append((field_id, key))
        node = cursor.node
