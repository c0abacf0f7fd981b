"""BLEU, computed by sacrebleu 2.6 with a tokenizer chosen for the target language.

sacrebleu defaults to the 13a tokenizer, which treats a Chinese, Japanese or Thai
sentence as a handful of very long "words" and so scores them near zero. Here the
target language picks the tokenizer, from `TOKENIZERS_BY_LANG`; tokenizers that
download a model at run time (spm, flores) are refused, so a score never depends on
the network.
"""
from __future__ import annotations

import warnings

import sacrebleu

from polyglot.errors import SpecError, did_you_mean
from polyglot.metrics.base import MetricWarning
from polyglot.metrics.sacrebleu_adapter import SacrebleuMetric

# Target language -> sacrebleu tokenizers, best first; a later one is the fallback when
# an earlier one cannot load (ja-mecab needs `sacrebleu[ja]`). Unlisted languages: 13a.
# Thai, Lao, Khmer and Myanmar write no spaces between words: characters are the units.
TOKENIZERS_BY_LANG: dict[str, tuple[str, ...]] = {
    "zh": ("zh",),
    "ja": ("ja-mecab", "char"),
    "th": ("char",),
    "lo": ("char",),
    "km": ("char",),
    "my": ("char",),
}
DEFAULT_TOKENIZER = "13a"
# sacrebleu tokenizers that fetch a SentencePiece model on first use.
DOWNLOADING_TOKENIZERS = frozenset({"spm", "flores101", "flores200", "spBLEU-1K"})
OFFLINE_TOKENIZERS = tuple(t for t in sacrebleu.BLEU.TOKENIZERS if t not in DOWNLOADING_TOKENIZERS)


def base_language(lang: str | None) -> str | None:
    """``zh-Hant`` / ``pt_BR`` / ``JA`` -> ``zh`` / ``pt`` / ``ja``: tokenizers follow the language."""
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


class BLEU(SacrebleuMetric):
    """sacrebleu's BLEU with a language-aware tokenizer.

    Args:
        lang: target (human) language code; picks the tokenizer unless ``tokenize`` is given.
        tokenize: a sacrebleu tokenizer name (``13a``, ``intl``, ``zh``, ``char``,
            ``ja-mecab``, ``ko-mecab``, ``none``); overrides ``lang``.
        lowercase: case-insensitive BLEU.
        smooth_method: ``exp`` (default), ``floor``, ``add-k`` or ``none``.
        smooth_value: the value for ``floor`` / ``add-k``.
        max_ngram_order: highest n-gram order.
        effective_order: skip zero-count orders; what sentence-level BLEU should use.

    Example:
        >>> BLEU(lang="zh").corpus_score(["猫坐在垫子上"], [["猫坐在垫子上"]]).score
        100.0
    """

    name = "bleu"

    def __init__(self, lang: str | None = None, tokenize: str | None = None,
                 lowercase: bool = False, smooth_method: str = "exp",
                 smooth_value: float | None = None, max_ngram_order: int = 4,
                 effective_order: bool = False) -> None:
        if smooth_method not in sacrebleu.BLEU.SMOOTH_DEFAULTS:
            raise SpecError(f"unknown BLEU smoothing `{smooth_method}`",
                            expected=", ".join(sacrebleu.BLEU.SMOOTH_DEFAULTS))
        settings = dict(lowercase=lowercase, smooth_method=smooth_method,
                        smooth_value=smooth_value, max_ngram_order=max_ngram_order,
                        effective_order=effective_order)
        if tokenize is not None:
            check_tokenizer(tokenize)
            self.inner = _build(tokenize, settings)
            return
        *preferred, last = TOKENIZERS_BY_LANG.get(base_language(lang) or "", (DEFAULT_TOKENIZER,))
        for name in preferred:
            try:
                self.inner = _build(name, settings)
                return
            except SpecError as err:
                warnings.warn(f"BLEU for `{lang}`: {err.message}; using the `{last}` tokenizer "
                              f"instead, which changes scores", MetricWarning, stacklevel=2)
        self.inner = _build(last, settings)


def check_tokenizer(tokenize: str) -> None:
    """Refuse tokenizers that download a model, and names sacrebleu does not know."""
    if tokenize in DOWNLOADING_TOKENIZERS:
        raise SpecError(f"BLEU tokenizer `{tokenize}` downloads a model at run time and is not "
                        f"supported", expected=", ".join(OFFLINE_TOKENIZERS))
    if tokenize not in OFFLINE_TOKENIZERS:
        raise SpecError(f"unknown BLEU tokenizer `{tokenize}`", expected=", ".join(OFFLINE_TOKENIZERS),
                        hint=did_you_mean(tokenize, OFFLINE_TOKENIZERS))


def _build(tokenize: str, settings: dict) -> sacrebleu.BLEU:
    """A sacrebleu BLEU, or a SpecError when the tokenizer's extra dependency is missing."""
    try:
        return sacrebleu.BLEU(tokenize=tokenize, **settings)
    except (ImportError, RuntimeError, AssertionError) as err:
        extra = tokenize.split("-")[0]
        raise SpecError(f"tokenizer `{tokenize}` cannot load ({str(err).strip().splitlines()[0]})",
                        hint=f'pip install "sacrebleu[{extra}]"') from None
