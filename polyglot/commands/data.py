"""`polyglot data`: make the model's training data."""
from __future__ import annotations

import json
import sys
import time

import click

from polyglot.commands._common import FiniteFloatRange, option, split_list
from polyglot.data.dataset import SPLIT_BY, SPLITS, records_text, resolve_languages, synthesize, write_dataset
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


@command.command("lift")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="SRC...")
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="JSONL file for the lifted records (words empty until backtranslate).")
@click.option("--lang", default="python", show_default=True,
              help="Programming language of SRC; needs grammars/<lang>/lift.scm.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr  [default: only on a terminal].")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON instead of a summary.")
def lift(sources: tuple[str, ...], out_file: str, lang: str, force: bool, progress: bool | None,
         as_json: bool) -> None:
    """Lift one-expression functions from real source into records without words.

    A function is lifted when its body is a single `return <expr>` (a docstring may come
    first), every parameter and the return type are annotated with types the body
    language has, the expression passes the body checker, and the reference evaluator
    answers random inputs with different values (3-5 of them become its test cases).
    Unreadable, non-UTF-8 and unparsable files are counted and skipped.

    \b
    Examples:
      polyglot data lift src/ -o out/lifted.jsonl
      polyglot data lift a.py b.py -o lifted.jsonl --json --force
    """
    from polyglot.data.lift import lift_paths
    from polyglot.io import check_new_file, write_files

    with option("-o"):
        check_new_file(out_file, force=force)  # now, not after the scan
    if progress is None:
        progress = sys.stderr.isatty()
    started = time.perf_counter()
    result = lift_paths(sources, lang=lang, progress=progress)
    write_files({out_file: records_text(result.records)}, force=force)
    stats = result.stats
    if as_json:
        click.echo(json.dumps({"out": out_file, "stats": stats}, ensure_ascii=False, indent=2))
        return
    problems = ", ".join(f"{v} {k}" for k, v in stats["file_problems"].items() if v) or "none"
    dropped = ", ".join(f"{v} {k}" for k, v in stats["dropped"].items() if v) or "none"
    click.echo(f"lifted {stats['lifted']} of {stats['functions']} functions in {stats['files']} files "
               f"to {out_file} ({time.perf_counter() - started:.1f} s)")
    click.echo(f"skipped files: {problems}")
    click.echo(f"dropped: {dropped}")


@command.command("backtranslate")
@click.argument("lifted", type=click.Path(dir_okay=False), metavar="LIFTED.jsonl")
@click.option("--model", "model_dir", required=True, metavar="DIR",
              help="Model folder (model.safetensors, tokenizer.model) trained with [data] reverse = true.")
@click.option("--langs", required=True, metavar="all|CODE[,CODE...]",
              help="Human languages to describe every body in (e.g. en,ru).")
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="JSONL file for the records that kept words in some language.")
@click.option("-k", "k", type=click.IntRange(1, 256), default=4, show_default=True,
              help="Descriptions sampled per record and language (and bodies proposed per description).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Everything random follows from it: the same seed writes the same bytes.")
@click.option("--temperature", type=FiniteFloatRange(0, 10, min_open=True), default=0.8, show_default=True,
              help="Sampling temperature of both directions.")
@click.option("--device", default="cpu", show_default=True, help="Torch device for the model.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr  [default: only on a terminal].")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON instead of a summary.")
def backtranslate(lifted: str, model_dir: str, langs: str, out_file: str, k: int, seed: int,
                  temperature: float, device: str, force: bool, progress: bool | None, as_json: bool) -> None:
    """Describe lifted bodies in words; keep the words that lead back to the body.

    For each record and language the model (reverse direction) samples K descriptions;
    the forward direction reads each one back and proposes K bodies, and a description
    is kept only if one of them passes every test case of the record on the reference
    evaluator. A model trained without the reverse direction is refused.

    \b
    Examples:
      polyglot data lift src/ -o out/lifted.jsonl
      polyglot data backtranslate out/lifted.jsonl --model out/train-rev --langs en,ru -o out/bt.jsonl
    """
    from polyglot.data.backtranslate import Settings, backtranslate as run_backtranslate, load_model, read_lifted
    from polyglot.io import check_new_file, write_files

    with option("--langs"):
        codes = resolve_languages(",".join(split_list(langs, "--langs")))
    with option("-o"):
        check_new_file(out_file, force=force)  # now, not after decoding
    records = read_lifted(lifted)
    with option("--model"):
        model, tokenizer, folder = load_model(model_dir, device=device)
    if progress is None:
        progress = sys.stderr.isatty()
    started = time.perf_counter()
    with option("--model"):
        outcome = run_backtranslate(records, model, tokenizer, codes,
                                    Settings(k=k, k_forward=k, temperature=temperature, seed=seed),
                                    folder=folder, progress=progress)
    write_files({out_file: records_text(outcome.records)}, force=force)
    stats = outcome.stats
    if as_json:
        click.echo(json.dumps({"out": out_file, "stats": stats}, ensure_ascii=False, indent=2))
        return
    click.echo(f"kept {stats['kept']} of {stats['tried']} descriptions: {stats['records_out']} of "
               f"{stats['records_in']} records to {out_file} ({time.perf_counter() - started:.1f} s)")
    for lang, s in stats["per_language"].items():
        click.echo(f"  {lang}: kept {s['kept']}/{s['tried']} ({s['descriptions']} drawn, {s['unreadable']} unreadable)")
