"""CodeBLEU (Ren et al. 2020) for 20 programming languages, driven by tree-sitter queries.

    CodeBLEU = a * BLEU + b * keyword-weighted BLEU + c * syntax match + d * dataflow match

Every language is data -- ``grammars/<lang>/{locals,comments}.scm`` and ``keywords.txt``
-- read by one engine (`dataflow`, `syntax`, `ngram`). Two modes:

* ``default``: the metric as the paper defines it, with the ``codebleu`` package's
  faults fixed (see ``docs/codebleu.md``): precision-based weighted n-grams, clipped
  subtree counts, tree-sitter tokens, scoped def-use dataflow, no hash-order
  dependence, and a corpus without reference dataflow scored on the other three
  components instead of being handed a perfect dataflow score.
* ``compat``: reproduces ``codebleu`` 0.7.0 (run with ``PYTHONHASHSEED=0``) on its ten
  languages, faults included, so published numbers can be compared.

Every component is a sum of per-segment counts, so corpus scores and bootstrap
intervals come from summed statistics like every other polyglot metric.

Example:
    >>> from polyglot.metrics.codebleu import CodeBLEU
    >>> CodeBLEU("python").corpus_score(["x = 1\\n"], [["x = 1\\n"]]).score
    1.0
"""
from __future__ import annotations

import functools
import importlib.metadata
import math
import operator
import re
import tomllib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tree_sitter import Query

from polyglot.errors import SpecError
from polyglot.metrics.base import Metric, Score
from polyglot.metrics.codebleu import dataflow, ngram, scan, syntax
from polyglot.metrics.codebleu._counts import Counts, Segment
from polyglot.metrics.codebleu.multiset import Bag
from polyglot.metrics.codebleu.native import NativeAnalyser
from polyglot.metrics.codebleu.queries import (
    COMPAT_DIR, CodeGrammar, compile_query, load_grammar, patterns_capturing, read_query, read_words,
)
from polyglot.metrics.codebleu.source import RegexStripper, TokenizeStripper, code_tokens, parse_stripped

__all__ = ["CodeBLEU", "COMPAT_LANGUAGES", "MODES", "check_weights"]

MODES = ("default", "compat")
#: the languages `codebleu` 0.7.0 supports, i.e. those ``mode="compat"`` accepts.
COMPAT_LANGUAGES = tuple(sorted(p.stem for p in COMPAT_DIR.glob("*.scm")))
COMPONENTS = ("ngram", "weighted_ngram", "syntax", "dataflow")
N = ngram.STATS  # statistics per n-gram component
SEGMENT_CACHE = 4096  # analysed segments kept per metric (least recently used dropped)
INTERNED = 1 << 18     # distinct subtree structures remembered before starting afresh
GRAMS = 1 << 22        # distinct tokens, n-grams and dataflow edges likewise
HASHES = 1 << 16       # names whose CPython hash is memoised (compat mode)


@dataclass(frozen=True)
class ReferenceSegment:
    """One piece of code, reduced to what the four components compare: the Python
    definition of the multisets the metric keeps in C (a ``_counts.Segment``)."""

    length: int                      # tokens
    counts: tuple[Bag, ...]          # 1..4-gram counts of the tokens
    subtrees: Bag                    # subtree keys
    dataflow: Bag                    # normalised dataflow entries


Stripper = RegexStripper | TokenizeStripper


@dataclass(frozen=True)
class CompatQueries:
    """What compat mode reads for a language: its query, how it strips comments, keywords."""

    flow: Query | None
    strip: Query | None  # only the patterns that capture ``@compat.strip``: a cheaper search
    keywords: frozenset[str]
    stripper: Stripper | None  # the package's own way, applied to the text before parsing


@functools.lru_cache(maxsize=None)
def compat_queries(lang: str) -> CompatQueries:
    """Compile ``compat/<lang>.scm`` once per process (it is data shipped with the package)."""
    language = load_grammar(lang).language
    source = read_query(lang, f"{lang}.scm", folder=COMPAT_DIR)
    origin = str(COMPAT_DIR / f"{lang}.scm")
    strip = patterns_capturing(source, "compat.strip")
    stripper = compat_stripper(lang)
    if stripper and strip:
        raise SpecError(f"{origin} captures @compat.strip, but strip.toml strips {lang} another way",
                        hint="keep one of the two")
    return CompatQueries(compile_query(language, source, origin),
                         compile_query(language, "\n".join(strip), origin),
                         read_words(COMPAT_DIR / f"{lang}.keywords.txt"), stripper)


def compat_stripper(lang: str) -> Stripper | None:
    """How ``compat/strip.toml`` says the package strips ``lang``, if it names it."""
    table = tomllib.loads((COMPAT_DIR / "strip.toml").read_text(encoding="utf-8"))
    if lang in table["tokenize"]["languages"]:
        return TokenizeStripper()
    regex = table["regex"]
    if lang not in regex["languages"]:
        return None
    flags = functools.reduce(lambda a, b: a | b, (re.RegexFlag[f] for f in regex["flags"]), re.RegexFlag(0))
    return RegexStripper(re.compile(regex["pattern"], flags), regex["comment_starts"])


def check_weights(weights: Sequence[float]) -> tuple[float, ...]:
    """The four component weights as floats: finite, non-negative, not all zero.

    Raises:
        SpecError: anything else.
    """
    weights = tuple(weights)
    if len(weights) != 4 or not all(isinstance(w, (int, float)) and 0 <= w < math.inf for w in weights):
        raise SpecError("CodeBLEU takes four non-negative weights",
                        expected="(ngram, weighted ngram, syntax, dataflow)", found=repr(weights))
    if sum(weights) <= 0:
        raise SpecError("CodeBLEU weights sum to zero", found=repr(weights))
    return tuple(float(w) for w in weights)


@functools.cache
def _pack_version() -> str:
    """Read once per process: the package metadata is parsed as e-mail headers."""
    return importlib.metadata.version("tree-sitter-language-pack")


def _ratio(counts: Sequence[float]) -> tuple[float, float]:
    """Order ``(matched, total)`` pairs by match rate, then size; empty ones come last."""
    matched, total = counts
    return (matched / total if total else -1.0, total)


def _short(weight: float) -> str:
    """``0.25`` -> ``.25``, ``1.0`` -> ``1``: the signature's spelling of a weight."""
    text = f"{weight:g}"
    return text[1:] if text.startswith("0.") else text


class CodeBLEU(Metric):
    """CodeBLEU for one programming language.

    Args:
        lang: the programming language (``python``, ``rust``, ``csharp`` / ``c_sharp``, ...).
        mode: ``default`` or ``compat`` (codebleu 0.7.0's numbers; its 10 languages only).
        weights: weights of n-gram, weighted n-gram, syntax and dataflow match.
        cache_size: analysed texts kept, least recently used dropped first (references
            are usually scored against many hypotheses, so each is analysed once).

    Example:
        >>> metric = CodeBLEU("rust")
        >>> print(metric.sentence_score("fn f() -> i32 { 1 }", ["fn f() -> i32 { 2 }"]))
        CodeBLEU = 0.84 (ngram=0.7506 weighted_ngram=0.7614 syntax=1.0000 dataflow=n/a) | codebleu|lang:rust|mode:default|w:.25,.25,.25,.25|grammar:0.13.0|v:0.1.0
    """

    name = "codebleu"

    def __init__(self, lang: str, mode: str = "default",
                 weights: Sequence[float] = (0.25, 0.25, 0.25, 0.25),
                 cache_size: int = SEGMENT_CACHE) -> None:
        if mode not in MODES:
            raise SpecError(f"unknown CodeBLEU mode `{mode}`", expected=", ".join(MODES))
        weights = check_weights(weights)
        if not isinstance(cache_size, int) or cache_size < 0:
            raise SpecError("CodeBLEU's cache_size is a number of texts", expected="an integer >= 0",
                            found=repr(cache_size))
        self.mode = mode
        self.weights = weights
        self.grammar: CodeGrammar = load_grammar(lang)
        self.lang = self.grammar.name
        self.compat = mode == "compat"
        if self.compat:
            if self.lang not in COMPAT_LANGUAGES:
                raise SpecError(f"compat mode covers codebleu 0.7.0's languages, not `{self.lang}`",
                                expected=", ".join(COMPAT_LANGUAGES), hint="the default mode covers all 20")
            compat = compat_queries(self.lang)
            self.flow_query, self.keywords = compat.flow, compat.keywords
            self.strip_query, self.strip_prefix = compat.strip, "compat.strip"
            self.stripper = compat.stripper
        else:
            self.flow_query = self.grammar.locals
            self.strip_query, self.strip_prefix = self.grammar.comments, "comment"
            self.keywords = self.grammar.keywords
            self.stripper = None
        self._parser = self.grammar.parser()
        self._kinds = self.grammar.kinds
        self._whole = self._kinds.ids(dataflow.COMPAT_ATOMIC) if self.compat else frozenset()
        # Caches, like sacrebleu's reference cache: the same reference is usually scored
        # against many hypotheses. Keys are exact texts, so results cannot change; the
        # interner and the hash memo are bounded too (see `_bound_caches`).
        self._interner: dict[tuple, int] = {}  # subtree structure -> key, shared by all segments
        self._native = NativeAnalyser(self)  # the same analysis in C, with its own interner
        self._counts = Counts(self.keywords)  # segments as C multisets, and the pair statistics
        self._hashes: dict = {}  # `pyset.set_order` memo
        self._segments: OrderedDict[str, Segment] = OrderedDict()  # least recently used first
        self._analysed = False  # a text was analysed since `_bound_caches` last looked
        self.cache_size = cache_size

    # ---- hooks ---------------------------------------------------------------------

    def _preprocess_segment(self, text: str) -> Segment:
        """Analyse once; keep the tokens' n-grams, subtree keys and dataflow as C multisets."""
        segment = self._segments.get(text)
        if segment is not None:
            self._segments.move_to_end(text)
            return segment
        tokens, keys, edges = self._native.analyse(text)
        # compat: codebleu splits the text on whitespace (`Counts.segment` does, given the text)
        segment = self._counts.segment(text if tokens is None else tokens, keys, edges)
        self._analysed = True
        if self.cache_size:
            self._segments[text] = segment
            if len(self._segments) > self.cache_size:
                self._segments.popitem(last=False)
        return segment

    def reference_analysis(self, text: str) -> tuple[list[str] | None, list[int], list[tuple]]:
        """`NativeAnalyser.analyse` in Python over py-tree-sitter: the readable definition.

        The C engine does this same work some 3x faster; the tests hold the two equal on
        every language and mode. Returns ``(tokens, subtree keys, normalised dataflow
        edges)``, tokens None in compat mode (codebleu splits the text on whitespace).
        """
        self._analysed = True
        text = text.strip()
        if self.stripper:  # compat: as the package does, after its own strip()
            text = self.stripper(text)
        if self.grammar.final_newline:
            text += "\n"
        # a lone surrogate (text decoded with surrogateescape) cannot be UTF-8: it becomes "?"
        tree, stripped = parse_stripped(self._parser, text.encode("utf-8", "replace"),
                                        self.strip_query, self.strip_prefix)
        root = tree.root_node
        caps = dataflow.read_captures(self.flow_query, root)
        if self.compat:
            untoken = caps.other.get("compat.untoken", [])
            found = scan.scan(root, self._kinds, self._interner, scan.shims_from(caps.other), self._whole,
                              hidden={n.id for n in untoken},
                              hidden_kinds={n.kind_id for n in untoken})
            tokens = None
            flow_tokens = dataflow.tokens_from_leaves(found.leaves, stripped, self._kinds)
        else:
            found = scan.scan(root, self._kinds, self._interner)
            tokens = code_tokens(root, stripped, found.leaves)
            flow_tokens = None
        edges = dataflow.normalize(dataflow.extract_dataflow(
            root, stripped, caps, self.compat, self._hashes, flow_tokens, self._kinds))
        return tokens, found.keys, edges

    def reference_statistics(self, hypothesis: str, references: Sequence[str]) -> list[float]:
        """`_compute_segment_statistics` in Python from `reference_analysis`: the definition.

        The metric computes these in C (``_counts``); the tests hold the two equal.
        """
        hyp, *refs = (self._reference_segment(text) for text in (hypothesis, *references))
        ref_counts = [r.counts for r in refs]
        ref_lens = [r.length for r in refs]
        stats = ngram.bleu_statistics(hyp.counts, ref_counts, hyp.length, ref_lens, self.compat)
        stats += ngram.weighted_statistics(hyp.counts, ref_counts, hyp.length, ref_lens,
                                           self.keywords, self.compat)
        # codebleu sums the structural matches over all references; default mode takes
        # the reference that matches best, so a hypothesis equal to one of them scores 1.
        syn = [syntax.match_counts(hyp.subtrees, r.subtrees, clipped=not self.compat) for r in refs]
        flow = [dataflow.match_counts(hyp.dataflow, r.dataflow) for r in refs]
        if self.compat:
            syn = [[sum(c) for c in zip(*syn)]]
            flow = [[sum(c) for c in zip(*flow)]]
        return [*stats, *max(syn, key=_ratio), *max(flow, key=_ratio)]

    def _reference_segment(self, text: str) -> ReferenceSegment:
        tokens, keys, edges = self.reference_analysis(text)
        if tokens is None:
            tokens = text.split()
        return ReferenceSegment(len(tokens), ngram.all_counts(tokens), Bag.of(keys),
                                Bag.of(edges))

    def _bound_caches(self) -> None:
        """Start the id tables afresh once they are large, with the segments keyed by them.

        Called between segments, when no analysed segment is held anywhere else.
        """
        self._analysed = False
        if (max(len(self._interner), self._native.interned()) > INTERNED
                or self._counts.size() > GRAMS):
            self._interner.clear()
            self._native.clear()
            self._counts.clear()
            self._segments.clear()
        if len(self._hashes) > HASHES:
            self._hashes.clear()

    def _extract_reference_info(self, refs: list[Segment]) -> list[Segment]:
        return refs

    def _compute_segment_statistics(self, hyp: Segment, refs: list[Segment]) -> list[float]:
        """``[BLEU x10, weighted x10, syntax matched/total, dataflow matched/total]``
        (`reference_statistics` says how)."""
        stats = self._counts.statistics(hyp, refs, self.compat)
        if self._analysed:  # the tables grow only when a text is analysed
            self._bound_caches()
        return stats

    def components(self, stats: Sequence[float]) -> dict[str, float | None]:
        """The four component scores from summed statistics.

        Args:
            stats: summed `_compute_segment_statistics` rows.

        Returns:
            ``ngram``, ``weighted_ngram``, ``syntax`` and ``dataflow`` in [0, 1];
            ``dataflow`` is None when the references have no dataflow at all (compat mode
            reports 0 there, as the package does).
        """
        effective = not self.compat
        syn_m, syn_t, flow_m, flow_t = stats[2 * N:2 * N + 4]
        return {
            "ngram": ngram.bleu_from_statistics(stats[:N], effective),
            "weighted_ngram": ngram.bleu_from_statistics(stats[N:2 * N], effective),
            "syntax": syn_m / syn_t if syn_t else 0.0,
            "dataflow": flow_m / flow_t if flow_t else (0.0 if self.compat else None),
        }

    def _compute_score_from_stats(self, stats: Sequence[float]) -> Score:
        parts = self.components(stats)
        values = list(parts.values())
        if self.compat:
            values[3] = values[3] or 1.0  # the package's `dataflow_match_score or 1`
            score = sum(map(operator.mul, self.weights, values))
        else:
            present = [(w, v) for w, v in zip(self.weights, values) if v is not None]
            mass = sum(w for w, _ in present)
            score = sum(w * v for w, v in present) * sum(self.weights) / mass if mass else 0.0
        # the base hands over Python floats, kept as they are
        return Score("CodeBLEU", float(score), statistics=tuple(stats), parts=parts)

    def _signature_info(self, num_refs: int | str) -> tuple[str, dict[str, Any]]:
        info: dict[str, Any] = {"lang": self.lang, "mode": self.mode, "w": self._weights_text,
                                "grammar": self.grammar_version}
        if num_refs != 1:
            info = {"nrefs": num_refs, **info}
        return "", info

    @cached_property
    def _weights_text(self) -> str:
        return ",".join(_short(w) for w in self.weights)

    @property
    def grammar_version(self) -> str:
        """The tree-sitter-language-pack release the grammars come from."""
        return _pack_version()
