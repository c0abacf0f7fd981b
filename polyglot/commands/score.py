"""`polyglot score`: score hypotheses against references, every score with its signature."""
from __future__ import annotations

import json
import sys
import warnings

import click

from polyglot.commands._common import option, split_list
from polyglot.errors import SpecError
from polyglot.metrics import GROUPS, METRICS, expand_names, get_metric
from polyglot.metrics.base import MetricWarning
from polyglot.metrics.bleu import check_tokenizer
from polyglot.metrics.io import read_corpus

METRIC_CHOICES = ", ".join([*METRICS, *GROUPS])
# Metrics that cannot run without --lang, and what it names for them.
NEEDS_LANG = {"codebleu": "the programming language, e.g. --lang rust"}
MAX_BOOTSTRAP = 1_000_000  # resamples; sacrebleu's own default is 1000


@click.command("score")
@click.option("--hyp", "hyp", required=True, metavar="PATH",
              help="Hypotheses: a text file (one segment per line), a folder (one file per "
                   "segment) or a .jsonl file ({\"id\": ..., \"hyp\": ...}).")
@click.option("--ref", "refs", required=True, multiple=True, metavar="PATH",
              help="References, in the same layout as --hyp; repeat for several references.")
@click.option("--lang", default=None, metavar="LANG",
              help="Target language: a human language code (picks BLEU's tokenizer: zh, "
                   "ja-mecab, char for th) or, for codebleu, the programming language.")
@click.option("--metrics", "metric_names", default="bleu,chrf", show_default=True,
              help=f"Comma-separated metrics: {METRIC_CHOICES} (rouge = all four ROUGEs).")
@click.option("--tokenize", default=None, metavar="NAME",
              help="BLEU tokenizer, overriding the one --lang picks (13a, intl, zh, char, "
                   "ja-mecab, ko-mecab, none).")
@click.option("--codebleu-mode", type=click.Choice(["default", "compat"]), default=None,
              help="CodeBLEU mode: default (the paper's metric, faults fixed) or compat (the "
                   "codebleu 0.7.0 package's numbers, for comparing with published ones).  "
                   "[default: default]")
@click.option("--codebleu-weights", default=None, metavar="A,B,C,D",
              help="CodeBLEU weights of n-gram, weighted n-gram, syntax and dataflow match.  "
                   "[default: .25,.25,.25,.25]")
@click.option("--bootstrap", "n_bootstrap", type=click.IntRange(1, MAX_BOOTSTRAP), default=1,
              show_default=True, metavar="N",
              help="Resample the segments N times for a 95% confidence interval (try 1000).")
@click.option("--sentence", is_flag=True,
              help="Score every segment on its own instead of the corpus (BLEU then uses "
                   "effective order, as sacrebleu does).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bars on stderr, one a metric  [default: only on a terminal].")
@click.option("--width", type=click.IntRange(min=0, max=10), default=2, show_default=True,
              help="Digits after the decimal point in text output.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def command(hyp: str, refs: tuple[str, ...], lang: str | None,
            metric_names: str, tokenize: str | None, codebleu_mode: str | None,
            codebleu_weights: str | None, n_bootstrap: int, sentence: bool,
            progress: bool | None, width: int, as_json: bool) -> None:
    """Score hypotheses against references with BLEU, chrF, ROUGE or CodeBLEU.

    Every score is printed with its signature: the settings that produced it, with
    sacrebleu's own signature nested inside for BLEU and chrF.

    \b
    Examples:
      polyglot score --hyp out.txt --ref ref.txt
      polyglot score --hyp out.zh.txt --ref ref.zh.txt --lang zh --metrics bleu,chrf++
      polyglot score --hyp out.txt --ref ref1.txt --ref ref2.txt --bootstrap 1000
      polyglot score --hyp summaries.jsonl --ref gold.jsonl --metrics rouge --json
      polyglot score --hyp out/ --ref refs/ --lang rust --metrics codebleu,bleu
      polyglot score --hyp out/ --ref refs/ --lang java --metrics codebleu --codebleu-mode compat
      polyglot score --hyp out.txt --ref ref.txt --sentence
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MetricWarning)
        try:
            codebleu = _codebleu_options(codebleu_mode, codebleu_weights)
            output = _run(hyp, list(refs), lang, metric_names, tokenize, codebleu, n_bootstrap,
                          sentence, sys.stderr.isatty() if progress is None else progress, width, as_json)
        finally:  # warnings first, then the error if there is one
            _echo_warnings(caught)
    click.echo(output)


def _codebleu_options(mode: str | None, weights: str | None) -> dict:
    """``--codebleu-mode`` and ``--codebleu-weights`` as `CodeBLEU` keyword arguments."""
    options: dict = {} if mode is None else {"mode": mode}
    if weights is not None:
        from polyglot.metrics.codebleu import check_weights  # the metric loads only when asked for

        with option("--codebleu-weights"):
            items = split_list(weights, "--codebleu-weights")
            try:
                options["weights"] = check_weights([float(w) for w in items])
            except (ValueError, SpecError):
                raise SpecError(f"`{weights}` is not four weights",
                                expected="four non-negative numbers, not all 0, e.g. .25,.25,.25,.25") from None
    return options


def _run(hyp: str, refs: list[str], lang: str | None, metric_names: str, tokenize: str | None,
         codebleu: dict, n_bootstrap: int, sentence: bool, progress: bool, width: int,
         as_json: bool) -> str:
    """Build the metrics, read the inputs, score; returns the text to print."""
    if sentence and n_bootstrap > 1:
        raise SpecError("does not apply to --sentence", file="--bootstrap",
                        hint="bootstrap estimates a corpus score's interval")
    if tokenize is not None:
        with option("--tokenize"):
            check_tokenizer(tokenize)
    with option("--metrics"):
        names = expand_names(split_list(metric_names, "--metrics"))
    if codebleu and "codebleu" not in names:
        flag = "--codebleu-mode" if "mode" in codebleu else "--codebleu-weights"
        raise SpecError("applies to codebleu only", file=flag, found=f"--metrics {metric_names}",
                        hint="add codebleu to --metrics")
    needs = [name for name in names if name in NEEDS_LANG]
    if needs and lang is None:
        raise SpecError(f"{needs[0]} needs --lang", file="--lang", expected=NEEDS_LANG[needs[0]])
    # Options that only one metric understands, and the option its errors belong to.
    extra = {"bleu": {"tokenize": tokenize, "effective_order": sentence}, "codebleu": codebleu}
    blame = {"codebleu": "--codebleu-mode" if "mode" in codebleu else "--metrics"}
    metrics = []
    for name in names:
        with option(blame.get(name, "--metrics")):
            metrics.append(get_metric(name, lang=lang, **extra.get(name, {})))
    for flag, path in [("--hyp", hyp), *(("--ref", r) for r in refs)]:
        if path == "-":
            raise SpecError("standard input is not read here", file=flag,
                            expected="a text file, a folder or a .jsonl file")
    corpus = read_corpus(hyp, refs)
    head = {"hyp": hyp, "refs": refs, "lang": lang}
    if sentence:
        per_metric = [m.segment_scores(corpus.hypotheses, corpus.references, progress) for m in metrics]
        rows = list(zip(corpus.ids, zip(*per_metric)))
        if as_json:
            segments = [{"id": i, "scores": [s.to_dict() for s in scores]} for i, scores in rows]
            return json.dumps({**head, "segments": segments}, ensure_ascii=False, indent=1)
        return "\n".join(f"{i}\t{s.format(width)}" for i, scores in rows for s in scores)
    scores = [m.corpus_score(corpus.hypotheses, corpus.references, n_bootstrap=n_bootstrap,
                             progress=progress) for m in metrics]
    if as_json:
        return json.dumps({**head, "scores": [s.to_dict() for s in scores]},
                          ensure_ascii=False, indent=1)
    return "\n".join(s.format(width) for s in scores)


def _echo_warnings(caught: list[warnings.WarningMessage]) -> None:
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
