"""The native analysis engine gives exactly what the Python path gives, text by text."""
from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

import pytest

from polyglot.metrics.codebleu import COMPAT_LANGUAGES, CodeBLEU
from polyglot.metrics.codebleu._counts import Counts
from polyglot.metrics.codebleu.native import NativeAnalyser
from polyglot.metrics.codebleu.queries import available_languages
from polyglot.metrics.codebleu.source import TokenizeStripper

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


# ---- the per-pair statistics in C (`_counts`) against `CodeBLEU.reference_statistics` ----

def check_statistics(lang: str, mode: str) -> None:
    metric = CodeBLEU(lang, mode=mode)
    texts = texts_for(lang)
    n = len(texts)
    for i, hyp in enumerate(texts):
        refs = [texts[(7 * i + 1) % n]]
        if i % 3 == 0:  # several references: the union of their n-grams, the best structure
            refs += [hyp, texts[(5 * i + 2) % n]][: 1 + i % 2]
        stats = metric.corpus_statistics([hyp], [[r] for r in refs])[0][0].tolist()
        assert stats == [float(x) for x in metric.reference_statistics(hyp, refs)], (hyp[:100], refs[0][:100])


@pytest.mark.parametrize("lang", available_languages())
def test_default_statistics_match_python(lang: str) -> None:
    check_statistics(lang, "default")


@pytest.mark.parametrize("lang", COMPAT_LANGUAGES)
def test_compat_statistics_match_python(lang: str) -> None:
    check_statistics(lang, "compat")


def test_counts_pin_a_small_pair() -> None:
    counts = Counts({"return"})
    hyp = counts.segment(["return", "a", "+", "b"], [1, 2, 2], [("var_0", "comesFrom", ())])
    ref = counts.segment(["return", "a", "+", "a"], [2, 2, 3], [("var_0", "comesFrom", ()), ("x",)])
    stats = counts.statistics(hyp, [ref], False)
    assert stats[:10] == [3, 2, 1, 0, 4, 3, 2, 1, 4, 4]              # BLEU: matches, totals, lengths
    assert stats[10:20] == [1.0 + 0.2 + 0.2, 2, 1, 0, 1.0 + 0.2 + 0.2 + 0.2, 3, 2, 1, 4, 4]  # left to right
    assert stats[20:] == [2, 3, 1, 2]                                # clipped subtrees, edges
    compat = counts.statistics(hyp, [ref], True)
    assert compat[4:8] == [4, 3, 2, 1] and compat[19] == 2           # totals floored at 1; ref len 2
    assert compat[20:22] == [2, 3]                                   # unclipped: ref's two 2s match one
    assert counts.statistics(hyp, [ref, hyp], False)[20:] == [3, 3, 1, 1]  # best reference by rate


def test_counts_refuse_segments_they_did_not_make() -> None:
    counts, other = Counts(set()), Counts(set())
    seg = counts.segment(["a"], [0], [])
    with pytest.raises(ValueError, match="another Counts"):
        other.statistics(other.segment(["a"], [0], []), [seg], False)
    counts.clear()
    assert counts.size() == 0
    with pytest.raises(ValueError, match="before clear"):
        counts.statistics(counts.segment(["a"], [0], []), [seg], False)
    with pytest.raises(TypeError):
        counts.segment(["a", 1], [], [])
    with pytest.raises(ValueError, match="no references"):
        counts.statistics(seg, [], False)


@pytest.mark.parametrize("text", [
    "return a + b", "  return\ta\n+\x0bb \r\n", "a\xa0b\u3000c\x1cd\x85e\u2028f\u200bg",  # \u200b is no space
    "名前 = 'é' \U0001F600", "", " \n\t ", "x = '\ud800' + y", "return\u2003return",
])
def test_counts_split_a_text_as_str_split_does(text: str) -> None:
    """Given the text, `Counts.segment` splits it in C (compat mode's tokens) exactly as
    ``text.split()`` would; ids, and so every statistic, are the same."""
    by_text, by_list = Counts({"return", "名前"}), Counts({"return", "名前"})
    other = by_list.segment(["return", "a", "+", "a"], [], [])
    given = by_text.segment(text, [], [])
    split = by_list.segment(text.split(), [], [])
    assert given.length == len(text.split())
    assert by_text.statistics(given, [given], False) == by_list.statistics(split, [split], False)
    assert (by_text.statistics(given, [by_text.segment(["return", "a", "+", "a"], [], [])], False)
            == by_list.statistics(split, [other], False))
    assert by_text.size() == by_list.size()


def test_python_stripping_in_c_is_the_tokenize_loop():
    """Whole texts and the same cut short at seven places each (where tokenize raises)."""
    stripper = TokenizeStripper()
    texts = [t.strip() for t in texts_for("python")]
    texts += [t[: len(t) * k // 8] for t in texts for k in range(1, 8)]
    kept_whole = 0
    for text in texts:
        expected = stripper(text)
        assert stripper.fast(text) == expected, text[:200]
        kept_whole += expected == text and "#" in text
    assert kept_whole > 10  # texts tokenize refuses are among them


# pieces a Python tokenizer has corner cases for: prefixes, continued and unterminated
# strings, stray brackets, tabs and form feeds, CRLF, characters that are no token
TRICKY = ['x = 1', '  # c', '"""doc"""', "'''d'''", 'rb"x"', 'f"{a}"', "Rb'y'", 'u"z"', '"\\\n"', "'a\\\nb'",
          '\\\n', '(', ')', '[', ']', '{', '}', '\t', '\f', '  ', '\n', '\r\n', '\r', 'if a:', '    pass',
          'é = 2', '€', '$', '?', '!', '!=', '`', '\\', '"open', "'open", '"""open', '1e-5', '0x1F', '.5',
          '1if', 'def f():', '\x00', '\xa0', '«', 'print("# not")', "s = '#'", 'a = """x\n# y\n"""', '#!x',
          ';', "'\\", '"""', "'''", 'else:', '        y']


def test_python_stripping_in_c_on_generated_corner_cases():
    import random

    rng = random.Random(7)
    stripper = TokenizeStripper()
    for _ in range(3000):
        text = "".join(rng.choice(TRICKY) + rng.choice(["", " ", "\n", "\n    ", "\n\t", "\n        "])
                       for _ in range(rng.randrange(1, 14)))
        assert stripper.fast(text) == stripper(text), repr(text)
