"""chrF and chrF++, computed by sacrebleu 2.6.

chrF compares character n-grams with whitespace removed, so it needs no tokenizer and
works the same for every script; chrF++ adds word uni- and bigrams.
"""
from __future__ import annotations

import sacrebleu

from polyglot.metrics.sacrebleu_adapter import SacrebleuMetric


class CHRF(SacrebleuMetric):
    """sacrebleu's chrF (``word_order=0``).

    Args:
        lang: accepted for a uniform interface; chrF is language-independent.
        char_order: character n-gram order.
        word_order: word n-gram order (2 gives chrF++).
        beta: recall weight.
        lowercase: case-insensitive.
        whitespace: keep whitespace in character n-grams.
        eps_smoothing: chrF++.py / NLTK / Moses smoothing instead of effective order.
    """

    name = "chrf"
    WORD_ORDER = 0

    def __init__(self, lang: str | None = None, char_order: int = 6, word_order: int | None = None,
                 beta: int = 2, lowercase: bool = False, whitespace: bool = False,
                 eps_smoothing: bool = False) -> None:
        self.inner = sacrebleu.CHRF(
            char_order=char_order,
            word_order=self.WORD_ORDER if word_order is None else word_order,
            beta=beta, lowercase=lowercase, whitespace=whitespace, eps_smoothing=eps_smoothing)


class CHRFPlusPlus(CHRF):
    """chrF++: chrF with word n-grams up to order 2 (Popović, 2017)."""

    name = "chrf++"
    WORD_ORDER = 2
