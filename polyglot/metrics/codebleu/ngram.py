"""The two n-gram components of CodeBLEU as sufficient statistics.

Each segment yields ``[matches_1..N, totals_1..N, hyp_len, ref_len]``; a corpus score is
computed from the sums, so corpus scores and bootstrap resampling need no re-scoring.

``default`` mode is BLEU as Papineni et al. define it: clipped n-gram *precision*, with
the weighted variant weighting each hypothesis unigram by whether it is a keyword (1.0)
or not (0.2), as the CodeBLEU paper describes. ``compat`` mode reproduces ``codebleu``
0.7.0: its weighted match is a *recall* over reference n-grams, each segment's totals
are floored at 1, and an order whose hypothesis has no n-grams still counts (so
identical short code scores below 1).
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

MAX_ORDER = 4
EPSILON = 0.1          # Chen & Cherry method 1: a zero match count becomes 0.1
KEYWORD_WEIGHT = 1.0
OTHER_WEIGHT = 0.2
STATS = 2 * MAX_ORDER + 2
COMPAT_WEIGHTED_REF_LEN = 2  # len([tokens, weights]): what codebleu 0.7.0 takes as the length


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    """Counts of the ``n``-grams of ``tokens`` (tuples)."""
    return Counter(zip(*(tokens[i:] for i in range(n))))


def all_counts(tokens: Sequence[str]) -> tuple[Counter, ...]:
    """The 1..4-gram counts of ``tokens``, computed once per segment and reused."""
    return tuple(ngram_counts(tokens, n) for n in range(1, MAX_ORDER + 1))


def overlap(a: Counter, b: Counter, weight=None) -> float:
    """``sum(min(a[g], b[g]) * weight(g))`` over shared n-grams, walking the smaller side."""
    if len(b) < len(a):
        a, b = b, a
    if weight is None:
        return sum(min(c, b[g]) for g, c in a.items() if g in b)
    return sum(min(c, b[g]) * weight(g) for g, c in a.items() if g in b)


def weighted_total(counts: Counter, weight=None) -> float:
    """``sum(counts[g] * weight(g))``."""
    if weight is None:
        return sum(counts.values())
    return sum(c * weight(g) for g, c in counts.items())


def closest_length(ref_lengths: Iterable[int], hyp_len: int) -> int:
    """The reference length closest to the hypothesis's, the shorter on a tie."""
    return min(ref_lengths, key=lambda r: (abs(r - hyp_len), r))


def bleu_statistics(hyp: Sequence[Counter], refs: Sequence[Sequence[Counter]],
                    hyp_len: int, ref_lens: Sequence[int], floor: bool) -> list[float]:
    """Clipped n-gram precision counts of one segment.

    Args:
        hyp: the hypothesis's `all_counts`.
        refs: each reference's `all_counts`.
        hyp_len: hypothesis length in tokens.
        ref_lens: each reference's length.
        floor: count at least 1 hypothesis n-gram per order and segment (compat).

    Returns:
        ``[matches_1..4, totals_1..4, hyp_len, closest ref_len]``.
    """
    matches, totals = [], []
    for n in range(MAX_ORDER):
        counts = hyp[n]
        if len(refs) == 1:
            best = refs[0][n]
        else:
            best = Counter()
            for ref in refs:
                best |= ref[n]
        matches.append(overlap(counts, best))
        total = sum(counts.values())
        totals.append(max(1, total) if floor else total)
    return [*matches, *totals, hyp_len, closest_length(ref_lens, hyp_len)]


def weighted_statistics(hyp: Sequence[Counter], refs: Sequence[Sequence[Counter]],
                        hyp_len: int, ref_lens: Sequence[int],
                        keywords: frozenset[str], compat: bool) -> list[float]:
    """Keyword-weighted n-gram counts of one segment.

    Args:
        hyp: the hypothesis's `all_counts`.
        refs: each reference's `all_counts`.
        hyp_len: hypothesis length in tokens.
        ref_lens: each reference's length.
        keywords: the language's keywords (weight 1.0; every other token 0.2).
        compat: codebleu 0.7.0's recall over each reference, summed over references,
            with unigrams weighted by the reference tokens and totals floored at 1; its
            brevity penalty measures each reference as 2 tokens long (it takes the length
            of a ``[tokens, weights]`` pair), so it almost never applies.

    Returns:
        ``[matches_1..4, totals_1..4, hyp_len, closest ref_len]`` (unigram entries are
        weighted sums, so floats).
    """
    def weight(token: str) -> float:
        return KEYWORD_WEIGHT if token in keywords else OTHER_WEIGHT

    matches, totals = [], []
    for n in range(MAX_ORDER):
        counts = hyp[n]
        w = (lambda g: weight(g[0])) if n == 0 else None
        if compat:
            m = sum(overlap(ref[n], counts, w) for ref in refs)
            t = sum(max(1, weighted_total(ref[n], w)) for ref in refs)
        else:
            best: Counter = Counter()
            for ref in refs:
                best |= ref[n]
            m = overlap(counts, best, w)
            t = weighted_total(counts, w)
        matches.append(m)
        totals.append(t)
    ref_len = COMPAT_WEIGHTED_REF_LEN if compat else closest_length(ref_lens, hyp_len)
    return [*matches, *totals, hyp_len, ref_len]


def brevity_penalty(ref_len: float, hyp_len: float) -> float:
    """BLEU's brevity penalty: 1 for a hypothesis longer than its references."""
    if hyp_len > ref_len:
        return 1.0
    if hyp_len == 0:
        return 0.0
    return math.exp(1 - ref_len / hyp_len)


def bleu_from_statistics(stats: Sequence[float], effective_order: bool) -> float:
    """BLEU from summed `bleu_statistics` / `weighted_statistics`.

    Args:
        stats: the summed statistics.
        effective_order: leave out orders the hypotheses have no n-grams of (default
            mode: identical three-token code scores 1, not 0.56).

    Returns:
        The score in [0, 1]; 0 when no unigram matches.
    """
    matches = stats[:MAX_ORDER]
    totals = stats[MAX_ORDER:2 * MAX_ORDER]
    hyp_len, ref_len = stats[2 * MAX_ORDER], stats[2 * MAX_ORDER + 1]
    if matches[0] == 0:
        return 0.0
    orders = [(m, t) for m, t in zip(matches, totals) if t > 0 or not effective_order]
    weight = 1 / (len(orders) if effective_order else MAX_ORDER)
    log_sum = math.fsum(weight * math.log((m if m else EPSILON) / t) for m, t in orders)
    return brevity_penalty(ref_len, hyp_len) * math.exp(log_sum)
