"""What every polyglot tokenizer is: a callable with a signature (sacrebleu's contract)."""
from __future__ import annotations

from abc import ABC, abstractmethod


class Tokenizer(ABC):
    """Splits one segment into tokens; its `signature()` goes into the metric's signature."""

    @abstractmethod
    def signature(self) -> str:
        """A short name that changes whenever the tokens it produces would."""

    @abstractmethod
    def __call__(self, text: str) -> list[str]:
        """The tokens of ``text``."""

    def tokenize(self, text: str) -> list[str]:
        """rouge-score's tokenizer interface (`RougeScorer(tokenizer=...)`)."""
        return self(text)
