"""The native analysis engine gives exactly what the Python path gives, text by text."""
from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

import pytest

from polyglot.metrics.codebleu import COMPAT_LANGUAGES, CodeBLEU
from polyglot.metrics.codebleu.native import NativeAnalyser
from polyglot.metrics.codebleu.queries import available_languages

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GRAMMAR_TESTS = ROOT / "tests" / "grammars"
CORPUS_LANGUAGES = ("python", "java", "c")

EDGE_TEXTS = [
    "", "   \n\t ", "// only a comment\n", "# only a comment\n", "/* block */ -- dash\n",
    "(((", "x = = 1 }", "def f(:\n  return", "if (a { b = c; ", "fn f( { let x = ; }",
    "名前 = 'é'\nprint(名前)\n", "x = '\ud800' + y\n", "a = 1\r\nb = a\r\nc = b + a\r\n",
    "\tif x:\n\t\ty = x\n\telse:\n\t\ty = 2\n",
    "x = " + " + ".join(f"a{i}" for i in range(150)) + "\n",  # deeper trips Python's recursion limit
    'x = "' + "w" * 20000 + '" + y; z = x\n',
    "y = " + "(" * 40 + "1" + ")" * 40 + "\n",
    "int f() { " + "{ " * 40 + "x = x + 1; " + "} " * 40 + "}\n",
    "emoji = '\U0001F600'; z = emoji\n", "\x00 nul = 1\n",
]


@functools.lru_cache(maxsize=None)
def corpus() -> dict[str, list[tuple[str, str]]]:
    spec = importlib.util.spec_from_file_location("codebleu_compat_bench", ROOT / "benchmarks" / "codebleu_compat.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_corpus(list(CORPUS_LANGUAGES))


def texts_for(lang: str) -> list[str]:
    """Every text the codebleu tests use for ``lang``, then the edge cases."""
    texts: list[str] = []
    pairs = json.loads((FIXTURES / "pairs.json").read_text(encoding="utf-8"))
    texts += [t for pair in ([pairs[lang]] if lang in pairs else []) for t in pair]
    for folder in (FIXTURES / "programs" / lang, GRAMMAR_TESTS / lang):
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()]
    if lang in CORPUS_LANGUAGES:
        texts += [t for pair in corpus()[lang] for t in pair]
    return list(dict.fromkeys(texts + EDGE_TEXTS))


def check(lang: str, mode: str) -> None:
    metric = CodeBLEU(lang, mode=mode)
    native = NativeAnalyser(metric)
    texts = texts_for(lang)
    assert len(texts) > len(EDGE_TEXTS)
    for text in texts:
        expected = metric.reference_analysis(text)
        assert native.analyse(text) == expected, text[:200]
    assert native.interned() == len(metric._interner)


@pytest.mark.parametrize("lang", available_languages())
def test_default_mode_matches_python(lang: str) -> None:
    check(lang, "default")


@pytest.mark.parametrize("lang", COMPAT_LANGUAGES)
def test_compat_mode_matches_python(lang: str) -> None:
    check(lang, "compat")


def test_clear_restarts_keys_like_a_fresh_interner() -> None:
    metric = CodeBLEU("python")
    native = NativeAnalyser(metric)
    first = native.analyse("def f(a):\n    return a + 1\n")
    assert native.interned() > 0
    native.analyse("class A:\n    pass\n")
    native.clear()
    assert native.interned() == 0
    assert native.analyse("def f(a):\n    return a + 1\n") == first


def test_compat_tokens_are_left_to_the_caller() -> None:
    tokens, keys, edges = NativeAnalyser(CodeBLEU("java", mode="compat")).analyse("int x = 1;")
    assert tokens is None
    assert keys == [0, 3, 4, 5]  # the leaves' keys (0-2) are interned first, then the subtrees close
    assert edges == [("var_1", "comesFrom", ("var_0",)), ("var_0", "comesFrom", ())]


def test_analysers_of_one_language_share_queries_not_keys() -> None:
    first, second = NativeAnalyser(CodeBLEU("go")), NativeAnalyser(CodeBLEU("go"))
    text = "package p\nfunc f(a int) int { b := a + 1; return b }\n"
    keys = first.analyse(text)[1]
    first.analyse("package p\nvar x = 1\n")
    assert second.interned() == 0
    assert second.analyse(text)[1] == keys  # numbered from 0 in each, in the same order
    assert first.interned() > second.interned()
