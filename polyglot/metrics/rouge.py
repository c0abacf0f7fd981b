"""ROUGE-1/2/L/Lsum through rouge-score 0.1.2, with a tokenizer that keeps every script.

rouge-score's default tokenizer drops everything outside ``[a-z0-9]``: Russian, Chinese,
Arabic, Hindi or Thai text scores 0.0 even against itself. Here rouge-score still
does the counting (n-gram overlap, LCS, summary-level LCS), but tokens come from
`UnicodeWordTokenizer`: words for spaced scripts, characters for CJK and the
Southeast Asian scripts written without spaces.

ROUGE's corpus score is the mean of segment F-measures, not a ratio of summed counts,
so a segment's statistics are ``[1, precision, recall, f]`` and the summed vector
divided by its count is the mean -- which also makes bootstrap work unchanged.
With several references a segment takes the one with the best F (``score_multi``).
"""
from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from rouge_score.rouge_scorer import RougeScorer

from polyglot.metrics.base import Metric, Score
from polyglot.metrics.tokenizers import get_tokenizer


class ROUGE(Metric):
    """One ROUGE variant, F-measure on a 0-100 scale (precision and recall in the detail).

    Args:
        lang: accepted for a uniform interface; the tokenizer follows the script, which
            is what matters, so mixed-script text works too.
        tokenize: a polyglot tokenizer name.
    """

    name = "rougeL"
    DISPLAY_NAMES = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L",
                     "rougeLsum": "ROUGE-Lsum"}

    def __init__(self, lang: str | None = None, tokenize: str = "unicode") -> None:
        self.tokenizer = get_tokenizer(tokenize)
        self.scorer = RougeScorer([self.name], tokenizer=self.tokenizer)

    def _extract_reference_info(self, refs: list[str]) -> list[str]:
        return refs

    def _compute_segment_statistics(self, hyp: str, refs: list[str]) -> list[float]:
        best = self.scorer.score_multi(refs, hyp)[self.name]
        return [1.0, best.precision, best.recall, best.fmeasure]

    def _compute_score_from_stats(self, stats: Sequence[float]) -> Score:
        count, precision, recall, fmeasure = stats
        return Score(self.DISPLAY_NAMES[self.name], 100 * fmeasure / count,
                     statistics=tuple(stats),
                     detail=f"(P = {100 * precision / count:.2f} R = {100 * recall / count:.2f})")

    def _signature_info(self, num_refs: int | str) -> tuple[str, dict[str, Any]]:
        return "", {"nrefs": num_refs, "tok": self.tokenizer.signature(),
                    "impl": f"rouge-score-{version('rouge-score')}"}


class ROUGE1(ROUGE):
    """Unigram overlap."""
    name = "rouge1"


class ROUGE2(ROUGE):
    """Bigram overlap."""
    name = "rouge2"


class ROUGEL(ROUGE):
    """Longest common subsequence, the segment as one sequence."""
    name = "rougeL"


class ROUGELsum(ROUGE):
    """Summary-level LCS: the segment split into sentences at newlines."""
    name = "rougeLsum"
