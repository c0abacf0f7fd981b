"""CodeBLEU's per-text analysis in C: the same results as the Python path, faster.

`CodeBLEU.reference_analysis` spends most of its time in Python walking tree-sitter nodes;
`NativeAnalyser` does the whole analysis of one text (parse, strip, reparse, scan,
captures, dataflow walk, normalisation) in ``_native`` over tree-sitter's C API. It
compiles the same query texts the metric compiled, reads the same kind tables, and
interns subtree keys in the same order, so its results are identical.
"""
from __future__ import annotations

import functools
from pathlib import Path

from tree_sitter import Query, QueryError

from polyglot.metrics.codebleu import dataflow
from polyglot.metrics.codebleu._native import Engine
from polyglot.metrics.codebleu.plan import scan_plan
from polyglot.metrics.codebleu.queries import (
    COMPAT_DIR, grammar_dir, patterns_capturing, read_query, read_query_parts, split_patterns,
)
from polyglot.metrics.codebleu.scan import ERROR_KIND

__all__ = ["NativeAnalyser"]


def _compiles(language, pattern: str) -> bool:
    try:
        Query(language, pattern)
        return True
    except QueryError:
        return False


def query_source(language, parts: list[str]) -> str | None:
    """The text `queries.compile_query` compiles from ``parts`` (None: no query)."""
    if not "".join(parts).strip():
        return None
    *bases, own = parts
    if bases and not _compiles(language, "\n".join(parts)):
        bases = [p for base in bases for p in split_patterns(base) if _compiles(language, p)]
    return "\n".join([*bases, own])


@functools.lru_cache(maxsize=None)
def _sources(lang: str, compat: bool, language, folder: Path) -> tuple[str | None, str | None]:
    """``(flow query text, strip query text)`` as the metric compiles them from ``folder``."""
    if compat:
        source = read_query(lang, f"{lang}.scm", folder=COMPAT_DIR)
        strip = "\n".join(patterns_capturing(source, "compat.strip"))
        return query_source(language, [source]), query_source(language, [strip])
    return (query_source(language, read_query_parts(lang, "locals.scm")),
            query_source(language, read_query_parts(lang, "comments.scm")))


#: (language, compat, grammar folder) -> an engine whose compiled queries new engines share
_PROTOTYPES: dict[tuple[str, bool, Path], Engine] = {}


def new_engine(metric, planned: bool = True) -> Engine:
    """A C engine for ``metric``'s language and mode.

    Args:
        metric: a `CodeBLEU`.
        planned: match the flow query during the scan where `scan_plan` can (False: always
            tree-sitter's query cursor; the tests compare the two).
    """
    from tree_sitter_language_pack import get_binding

    from polyglot.metrics.codebleu.queries import PACK_NAMES

    kinds = metric._kinds
    ids = sorted(i for i in kinds.names if i != ERROR_KIND) + [ERROR_KIND]
    if ids[:-1] != list(range(len(ids) - 1)):
        raise ValueError("kind ids are not contiguous")
    language = metric.grammar.language
    flow, strip = _sources(metric.lang, metric.compat, language, grammar_dir(metric.lang))
    plan = scan_plan(Query(language, flow), flow) if planned and flow is not None else None
    whole = sorted(dataflow.COMPAT_ATOMIC) if metric.compat else []
    return Engine(get_binding(PACK_NAMES.get(metric.lang, metric.lang)), metric.compat,
                  flow, strip, metric.strip_prefix,
                  [kinds.names[i] for i in ids], [kinds.named[i] for i in ids], whole, plan)


def _prototype(metric) -> Engine:
    """The engine for ``metric``'s language and mode, made once per process."""
    key = (metric.lang, metric.compat, grammar_dir(metric.lang))
    if key not in _PROTOTYPES:
        _PROTOTYPES[key] = new_engine(metric)
    return _PROTOTYPES[key]


class NativeAnalyser:
    """One metric's analysis of texts, in C.

    Args:
        metric: a `CodeBLEU`; its language, mode, queries and kind tables are read.
    """

    def __init__(self, metric) -> None:
        self.compat = metric.compat
        self._stripper = metric.stripper  # compat: the package's own comment stripping, if any
        self._end = "\n" if metric.grammar.final_newline else ""  # grammar.toml's final_newline
        self._engine = _prototype(metric).fresh()  # its own interner; queries compiled once

    def analyse(self, text: str) -> tuple[list[str] | None, list[int], list[tuple]]:
        """``(tokens or None in compat mode, subtree keys, normalised dataflow edges)``."""
        text = text.strip()
        if self._stripper:
            text = self._stripper.fast(text)
        return self._engine.analyse((text + self._end).encode("utf-8", "replace"))

    def planned(self) -> bool:
        """Whether the flow query is matched during the scan (`plan.scan_plan`), not by a cursor."""
        return self._engine.planned()

    def interned(self) -> int:
        """How many distinct subtree structures have keys."""
        return self._engine.interned()

    def clear(self) -> None:
        """Forget every subtree key (the metric's interner starts afresh too)."""
        self._engine.clear()
