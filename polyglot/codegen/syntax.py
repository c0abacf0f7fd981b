"""The cheapest check of generated code: does the target's own grammar parse it?

Runs in milliseconds and needs no toolchain, so every rendered file is parsed with the
pack's tree-sitter grammar (`tree-sitter-language-pack` 0.13.0, which bundles them) and
any ERROR or MISSING node is reported with its position.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from polyglot.errors import SpecError


@dataclass(frozen=True)
class SyntaxProblem:
    """An ERROR or MISSING node: 1-based line and column, and the text around it."""

    file: str
    line: int
    column: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.kind} near {self.text!r}"


@functools.lru_cache(maxsize=32)
def _parser(grammar: str):
    try:
        from tree_sitter_language_pack import get_parser

        return get_parser(grammar)  # type: ignore[arg-type]
    except (ImportError, LookupError, ValueError) as err:
        raise SpecError(f"cannot load the tree-sitter grammar `{grammar}`: {err}",
                        hint="the grammar name must be one tree-sitter-language-pack 0.13.0 bundles") from None


@functools.lru_cache(maxsize=32)
def _final_newline(grammar: str) -> bool:
    """``grammars/<lang>/grammar.toml``'s `final_newline`: parse with a newline at the end
    (a grammar may hang on a file that stops mid-line, as tree-sitter-perl does)."""
    from polyglot.metrics.codebleu.queries import canonical_language, grammar_dir, read_settings

    try:
        folder = grammar_dir(canonical_language(grammar))
    except SpecError:  # no query folder: nothing is known about this grammar
        return False
    return read_settings(folder)["final_newline"]


def grammar_loads(grammar: str) -> bool:
    """Whether the grammar is available (raises SpecError naming it when not)."""
    _parser(grammar)
    return True


def syntax_problems(text: str, grammar: str, file: str = "<generated>", limit: int = 20) -> list[SyntaxProblem]:
    """ERROR and MISSING nodes of `text` parsed with `grammar`, in document order.

    Args:
        text: the source.
        grammar: a tree-sitter-language-pack language name (`python`, `rust`, `csharp`).
        file: named in each problem.
        limit: stop after this many problems.

    Returns:
        An empty list when the file parses cleanly.
    """
    data = text.encode("utf-8")
    if _final_newline(grammar) and not data.endswith(b"\n"):
        data += b"\n"
    tree = _parser(grammar).parse(data)
    problems: list[SyntaxProblem] = []
    if not tree.root_node.has_error:
        return problems
    stack = [tree.root_node]
    while stack and len(problems) < limit:
        node = stack.pop()
        if node.is_error or node.is_missing:
            row = node.start_point[0]
            line_start = data.rfind(b"\n", 0, node.start_byte) + 1
            column = len(data[line_start:node.start_byte].decode("utf-8", "replace")) + 1
            snippet = data[node.start_byte:node.start_byte + 40].decode("utf-8", "replace")
            problems.append(SyntaxProblem(file, row + 1, column, "MISSING" if node.is_missing else "ERROR",
                                          snippet or node.type))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    return problems


def project_problems(pack, project) -> list[SyntaxProblem]:
    """Syntax problems of every file of a rendered project (files the pack's
    `[layout] grammar_skip` names are not parsed: build files in another language)."""
    problems: list[SyntaxProblem] = []
    for path, text in project.files.items():
        if path not in pack.layout.grammar_skip:
            problems += syntax_problems(text, pack.grammar, path)
    return problems
