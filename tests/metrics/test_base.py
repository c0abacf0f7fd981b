"""The Metric base: statistics summed once, signatures, bootstrap, checks, the registry."""
import numpy as np
import pytest

from polyglot import __version__
from polyglot.errors import SpecError
from polyglot.metrics import METRICS, expand_names, get_metric
from polyglot.metrics.base import Metric, Score, Signature


class ExactMatch(Metric):
    """Percentage of segments equal to one of their references: a mean, like ROUGE."""

    name = "exact"

    def _preprocess_segment(self, text):
        return text.strip()

    def _extract_reference_info(self, refs):
        return set(refs)

    def _compute_segment_statistics(self, hyp, refs):
        return [1, int(hyp in refs)]

    def _compute_score_from_stats(self, stats):
        return Score("Exact", 100 * stats[1] / stats[0], statistics=tuple(stats))


def test_signature_format_long_and_short():
    sig = Signature("m", {"nrefs": 2, "case": "lc", "eff": True, "skip": None, "seed": 7},
                    abbreviations={"nrefs": "#", "seed": "rs"}, version="9.9")
    assert sig.format() == "m|nrefs:2|case:lc|eff:yes|seed:7|v:9.9"
    assert sig.format(short=True) == "m|#:2|case:lc|eff:yes|rs:7|v:9.9"
    nested = Signature("bleu", {"bs": 10}, nested="nrefs:1|tok:13a|version:2.6.0", version="9.9")
    assert nested.format(short=True) == "bleu|nrefs:1|tok:13a|version:2.6.0|bs:10|v:9.9"


def test_corpus_score_sums_segment_statistics():
    score = ExactMatch().corpus_score(["a ", "b", "c", "d"], [["a", "x", "c", "y"]])
    assert score.score == 50.0
    assert score.statistics == (4.0, 2.0)
    assert score.format() == f"Exact = 50.00 | exact|nrefs:1|v:{__version__}"
    assert score.format(width=0, signature=False) == "Exact = 50"
    assert score.to_dict() == {"name": "Exact", "score": 50.0, "statistics": [4.0, 2.0],
                               "signature": f"exact|nrefs:1|v:{__version__}"}


def test_multiple_and_variable_references():
    metric = ExactMatch()
    two = metric.corpus_score(["a", "b"], [["x", "b"], ["a", "y"]])
    assert (two.score, two.signature.format()) == (100.0, f"exact|nrefs:2|v:{__version__}")
    var = metric.corpus_score(["a", "b"], [["x", "b"], ["a", None]])
    assert (var.score, var.signature.info["nrefs"]) == (100.0, "var")


def test_sentence_and_segment_scores():
    metric = ExactMatch()
    assert metric.sentence_score("b", ["a", "b"]).score == 100.0
    assert metric.sentence_score("c", ["a", "b"]).signature.info == {"nrefs": 2}
    scores = metric.segment_scores(["a", "b", "c"], [["a", "x", "c"], ["z", "b", None]])
    assert [s.score for s in scores] == [100.0, 100.0, 100.0]
    assert [s.signature.info["nrefs"] for s in scores] == [2, 2, 1]


def test_one_segment_is_its_own_sum_as_floats():
    metric = ExactMatch()
    score = metric.sentence_score("a", ["a"])  # the segment's row is [1, 1], ints
    assert score.statistics == (1.0, 1.0) and all(type(x) is float for x in score.statistics)
    assert score.score == 100.0 and score.statistics == metric.corpus_score(["a"], [["a"]]).statistics
    boot = metric.corpus_score(["a"], [["b"]], n_bootstrap=10)
    assert (boot.score, boot.mean, boot.ci) == (0.0, 0.0, (0.0, 0.0))


def test_signatures_are_made_once_per_setting():
    metric = ExactMatch()
    first = metric.sentence_score("a", ["a"]).signature
    assert metric.sentence_score("b", ["a"]).signature is first
    assert metric.signature(2) is not first and metric.signature(2).info == {"nrefs": 2}
    boot = metric.signature(1, n_bootstrap=10, seed=3)
    assert boot.format(short=True) == f"exact|#:1|bs:10|rs:3|v:{__version__}" and first.info == {"nrefs": 1}


def test_bootstrap_resamples_statistics_with_a_fixed_seed():
    hyps = [str(i) for i in range(40)]
    refs = [[str(i) if i % 4 else "no" for i in range(40)]]  # 30 of 40 match
    score = ExactMatch().corpus_score(hyps, refs, n_bootstrap=200)
    # The same draw, computed here directly from the 0/1 match column.
    match = np.array([float(i % 4 != 0) for i in range(40)])
    idxs = np.random.default_rng(12345).choice(40, size=(200, 40), replace=True)
    samples = sorted(100 * match[idx].sum() / 40 for idx in idxs)
    assert score.score == 75.0
    assert score.mean == pytest.approx(np.mean(samples), abs=1e-12)
    assert score.ci == (samples[5], samples[194])
    assert score.signature.format(short=True) == f"exact|#:1|bs:200|rs:12345|v:{__version__}"
    text = score.format()
    assert text.startswith(f"Exact = 75.00 (μ = {np.mean(samples):.2f} ± ")
    again = ExactMatch().corpus_score(hyps, refs, n_bootstrap=200)
    assert (again.mean, again.ci) == (score.mean, score.ci)


@pytest.mark.parametrize("hyps, refs, message", [
    ([], [[]], "no hypotheses to score"),
    ("abc", [["abc"]], "hypotheses must be a list of strings"),
    (["a", "b"], [["a"]], "reference stream 1 has 1 segments"),
    (["a"], "a", "references must be a non-empty list of reference streams"),
    (["a"], [[None]], "segment 1 has no reference"),
    ([3], [["a"]], "hypothesis 1 is not a string"),
    (range(1), [("a",)], "hypothesis 1 is not a string"),  # a Sequence that is not a list
    (("a",), [{"a"}], "reference stream 1 must be a list of strings"),
])
def test_bad_corpus_shapes_are_spec_errors(hyps, refs, message):
    with pytest.raises(SpecError) as err:
        ExactMatch().corpus_score(hyps, refs)
    assert err.value.message == message


def test_sentence_score_refuses_a_bare_string():
    with pytest.raises(SpecError, match="references must be a list of strings"):
        ExactMatch().sentence_score("a", "a")


def test_registry_names_and_groups():
    assert expand_names("bleu, rouge,chrf++,bleu") == [
        "bleu", "rouge1", "rouge2", "rougeL", "rougeLsum", "chrf++"]
    assert METRICS["codebleu"] == "polyglot.metrics.codebleu:CodeBLEU"
    assert get_metric("chrf").name == "chrf"
    with pytest.raises(SpecError) as err:
        expand_names("chrf,blue")
    assert err.value.message == "unknown metric `blue`"
    assert err.value.hint == "did you mean `bleu`?"


def test_unimportable_metric_is_a_spec_error(monkeypatch):
    monkeypatch.setitem(METRICS, "later", "polyglot.metrics.not_written_yet:Later")
    with pytest.raises(SpecError) as err:
        get_metric("later")
    assert str(err.value) == (
        "<input>: error: metric `later` is not available: cannot import "
        "polyglot.metrics.not_written_yet:Later (No module named 'polyglot.metrics.not_written_yet')")
