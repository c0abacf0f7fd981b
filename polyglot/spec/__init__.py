"""Specs: reading .vibee files into the typed IR, and running their test cases."""
from __future__ import annotations

from typing import Any

__all__ = ["parse_spec", "read_spec"]


def __getattr__(name: str) -> Any:
    # Lazy, because the reader needs polyglot.body, which needs polyglot.spec.types.
    if name in __all__:
        from polyglot.spec import reader

        return getattr(reader, name)
    raise AttributeError(name)
