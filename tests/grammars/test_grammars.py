"""Every language's query files against its fixture in ``tests/grammars/<lang>/``.

For each of the 20 languages: every pattern of ``locals.scm``, ``comments.scm`` and (for
codebleu's ten) the compat file matches something in ``sample.*``; every group of
patterns is introduced by a comment showing the source it matches; the definitions the
fixture yields are pinned in ``definitions.txt``; stripping comments removes every
comment of the fixture and nothing else.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import QueryCursor

from polyglot.metrics.codebleu import COMPAT_DIR, COMPAT_LANGUAGES
from polyglot.metrics.codebleu.queries import (
    available_languages, compile_query, grammar_dir, load_grammar, read_query_parts,
    split_patterns,
)
from polyglot.metrics.codebleu.source import parse_stripped

HERE = Path(__file__).parent
LANGUAGES = available_languages()


def sample(lang: str) -> Path:
    return next((HERE / lang).glob("sample.*"))


def own_query_files(lang: str) -> list[tuple[str, Path]]:
    files = [("locals.scm", grammar_dir(lang)), ("comments.scm", grammar_dir(lang))]
    if lang in COMPAT_LANGUAGES:
        files.append((f"{lang}.scm", COMPAT_DIR))
    return files


def test_the_twenty_languages_are_there():
    assert LANGUAGES == sorted(
        "python rust go javascript typescript java c cpp csharp kotlin scala ruby php lua "
        "zig haskell ocaml elixir perl r".split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_pattern_matches_the_fixture(lang):
    grammar = load_grammar(lang)
    tree = grammar.parser().parse(sample(lang).read_bytes())
    unmatched = []
    for name, folder in own_query_files(lang):
        for pattern in split_patterns(read_query_parts(lang, name, folder)[-1]):
            query = compile_query(grammar.language, pattern, name)
            if not QueryCursor(query).matches(tree.root_node):
                unmatched.append(f"{name}: {' '.join(pattern.split())[:100]}")
    assert unmatched == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_pattern_group_shows_its_source(lang):
    uncommented = []
    for name, folder in own_query_files(lang):
        previous_open = False  # the previous pattern's comment block continues
        for pattern in split_patterns(read_query_parts(lang, name, folder)[-1]):
            commented = pattern.lstrip().startswith(";")
            if not (commented or previous_open):
                uncommented.append(f"{name}: {' '.join(pattern.split())[:80]}")
            previous_open = not pattern.endswith("\n\n")
    assert uncommented == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_definitions_of_the_fixture(lang):
    grammar = load_grammar(lang)
    source = sample(lang).read_bytes()
    tree = grammar.parser().parse(source)
    found = []
    for name, nodes in QueryCursor(grammar.locals).captures(tree.root_node).items():
        if name.startswith("local.definition."):
            found += [(n.start_byte, name[len("local.definition."):], n.text.decode()) for n in nodes]
    lines = [f"{kind}\t{text}" for _, kind, text in sorted(set(found))]
    expected = (HERE / lang / "definitions.txt").read_text(encoding="utf-8").splitlines()
    assert lines == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_comments_are_stripped(lang):
    grammar = load_grammar(lang)
    source = sample(lang).read_bytes()
    assert b"comment" in source
    _, stripped = parse_stripped(grammar.parser(), source, grammar.comments)
    assert b"comment" not in stripped
    assert len(stripped.split()) > 20  # the code itself stays


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keywords(lang):
    words = load_grammar(lang).keywords
    assert len(words) >= 20
    assert all(w and not any(c.isspace() for c in w) for w in words)
    assert {"if", "else"} & words or lang == "haskell" and "if" in words
