"""Syntax match: how many of the reference's subtrees the hypothesis also has.

CodeBLEU compares subtrees by their S-expression -- node types and field names, not
the identifiers' text -- for the root and every node that has children. Building those
strings for every node costs time quadratic in depth; `scan` gives each subtree an
integer key instead, interned bottom-up, so two subtrees have the same key exactly when
their S-expressions are equal. One pass, linear.
"""
from __future__ import annotations

from tree_sitter import Node

from polyglot.metrics.codebleu.multiset import Bag
from polyglot.metrics.codebleu.scan import Kinds, TreeShims, scan, shims_from

__all__ = ["TreeShims", "match_counts", "shims_from", "subtree_keys"]


def subtree_keys(root: Node, interner: dict[tuple, int], shims: TreeShims | None = None,
                 kinds: Kinds | None = None) -> list[int]:
    """Keys of the subtrees compared by the syntax match.

    Args:
        root: the tree's root node.
        interner: shared ``structure -> key`` table; pass the same dict for the trees
            that are compared with each other.
        shims: optional tree edits (compat mode).
        kinds: the language's `Kinds` (read from the tree when not given).

    Returns:
        One key per compared subtree (the root and every node with children), in the
        order their nodes close.
    """
    return scan(root, kinds or Kinds.of_tree(root), interner, shims).keys


def match_counts(hyp: list[int] | Bag, ref: list[int] | Bag, clipped: bool) -> tuple[int, int]:
    """``(matched, total)`` reference subtrees.

    Args:
        hyp: the hypothesis's subtree keys (or their `Bag`).
        ref: the reference's subtree keys (or their `Bag`).
        clipped: count each hypothesis subtree at most as often as it occurs (default
            mode); unclipped, a reference subtree matches if the hypothesis has it at all,
            so ten copies in the reference match one in the hypothesis (``codebleu`` 0.7.0).

    Returns:
        Matched reference subtrees and all reference subtrees.
    """
    hyp, ref = Bag.of(hyp), Bag.of(ref)
    return (ref.clipped(hyp) if clipped else ref.present_in(hyp)), len(ref)
