"""`polyglot finetune`: teach a trained model something new with a small LoRA adapter."""
from __future__ import annotations

import json
from pathlib import Path

import click

from polyglot.commands._common import option
from polyglot.commands.train import config_errors, load_run_config
from polyglot.errors import SpecError
from polyglot.io import check_new_file, make_dirs

TABLES = ("data", "optim", "schedule", "train", "lora")  # the model is the base's


@click.command("finetune")
@click.option("--lora", "method", flag_value="lora", default=True,
              help="LoRA adapters over the frozen full-precision base (the default).")
@click.option("--qlora", "method", flag_value="qlora",
              help="QLoRA: the frozen base in 4-bit NF4 with double quantization.")
@click.option("--model", "base", required=True, metavar="BASE.safetensors",
              type=click.Path(exists=True, dir_okay=False),
              help="The trained model to adapt (a run's model.safetensors).")
@click.option("--config", "config_path", required=True, metavar="FILE.toml",
              type=click.Path(dir_okay=False),
              help="Tables [data], [optim], [schedule], [train] and [lora] (rank, alpha, "
                   "dropout, targets, NF4 block sizes).")
@click.option("--out", "adapter", default=None, metavar="ADAPTER.safetensors",
              help="The adapter file  [default: train.out_dir/adapter.safetensors].")
@click.option("--merged", default=None, metavar="MODEL.safetensors",
              help="Also write a plain model with the adapter folded in.")
@click.option("--set", "overrides", multiple=True, metavar="TABLE.KEY=VALUE",
              help="Override one config value (TOML syntax; repeatable).")
@click.option("--force", is_flag=True,
              help="Replace an existing --out or --merged file (the default adapter in "
                   "train.out_dir is the run's own, and is replaced without it).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(method: str, base: str, config_path: str, adapter: str | None, merged: str | None,
            overrides: tuple[str, ...], force: bool, as_json: bool) -> None:
    """Fine-tune a trained model with LoRA or QLoRA; write only the adapter.

    The base stays frozen: the adapter holds the low-rank updates (a few hundred
    kilobytes, its config in the file's metadata) -- the way to teach the model a new
    human language pack from that pack's parallel data. Stopped runs resume, as with
    `polyglot train`.

    \b
    Examples:
      polyglot finetune --lora --model out/train/model.safetensors --config configs/lora.toml
      polyglot finetune --qlora --model base.safetensors --config configs/lora.toml \\
          --out sw.adapter.safetensors --set lora.rank=16
    """
    from polyglot.nmt import train
    from polyglot.nmt.distributed import is_main_process

    with config_errors(config_path, overrides):
        config = load_run_config(config_path, overrides, tables=TABLES)
        outputs = {"--out": adapter, "--merged": merged}
        for flag, path in outputs.items():  # checked now, not after the training
            if path is None:
                continue
            if Path(path).resolve() == Path(base).resolve():
                raise SpecError("would replace the base model", file=flag, found=path)
            with option(flag):
                make_dirs(check_new_file(path, force=force).parent)  # NMT.save does not
        adapter = adapter or str(Path(config.train.out_dir) / "adapter.safetensors")
        result = train.finetune(config, base, adapter, quantize=method == "qlora", merged=merged,
                                handle_sigterm=True)
    if not is_main_process():
        return
    if as_json:
        click.echo(json.dumps(result | {"method": method}))
        return
    summary = (f"{method}: {result['status']} at step {result['step']}, "
               f"{result['trainable']} trainable parameters in {result['layers']} layers")
    if result["last"]:
        summary += f", loss {result['last']['loss']:.4f}"
    click.echo(summary)
    for key in ("adapter", "merged"):
        if key in result:
            click.echo(f"wrote {result[key]}")
