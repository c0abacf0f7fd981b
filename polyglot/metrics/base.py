"""The one `Metric` base, its `Score` and its `Signature`, after sacrebleu's `metrics/base.py`.

A metric turns each segment into a vector of sufficient statistics; a corpus score is
computed from the *sum* of those vectors. Writing every metric this way buys three
things once, here, for all of them: corpus and sentence scoring share one code path,
bootstrap confidence intervals resample rows of statistics instead of re-scoring text,
and multiple references are resolved per segment before any summing.

A metric whose corpus score is a mean of segment scores (ROUGE, CodeBLEU) fits too:
its statistics are ``[1, s_1, s_2, ...]`` -- a count and the segment's own scores -- so
the summed vector divided by its first entry is the mean.

Every `Score` carries the `Signature` of the settings that produced it: anything that
can move the number (tokenizer, casing, references, bootstrap) is written into it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from tqdm import tqdm

from polyglot import __version__
from polyglot.errors import SpecError

class MetricWarning(UserWarning):
    """A setting was changed for the user (e.g. a tokenizer fell back); the CLI prints it."""


# sacrebleu's default seed, so a BLEU interval here equals `sacrebleu --confidence`.
BOOTSTRAP_SEED = 12345


@dataclass(frozen=True)
class Signature:
    """Everything that can move a score, as ``metric|key:value|...|v:<polyglot version>``.

    Args:
        metric: the registry name of the metric (``bleu``, ``rougeL``, ``codebleu``).
        info: ordered settings; ``None`` values are left out, booleans print as yes/no.
        nested: another tool's own signature, spliced in verbatim right after the metric
            name, so that e.g. sacrebleu's signature can be compared with its CLI's output.
        abbreviations: short names used by ``format(short=True)``; the nested part is
            always printed whole.
    """

    metric: str
    info: dict[str, Any] = field(default_factory=dict)
    nested: str = ""
    abbreviations: dict[str, str] = field(default_factory=dict)
    version: str = __version__

    def format(self, short: bool = False) -> str:
        """Render the signature.

        Args:
            short: abbreviate our own keys (``nrefs`` -> ``#``, ``seed`` -> ``rs``).

        Returns:
            ``metric|[nested|]key:value|...|v:<version>``.
        """
        parts = [self.metric]
        if self.nested:
            parts.append(self.nested)
        for key, value in self.info.items():
            if value is None:
                continue
            if isinstance(value, bool):
                value = "yes" if value else "no"
            name = self.abbreviations.get(key, key) if short else key
            parts.append(f"{name}:{value}")
        parts.append(f"v:{self.version}")
        return "|".join(parts)

    def __str__(self) -> str:
        return self.format()


# Short names shared by every metric's signature; a metric may add its own.
COMMON_ABBREVIATIONS = {"nrefs": "#", "bs": "bs", "seed": "rs", "tok": "tok", "case": "c"}


@dataclass(frozen=True)
class Score:
    """One metric's result on a corpus or a sentence.

    Args:
        name: the display name (``BLEU``, ``chrF2++``, ``ROUGE-L``).
        score: the value, on the metric's own scale (0-100 for BLEU/chrF/ROUGE).
        signature: the settings that produced it; filled in by `Metric`.
        statistics: the summed sufficient statistics the score was computed from.
        detail: extra text printed after the score (BLEU's n-gram precisions, BP, ...).
        parts: named sub-scores, for a metric made of several (CodeBLEU's components);
            with no ``detail``, they are the detail (``(ngram=0.7506 ... dataflow=n/a)``),
            written only when printed, since scoring one pair should not pay for text.
        ci: a 95% bootstrap confidence interval ``(low, high)``, when bootstrap was asked.
        mean: the mean of the bootstrap scores, when bootstrap was asked.
    """

    name: str
    score: float
    signature: Signature | None = None
    statistics: tuple[float, ...] = ()
    detail: str = ""
    parts: dict[str, float | None] = field(default_factory=dict)
    ci: tuple[float, float] | None = None
    mean: float | None = None

    def format(self, width: int = 2, signature: bool = True) -> str:
        """One line of text, sacrebleu's layout.

        Args:
            width: digits after the decimal point.
            signature: append `` | <signature>``.

        Returns:
            e.g. ``BLEU = 34.20 (μ = 34.05 ± 1.92) 65.0/40.0/... | bleu|...|v:0.1.0``.
        """
        text = f"{self.name} = {self.score:.{width}f}"
        if self.ci is not None and self.mean is not None:
            half = (self.ci[1] - self.ci[0]) / 2
            text += f" (μ = {self.mean:.{width}f} ± {half:.{width}f})"
        if self.described:
            text += f" {self.described}"
        if signature and self.signature is not None:
            text += f" | {self.signature.format()}"
        return text

    @property
    def described(self) -> str:
        """``detail``, or else the parts as ``(name=0.1234 ...)``."""
        if self.detail or not self.parts:
            return self.detail
        return "(" + " ".join(f"{k}={'n/a' if v is None else f'{v:.4f}'}" for k, v in self.parts.items()) + ")"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; floats unrounded so that machine readers get exact values."""
        out: dict[str, Any] = {
            "name": self.name,
            "score": float(self.score),
            "signature": self.signature.format() if self.signature else None,
            "statistics": list(self.statistics),
        }
        if self.described:
            out["detail"] = self.described
        if self.parts:
            out["parts"] = dict(self.parts)
        if self.ci is not None:
            out["ci95"] = list(self.ci)
            out["mean"] = self.mean
        return out

    def __str__(self) -> str:
        return self.format()


class Metric(ABC):
    """Base of every metric: subclasses fill four hooks, the base does the rest.

    Hooks, in the order they run:
        ``_preprocess_segment(text)``: tokenize / lowercase one segment (hyp or ref).
        ``_extract_reference_info(refs)``: what a segment's references contribute
            (n-gram counts, token lists), computed once per segment.
        ``_compute_segment_statistics(hyp, ref_info)``: the sufficient statistics of one
            segment against its references (best match over them).
        ``_compute_score_from_stats(stats)``: a `Score` (without signature) from the
            summed statistics.
    and ``_signature_info(num_refs)`` for the settings that go into the signature.

    References follow sacrebleu: ``references[k][i]`` is the k-th reference of segment
    ``i``; a reference may be ``None`` where a segment has fewer references.
    """

    #: registry name, also the first field of the signature.
    name: str = "metric"
    #: extra short names for this metric's signature keys.
    abbreviations: dict[str, str] = {}

    # ---- hooks -------------------------------------------------------------------

    def _preprocess_segment(self, text: str) -> Any:
        """Tokenize or normalise one segment; identity by default."""
        return text

    @abstractmethod
    def _extract_reference_info(self, refs: list[Any]) -> Any:
        """Per-segment reference information from its preprocessed references."""

    @abstractmethod
    def _compute_segment_statistics(self, hyp: Any, ref_info: Any) -> Sequence[float]:
        """Sufficient statistics of one preprocessed hypothesis against its references."""

    @abstractmethod
    def _compute_score_from_stats(self, stats: Sequence[float]) -> Score:
        """A `Score` from summed statistics; the base attaches signature and interval."""

    def _signature_info(self, num_refs: int | str) -> tuple[str, dict[str, Any]]:
        """``(nested signature text, settings)``; override to add settings or nest a tool's."""
        return "", {"nrefs": num_refs}

    # ---- written once ------------------------------------------------------------

    def signature(self, num_refs: int | str, n_bootstrap: int = 1,
                  seed: int = BOOTSTRAP_SEED) -> Signature:
        """The signature of a score computed with ``num_refs`` references per segment.

        Args:
            num_refs: references per segment, or ``"var"`` when it varies.
            n_bootstrap: bootstrap samples (1 = none, left out of the signature).
            seed: the bootstrap seed (only printed with bootstrap).

        Returns:
            The `Signature`.
        """
        key = (num_refs, n_bootstrap, seed)
        signature = self._signatures.get(key)
        if signature is None:
            nested, info = self._signature_info(num_refs)
            if n_bootstrap > 1:
                info = {**info, "bs": n_bootstrap, "seed": seed}
            signature = Signature(self.name, info, nested, {**COMMON_ABBREVIATIONS, **self.abbreviations})
            self._signatures[key] = signature
        return signature

    @cached_property
    def _signatures(self) -> dict[tuple[int | str, int, int], Signature]:
        """Signatures made so far: a metric's settings are fixed when it is built, and a
        sentence score would otherwise build the same one for every pair."""
        return {}

    def corpus_statistics(self, hypotheses: Sequence[str],
                          references: Sequence[Sequence[str | None]],
                          progress: bool = False) -> tuple[np.ndarray, int | str]:
        """Per-segment statistics, one row per hypothesis.

        Args:
            hypotheses: one string per segment.
            references: reference streams, ``references[k][i]`` for segment ``i``.
            progress: a progress bar on stderr, one step a segment.

        Returns:
            ``(stats, num_refs)``: a float array of shape (segments, statistics), and the
            number of references per segment (``"var"`` if it varies).
        """
        rows, num_refs = self._segment_rows(hypotheses, references, progress)
        return np.asarray(rows, dtype=np.float64), num_refs

    def _segment_rows(self, hypotheses: Sequence[str], references: Sequence[Sequence[str | None]],
                      progress: bool) -> tuple[list[Sequence[float]], int | str]:
        """`corpus_statistics` before the rows become an array."""
        _check_corpus(hypotheses, references)
        rows = []
        counts = set()
        segments = zip(hypotheses, zip(*references))
        if progress:
            segments = tqdm(segments, total=len(hypotheses), desc=self.name, unit="segment", leave=False)
        for hyp, refs in segments:
            refs = [self._preprocess_segment(r) for r in refs if r is not None]
            counts.add(len(refs))
            ref_info = self._extract_reference_info(refs)
            rows.append(self._compute_segment_statistics(self._preprocess_segment(hyp), ref_info))
        num_refs: int | str = counts.pop() if len(counts) == 1 else "var"
        return rows, num_refs

    def corpus_score(self, hypotheses: Sequence[str], references: Sequence[Sequence[str | None]],
                     n_bootstrap: int = 1, seed: int = BOOTSTRAP_SEED, progress: bool = False) -> Score:
        """Score a corpus: sum the segments' statistics, then compute once.

        Args:
            hypotheses: one string per segment.
            references: reference streams, ``references[k][i]`` for segment ``i``.
            n_bootstrap: if > 1, also a 95% confidence interval from this many
                resamples (with replacement) of the segments' statistics.
            seed: the resampling seed; fixed so intervals are reproducible.
            progress: a progress bar on stderr while the segments are scored.

        Returns:
            A `Score` with its signature (and ``ci``/``mean`` under bootstrap).

        Example:
            >>> from polyglot.metrics import get_metric
            >>> get_metric("chrf").corpus_score(["the cat sat", "a dog"], [["the cat sat", "a dog"]]).score
            100.0
        """
        rows, num_refs = self._segment_rows(hypotheses, references, progress)
        if len(rows) == 1:  # a sentence score: the row is its own sum, and an array costs more than the metric
            summed = list(map(float, rows[0]))
        else:
            summed = np.asarray(rows, dtype=np.float64).sum(axis=0).tolist()
        score = self._compute_score_from_stats(summed)
        extra: dict[str, Any] = {}
        if n_bootstrap > 1:
            extra["mean"], extra["ci"] = self._bootstrap(np.asarray(rows, dtype=np.float64), n_bootstrap, seed)
        return _replace(score, signature=self.signature(num_refs, n_bootstrap, seed), **extra)

    def sentence_score(self, hypothesis: str, references: Sequence[str]) -> Score:
        """Score one hypothesis against its references (a corpus of one segment).

        Args:
            hypothesis: the hypothesis string.
            references: its references, one string each.

        Returns:
            A `Score` with its signature.
        """
        if isinstance(references, str):
            raise SpecError("references must be a list of strings, not one string",
                            found=repr(references[:40]))
        return self.corpus_score([hypothesis], [[ref] for ref in references])

    def segment_scores(self, hypotheses: Sequence[str],
                       references: Sequence[Sequence[str | None]], progress: bool = False) -> list[Score]:
        """Every segment's own score, from one pass over the corpus.

        Args:
            hypotheses: one string per segment.
            references: reference streams, ``references[k][i]`` for segment ``i``.
            progress: a progress bar on stderr while the segments are scored.

        Returns:
            One `Score` per hypothesis, each with its signature.
        """
        stats, _ = self.corpus_statistics(hypotheses, references, progress)
        counts = [sum(stream[i] is not None for stream in references) for i in range(len(stats))]
        return [_replace(self._compute_score_from_stats(row.tolist()), signature=self.signature(n))
                for row, n in zip(stats, counts)]

    def _bootstrap(self, stats: np.ndarray, n_bootstrap: int,
                   seed: int) -> tuple[float, tuple[float, float]]:
        """Mean and 95% interval of the score over resampled segments.

        The draw is sacrebleu's (same generator, seed and index matrix), so a BLEU or chrF
        interval here is the one `sacrebleu --confidence` prints; the index matrix takes
        ``8 * n_bootstrap * segments`` bytes.
        """
        rng = np.random.default_rng(seed)
        idxs = rng.choice(len(stats), size=(n_bootstrap, len(stats)), replace=True)
        scores = sorted(self._compute_score_from_stats(stats[idx].sum(axis=0).tolist()).score
                        for idx in idxs)
        lower = n_bootstrap // 40
        return float(np.mean(scores)), (scores[lower], scores[n_bootstrap - lower - 1])


def _replace(score: Score, **changes: Any) -> Score:
    """`dataclasses.replace` for a `Score` (which has no ``__post_init__``), copying its
    fields instead of calling the frozen ``__init__`` again: a sentence score pays for
    this once per pair."""
    new = object.__new__(type(score))
    new.__dict__.update(score.__dict__, **changes)
    return new


def _check_corpus(hypotheses: Sequence[str], references: Sequence[Sequence[str | None]]) -> None:
    """Shapes and types: the mistakes that would otherwise give a silently wrong score."""
    if not _is_sequence(hypotheses):
        raise SpecError("hypotheses must be a list of strings", found=type(hypotheses).__name__)
    if not hypotheses:
        raise SpecError("no hypotheses to score", expected="at least one segment")
    if not _is_sequence(references) or not references:
        raise SpecError("references must be a non-empty list of reference streams",
                        expected="references[k][i] = k-th reference of segment i")
    for i, hyp in enumerate(hypotheses):
        if not isinstance(hyp, str):
            raise SpecError(f"hypothesis {i + 1} is not a string", found=type(hyp).__name__)
    for k, stream in enumerate(references):
        if not _is_sequence(stream):
            raise SpecError(f"reference stream {k + 1} must be a list of strings",
                            found=type(stream).__name__)
        if len(stream) != len(hypotheses):
            raise SpecError(f"reference stream {k + 1} has {len(stream)} segments",
                            expected=f"{len(hypotheses)} (one per hypothesis)")
    for i, refs in enumerate(zip(*references)):
        if all(ref is None for ref in refs):
            raise SpecError(f"segment {i + 1} has no reference")


def _is_sequence(value: Any) -> bool:
    """A sequence other than a string; lists and tuples are answered before the
    `Sequence` ABC, whose check costs more than the rest of a one-pair corpus's."""
    return type(value) in (list, tuple) or (not isinstance(value, str) and isinstance(value, Sequence))
