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

from polyglot.metrics.codebleu.multiset import Bag

MAX_ORDER = 4
EPSILON = 0.1          # Chen & Cherry method 1: a zero match count becomes 0.1
KEYWORD_WEIGHT = 1.0
OTHER_WEIGHT = 0.2
STATS = 2 * MAX_ORDER + 2
COMPAT_WEIGHTED_REF_LEN = 2  # len([tokens, weights]): what codebleu 0.7.0 takes as the length


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    """Counts of the ``n``-grams of ``tokens`` (tuples)."""
    return Counter(zip(*(tokens[i:] for i in range(n))))


def all_counts(tokens: Sequence[str]) -> tuple[Bag, ...]:
    """The 1..4-gram counts of ``tokens``, computed once per segment and reused.

    Args:
        tokens: the segment's tokens.

    Returns:
        One `Bag` per order; a unigram is its token, a longer n-gram a tuple of tokens.
    """
    grams = [Counter(tokens)]
    for n in range(2, MAX_ORDER + 1):
        grams.append(Counter(zip(*(tokens[i:] for i in range(n)))))
    return tuple(map(Bag, grams))


def overlap(a: Bag, b: Bag) -> int:
    """``sum(min(a[g], b[g]))`` over shared n-grams."""
    return a.clipped(b)


def unigram_overlap(a: Bag, b: Bag, keywords: frozenset[str]) -> float:
    """`overlap` of unigrams, each match weighted as a keyword (1.0) or not (0.2).

    The terms are summed in the order of the smaller side's first occurrences, as
    codebleu 0.7.0 sums them (float addition depends on the order).
    """
    small, big = (b.counts, a.counts) if len(b.counts) < len(a.counts) else (a.counts, b.counts)
    return sum(min(c, big[g]) * (KEYWORD_WEIGHT if g in keywords else OTHER_WEIGHT)
               for g, c in small.items() if g in big)


def unigram_total(counts: Bag, keywords: frozenset[str]) -> float:
    """The unigrams' weighted count (keywords 1.0, other tokens 0.2), kept per keyword list."""
    return counts.memo(keywords, lambda bag: sum(
        c * (KEYWORD_WEIGHT if g in keywords else OTHER_WEIGHT) for g, c in bag.counts.items()))


def union(bags: Sequence[Bag]) -> Bag:
    """The n-grams of several references, each with its largest count (BLEU's clipping)."""
    if len(bags) == 1:
        return bags[0]
    best: Counter = Counter()
    for bag in bags:
        best |= bag.counts
    return Bag(best)


def closest_length(ref_lengths: Iterable[int], hyp_len: int) -> int:
    """The reference length closest to the hypothesis's, the shorter on a tie."""
    return min(ref_lengths, key=lambda r: (abs(r - hyp_len), r))


def bleu_statistics(hyp: Sequence[Bag], refs: Sequence[Sequence[Bag]],
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
        matches.append(overlap(counts, union([ref[n] for ref in refs])))
        totals.append(max(1, counts.total) if floor else counts.total)
    return [*matches, *totals, hyp_len, closest_length(ref_lens, hyp_len)]


def weighted_statistics(hyp: Sequence[Bag], refs: Sequence[Sequence[Bag]],
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
    matches, totals = [], []
    for n in range(MAX_ORDER):
        counts = hyp[n]
        if compat:
            m = sum(_weighted_match(ref[n], counts, n, keywords) for ref in refs)
            t = sum(max(1, _weighted_total(ref[n], n, keywords)) for ref in refs)
        else:
            m = _weighted_match(counts, union([ref[n] for ref in refs]), n, keywords)
            t = _weighted_total(counts, n, keywords)
        matches.append(m)
        totals.append(t)
    ref_len = COMPAT_WEIGHTED_REF_LEN if compat else closest_length(ref_lens, hyp_len)
    return [*matches, *totals, hyp_len, ref_len]


def _weighted_match(a: Bag, b: Bag, n: int, keywords: frozenset[str]) -> float:
    """Only unigrams are weighted; longer n-grams count 1 each."""
    return unigram_overlap(a, b, keywords) if n == 0 else overlap(a, b)


def _weighted_total(counts: Bag, n: int, keywords: frozenset[str]) -> float:
    return unigram_total(counts, keywords) if n == 0 else counts.total


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
    if stats[0] == 0:
        return 0.0
    logs = [math.log((stats[n] or EPSILON) / stats[MAX_ORDER + n]) for n in range(MAX_ORDER)
            if stats[MAX_ORDER + n] > 0 or not effective_order]
    weight = 1 / (len(logs) if effective_order else MAX_ORDER)
    log_sum = math.fsum([weight * x for x in logs])
    return brevity_penalty(stats[2 * MAX_ORDER + 1], stats[2 * MAX_ORDER]) * math.exp(log_sum)
