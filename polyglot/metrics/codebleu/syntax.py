"""Syntax match: how many of the reference's subtrees the hypothesis also has.

CodeBLEU compares subtrees by their S-expression -- node types and field names, not
the identifiers' text -- for the root and every node that has children. Building those
strings for every node costs time quadratic in depth; here each subtree gets an integer
key instead, interned bottom-up from ``(type, ((field, child key), ...))``, so two
subtrees have the same key exactly when their S-expressions are equal. One pass, linear.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tree_sitter import Node


@dataclass
class TreeShims:
    """Edits that make a newer grammar's tree look like the one a reference tool saw.

    Args:
        transparent: node ids whose children are spliced into their parent.
        wrap: node id -> type of a node inserted above it (taking over its field).
        rename: node id -> the type it is counted as.
    """

    transparent: set[int] = field(default_factory=set)
    wrap: dict[int, str] = field(default_factory=dict)
    rename: dict[int, str] = field(default_factory=dict)


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
    return shims


def subtree_keys(root: Node, interner: dict[tuple, int], shims: TreeShims | None = None) -> list[int]:
    """Keys of the subtrees compared by the syntax match.

    Args:
        root: the tree's root node.
        interner: shared ``structure -> key`` table; pass the same dict for the trees
            that are compared with each other.
        shims: optional tree edits (compat mode).

    Returns:
        One key per compared subtree (the root and every node with children), in the
        order their nodes close.
    """
    counted: list[int] = []
    transparent = shims.transparent if shims else ()
    wrap = shims.wrap if shims else {}
    rename = shims.rename if shims else {}
    cursor = root.walk()
    # one frame per open node: (node, its field in the parent, its children's entries)
    stack: list[tuple[Node, str | None, list]] = [(root, None, [])]
    while True:
        if cursor.goto_first_child():
            stack.append((cursor.node, cursor.field_name, []))
            continue
        while True:
            node, field_name, entries = stack.pop()
            if node.is_named or node.is_missing:  # anonymous tokens are not in S-expressions
                node_id = node.id
                if node_id in transparent:
                    stack[-1][2].extend(entries)
                else:
                    label = rename.get(node_id, node.type) if rename else node.type
                    if node.is_missing:
                        label = ("MISSING", label)
                    key = interner.setdefault((label, tuple(entries)), len(interner))
                    if entries or node.child_count or not stack:
                        counted.append(key)
                    if wrap and node_id in wrap:
                        key = interner.setdefault((wrap[node_id], ((None, key),)), len(interner))
                        counted.append(key)
                    if stack:
                        stack[-1][2].append((field_name, key))
            if cursor.goto_next_sibling():
                stack.append((cursor.node, cursor.field_name, []))
                break
            if not cursor.goto_parent():
                return counted


def match_counts(hyp: list[int], ref: list[int], clipped: bool) -> tuple[int, int]:
    """``(matched, total)`` reference subtrees.

    Args:
        hyp: the hypothesis's subtree keys.
        ref: the reference's subtree keys.
        clipped: count each hypothesis subtree at most as often as it occurs (default
            mode); unclipped, a reference subtree matches if the hypothesis has it at all,
            so ten copies in the reference match one in the hypothesis (``codebleu`` 0.7.0).

    Returns:
        Matched reference subtrees and all reference subtrees.
    """
    if clipped:
        have = Counter(hyp)
        return sum(min(n, have[k]) for k, n in Counter(ref).items()), len(ref)
    have_set = set(hyp)
    return sum(1 for k in ref if k in have_set), len(ref)
