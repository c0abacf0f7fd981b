"""Subtree keys and the n-gram statistics, on inputs small enough to count by hand."""
from __future__ import annotations

import math

import pytest
from tree_sitter_language_pack import get_parser

from polyglot.metrics.codebleu import ngram, syntax


def keys(code: str, interner: dict) -> list[int]:
    return syntax.subtree_keys(get_parser("python").parse(code.encode()).root_node, interner)


def test_subtree_keys_ignore_names_but_not_structure():
    interner: dict = {}
    a = keys("x = y + 1\n", interner)
    b = keys("total = other + 1\n", interner)
    c = keys("x = y - 1\n", interner)  # an operator is an anonymous token: same S-expression
    d = keys("x = y(1)\n", interner)
    assert a == b == c
    assert len(a) == 3  # module, assignment, binary_operator
    assert len(set(a) & set(d)) == 0


def test_clipped_and_unclipped_counts():
    assert syntax.match_counts([1, 2], [1, 1, 1, 2], clipped=False) == (4, 4)
    assert syntax.match_counts([1, 2], [1, 1, 1, 2], clipped=True) == (2, 4)


def test_bleu_statistics_and_score():
    hyp, ref = "a b c d".split(), "a b c e".split()
    stats = ngram.bleu_statistics(ngram.all_counts(hyp), [ngram.all_counts(ref)], 4, [4], floor=False)
    assert stats == [3, 2, 1, 0, 4, 3, 2, 1, 4, 4]
    expected = math.exp(0.25 * sum(map(math.log, (3 / 4, 2 / 3, 1 / 2, 0.1 / 1))))
    assert ngram.bleu_from_statistics(stats, effective_order=True) == pytest.approx(expected)


def test_effective_order_lets_short_identical_code_score_one():
    toks = "x = 1".split()
    stats = ngram.bleu_statistics(ngram.all_counts(toks), [ngram.all_counts(toks)], 3, [3], floor=False)
    assert ngram.bleu_from_statistics(stats, effective_order=True) == 1.0
    floored = ngram.bleu_statistics(ngram.all_counts(toks), [ngram.all_counts(toks)], 3, [3], floor=True)
    assert ngram.bleu_from_statistics(floored, effective_order=False) == pytest.approx(0.1 ** 0.25)


def test_weighted_precision_and_codebleu_recall():
    hyp, ref = "if x return".split(), "if x y return".split()
    keywords = frozenset({"if", "return"})
    default = ngram.weighted_statistics(ngram.all_counts(hyp), [ngram.all_counts(ref)], 3, [4], keywords, False)
    assert default[0] == pytest.approx(2.2) and default[4] == pytest.approx(2.2)  # all of hyp
    compat = ngram.weighted_statistics(ngram.all_counts(hyp), [ngram.all_counts(ref)], 3, [4], keywords, True)
    assert compat[0] == pytest.approx(2.2) and compat[4] == pytest.approx(2.4)  # of ref
    assert compat[-1] == 2  # codebleu measures the reference as `[tokens, weights]`: 2 long
