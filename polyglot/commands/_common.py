"""What several commands share: option types and errors located at the option at fault.

Not a command: `polyglot/cli.py` skips modules whose name starts with `_`.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from polyglot.errors import SpecError

if TYPE_CHECKING:
    from polyglot.spec.ir import Spec

# The largest seed every consumer accepts (torch.manual_seed takes a signed 64-bit int).
MAX_SEED = 2**63 - 1


class FiniteFloatRange(click.FloatRange):
    """A `click.FloatRange` that also refuses nan and inf, which compare as in range."""

    name = "finite float range"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


@contextmanager
def option(name: str) -> Iterator[None]:
    """Locate an error that names no file at the command-line option it came from.

    Example:
        >>> with option("--metrics"):
        ...     metrics = expand_names(text)   # "--metrics: error: unknown metric `blue`"
    """
    try:
        yield
    except SpecError as err:
        if err.file is None:
            err.file = name
            if err.path == name:
                err.path = None
        raise


def split_list(value: str, name: str) -> list[str]:
    """``"a, b"`` -> ``["a", "b"]``; an empty item (``a,,b``, ``a,``) is an error.

    An empty item is most often a variable that expanded to nothing
    (``--to python,$LANG``): guessing which list was meant would produce silently
    different output, so it is refused.

    Args:
        value: the option's text.
        name: the option, for the error (``--to``).

    Returns:
        The items, stripped, in order.

    Raises:
        SpecError: an empty item or an empty list, located at `name`.
    """
    items = [item.strip() for item in value.split(",")]
    if items == [""]:
        raise SpecError("empty list", file=name, expected="names separated by commas")
    if "" in items:
        raise SpecError(f"empty item {items.index('') + 1} in `{value}`", file=name,
                        expected="names separated by single commas")
    return items


def read_spec_arg(path: str, **options) -> Spec:
    """`read_spec` of a SPEC argument, where ``-`` reads standard input (named ``<stdin>``).

    Args:
        path: a file, or ``-``.
        **options: `read_spec`'s keyword arguments (strict, on_warning).

    Returns:
        The Spec IR.
    """
    from polyglot.spec.reader import parse_spec, read_spec

    if path == "-":
        return parse_spec(sys.stdin.buffer.read(), file="<stdin>", **options)
    return read_spec(path, **options)
