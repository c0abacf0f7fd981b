"""A sacrebleu metric behind polyglot's `Metric` hooks.

sacrebleu's metrics already compute per-segment sufficient statistics through the same
four hooks as ours, so the adapter forwards each hook to the wrapped sacrebleu object:
the numbers are sacrebleu's own (never reimplemented), while multiple references,
bootstrap and the `Score`/`Signature` objects are polyglot's. sacrebleu's signature is
nested verbatim in ours, so it can be compared with `sacrebleu`'s command-line output.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sacrebleu.metrics.base import Metric as SacreMetric

from polyglot.metrics.base import Metric, Score


class SacrebleuMetric(Metric):
    """Forwards the hooks to ``self.inner``, a configured sacrebleu metric."""

    inner: SacreMetric

    def _preprocess_segment(self, text: str) -> str:
        return self.inner._preprocess_segment(text)

    def _extract_reference_info(self, refs: list[str]) -> Any:
        return self.inner._extract_reference_info(refs)

    def _compute_segment_statistics(self, hyp: str, ref_info: Any) -> list[int]:
        return self.inner._compute_segment_statistics(hyp, ref_info)

    def _compute_score_from_stats(self, stats: Sequence[float]) -> Score:
        # sacrebleu's statistics are counts; summed as floats they stay exact integers.
        counts = [int(round(x)) for x in stats]
        score = self.inner._compute_score_from_stats(counts)
        return Score(score.name, float(score.score), statistics=tuple(counts), detail=score._verbose)

    def _signature_info(self, num_refs: int | str) -> tuple[str, dict[str, Any]]:
        # sacrebleu builds its signature from the metric's attributes plus `num_refs`.
        signature = self.inner._SIGNATURE_TYPE({**vars(self.inner), "num_refs": num_refs})
        return signature.format(), {}
