"""Clipped multiset counts, for `CodeBLEU.reference_statistics` (the Python definition;
the metric itself counts in C, ``csrc/counts.c``).

Every CodeBLEU component counts how much of one multiset another has: n-gram matches
are ``sum(min(hyp[g], ref[g]))``, and so are clipped subtree and dataflow matches.
Writing a multiset as the set of its *occurrences* -- ``g`` for the first copy of ``g``,
``(REPEAT, g, k)`` for the k-th -- turns the clipped count into the size of a set
intersection, which keeps the definition short and the tests that run it quick.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Set

#: marks a repeated occurrence; no item can equal a tuple that holds this object.
REPEAT = object()


class Bag:
    """A multiset, with the occurrence set built on first use.

    Args:
        counts: item -> count (positive), e.g. a `Counter` of n-grams.
    """

    __slots__ = ("counts", "total", "_occurrences", "_memo")

    def __init__(self, counts: Counter) -> None:
        self.counts = counts
        self.total = sum(counts.values())
        self._occurrences: Set | None = None
        self._memo: dict = {}

    @classmethod
    def of(cls, items: Iterable[Hashable] | Bag) -> Bag:
        """``items`` as a `Bag` (a `Bag` is returned as is)."""
        return items if isinstance(items, Bag) else cls(Counter(items))

    def __len__(self) -> int:
        return self.total

    @property
    def occurrences(self) -> Set:
        """Every copy of every item, each a distinct set element."""
        if self._occurrences is None:
            if self.total == len(self.counts):  # no repeats: the keys are the occurrences
                self._occurrences = self.counts.keys()
            else:
                occurrences = set(self.counts)
                occurrences.update((REPEAT, item, k) for item, n in self.counts.items() if n > 1
                                   for k in range(2, n + 1))
                self._occurrences = occurrences
        return self._occurrences

    def clipped(self, other: Bag) -> int:
        """``sum(min(self[g], other[g]))``: the items both have, each copy counted once."""
        return len(self.occurrences & other.occurrences)

    def present_in(self, other: Bag) -> int:
        """How many of this bag's items ``other`` has at all (copies of one item all count)."""
        return sum(map(self.counts.__getitem__, self.counts.keys() & other.counts.keys()))

    def memo(self, key: Hashable, compute) -> object:
        """``compute(self)``, computed once per ``key`` (e.g. a weighted total per keyword list)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]
