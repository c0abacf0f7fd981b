"""`polyglot data`: make the model's training data."""
from __future__ import annotations

import json
import sys
import time

import click

from polyglot.commands._common import FiniteFloatRange, option, split_list
from polyglot.data.dataset import SPLIT_BY, SPLITS, resolve_languages, synthesize, write_dataset
from polyglot.io import check_out_dir

MAX_SAMPLES = 10_000_000  # every record is held in memory before the splits are written
MAX_AUGMENT = 1000  # variants per sample; far more is a typo that would run for days


@click.group("data")
def command() -> None:
    """Make training data for the words -> body model.

    \b
    Examples:
      polyglot data synth --n 2000 --langs all --seed 0 -o data/synth
    """


@command.command("synth")
@click.option("--n", "n", type=click.IntRange(1, MAX_SAMPLES), default=1000, show_default=True, metavar="N",
              help="Behaviours to sample; each gives 1 + --augment records.")
@click.option("--langs", default="all", show_default=True, metavar="all|CODE[,CODE...]",
              help="Human languages to describe every sample in (e.g. en,ru,zh).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Everything random follows from it: the same seed writes the same bytes.")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for train.jsonl, valid.jsonl, test.jsonl and stats.json.")
@click.option("--split-by", type=click.Choice(SPLIT_BY), default="random", show_default=True,
              help="random: samples shuffled into splits; combo: test holds every sample with a "
                   "held-out pair of constructs, which train and valid never contain.")
@click.option("--augment", "augment", type=click.IntRange(0, MAX_AUGMENT), default=1, show_default=True, metavar="K",
              help="Augmented variants per sample (renamed, reordered, reworded, without given).")
@click.option("--valid-frac", type=FiniteFloatRange(0, 0.5), default=0.1, show_default=True,
              help="Share of samples for validation.")
@click.option("--test-frac", type=FiniteFloatRange(0, 0.5), default=0.1, show_default=True,
              help="Share of samples for test (with --split-by combo: at most this share).")
@click.option("--force", is_flag=True, help="Write into DIR even if it already holds files.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr  [default: only on a terminal].")
@click.option("--json", "as_json", is_flag=True, help="Print the stats as JSON instead of a summary.")
def synth(n: int, langs: str, seed: int, out_dir: str, split_by: str, augment: int, valid_frac: float,
          test_frac: float, force: bool, progress: bool | None, as_json: bool) -> None:
    """Sample checked bodies, describe them in human languages, write the splits.

    Every body passes the checker and its test cases come from the reference evaluator.
    Records are multi-parallel: one record holds the words in every language, under one
    id. The same arguments write byte-identical files.

    \b
    Examples:
      polyglot data synth --n 2000 -o data/synth
      polyglot data synth --n 500 --langs en,ru,zh --seed 7 -o data/small --json
      polyglot data synth --n 2000 --split-by combo -o data/combo --force
    """
    with option("--langs"):
        codes = resolve_languages(",".join(split_list(langs, "--langs")))
    with option("-o"):
        check_out_dir(out_dir, must_be_empty=not force)  # now, not after the sampling
    if progress is None:
        progress = sys.stderr.isatty()
    started = time.perf_counter()
    dataset = synthesize(n, codes, seed=seed, split_by=split_by, augment_per_sample=augment,
                         valid_frac=valid_frac, test_frac=test_frac, progress=progress)
    paths = write_dataset(dataset, out_dir, force=force)
    seconds = time.perf_counter() - started
    if as_json:
        click.echo(json.dumps({"out": out_dir, "files": [str(p) for p in paths], "stats": dataset.stats},
                              ensure_ascii=False, indent=2))
        return
    stats = dataset.stats
    counts = ", ".join(f"{stats['records'][s]} {s}" for s in SPLITS)
    click.echo(f"wrote {counts} records to {out_dir} ({n} samples x {len(codes)} languages, "
               f"{augment} augmented each; {seconds:.1f} s)")
    if stats["held_out_pairs"]:
        click.echo("held out: " + ", ".join("+".join(p) for p in stats["held_out_pairs"]))
