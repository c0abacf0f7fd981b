"""chrF and chrF++: sacrebleu's numbers and signatures, through polyglot's base."""
import pytest
import sacrebleu

from polyglot import __version__
from polyglot.metrics import get_metric
from polyglot.metrics.chrf import CHRF, CHRFPlusPlus

CORPORA = {
    "english": (["The cat sat on the mat.", "A dog barked loudly at night"],
                [["The cat is sitting on the mat.", "The dog barked loudly in the night"]]),
    "two_refs": (["The cat sat on the mat.", "He read the book quickly."],
                 [["The cat is on the mat.", "He quickly read the book."],
                  ["A cat sat on the mat.", "He read that book fast."]]),
    "empty_hyps": (["", "the house is small", ""],
                   [["nothing here", "the house is very small", "also nothing"]]),
    "unicode": (["我今天去商店买了苹果。", "Привет, как дела?", "नमस्ते दुनिया", "🙂 café naïve"],
                [["我今天去商店买苹果。", "Привет, как твои дела?", "नमस्ते सारी दुनिया",
                  "🙂 cafe naive"]]),
}


@pytest.mark.parametrize("word_order", [0, 2])
@pytest.mark.parametrize("name", CORPORA)
def test_corpus_and_sentence_chrf_equal_sacrebleu(name, word_order):
    hyps, refs = CORPORA[name]
    ours = get_metric("chrf++" if word_order else "chrf")
    theirs = sacrebleu.CHRF(word_order=word_order)
    assert ours.corpus_score(hyps, refs).score == theirs.corpus_score(hyps, refs).score
    for i, hyp in enumerate(hyps):
        segment_refs = [stream[i] for stream in refs]
        assert ours.sentence_score(hyp, segment_refs).score == \
            theirs.sentence_score(hyp, segment_refs).score


def test_pinned_values_and_signatures():
    hyps, refs = CORPORA["english"]
    assert CHRF().corpus_score(hyps, refs).format() == (
        "chrF2 = 55.96 | chrf|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"
        f"|v:{__version__}")
    assert CHRFPlusPlus().corpus_score(hyps, refs).format(width=4) == (
        "chrF2++ = 56.5058 | chrf++|nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no"
        f"|version:2.6.0|v:{__version__}")
    hyps, refs = CORPORA["two_refs"]
    options = CHRF(lowercase=True, beta=1, char_order=4, whitespace=True, eps_smoothing=True)
    assert options.corpus_score(hyps, refs).signature.format() == (
        "chrf|nrefs:2|case:lc|eff:no|nc:4|nw:0|space:yes|version:2.6.0"
        f"|v:{__version__}")


def test_options_reach_sacrebleu():
    hyps, refs = CORPORA["unicode"]
    ours = CHRF(lowercase=True, beta=1, whitespace=True, eps_smoothing=True)
    theirs = sacrebleu.CHRF(lowercase=True, beta=1, whitespace=True, eps_smoothing=True)
    assert ours.corpus_score(hyps, refs).score == theirs.corpus_score(hyps, refs).score


def test_bootstrap_interval_equals_sacrebleus():
    hyps, refs = CORPORA["english"]
    hyps, refs = hyps * 10, [refs[0] * 10]
    ours = CHRFPlusPlus().corpus_score(hyps, refs, n_bootstrap=200)
    theirs = sacrebleu.CHRF(word_order=2).corpus_score(hyps, refs, n_bootstrap=200)
    assert ours.mean == pytest.approx(theirs._mean, abs=1e-6)
    assert (ours.ci[1] - ours.ci[0]) / 2 == pytest.approx(theirs._ci, abs=1e-6)
