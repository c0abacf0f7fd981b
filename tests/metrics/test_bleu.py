"""BLEU: sacrebleu's numbers and signature, polyglot's tokenizer choice and bootstrap."""
import warnings

import pytest
import sacrebleu

from polyglot import __version__
from polyglot.errors import SpecError
from polyglot.metrics import get_metric
from polyglot.metrics.base import MetricWarning
from polyglot.metrics.bleu import BLEU

# name -> (lang, hypotheses, reference streams)
CORPORA = {
    "english": ("en", ["The cat sat on the mat.", "A dog barked loudly at night",
                       "It is raining today."],
                [["The cat is sitting on the mat.", "The dog barked loudly in the night",
                  "Today it rains."]]),
    "two_refs": ("en", ["The cat sat on the mat.", "He read the book quickly."],
                 [["The cat is on the mat.", "He quickly read the book."],
                  ["A cat sat on the mat.", "He read that book fast."]]),
    "empty_hyps": ("en", ["", "the house is small", ""],
                   [["nothing here", "the house is very small", "also nothing"]]),
    "unicode": ("de", ["Größere Häuser kosten mehr — 5 €.", "Привет, как дела?", "🙂 café naïve"],
                [["Größere Häuser kosten viel mehr — 5 €.", "Привет, как твои дела?",
                  "🙂 café naïve"]]),
    "chinese": ("zh", ["我今天去商店买了苹果。", "他在北京工作。"],
                [["我今天去商店买苹果。", "他在上海工作。"]]),
    "thai": ("th", ["ฉันชอบกินข้าวผัด", "วันนี้อากาศดีมาก"],
             [["ฉันชอบกินข้าวผัดกุ้ง", "วันนี้อากาศร้อนมาก"]]),
}
SACREBLEU_TOKENIZER = {"en": "13a", "de": "13a", "zh": "zh", "th": "char"}


@pytest.mark.parametrize("name", CORPORA)
def test_corpus_bleu_equals_sacrebleu(name):
    lang, hyps, refs = CORPORA[name]
    ours = get_metric("bleu", lang=lang).corpus_score(hyps, refs)
    reference = sacrebleu.BLEU(tokenize=SACREBLEU_TOKENIZER[lang])
    theirs = reference.corpus_score(hyps, refs)
    assert ours.score == theirs.score
    assert list(ours.statistics) == [theirs.sys_len, theirs.ref_len, *theirs.counts, *theirs.totals]
    assert ours.detail == theirs._verbose
    assert ours.signature.nested == reference.get_signature().format()


@pytest.mark.parametrize("name", CORPORA)
def test_sentence_bleu_equals_sacrebleu(name):
    lang, hyps, refs = CORPORA[name]
    ours = BLEU(lang=lang, effective_order=True)
    theirs = sacrebleu.BLEU(tokenize=SACREBLEU_TOKENIZER[lang], effective_order=True)
    for i, hyp in enumerate(hyps):
        segment_refs = [stream[i] for stream in refs]
        assert ours.sentence_score(hyp, segment_refs).score == \
            theirs.sentence_score(hyp, segment_refs).score


def test_pinned_values_and_signatures():
    lang, hyps, refs = CORPORA["english"]
    score = BLEU(lang=lang).corpus_score(hyps, refs)
    assert score.format() == (
        "BLEU = 27.15 61.1/40.0/25.0/11.1 (BP = 0.946 ratio = 0.947 hyp_len = 18 ref_len = 19)"
        f" | bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0|v:{__version__}")
    _, hyps, refs = CORPORA["chinese"]
    assert BLEU(lang="zh-Hans").corpus_score(hyps, refs).signature.format() == \
        f"bleu|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0|v:{__version__}"
    _, hyps, refs = CORPORA["two_refs"]
    lowercase = BLEU(lowercase=True, smooth_method="floor").corpus_score(hyps, refs)
    assert lowercase.signature.format() == (
        "bleu|nrefs:2|case:lc|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0"
        f"|v:{__version__}")


def test_all_empty_hypotheses_score_zero():
    score = BLEU().corpus_score(["", ""], [["a b c", "d e f"]])
    assert (score.score, score.statistics[:2]) == (0.0, (0, 6))


def test_variable_number_of_references():
    hyps = ["the cat sat", "a dog ran"]
    refs = [["the cat sat down", "the dog ran"], ["a cat sat", None]]
    score = BLEU().corpus_score(hyps, refs)
    assert score.score == sacrebleu.BLEU().corpus_score(hyps, refs).score
    assert "nrefs:var" in score.signature.format()


def test_bootstrap_interval_equals_sacrebleus():
    lang, hyps, refs = CORPORA["english"]
    hyps, refs = hyps * 10, [refs[0] * 10]
    ours = BLEU(lang=lang).corpus_score(hyps, refs, n_bootstrap=300)
    theirs = sacrebleu.BLEU().corpus_score(hyps, refs, n_bootstrap=300)
    # Same draw; sacrebleu sums the statistics in float32, hence the last digits.
    assert ours.mean == pytest.approx(theirs._mean, abs=1e-6)
    assert (ours.ci[1] - ours.ci[0]) / 2 == pytest.approx(theirs._ci, abs=1e-6)
    assert f"{ours.mean:.4f}" == "26.7529"
    assert ours.signature.format().endswith(f"version:2.6.0|bs:300|seed:12345|v:{__version__}")


def test_japanese_uses_mecab_when_installed():
    pytest.importorskip("MeCab")
    pytest.importorskip("ipadic")
    hyps, refs = ["私は東京に住んでいます。"], [["私は大阪に住んでいます。"]]
    score = BLEU(lang="ja").corpus_score(hyps, refs)
    assert score.score == sacrebleu.BLEU(tokenize="ja-mecab").corpus_score(hyps, refs).score
    assert "|tok:ja-mecab-0.996-IPA|" in score.signature.format()


def test_japanese_falls_back_to_char_with_a_warning(monkeypatch):
    import sacrebleu.tokenizers.tokenizer_ja_mecab as ja_mecab

    monkeypatch.setattr(ja_mecab, "MeCab", None)
    with pytest.warns(MetricWarning, match=r"BLEU for `ja`: tokenizer `ja-mecab` cannot load"):
        metric = BLEU(lang="ja")
    assert metric.signature(1).nested == \
        "nrefs:1|case:mixed|eff:no|tok:char|smooth:exp|version:2.6.0"
    with pytest.raises(SpecError, match=r'pip install "sacrebleu\[ja\]"'):
        BLEU(tokenize="ja-mecab")


@pytest.mark.parametrize("tokenize", ["flores200", "flores101", "spm", "spBLEU-1K"])
def test_downloading_tokenizers_are_refused(tokenize):
    with pytest.raises(SpecError) as err:
        BLEU(tokenize=tokenize)
    assert err.value.message == \
        f"BLEU tokenizer `{tokenize}` downloads a model at run time and is not supported"


def test_unknown_tokenizer_and_smoothing():
    with pytest.raises(SpecError) as err:
        BLEU(tokenize="13b")
    assert err.value.hint == "did you mean `13a`?"
    with pytest.raises(SpecError, match="unknown BLEU smoothing `expo`"):
        BLEU(smooth_method="expo")


def test_spaced_languages_keep_13a_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lang in ["en", "ru", "ko", "ar", "hi", "pt_BR", None]:
            assert BLEU(lang=lang).signature(1).nested.split("|")[3] == "tok:13a"
