"""polyglot's own tokenizers, by name, imported lazily (sacrebleu's are used through sacrebleu)."""
from __future__ import annotations

import importlib

from polyglot.errors import SpecError, did_you_mean
from polyglot.metrics.tokenizers.base import Tokenizer

# name -> "module:Class"
TOKENIZERS: dict[str, str] = {
    "unicode": "polyglot.metrics.tokenizers.unicode_words:UnicodeWordTokenizer",
}


def get_tokenizer(name: str) -> Tokenizer:
    """Build a tokenizer by name.

    Args:
        name: a key of `TOKENIZERS`.

    Returns:
        The `Tokenizer`.
    """
    if name not in TOKENIZERS:
        raise SpecError(f"unknown tokenizer `{name}`", expected=", ".join(TOKENIZERS),
                        hint=did_you_mean(name, list(TOKENIZERS)))
    module_name, class_name = TOKENIZERS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)()
