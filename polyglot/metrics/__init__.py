"""Metrics by name, imported only when asked for (CodeBLEU pulls in tree-sitter, BLEU does not).

    >>> from polyglot.metrics import get_metric
    >>> bleu = get_metric("bleu", lang="zh")
    >>> print(bleu.corpus_score(hyps, [refs]))
"""
from __future__ import annotations

import importlib

from polyglot.errors import SpecError, did_you_mean
from polyglot.metrics.base import Metric, Score, Signature

# name -> "module:Class"
METRICS: dict[str, str] = {
    "bleu": "polyglot.metrics.bleu:BLEU",
    "chrf": "polyglot.metrics.chrf:CHRF",
    "chrf++": "polyglot.metrics.chrf:CHRFPlusPlus",
    "rouge1": "polyglot.metrics.rouge:ROUGE1",
    "rouge2": "polyglot.metrics.rouge:ROUGE2",
    "rougeL": "polyglot.metrics.rouge:ROUGEL",
    "rougeLsum": "polyglot.metrics.rouge:ROUGELsum",
    "codebleu": "polyglot.metrics.codebleu:CodeBLEU",
}

# A name that stands for several metrics.
GROUPS: dict[str, tuple[str, ...]] = {
    "rouge": ("rouge1", "rouge2", "rougeL", "rougeLsum"),
}

__all__ = ["METRICS", "GROUPS", "Metric", "Score", "Signature", "get_metric", "expand_names"]


def expand_names(names: str | list[str]) -> list[str]:
    """Resolve a comma-separated list (``"bleu,rouge"``) into registry names, in order.

    Args:
        names: metric names or groups, as a comma-separated string or a list.

    Returns:
        Registry names without duplicates.

    Raises:
        SpecError: for an unknown name, with the closest known one as a hint.
    """
    if isinstance(names, str):
        names = names.split(",")
    out: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        for member in GROUPS.get(name, (name,)):
            if member not in METRICS:
                raise SpecError(f"unknown metric `{name}`",
                                expected=", ".join([*METRICS, *GROUPS]),
                                hint=did_you_mean(name, [*METRICS, *GROUPS]))
            if member not in out:
                out.append(member)
    if not out:
        raise SpecError("no metric named", expected=", ".join([*METRICS, *GROUPS]))
    return out


def get_metric(name: str, **kwargs) -> Metric:
    """Build a metric by registry name.

    Args:
        name: a key of `METRICS`.
        **kwargs: passed to the metric's constructor (e.g. ``lang="ja"``).

    Returns:
        The `Metric` instance.

    Raises:
        SpecError: unknown name, or a metric whose module cannot be imported.
    """
    if name not in METRICS:
        raise SpecError(f"unknown metric `{name}`", expected=", ".join(METRICS),
                        hint=did_you_mean(name, list(METRICS)))
    module_name, class_name = METRICS[name].split(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as err:
        raise SpecError(f"metric `{name}` is not available: cannot import {METRICS[name]} ({err})"
                        ) from None
    return cls(**kwargs)
