"""The one error type users see, located like a compiler's."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SpecError(Exception):
    """Bad input, with where it is and what was expected.

    Every malformed input -- a spec, a body expression, a pack, a file of hypotheses --
    ends in one of these, never in a traceback. The CLI prints `str(err)` and exits 2.

    Args:
        message: what is wrong, one line.
        file: the file the input came from, if any.
        line: 1-based line, if known.
        column: 1-based column, if known.
        path: the key path inside the document, e.g. ``behaviors[2].params[0].type``.
        expected: what would have been accepted (shown after the message).
        found: what was there instead.
        hint: a suggestion such as "did you mean `given`?".
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    severity: str = "error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.expected is not None:
            text += f"; expected {self.expected}"
            if self.found is not None:
                text += f", found {self.found}"
        elif self.found is not None:
            text += f", found {self.found}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict:
        return {
            "file": self.file, "line": self.line, "column": self.column, "path": self.path,
            "message": self.message, "expected": self.expected, "found": self.found,
            "hint": self.hint, "severity": self.severity, "text": str(self),
        }


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """A hint naming the closest known word, or None when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
