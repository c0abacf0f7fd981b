"""Where a language's tree-sitter queries live, and how they are loaded.

A programming language is described to CodeBLEU by files, not code (helix and
nvim-treesitter do the same for editors):

    grammars/<lang>/locals.scm     scopes, definitions, references, assignments, branches
    grammars/<lang>/comments.scm   what to strip before comparing trees
    grammars/<lang>/keywords.txt   reserved words, one a line (weighted n-gram match)

A query file may start with ``; inherits: <base>`` to prepend the same file of another
language (typescript -> javascript, cpp -> c). Inheritance is one level deep, as helix
recommends: a chain of bases is a maintenance trap, so a base that inherits is refused.

Grammar folders are searched in the roots of ``POLYGLOT_PATH`` (``:``-separated, each
holding ``grammars/<lang>/``) first, then in the repository's own ``grammars/``; the first
folder that has the language wins, so a user can override a whole language.
"""
from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Language, Parser, Query, QueryError

import polyglot
from polyglot.errors import SpecError
from polyglot.metrics.codebleu.scan import Kinds

PATH_ENV = "POLYGLOT_PATH"
#: the repository's own grammar folders (resolved once: every new metric looks its language up)
OWN_GRAMMARS = Path(polyglot.__file__).resolve().parent.parent / "grammars"
#: compat mode's queries and keyword lists: codebleu 0.7.0's rules, shipped with the package.
COMPAT_DIR = Path(__file__).resolve().parent / "compat"
# py-tree-sitter 0.26.1 crashes (after the query is freed) on a `#set!` that follows a
# text predicate in the same pattern; such a pattern is refused with a hint instead.
SET_AFTER_TEST = re.compile(r"\(#(?:not-)?(?:eq|match|any-of)\?.*\(#set!", re.DOTALL)
INHERITS = re.compile(r"^;+\s*inherits\s*:\s*([\w,\s-]+?)\s*$", re.MULTILINE)
#: polyglot language name -> tree-sitter-language-pack grammar name, where they differ.
PACK_NAMES: dict[str, str] = {}
#: spellings users type for a language (codebleu's own names among them).
ALIASES = {"c_sharp": "csharp", "c#": "csharp", "cs": "csharp", "c++": "cpp", "js": "javascript",
           "ts": "typescript", "py": "python", "rb": "ruby", "rs": "rust", "golang": "go"}


def grammar_roots() -> list[Path]:
    """The folders searched for ``<lang>/``, in priority order.

    Returns:
        ``<root>/grammars`` for each root in ``POLYGLOT_PATH``, then the repository's
        ``grammars/``.
    """
    roots = [Path(p) / "grammars" for p in os.environ.get(PATH_ENV, "").split(os.pathsep) if p]
    return [*roots, OWN_GRAMMARS]


def canonical_language(lang: str) -> str:
    """``c_sharp`` / ``C#`` / ``Python`` -> ``csharp`` / ``csharp`` / ``python``."""
    if not isinstance(lang, str) or not lang.strip():
        raise SpecError("CodeBLEU needs a programming language", path="lang",
                        expected="a language such as python, rust, java", found=repr(lang))
    name = lang.strip().lower()
    return ALIASES.get(name, name)


def available_languages() -> list[str]:
    """Every language that has a grammar folder with a ``locals.scm``, sorted."""
    found = {d.name for root in grammar_roots() if root.is_dir()
             for d in root.iterdir() if (d / "locals.scm").is_file()}
    return sorted(found)


def grammar_dir(lang: str) -> Path:
    """The folder holding ``lang``'s query files.

    Args:
        lang: a polyglot language name (``rust``, ``csharp``).

    Returns:
        The first ``<root>/<lang>`` that exists among `grammar_roots`.

    Raises:
        SpecError: no root has the language.
    """
    for root in grammar_roots():
        if (root / lang).is_dir():
            return root / lang
    from polyglot.errors import did_you_mean

    known = available_languages()
    raise SpecError(f"no grammar queries for language `{lang}`", expected=", ".join(known),
                    hint=did_you_mean(lang, known) or f"add grammars/{lang}/ under a {PATH_ENV} root")


def read_query(lang: str, name: str, folder: Path | None = None) -> str:
    """The text of ``<lang>/<name>``, with its ``; inherits:`` bases prepended.

    Args:
        lang: the language.
        name: the file name, e.g. ``locals.scm``.
        folder: read from here instead of `grammar_dir` (compat files live in the package).

    Returns:
        The query source ("" when the file does not exist).

    Raises:
        SpecError: a base that itself inherits, or a missing base.
    """
    return "\n".join(read_query_parts(lang, name, folder))


def read_query_parts(lang: str, name: str, folder: Path | None = None) -> list[str]:
    """`read_query`, as ``[base text, ..., own text]``."""
    path = (folder or grammar_dir(lang)) / name
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    parts = []
    for match in INHERITS.finditer(text):
        for base in filter(None, (b.strip() for b in match.group(1).split(","))):
            base_path = grammar_dir(base) / name
            if not base_path.is_file():
                raise SpecError(f"{name} of `{lang}` inherits `{base}`, which has no {name}",
                                file=str(path))
            base_text = base_path.read_text(encoding="utf-8")
            if INHERITS.search(base_text):
                raise SpecError(f"{name} of `{lang}` inherits `{base}`, which inherits again",
                                file=str(path), hint="inheritance is one level deep")
            parts.append(base_text)
    return [*parts, text]


def patterns_capturing(source: str, capture: str) -> list[str]:
    """The top-level patterns of ``source`` whose code (not a comment) captures ``@capture``."""
    mark = re.compile(rf"@{re.escape(capture)}(?![\w.-])")
    return [p for p in split_patterns(source)
            if any(mark.search(line) for line in p.splitlines() if not line.lstrip().startswith(";"))]


def split_patterns(source: str) -> list[str]:
    """Top-level patterns of a query, each with the comment lines just above it."""
    patterns: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0

    def holds_pattern() -> bool:
        return any(c.strip() and not c.lstrip().startswith(";") for c in current)

    while i < len(source):
        ch = source[i]
        if depth == 0 and ch in "([;" and holds_pattern():
            patterns.append("".join(current))
            current = []
        if ch == ";":  # a comment runs to the end of the line
            end = source.find("\n", i)
            end = len(source) if end < 0 else end + 1
            current.append(source[i:end])
            i = end
            continue
        if ch == '"':
            end = i + 1
            while end < len(source) and source[end] != '"':
                end += 2 if source[end] == "\\" else 1
            current.append(source[i:end + 1])
            i = end + 1
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        current.append(ch)
        i += 1
    if holds_pattern():
        patterns.append("".join(current))
    return patterns


def read_words(path: Path) -> frozenset[str]:
    """A word list: one word a line; blank lines and ``#`` comment lines are skipped."""
    if not path.is_file():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("# "))


def compile_query(language: Language, source: str | list[str], origin: str) -> Query | None:
    """A compiled query, or None for an empty file; a `SpecError` names the bad pattern.

    Given ``[base, ..., own]`` parts (`read_query_parts`), a base pattern that the
    inheriting grammar cannot express -- a node type or field it lacks -- is left out,
    as a pattern for a construct the language does not have; the language's own patterns
    must all compile.
    """
    parts = [source] if isinstance(source, str) else list(source)
    if not "".join(parts).strip():
        return None
    for pattern in split_patterns(parts[-1]):
        if SET_AFTER_TEST.search(pattern):
            raise SpecError("a (#set! ...) follows a text predicate in this pattern", file=origin,
                            found=" ".join(pattern.split())[:120],
                            hint="write (#set! ...) first: tree-sitter 0.26.1 crashes on the other order")
    *bases, own = parts
    if bases:
        try:
            return Query(language, "\n".join(parts))
        except QueryError:  # some base pattern does not fit this grammar: keep those that do
            bases = [p for base in bases for p in split_patterns(base) if _compiles(language, p)]
    try:
        return Query(language, "\n".join([*bases, own]))
    except QueryError as err:
        raise SpecError(f"bad tree-sitter query: {err}", file=origin) from None


def _compiles(language: Language, pattern: str) -> bool:
    try:
        Query(language, pattern)
        return True
    except QueryError:
        return False


@dataclass(frozen=True)
class CodeGrammar:
    """One language as CodeBLEU sees it: parser, compiled queries and keywords.

    Args:
        name: the polyglot language name.
        language: the tree-sitter language.
        locals: scopes, definitions, references and flow captures (dataflow).
        comments: comment captures (stripped before matching).
        keywords: reserved words, weighted higher in the keyword n-gram match.
        final_newline: parse each text with a newline at its end (``grammar.toml``), for
            a grammar that misbehaves on a text that stops mid-line.
    """

    name: str
    language: Language
    locals: Query | None
    comments: Query | None
    keywords: frozenset[str]
    final_newline: bool = False

    def parser(self) -> Parser:
        """A fresh parser (parsers keep state between calls, so each user gets one)."""
        return Parser(self.language)

    @functools.cached_property
    def kinds(self) -> Kinds:
        """The language's node kinds, read once (`scan` names nodes by kind id)."""
        return Kinds.of(self.language)


def load_language(name: str) -> Language:
    """The tree-sitter language from tree-sitter-language-pack, or a SpecError."""
    from tree_sitter_language_pack import get_language

    try:
        return get_language(PACK_NAMES.get(name, name))
    except (LookupError, ValueError) as err:
        raise SpecError(f"tree-sitter-language-pack has no grammar `{name}` ({err})") from None


def load_grammar(lang: str) -> CodeGrammar:
    """Read and compile everything CodeBLEU needs for ``lang``.

    Compiling queries takes up to half a second for the larger grammars, so the result
    is memoised per language and grammar folder (it is immutable: cursors, not queries,
    hold the state of a search).

    Args:
        lang: a language name or alias (``rust``, ``c_sharp``).

    Returns:
        The `CodeGrammar`.

    Raises:
        SpecError: unknown language, a bad query, or a broken ``inherits``.
    """
    name = canonical_language(lang)
    return _load_grammar(name, grammar_dir(name))


@functools.lru_cache(maxsize=64)
def _load_grammar(name: str, folder: Path) -> CodeGrammar:
    language = load_language(name)
    return CodeGrammar(
        name=name,
        language=language,
        locals=compile_query(language, read_query_parts(name, "locals.scm"), str(folder / "locals.scm")),
        comments=compile_query(language, read_query_parts(name, "comments.scm"),
                               str(folder / "comments.scm")),
        keywords=read_words(folder / "keywords.txt"),
        final_newline=read_settings(folder)["final_newline"],
    )


#: ``<lang>/grammar.toml``'s settings and their values when the file leaves them out
SETTINGS = {"final_newline": False}


def read_settings(folder: Path) -> dict:
    """``<lang>/grammar.toml``, the few facts about a grammar that are not queries: every
    setting of `SETTINGS`, the file's value or the default (the file may be absent)."""
    path = folder / "grammar.toml"
    if not path.is_file():
        return dict(SETTINGS)
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"not TOML: {err}", file=str(path)) from None
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown or not isinstance(settings.get("final_newline", False), bool):
        raise SpecError("unknown or mistyped setting", file=str(path), found=", ".join(unknown) or None,
                        expected="final_newline = true|false")
    return {**SETTINGS, **settings}
