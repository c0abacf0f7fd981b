"""The analysis cache: bounded, and invisible in the scores."""
from __future__ import annotations

from collections import Counter

import pytest

import polyglot.metrics.codebleu as codebleu
from polyglot.errors import SpecError
from polyglot.metrics.codebleu import CodeBLEU
from polyglot.metrics.codebleu.multiset import Bag

REFERENCE = "def f(a, b):\n    s = a + b\n    return s\n"
HYPOTHESES = [REFERENCE, "def f(a, b):\n    return a + b\n", "def g(x):\n    y = x * 2\n    return y\n",
              "x = 1\n", "for i in range(3):\n    total = total + i\n", "pass\n"]


def statistics(metric: CodeBLEU, hyps: list[str]) -> list[tuple[float, ...]]:
    return [metric.sentence_score(hyp, [REFERENCE]).statistics for hyp in hyps]


@pytest.mark.parametrize("mode", ["default", "compat"])
def test_cache_keeps_scores_and_its_bound(mode):
    fresh = [statistics(CodeBLEU("python", mode=mode), [hyp])[0] for hyp in HYPOTHESES]
    small = CodeBLEU("python", mode=mode, cache_size=2)
    assert statistics(small, HYPOTHESES * 2) == fresh * 2
    assert list(small._segments) == [REFERENCE, HYPOTHESES[-1]]  # the two used last, oldest first
    # scoring the reference against itself twice analyses it once
    assert small._preprocess_segment(REFERENCE) is small._preprocess_segment(REFERENCE)
    uncached = CodeBLEU("python", mode=mode, cache_size=0)
    assert statistics(uncached, HYPOTHESES) == fresh
    assert len(uncached._segments) == 0


def test_interner_starts_afresh_past_its_bound(monkeypatch):
    fresh = statistics(CodeBLEU("python", mode="compat"), HYPOTHESES)
    monkeypatch.setattr(codebleu, "INTERNED", 3)
    metric = CodeBLEU("python", mode="compat")
    assert statistics(metric, HYPOTHESES) == fresh
    # the interner (and the segments keyed by it) were dropped after the last pair
    assert (len(metric._interner), len(metric._segments)) == (0, 0)


def test_bad_cache_size():
    with pytest.raises(SpecError, match="cache_size"):
        CodeBLEU("python", cache_size=-1)


def test_bag_counts_are_clipped_multiset_counts():
    hyp, ref = Bag(Counter("aaab")), Bag(Counter("aabbc"))
    assert hyp.clipped(ref) == ref.clipped(hyp) == 3  # min(3, 2) a + min(1, 2) b
    assert ref.present_in(hyp) == 4                   # a, a, b, b: the hypothesis has a and b
    assert len(ref) == 5
    assert Bag.of([("x", 1), ("x", 1)]).clipped(Bag.of([("x", 1)])) == 1
