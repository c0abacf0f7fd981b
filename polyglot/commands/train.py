"""`polyglot train`: train the words -> body model from a TOML config, resuming if it can."""
from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click

from polyglot.commands._common import FiniteFloatRange
from polyglot.errors import SpecError


@click.command("train")
@click.option("--config", "config_path", required=True, metavar="FILE.toml",
              type=click.Path(dir_okay=False),
              help="The run: tables [model], [data], [optim], [schedule], [train].")
@click.option("--set", "overrides", multiple=True, metavar="TABLE.KEY=VALUE",
              help="Override one config value (TOML syntax; repeatable), e.g. train.max_steps=50.")
@click.option("--max-minutes", type=FiniteFloatRange(min=0), default=None,
              help="Checkpoint and stop this many minutes after starting; run again to resume.")
@click.option("--find-lr", is_flag=True,
              help="Run the LR range test instead of training: print loss vs LR, write "
                   "out_dir/lr_find.png (or .csv without matplotlib).")
@click.option("--lr-range", nargs=3, type=(float, float, int), default=(1e-7, 1.0, 100),
              show_default=True, metavar="START END STEPS",
              help="Learning rates and steps of --find-lr.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(config_path: str, overrides: tuple[str, ...], max_minutes: float | None,
            find_lr: bool, lr_range: tuple[float, float, int], as_json: bool) -> None:
    """Train (or resume) the model a config describes.

    Checkpoints go to train.out_dir; a run stopped for any reason -- --max-minutes,
    SIGTERM, even SIGKILL -- continues from its last checkpoint when started again,
    and ends with the same weights as if never stopped. Several GPUs: start it with
    torchrun and set train.strategy to fsdp, ddp or zero1.

    \b
    Examples:
      polyglot train --config configs/tiny.toml
      polyglot train --config configs/gpu.toml --max-minutes 8
      polyglot train --config configs/tiny.toml --find-lr --lr-range 1e-6 1 60
      polyglot train --config configs/tiny.toml --set train.max_steps=50 --json
      torchrun --nproc_per_node 2 -m polyglot train --config configs/gpu.toml \\
          --set train.strategy=fsdp
    """
    start, end, steps = lr_range
    if find_lr and not (0 < start < end and math.isfinite(end) and steps >= 2):
        raise SpecError("need 0 < START < END and STEPS >= 2", file="--lr-range",
                        found=f"{start:g} {end:g} {steps}")
    from polyglot.nmt import train
    from polyglot.nmt.distributed import is_main_process

    with config_errors(config_path, overrides):
        config = load_run_config(config_path, overrides)
        if max_minutes is not None:
            config.train.max_minutes = max_minutes
        if find_lr:
            result, path = train.find_lr(config, start, end, steps)
        else:
            result = train.run(config, handle_sigterm=True)
    if not is_main_process():
        return
    if find_lr:
        if as_json:
            click.echo(json.dumps({"rows": result.rows(), "suggestion": result.suggestion,
                                   "file": str(path) if path else None}))
        else:
            click.echo(result.format())
            if path is not None:
                click.echo(f"wrote {path}")
        return
    if as_json:
        click.echo(json.dumps(result))
        return
    last, evaluation = result["last"], result["eval"]
    summary = f"{result['status']} at step {result['step']}"
    if last:
        summary += f"  loss {last['loss']:.4f}  lr {last['lr']:.2e}"
    if evaluation:
        summary += f"  valid_ce {evaluation['valid_ce']:.4f}  retrieval {evaluation['valid_retrieval']:.3f}"
    click.echo(summary)
    if "model" in result:
        click.echo(f"wrote {result['model']}")
    else:
        click.echo(f"resume with: polyglot train --config {config_path}")


def load_run_config(config_path: str, overrides: Sequence[str], tables: Sequence[str] | None = None):
    """`polyglot.nmt.train.load_config`, then the checks a run would otherwise fail late on.

    Args:
        config_path: the TOML file.
        overrides: ``--set`` values.
        tables: the tables this command reads (default: all).

    Returns:
        The `TrainConfig`.

    Raises:
        SpecError: a bad config, or an out_dir that cannot be a folder.
    """
    from polyglot.io import check_out_dir
    from polyglot.nmt import train

    config = train.load_config(config_path, overrides, tables=tables)
    try:
        check_out_dir(config.train.out_dir, must_be_empty=False)  # resuming is the point
    except SpecError as err:
        err.path = "train.out_dir"
        raise
    return config


@contextmanager
def config_errors(config_path: str, overrides: Sequence[str]) -> Iterator[None]:
    """Locate config errors that name a key but no file: at ``--set`` when that key (or its
    table) was overridden and the file does not have it, else at the config file."""
    from dataclasses import fields

    from polyglot.nmt.train import TrainConfig

    tables = {f.name for f in fields(TrainConfig)}
    keys = {item.partition("=")[0].strip() for item in overrides}
    overridden_tables = {key.partition(".")[0] for key in keys}
    try:
        yield
    except SpecError as err:
        path = err.path or ""
        table = path.partition(".")[0]
        if err.file in (None, config_path) and err.line is None and path:
            if path in keys or (path == table and table in overridden_tables):
                err.file = "--set"
            elif err.file is None and table in tables:
                err.file = config_path
        raise
