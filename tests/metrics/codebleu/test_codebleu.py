"""CodeBLEU: pinned scores for all 20 languages, both modes, and the Metric contract."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from polyglot.errors import SpecError
from polyglot.metrics import get_metric
from polyglot.metrics.codebleu import COMPAT_LANGUAGES, CodeBLEU
from polyglot.metrics.codebleu.queries import available_languages
from polyglot.metrics.codebleu.source import RegexStripper, TokenizeStripper

FIXTURES = Path(__file__).parent / "fixtures"
GRAMMAR_SAMPLES = Path(__file__).parent.parent.parent / "grammars"
PAIRS = json.loads((FIXTURES / "pairs.json").read_text())
EXPECTED = json.loads((FIXTURES / "expected_scores.json").read_text())
CASES = sorted(k for k in EXPECTED if not k.endswith("codebleu-0.7.0"))


def scores(lang: str, mode: str, hyp: str, refs: list[str]) -> list[float | None]:
    metric = CodeBLEU(lang, mode=mode)
    score = metric.sentence_score(hyp, refs)
    parts = score.parts
    assert parts == metric.components(score.statistics) and score.to_dict()["parts"] == parts
    return [score.score, parts["ngram"], parts["weighted_ngram"], parts["syntax"], parts["dataflow"]]


def test_pinned_cases_cover_every_language_and_mode():
    assert sorted({k.split("/")[0] for k in CASES}) == available_languages()
    assert sorted(k.split("/")[0] for k in CASES if k.endswith("/compat")) == list(COMPAT_LANGUAGES)


@pytest.mark.parametrize("case", CASES)
def test_pinned_scores(case):
    """[CodeBLEU, n-gram, weighted n-gram, syntax, dataflow] of one small pair."""
    lang, mode = case.split("/")
    ref, hyp = PAIRS[lang]
    assert scores(lang, mode, hyp, [ref]) == pytest.approx(EXPECTED[case], abs=1e-9)


@pytest.mark.parametrize("lang", COMPAT_LANGUAGES)
def test_compat_pins_are_codebleu_0_7_0s_numbers(lang):
    # `codebleu-0.7.0` entries were produced by the package itself (PYTHONHASHSEED=0);
    # benchmarks/codebleu_compat.py re-measures the same on a 360-pair corpus.
    assert EXPECTED[f"{lang}/compat"] == pytest.approx(EXPECTED[f"{lang}/codebleu-0.7.0"], abs=1e-9)


def test_python_default_by_hand():
    """The numbers of `pairs.json`'s Python pair, worked out by hand.

    Tokens (15 each): ``def add ( a , b ) : total = a + b return total`` against
    ``def add ( x , y ) : s = x - y return s``. Matches per order: 8/15, 3/14, 1/13 and
    0/12 (smoothed to 0.1/12); equal lengths, so no brevity penalty. Keyword weighting
    (def, return = 1; the other 13 tokens 0.2): 3.2/4.6 for unigrams. The trees and the
    renamed dataflow are identical: 1 and 1.
    """
    ngram = math.exp(0.25 * sum(map(math.log, (8 / 15, 3 / 14, 1 / 13, 0.1 / 12))))
    weighted = math.exp(0.25 * sum(map(math.log, (3.2 / 4.6, 3 / 14, 1 / 13, 0.1 / 12))))
    expected = [0.25 * (ngram + weighted + 1 + 1), ngram, weighted, 1.0, 1.0]
    ref, hyp = PAIRS["python"]
    assert scores("python", "default", hyp, [ref]) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("lang", available_languages())
def test_identical_code_scores_one(lang):
    code = next((GRAMMAR_SAMPLES / lang).glob("sample.*")).read_text(encoding="utf-8")
    assert scores(lang, "default", code, [code]) == [1.0, 1.0, 1.0, 1.0, 1.0]


def test_signature():
    metric = get_metric("codebleu", lang="rust")
    score = metric.corpus_score(["fn f() {}"], [["fn f() {}"]])
    assert str(score.signature) == "codebleu|lang:rust|mode:default|w:.25,.25,.25,.25|grammar:0.13.0|v:0.1.0"
    compat = CodeBLEU("c_sharp", mode="compat", weights=(0.1, 0.1, 0.4, 0.4))
    assert compat.signature(1).format() == "codebleu|lang:csharp|mode:compat|w:.1,.1,.4,.4|grammar:0.13.0|v:0.1.0"
    assert compat.signature(2).format().startswith("codebleu|nrefs:2|lang:csharp|")


def test_corpus_score_sums_segment_statistics():
    metric = CodeBLEU("java")
    hyps = [PAIRS["java"][1], "int f() { return 1; }"]
    refs = [PAIRS["java"][0], "int f() { return 2; }"]
    stats, _ = metric.corpus_statistics(hyps, [refs])
    assert stats.shape == (2, 24)
    corpus = metric.corpus_score(hyps, [refs])
    assert corpus.score == pytest.approx(metric._compute_score_from_stats(stats.sum(axis=0)).score)
    assert corpus.score == pytest.approx(0.682767950647, abs=1e-9)
    boot = metric.corpus_score(hyps, [refs], n_bootstrap=50)
    assert boot.ci is not None and boot.ci[0] <= boot.ci[1]


def test_two_references():
    ref, hyp = PAIRS["go"]
    # default: n-grams clip against both, trees and dataflow take the better reference
    assert scores("go", "default", hyp, [ref, hyp]) == [1.0, 1.0, 1.0, 1.0, 1.0]
    # compat: codebleu sums trees and dataflow over the references
    compat = scores("go", "compat", hyp, [ref, hyp])
    single = scores("go", "compat", hyp, [ref])
    assert compat[3] == pytest.approx((single[3] * 12 + 12) / 24)


def test_without_reference_dataflow():
    # `pass` has no dataflow: default mode scores the other three components, codebleu
    # 0.7.0 (compat) counts the missing dataflow as a perfect 1.
    default = scores("python", "default", "pass\n", ["pass\n"])
    assert default == [1.0, 1.0, 1.0, 1.0, None]
    hyp, ref = "x = 1\n", "print(2)\n"
    d = scores("python", "default", hyp, [ref])
    assert d[4] is None
    assert d[0] == pytest.approx((d[1] + d[2] + d[3]) / 3)
    c = scores("python", "compat", hyp, [ref])
    assert c[4] == 0.0
    assert c[0] == pytest.approx(0.25 * (c[1] + c[2] + c[3] + 1))


def test_default_and_compat_differ_where_compat_has_faults():
    # The reference repeats `x = x + 1` thrice; the hypothesis has it once. codebleu 0.7.0
    # matches every repeated subtree against the single one (unclipped).
    ref = "x = 0\nx = x + 1\nx = x + 1\nx = x + 1\n"
    hyp = "x = 0\nx = x + 1\n"
    # 12 subtrees: the root (which differs), 4 statements, 4 assignments, 3 sums
    assert scores("python", "compat", hyp, [ref])[3] == pytest.approx(11 / 12)
    # clipped: of 8 (root, 4 assignments, 3 sums) one `x = 0`, one `x = x + 1`, one sum
    assert scores("python", "default", hyp, [ref])[3] == pytest.approx(3 / 8)


def test_bad_input_is_a_spec_error():
    with pytest.raises(SpecError, match="no grammar queries for language `cobol`"):
        CodeBLEU("cobol")
    with pytest.raises(SpecError, match="compat mode covers"):
        CodeBLEU("kotlin", mode="compat")
    with pytest.raises(SpecError, match="unknown CodeBLEU mode"):
        CodeBLEU("python", mode="fast")
    with pytest.raises(SpecError, match="four non-negative weights"):
        CodeBLEU("python", weights=(1, 1))
    with pytest.raises(SpecError, match="sum to zero"):
        CodeBLEU("python", weights=(0, 0, 0, 0))


def test_text_that_is_not_utf8_still_scores():
    assert scores("python", "default", "x = '\udc80'\n", ["x = 'a'\n"])[3] == 1.0


def user_grammar(tmp_path, monkeypatch, lang: str, files: dict[str, str]) -> None:
    """``grammars/<lang>/`` holding ``files`` under a ``POLYGLOT_PATH`` root."""
    folder = tmp_path / "grammars" / lang
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    monkeypatch.setenv("POLYGLOT_PATH", str(tmp_path))


def test_polyglot_path_overrides_a_language(tmp_path, monkeypatch):
    user_grammar(tmp_path, monkeypatch, "python",
                 {"locals.scm": "; x = 1\n(identifier) @local.reference\n", "keywords.txt": "x\n"})
    metric = CodeBLEU("python")
    assert metric.grammar.keywords == frozenset({"x"})
    assert metric.grammar.comments is None
    assert metric.grammar.locals.pattern_count == 1


def test_inheritance_is_one_level(tmp_path, monkeypatch):
    for lang, text in {"a": "; x\n(identifier) @local.reference\n",
                       "b": "; inherits: a\n", "c": "; inherits: b\n"}.items():
        user_grammar(tmp_path, monkeypatch, lang, {"locals.scm": text})
    from polyglot.metrics.codebleu.queries import read_query

    assert read_query("b", "locals.scm").startswith("; x\n(identifier)")
    with pytest.raises(SpecError, match="inherits again"):
        read_query("c", "locals.scm")


def test_scores_do_not_depend_on_the_hash_seed():
    """Both modes give the same statistics under different PYTHONHASHSEEDs."""
    script = ("import json; from polyglot.metrics.codebleu import CodeBLEU; "
              "p = json.load(open(%r))['java']; "
              "print([list(CodeBLEU('java', mode=m).sentence_score(p[1], [p[0]]).statistics) "
              "for m in ('default', 'compat')])" % str(FIXTURES / "pairs.json"))
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1


@pytest.mark.parametrize("lang", [None, "", "  "])
def test_no_language_is_a_located_error(lang):
    with pytest.raises(SpecError) as err:
        CodeBLEU(lang)
    assert (err.value.message, err.value.path) == ("CodeBLEU needs a programming language", "lang")


def test_compat_strips_c_family_comments_with_the_packages_regex():
    strip = CodeBLEU("go", mode="compat").stripper
    # the package's quirks, reproduced: `//` inside a raw string starts a "comment", lines
    # left blank go, a `'...'` or `"..."` literal is kept whole even when it holds `//`
    assert strip("x := `a // b`\n// c\n\ny := 1 /* d\n e */ + 2") == "x := `a  \ny := 1   + 2"
    assert strip("s = \"// no\"; t = '/*' // yes") == "s = \"// no\"; t = '/*'  "


@pytest.mark.parametrize("lang", COMPAT_LANGUAGES)
def test_each_compat_language_strips_the_packages_way(lang):
    metric = CodeBLEU(lang, mode="compat")
    kind = {"python": TokenizeStripper, "ruby": type(None)}.get(lang, RegexStripper)
    assert isinstance(metric.stripper, kind)  # tokenize loop, nothing at all, or the regex
    assert metric.strip_query is None  # no parse is needed to find what to strip


def test_compat_python_strips_as_the_packages_tokenize_loop():
    strip = CodeBLEU("python", mode="compat").stripper
    # comments and line-opening strings go, a continuation joins its lines, a tab before
    # a token becomes one space (its column counts characters); a string after other
    # tokens stays. The expected text is the package's own output for this input.
    text = '"""Doc."""\nx = a and \\\n    b  # c\ndef f():\n\t"""d"""\n\treturn "s"\t+ 1\n'
    assert strip(text) == strip.fast(text) == 'x = a and    b  \ndef f():\n return "s" + 1'
    # where tokenize raises -- an unclosed bracket, an unterminated triple quote, a dedent
    # to no known column -- the package keeps the text whole
    for broken in ("x = (1,  # c\n", 'x = 1  # c\n"""open', "if a:\n        x = 1\n    y = 2  # c\n"):
        assert strip(broken) == strip.fast(broken) == broken


def test_perl_texts_ending_in_a_comment_do_not_hang():
    # tree-sitter-perl's scanner never returns on `x # c` with no newline after it; a child
    # process keeps a regression from hanging the test run
    script = ("from polyglot.metrics.codebleu import CodeBLEU\n"
              "m = CodeBLEU('perl')\n"
              "print(m.sentence_score('x # c', ['x']).score, m.sentence_score('1;\\n__END__\\n# c', ['1;']).score)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [float(x) for x in done.stdout.split()] == [1.0, pytest.approx(0.2709254819898841, abs=1e-12)]
    assert CodeBLEU("perl").grammar.final_newline and not CodeBLEU("python").grammar.final_newline


def test_grammar_settings_are_checked(tmp_path, monkeypatch):
    user_grammar(tmp_path, monkeypatch, "lua",
                 {"locals.scm": "(identifier) @local.reference\n", "grammar.toml": "final_newline = 1\n"})
    with pytest.raises(SpecError, match="grammar.toml: error: unknown or mistyped setting; expected final_newline"):
        CodeBLEU("lua")
