"""The one template syntax of code packs: `{{name}}` placeholders, nothing more.

Code in 20 languages is full of braces, dollars and percents, so a placeholder is the
only thing a template may contain that is not target code: `{{name}}`, or `{{name|text}}`
to use `text` when the value is empty. A single `{` is plain text. There are no loops or
conditions: the renderer joins lists and picks templates, which keeps every pack
readable as the code it produces.

A placeholder alone on its line (only whitespace before it) is a block: every line of a
multi-line value is indented like the placeholder, and the line disappears when the
value is empty. That is what lets a Python template say `    {{body}}`.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

#: `{{name}}` or `{{name|default}}`; names are words, digits, and `.`, `:` or `/`.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_][\w.:/]*)\s*(?:\|([^{}]*))?\}\}")


class TemplateError(KeyError):
    """A template asked for a placeholder that was not given (a pack defect)."""


@dataclass(frozen=True)
class Template:
    """A parsed template; `name` is where it came from, for error messages."""

    text: str
    name: str = "<template>"

    @cached_property
    def placeholders(self) -> tuple[str, ...]:
        """Placeholder names in order of first use."""
        return tuple(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(self.text)))

    @property
    def _lines(self) -> tuple:
        return _compile(self.text)

    def fill(self, values: Mapping[str, str]) -> str:
        """The template with every placeholder replaced.

        Args:
            values: placeholder -> text. A placeholder missing here is a `TemplateError`.

        Returns:
            The filled text; block placeholders indented, empty block lines dropped.
        """
        out: list[str] = []
        for indent, block, pieces in self._lines:
            if block is not None:
                value = self._value(block, values)
                if value == "":
                    continue
                out.append("\n".join(indent + v if v.strip() else v.strip(" \t") for v in value.split("\n")))
                continue
            out.append("".join(p if isinstance(p, str) else self._value(p, values) for p in pieces))
        return "\n".join(out)

    def _value(self, match: re.Match, values: Mapping[str, str]) -> str:
        name, default = match.group(1), match.group(2)
        if name not in values:
            raise TemplateError(f"template `{self.name}` uses `{{{{{name}}}}}`, which is not "
                                f"available here; available: {', '.join(sorted(values)) or 'none'}")
        value = values[name]
        return default if value == "" and default is not None else value


@functools.lru_cache(maxsize=1024)
def _compile(text: str) -> tuple:
    """Per line: (indent, the block placeholder or None, inline pieces); cached by text,
    since the same few templates are filled thousands of times."""
    out = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        block = PLACEHOLDER.fullmatch(line.strip())
        pieces: list = []
        pos = 0
        for m in PLACEHOLDER.finditer(line):
            pieces += [line[pos:m.start()], m]
            pos = m.end()
        pieces.append(line[pos:])
        out.append((indent, block, tuple(pieces)))
    return tuple(out)


def fill(text: str, values: Mapping[str, str], name: str = "<template>") -> str:
    """Fill a template given as text (see `Template.fill`)."""
    return Template(text, name).fill(values)


def collapse_blank_lines(text: str, keep: int) -> str:
    """At most `keep` blank lines in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    blank = 0
    for line in lines:
        blank = blank + 1 if line == "" else 0
        if blank <= keep:
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"
