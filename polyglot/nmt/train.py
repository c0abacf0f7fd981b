"""Training the NMT model: config, data order, one step, checkpoints that resume exactly.

One optimizer step reads ``batch_size x grad_accum x processes`` examples from a seeded
permutation of the training set, in which parallel sentences of one record (the same
meaning in different languages) sit next to each other. The loss is the target
cross-entropy summed over tokens and divided by the step's token count -- so 4 micro-batches
of 8 give exactly the gradient of one batch of 32, and N processes exactly that of one --
plus, with a weight, an InfoNCE term that pulls the pooled encoder outputs of parallel
sentences together (the cross-lingual embedding).

Everything a step depends on is in the checkpoint: weights, AdamW moments, GradScaler,
every RNG, the data position (epoch, index into that epoch's permutation) and the step;
the LR is a function of the step. A run killed at any point and resumed from its last
checkpoint ends with the same weights as one never interrupted (bit for bit on CPU).

Run it with ``polyglot train --config FILE.toml``; several GPUs with
``torchrun --nproc_per_node N -m polyglot train --config FILE.toml`` and train.strategy
"fsdp", "ddp" or "zero1".

References:
1) karpathy/nanoGPT train.py -- the loop's shape.
2) van den Oord et al. 2018, "Representation Learning with Contrastive Predictive Coding"
   (InfoNCE); Khosla et al. 2020 (SupCon) for several positives per anchor.
3) Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost" -- checkpointing.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import os
import random
import re
import signal
import time
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, fields, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Protocol

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint as activation_checkpoint

from polyglot.errors import SpecError, did_you_mean
from polyglot.io import write_atomic
from polyglot.nmt import checkpoint as ckpt
from polyglot.nmt import distributed as pdist
from polyglot.nmt.lora import LoRAConfig
from polyglot.nmt.model import NMT, NMTConfig
from polyglot.nmt.schedule import RangeTestResult, ScheduleConfig, exponential_lrs, lr_at, range_test
from polyglot.nmt.tokenizer import BODY, PAD_ID, Tokenizer, tag

PRECISIONS = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}
_RUNTIME_FIELDS = ("dropout", "attention_backend")  # model fields a resume may change
_TOKENIZER_LINES = 300_000  # most lines a tokenizer is trained on


# =======================================================================================
# Config
# =======================================================================================

@dataclass
class DataConfig:
    train: str = ""  # JSONL of parallel records (see read_records)
    valid: str = ""  # the same, for evaluation; optional
    tokenizer: str = ""  # SentencePiece model; trained on `train` and written here if missing
    vocab_size: int = 8000  # for a tokenizer trained here
    langs: list[str] = field(default_factory=list)  # source languages to use; [] = all
    reverse: bool = False  # also body -> words, the target opened by the language's tag
    max_src_len: int = 128  # longer sources are cut
    max_tgt_len: int = 128  # longer targets are dropped (a cut body does not parse)
    group_size: int = 2  # parallel examples kept adjacent in the order: contrastive positives


@dataclass
class OptimConfig:
    weight_decay: float = 0.1  # on matrices only; not on norms, biases
    beta1: float = 0.9
    beta2: float = 0.98
    eps: float = 1e-8
    grad_clip: float = 1.0  # max global gradient norm; 0 = no clipping


@dataclass
class RunConfig:
    out_dir: str = "out/train"  # checkpoints, metrics.jsonl, model.safetensors
    seed: int = 0  # model init, dropout, data order
    device: str = "auto"  # "auto" (GPU if any), "cpu", "cuda"
    max_steps: int = 1000  # optimizer steps
    batch_size: int = 32  # examples per micro-batch per process
    grad_accum: int = 1  # micro-batches per optimizer step
    precision: str = "fp32"  # "fp32", "bf16" (autocast), "fp16" (autocast + loss scaling)
    grad_checkpoint: list[str] = field(default_factory=list)  # blocks by pattern: "encoder.*"
    contrastive_weight: float = 0.0  # weight of the InfoNCE term
    contrastive_temperature: float = 0.05
    strategy: str = "none"  # several processes: "ddp", "fsdp" or "zero1"
    compile: bool = False  # torch.compile the model (CUDA)
    log_every: int = 10  # steps between metrics lines
    eval_every: int = 0  # steps between evaluations (0: at the end only)
    eval_batches: int = 50  # most batches an evaluation reads
    save_every: int = 100  # steps between checkpoints (0: at the end only)
    keep_checkpoints: int = 2  # newest checkpoints kept (0: all)
    max_minutes: float = 0.0  # checkpoint and stop this long after the start (0: no limit)
    progress: bool = True  # tqdm bar on the main process
    resume: bool = True  # continue from the newest checkpoint in out_dir


@dataclass
class TrainConfig:
    """Everything a run needs; read from TOML by `load_config`, one table per field."""

    model: NMTConfig = field(default_factory=NMTConfig)
    data: DataConfig = field(default_factory=DataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    train: RunConfig = field(default_factory=RunConfig)
    lora: LoRAConfig = field(default_factory=LoRAConfig)  # read by `polyglot finetune`


class _Mismatch(Exception):
    """A TOML value of the wrong type; carries what was expected."""


def _type_name(tp) -> str:
    if typing.get_origin(tp) is list:
        item = typing.get_args(tp)[0]
        return "a list of " + {str: "strings", int: "integers", float: "numbers"}.get(item, str(item))
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    return {int: "an integer", float: "a number", bool: "true or false", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp)))


def _coerce(value, tp):
    """`value` as type `tp` (int -> float allowed, bool never a number), else _Mismatch."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            try:
                return _coerce(value, arg)
            except _Mismatch:
                pass
    elif origin is list:
        try:
            if isinstance(value, list):
                return [_coerce(v, typing.get_args(tp)[0]) for v in value]
        except _Mismatch:
            pass
    elif tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    elif tp in (int, str, bool) and isinstance(value, tp) and (tp is bool or not isinstance(value, bool)):
        return value
    raise _Mismatch(_type_name(tp))


def _locate(text: str, table: str | None, key: str | None) -> tuple[int | None, int | None]:
    """1-based (line, column) of ``key =`` inside ``[table]`` (or of the header), if found."""
    current, found = None, (None, None)
    for i, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("[") and "]" in stripped:
            current = stripped[1:stripped.index("]")].strip()
            if current == table and key is None:
                return i, line.index("[") + 1
            continue
        if key is not None and current == table:
            name = stripped.split("=", 1)[0].strip().strip("\"'")
            if "=" in stripped and name == key:
                return i, line.index(stripped[0]) + 1
    return found


def parse_config(text: str, file: str | None = None, overrides: Sequence[str] = (),
                 tables: Sequence[str] | None = None) -> TrainConfig:
    """Read a `TrainConfig` from TOML text.

    Args:
        text: the TOML document: tables [model], [data], [optim], [schedule], [train], [lora].
        file: where it came from, for errors.
        overrides: ``"table.key=value"`` strings (value in TOML syntax; a bare word is a
            string), applied over the file.
        tables: the tables this use of the config reads (default: all).

    Returns:
        The config; every key absent from the file keeps its default.

    Raises:
        SpecError: on bad TOML, an unknown table or key, a value of the wrong type or out
            of range -- located at the file, line and key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(err))
        line, column = (int(at.group(1)), int(at.group(2))) if at else (None, None)
        message = str(err)[:at.start()] if at else str(err)
        raise SpecError(f"invalid TOML: {message}", file=file, line=line, column=column) from None
    for item in overrides:
        dotted, sep, raw = item.partition("=")
        table, _, key = dotted.strip().partition(".")
        if not sep or not key:
            raise SpecError("an override is table.key=value", file="--set", found=item)
        try:
            value = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()
        data.setdefault(table, {})[key] = value
    sections = [f.name for f in fields(TrainConfig) if tables is None or f.name in tables]
    hints = typing.get_type_hints(TrainConfig)
    built = {}
    for table, values in data.items():
        line, column = _locate(text, table, None)
        if table not in sections:
            known = table in hints  # a TrainConfig table this command does not read
            raise SpecError(f"table [{table}] is not read here" if known else
                            f"unknown table [{table}]", file=file, line=line, column=column,
                            path=table, expected=", ".join(f"[{s}]" for s in sections),
                            hint=None if known else did_you_mean(table, sections))
        if not isinstance(values, dict):
            raise SpecError(f"{table} must be a table", file=file, line=line, column=column,
                            path=table, found=repr(values))
        built[table] = _build_section(hints[table], values, table, text, file)
    return TrainConfig(**built)


def _build_section(cls, values: dict, table: str, text: str, file: str | None):
    hints = typing.get_type_hints(cls)
    args = {}
    for key, value in values.items():
        line, column = _locate(text, table, key)
        where = dict(file=file, line=line, column=column, path=f"{table}.{key}")
        if key not in hints:
            raise SpecError(f"unknown key {key!r} in [{table}]", **where,
                            hint=did_you_mean(key, hints))
        try:
            args[key] = _coerce(value, hints[key])
        except _Mismatch as err:
            raise SpecError("wrong type", **where, expected=str(err), found=repr(value)) from None
    try:
        return cls(**args)
    except ValueError as err:
        line, column = _locate(text, table, None)
        raise SpecError(str(err), file=file, line=line, column=column, path=table) from None


def load_config(path: str | os.PathLike, overrides: Sequence[str] = (),
                tables: Sequence[str] | None = None) -> TrainConfig:
    """`parse_config` of a file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError("cannot read config", file=str(path), found=str(err)) from None
    return parse_config(text, str(path), overrides, tables)


def check_config(config: TrainConfig, with_model: bool = True) -> None:
    """Value and cross-field checks `parse_config` cannot make table by table; without
    `with_model`, those that involve [model] are left for later (fine-tuning takes the
    model's config from the base)."""
    run, data = config.train, config.data
    problems = {
        "train.precision": (run.precision not in PRECISIONS, ", ".join(PRECISIONS), run.precision),
        "train.strategy": (run.strategy not in pdist.STRATEGIES, ", ".join(pdist.STRATEGIES),
                           run.strategy),
        "train.batch_size": (run.batch_size < 1 or run.grad_accum < 1, ">= 1",
                             f"{run.batch_size} x {run.grad_accum}"),
        "data.group_size": (data.group_size < 1, ">= 1", data.group_size),
        "train.device": (run.device not in ("auto", "cpu", "cuda") and not run.device.startswith("cuda:"),
                         "auto, cpu, cuda or cuda:N", run.device),
        "train.seed": (not 0 <= run.seed < 2**63, "0 to 2**63 - 1", run.seed),
        "train.max_steps": (run.max_steps < 0, ">= 0", run.max_steps),
        "train.log_every": (run.log_every < 1, ">= 1", run.log_every),
        "train.eval_every": (run.eval_every < 0, ">= 0 (0: at the end only)", run.eval_every),
        "train.save_every": (run.save_every < 0, ">= 0 (0: at the end only)", run.save_every),
        "train.keep_checkpoints": (run.keep_checkpoints < 0, ">= 0 (0: all)", run.keep_checkpoints),
        "train.max_minutes": (not run.max_minutes >= 0, ">= 0 (0: no limit)", run.max_minutes),
        "schedule.max_lr": (not config.schedule.max_lr > 0, "> 0", config.schedule.max_lr),
        "schedule.min_lr": (not 0 <= config.schedule.min_lr <= config.schedule.max_lr,
                            "0 <= min_lr <= max_lr", config.schedule.min_lr),
        "optim.weight_decay": (not config.optim.weight_decay >= 0, ">= 0", config.optim.weight_decay),
        "optim.beta1": (not 0 <= config.optim.beta1 < 1, "in [0, 1)", config.optim.beta1),
        "optim.beta2": (not 0 <= config.optim.beta2 < 1, "in [0, 1)", config.optim.beta2),
        "model.max_len": (with_model and config.model.max_len < max(data.max_src_len, data.max_tgt_len),
                          ">= data.max_src_len and max_tgt_len", config.model.max_len),
    }
    for path, (bad, expected, found) in problems.items():
        if bad:
            raise SpecError("bad value", path=path, expected=expected, found=str(found))


# =======================================================================================
# Data
# =======================================================================================

Example = tuple[Sequence[int], Sequence[int], int]  # source ids, target ids, parallel group


class Dataset(Protocol):
    """What the trainer reads: examples and the parallel group of each.

    Examples of one group mean the same (one record in several languages); the order puts
    them side by side so the contrastive term finds positives in every batch. A dataset
    may also offer ``collate(indices, pad_id) -> Batch``, used instead of `collate`.
    """

    groups: torch.Tensor  # (N,) int64

    def __len__(self) -> int: ...

    def __getitem__(self, i: int) -> Example: ...


@dataclass
class TokenizedDataset:
    """Examples stored end to end in flat tensors: small in memory, cached as safetensors."""

    src: torch.Tensor  # int32, every source's ids, concatenated
    src_offsets: torch.Tensor  # int64 (N + 1,)
    tgt: torch.Tensor  # int32
    tgt_offsets: torch.Tensor  # int64 (N + 1,)
    groups: torch.Tensor  # int64 (N,)

    @classmethod
    def from_examples(cls, examples: Iterable[Example]) -> "TokenizedDataset":
        src, tgt, groups = [], [], []
        for s, t, g in examples:
            src.append(torch.as_tensor(s, dtype=torch.int32))
            tgt.append(torch.as_tensor(t, dtype=torch.int32))
            groups.append(g)

        def flat(parts):
            offsets = torch.zeros(len(parts) + 1, dtype=torch.int64)
            offsets[1:] = torch.tensor([len(p) for p in parts], dtype=torch.int64).cumsum(0)
            return (torch.cat(parts) if parts else torch.zeros(0, dtype=torch.int32)), offsets

        return cls(*flat(src), *flat(tgt), torch.tensor(groups, dtype=torch.int64))

    def __len__(self) -> int:
        return self.groups.numel()

    def __getitem__(self, i: int) -> Example:
        s0, s1 = self.src_offsets[i:i + 2].tolist()
        t0, t1 = self.tgt_offsets[i:i + 2].tolist()
        return self.src[s0:s1].tolist(), self.tgt[t0:t1].tolist(), int(self.groups[i])

    def tensors(self) -> dict[str, torch.Tensor]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def collate(self, indices: Sequence[int], pad_id: int = PAD_ID) -> "Batch":
        """`collate` of these examples, by tensor indexing instead of Python loops."""
        idx = torch.as_tensor(indices, dtype=torch.long)

        def pad(flat, offsets):
            starts, lengths = offsets[idx], offsets[idx + 1] - offsets[idx]
            pos = torch.arange(int(lengths.max()))
            where = (starts[:, None] + pos[None, :]).clamp(max=max(flat.numel() - 1, 0))
            return flat[where].long().masked_fill(pos[None, :] >= lengths[:, None], pad_id)

        tgt = pad(self.tgt, self.tgt_offsets)
        return Batch(pad(self.src, self.src_offsets), tgt[:, :-1], tgt[:, 1:], self.groups[idx])


def read_records(path: str | os.PathLike) -> Iterator[dict]:
    """Records of a parallel JSONL file (``.jsonl`` or ``.jsonl.gz``), one JSON object a
    line, each one meaning with its body expression and its words in several languages:

    - the synthetic data's records (``polyglot data synth``), with ``"words"``; the source
      line of each language is `polyglot.data.dataset.source_text`;
    - or ``{"id": ..., "src": {"en": "<en> ...", "ru": "<ru> ...", ...}, "body": "..."}``,
      source lines already written (each opening with its language's tag).

    Raises:
        SpecError: at the line of a record that is neither.
    """
    try:
        raw = Path(path).read_bytes()
        text = (gzip.decompress(raw) if str(path).endswith(".gz") else raw).decode("utf-8")
    except (OSError, UnicodeDecodeError, gzip.BadGzipFile) as err:
        raise SpecError("cannot read data", file=str(path), found=str(err)) from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise SpecError(f"invalid JSON: {err.msg}", file=str(path), line=n,
                            column=err.colno) from None
        if not (isinstance(record, dict) and isinstance(record.get("body"), str)
                and (isinstance(record.get("words"), dict) or isinstance(record.get("src"), dict))):
            raise SpecError("not a parallel record", file=str(path), line=n,
                            expected='"body" and "words" (polyglot data synth) or "src" '
                                     '({lang: source line})', found=line[:60])
        yield record


def source_lines(record: dict) -> dict[str, str]:
    """Language -> the model's source line of one record, without its leading tag
    (`Tokenizer.encode` puts the tag's id first; as text it would follow a "▁" piece)."""
    if "src" in record:
        lines = record["src"]
    else:
        from polyglot.data.dataset import source_text

        lines = {lang: source_text(record, lang) for lang in record["words"]}
    return {lang: line.removeprefix(tag(lang)).removeprefix(" ") for lang, line in lines.items()}


def tokenize_records(records: Iterable[dict], tokenizer: Tokenizer, data: DataConfig
                     ) -> TokenizedDataset:
    """Examples from records: ``<lang> words -> <body> body </s>`` for each language (and
    ``<body> body -> <lang> words </s>`` with `data.reverse`); the group is the record's
    index in the file.

    Args:
        records: from `read_records`.
        tokenizer: the shared tokenizer.
        data: languages, direction and length limits.

    Returns:
        The `TokenizedDataset`; over-long targets are left out (a cut body does not parse).
    """
    langs = set(data.langs)
    examples = []
    for group, record in enumerate(records):
        body = tokenizer.encode(record["body"], lang=BODY, add_eos=True)
        for lang, line in source_lines(record).items():
            if langs and lang not in langs:
                continue
            words = tokenizer.encode(line, lang=lang)
            pairs = [(words, body)]
            if data.reverse:
                pairs.append((body[:-1], words + [tokenizer.eos_id]))
            for src, tgt in pairs:
                if len(tgt) - 1 <= data.max_tgt_len:  # tgt_in and tgt_out are one shorter
                    examples.append((src[:data.max_src_len], tgt, group))
    return TokenizedDataset.from_examples(examples)


def load_tokenizer(data: DataConfig, env: pdist.DistEnv, train_missing: bool = True) -> Tokenizer:
    """The tokenizer at `data.tokenizer`; with `train_missing`, trained on the training
    records (every language and the bodies) and written there first if the file is absent."""
    if not data.tokenizer:
        raise SpecError("no tokenizer path", path="data.tokenizer",
                        hint="name a file; it is trained and written there if missing")
    path = Path(data.tokenizer)
    if not path.exists() and env.is_main and train_missing:
        texts = []
        for record in read_records(data.train):
            texts.extend(source_lines(record).values())
            texts.append(record["body"])
        if len(texts) > _TOKENIZER_LINES:  # plenty; sampled here, seeded, so runs agree
            texts = random.Random(0).sample(texts, _TOKENIZER_LINES)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            tokenizer = Tokenizer.train(texts, vocab_size=data.vocab_size)
        except RuntimeError as err:  # SentencePiece's own complaint, e.g. too small a vocabulary
            raise SpecError("cannot train the tokenizer", path="data.vocab_size",
                            found=str(err).rpartition("] ")[2]) from None
        tokenizer.save(path)
    pdist.barrier(env)
    return Tokenizer.load(path)


def load_dataset(path: str, tokenizer: Tokenizer, data: DataConfig, cache_dir: Path | None
                 ) -> TokenizedDataset:
    """`tokenize_records` of a JSONL file, cached in `cache_dir` under a hash of the file,
    the tokenizer and the data settings (tokenizing a big file again each chunk is slow)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise SpecError("cannot read data", file=path, found=err.strerror) from None
    key = hashlib.sha256(raw + tokenizer.model_proto + json.dumps(asdict(data)).encode()).hexdigest()
    cache = cache_dir / f"data-{key[:16]}.safetensors" if cache_dir else None
    if cache is not None and cache.exists():
        from safetensors.torch import load_file

        return TokenizedDataset(**load_file(str(cache)))
    dataset = tokenize_records(read_records(path), tokenizer, data)
    if cache is not None:
        from safetensors.torch import save

        write_atomic(cache, save(dataset.tensors()))
    return dataset


def epoch_order(groups: torch.Tensor, seed: int, epoch: int, group_size: int) -> torch.Tensor:
    """A seeded permutation of example indices in which the examples of one group come in
    runs of up to `group_size` (a record's languages split into random runs, runs shuffled).

    Args:
        groups: (N,) group id of each example.
        seed: the run's seed.
        epoch: the epoch; each gets its own order.
        group_size: examples per run (1: a plain shuffle).

    Returns:
        (N,) int64, each index once.
    """
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    n = groups.numel()
    shuffled = torch.randperm(n, generator=g)
    by_group = shuffled[torch.sort(groups[shuffled], stable=True).indices]  # groups contiguous
    sorted_groups = groups[by_group]
    starts = torch.ones(n, dtype=torch.bool)
    starts[1:] = sorted_groups[1:] != sorted_groups[:-1]
    first = torch.cummax(torch.where(starts, torch.arange(n), 0), 0).values
    rank_in_group = torch.arange(n) - first
    new_run = starts | (rank_in_group % group_size == 0)
    run_id = torch.cumsum(new_run.long(), 0) - 1
    run_rank = torch.randperm(int(run_id[-1]) + 1 if n else 0, generator=g)[run_id]
    return by_group[torch.sort(run_rank, stable=True).indices]


@dataclass
class Batch:
    src: torch.Tensor  # (B, S) source ids, right-padded
    tgt_in: torch.Tensor  # (B, T) what the decoder reads: target without its last token
    tgt_out: torch.Tensor  # (B, T) what it predicts: target without its first token
    groups: torch.Tensor  # (B,) parallel group of each row

    def to(self, device: torch.device) -> "Batch":
        return Batch(*(t.to(device, non_blocking=True) for t in (self.src, self.tgt_in,
                                                                  self.tgt_out, self.groups)))


def collate(examples: Sequence[Example], pad_id: int = PAD_ID) -> Batch:
    """Pad examples into a `Batch`; the target's first token (a language tag) starts decoding."""
    def pad(seqs):
        out = torch.full((len(seqs), max(len(s) for s in seqs)), pad_id, dtype=torch.long)
        for i, s in enumerate(seqs):
            out[i, :len(s)] = torch.as_tensor(s, dtype=torch.long)
        return out

    tgt = pad([t for _, t, _ in examples])
    return Batch(pad([s for s, _, _ in examples]), tgt[:, :-1], tgt[:, 1:],
                 torch.tensor([g for _, _, g in examples], dtype=torch.long))


# =======================================================================================
# Model pieces the trainer adds from outside
# =======================================================================================

class TrainingModel(nn.Module):
    """One forward for a training step: the NMT's logits and the pooled source embedding.

    Wrapping gives FSDP one root module whose forward covers encoder, decoder and pooling.
    """

    def __init__(self, nmt: NMT):
        super().__init__()
        self.nmt = nmt

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor):
        """Logits (B, T, V) and the L2-normalised mean of the encoder output (B, C), float32."""
        memory, src_mask = self.nmt.encode(src)
        logits, _ = self.nmt.decode_step(tgt_in, self.nmt.start(memory, src_mask))
        mask = src_mask.unsqueeze(-1).float()  # (B, S, 1)
        pooled = (memory.float() * mask).sum(1) / mask.sum(1).clamp(min=1)  # (B, C)
        return logits, F.normalize(pooled, dim=-1)


def _checkpointed(forward: Callable, *args):
    return activation_checkpoint(forward, *args, use_reentrant=False)


def checkpoint_layers(model: NMT, patterns: Sequence[str]) -> list[str]:
    """Recompute the chosen blocks' activations in backward instead of storing them.

    Args:
        model: the NMT; its blocks are named ``encoder.<i>`` and ``decoder.<i>``.
        patterns: fnmatch patterns over those names ("*" = every block).

    Returns:
        The names of the blocks now checkpointed. Parameter names do not change.
    """
    chosen = []
    for stack in ("encoder", "decoder"):
        for i, block in enumerate(getattr(model, stack)):
            name = f"{stack}.{i}"
            if any(fnmatchcase(name, p) for p in patterns):
                block.forward = functools.partial(_checkpointed, type(block).forward.__get__(block))
                chosen.append(name)
    return chosen


def info_nce(z: torch.Tensor, groups: torch.Tensor, temperature: float,
             rows: slice = slice(None)) -> torch.Tensor:
    """InfoNCE with every other example of the same group as a positive and the rest of
    the batch as negatives, averaged over rows that have a positive.

    Args:
        z: (B, C) L2-normalised embeddings.
        groups: (B,) group ids.
        temperature: the softmax temperature.
        rows: the anchors this process owns when `z` is gathered from several: their
            share of the mean (the shares of all processes sum to the one-process value).

    Returns:
        A scalar; 0 (still in the graph) when no row has a positive.
    """
    B = z.size(0)
    eye = torch.eye(B, dtype=torch.bool, device=z.device)
    positive = (groups[:, None] == groups[None, :]) & ~eye  # (B, B)
    anchors = positive.any(1)
    count = int(anchors.sum())
    if not count:
        return z.sum() * 0.0
    mine = torch.zeros_like(anchors)
    mine[rows] = True
    anchors_here = anchors & mine
    logits = (z[anchors_here] @ z.t() / temperature).masked_fill(eye[anchors_here], float("-inf"))
    log_prob = logits.log_softmax(dim=1)
    pos_log_prob = log_prob.masked_fill(~positive[anchors_here], float("-inf")).logsumexp(dim=1)
    return -pos_log_prob.sum() / count


def fsdp_units(model: NMT) -> list[nn.Module]:
    """FSDP's sharding units, innermost first: every block, and apart from its decoder
    block each cross-attention's K/V projection -- `NMT.start` applies it to the memory
    once, outside the block's forward, so it must gather its weight by itself."""
    units: list[nn.Module] = list(model.encoder)
    for block in model.decoder:
        units += [block.cross.kv, block]
    return units


def build_model(config: TrainConfig) -> NMT:
    """The model of a fresh run, initialised from the run's seed."""
    torch.manual_seed(config.train.seed)
    return NMT(config.model)


# =======================================================================================
# The trainer
# =======================================================================================

class Trainer:
    """Trains a model on a dataset; resumes from `out_dir`'s newest checkpoint.

    Args:
        config: the run's config (checked with `check_config`).
        model: the NMT to train (its trainable parameters are those with requires_grad).
        train_set: the training `Dataset`.
        valid_set: an optional evaluation `Dataset`.
        env: the process's `DistEnv`; default: `distributed.setup` from the config.
        on_step: called with the trainer after every step (and its checkpoint, if any).
        resume: load the newest checkpoint in out_dir if there is one.
        save: write checkpoints and files (False for the LR range test).
        started: `time.monotonic()` when the command began; `max_minutes` counts from it.
    """

    def __init__(self, config: TrainConfig, model: NMT, train_set: Dataset,
                 valid_set: Dataset | None = None, *, env: pdist.DistEnv | None = None,
                 on_step: Callable[["Trainer"], None] | None = None, resume: bool | None = None,
                 save: bool = True, started: float | None = None):
        check_config(config)
        run = config.train
        self.config, self.train_set, self.valid_set, self.on_step = config, train_set, valid_set, on_step
        self.env = env or pdist.setup(run.strategy, run.device)
        self.device, self.saving = self.env.device, save
        self.out_dir = Path(run.out_dir)
        self.global_batch = run.batch_size * run.grad_accum * self.env.world_size
        if len(train_set) < self.global_batch:
            raise SpecError("fewer training examples than one step reads", path="data.train",
                            expected=f">= {self.global_batch}", found=str(len(train_set)))
        self.nmt = model
        self.checkpointed = checkpoint_layers(model, run.grad_checkpoint)
        self.module = pdist.wrap(TrainingModel(model.to(self.device)), run.strategy, self.env,
                                 units=fsdp_units(model))
        self.forward = torch.compile(self.module) if run.compile else self.module
        decay = [p for p in self.module.parameters() if p.requires_grad and p.dim() >= 2]
        no_decay = [p for p in self.module.parameters() if p.requires_grad and p.dim() < 2]
        o = config.optim
        self.optimizer = pdist.make_optimizer(
            [{"params": decay, "weight_decay": o.weight_decay},
             {"params": no_decay, "weight_decay": 0.0}],
            run.strategy, self.env, lr=config.schedule.max_lr, betas=(o.beta1, o.beta2),
            eps=o.eps, **({"fused": True} if self.device.type == "cuda" else {}))
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=run.precision == "fp16")
        self.step, self.epoch, self.position = 0, 0, 0
        self._order: tuple[int, torch.Tensor] | None = None
        self._stop_requested = False
        self._started = time.monotonic() if started is None else started
        random.seed(run.seed + self.env.rank)
        torch.manual_seed(run.seed + 1 + self.env.rank)  # dropout differs between processes
        if (run.resume if resume is None else resume) and ckpt.list_checkpoints(self.out_dir):
            self.load(ckpt.list_checkpoints(self.out_dir)[-1][1])
        elif save and ckpt.list_checkpoints(self.out_dir):
            raise SpecError("out_dir already holds checkpoints", file=str(self.out_dir),
                            hint="resume them (train.resume = true) or choose another out_dir")

    # ---- data -------------------------------------------------------------------------

    def _order_of(self, epoch: int) -> torch.Tensor:
        if self._order is None or self._order[0] != epoch:
            d = self.config.data
            self._order = (epoch, epoch_order(self.train_set.groups, self.config.train.seed,
                                              epoch, d.group_size))
        return self._order[1]

    def _next_batches(self) -> list[Batch]:
        """This process's micro-batches of the next step; advances the data position."""
        if self.position + self.global_batch > len(self.train_set):
            self.epoch, self.position = self.epoch + 1, 0
        order = self._order_of(self.epoch)
        run, world, rank = self.config.train, self.env.world_size, self.env.rank
        batches = []
        for m in range(run.grad_accum):
            start = self.position + (m * world + rank) * run.batch_size
            batches.append(self._collate(self.train_set, order[start:start + run.batch_size].tolist()))
        self.position += self.global_batch
        return batches

    def _collate(self, data: Dataset, idx: list[int]) -> Batch:
        pad = self.config.model.pad_id
        if hasattr(data, "collate"):
            return data.collate(idx, pad)
        return collate([data[i] for i in idx], pad)

    # ---- one step ---------------------------------------------------------------------

    def _autocast(self):
        dtype = PRECISIONS[self.config.train.precision]
        if dtype is None:
            return nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=dtype)

    def _losses(self, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed target cross-entropy and the InfoNCE term of one micro-batch."""
        run = self.config.train
        with self._autocast():
            logits, pooled = self.forward(batch.src, batch.tgt_in)
        ce = F.cross_entropy(logits.float().flatten(0, 1), batch.tgt_out.flatten(),
                             ignore_index=self.config.model.pad_id, reduction="sum")
        if run.contrastive_weight:
            # Negatives come from every process's rows, so N processes optimise what one does.
            everyone, start = pdist.gather_rows(pooled, self.env)
            groups, _ = pdist.gather_rows(batch.groups, self.env)
            rows = slice(start, start + pooled.size(0))
            nce = info_nce(everyone, groups, run.contrastive_temperature, rows)
        else:
            nce = torch.zeros((), device=self.device)
        return ce, nce

    def backward(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Forward and backward over this process's micro-batches of the next step, leaving
        the step's gradient in ``.grad`` (scaled, under fp16); advances the data position.

        Returns:
            The step's target-token count and [summed CE, summed InfoNCE means], each
            summed over processes.
        """
        run, env = self.config.train, self.env
        self.module.train()
        batches = [b.to(self.device) for b in self._next_batches()]
        pad = self.config.model.pad_id
        tokens = pdist.all_reduce(
            sum((b.tgt_out != pad).sum() for b in batches).float().to(self.device), env)
        sums = torch.zeros(2, device=self.device)
        for i, batch in enumerate(batches):
            with pdist.grad_sync(self.module, run.strategy, env, sync=i == len(batches) - 1):
                ce, nce = self._losses(batch)
                # Each process holds its share of both sums, and gradients are averaged
                # over processes: scale up by their number.
                loss = (ce / tokens.clamp(min=1) + run.contrastive_weight * nce / run.grad_accum
                        ) * env.world_size
                self.scaler.scale(loss).backward()
            sums += torch.stack([ce.detach(), nce.detach()])
        return tokens, pdist.all_reduce(sums, env)

    def train_step(self, lr: float | None = None) -> dict[str, float]:
        """One optimizer step over ``grad_accum`` micro-batches in each process.

        Args:
            lr: use this learning rate instead of the schedule's (the LR range test).

        Returns:
            The step's metrics, the same in every process.
        """
        run = self.config.train
        lr = lr_at(self.config.schedule, self.step) if lr is None else lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        tokens, sums = self.backward()
        self.scaler.unscale_(self.optimizer)
        params = [p for p in self.module.parameters() if p.requires_grad]
        clip = self.config.optim.grad_clip
        norm = torch.nn.utils.clip_grad_norm_(params, clip if clip > 0 else math.inf)
        if hasattr(norm, "full_tensor"):  # a DTensor under FSDP
            norm = norm.full_tensor()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        ce = (sums[0] / tokens.clamp(min=1)).item()
        nce = (sums[1] / run.grad_accum).item()
        metrics = {"step": self.step, "epoch": self.epoch, "loss": ce + run.contrastive_weight * nce,
                   "ce": ce, "contrastive": nce, "lr": lr, "grad_norm": float(norm),
                   "tokens": int(tokens.item())}
        if self.scaler.is_enabled():
            metrics["loss_scale"] = float(self.scaler.get_scale())
        return metrics

    # ---- evaluation -------------------------------------------------------------------

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Token-level cross-entropy on the validation set, and how often a sentence's
        nearest neighbour in its batch (by embedding) is one of its translations.
        Draws on no RNG, so evaluating does not change the run."""
        run, env = self.config.train, self.env
        data = self.valid_set
        order = epoch_order(data.groups, 0, 0, self.config.data.group_size)
        per_step = run.batch_size * env.world_size
        sums = torch.zeros(4, device=self.device)  # CE, tokens, retrieval hits, anchors
        self.module.eval()
        for b in range(min(run.eval_batches, max(1, math.ceil(len(data) / per_step)))):
            start = b * per_step + env.rank * run.batch_size
            idx = order[start:start + run.batch_size].tolist()
            weight = 1.0 if idx else 0.0  # every process runs as many forwards (FSDP gathers)
            idx = idx or order[:1].tolist()
            batch = self._collate(data, idx).to(self.device)
            with self._autocast():
                logits, pooled = self.forward(batch.src, batch.tgt_in)
            ce = F.cross_entropy(logits.float().flatten(0, 1), batch.tgt_out.flatten(),
                                 ignore_index=self.config.model.pad_id, reduction="sum")
            same = batch.groups[:, None] == batch.groups[None, :]
            same.fill_diagonal_(False)
            anchors = same.any(1)
            sim = (pooled @ pooled.t()).fill_diagonal_(-2.0)
            hits = same[torch.arange(len(idx), device=self.device), sim.argmax(1)] & anchors
            sums += weight * torch.stack([ce, (batch.tgt_out != self.config.model.pad_id).sum().float(),
                                          hits.sum().float(), anchors.sum().float()])
        self.module.train()
        pdist.all_reduce(sums, env)
        return {"step": self.step, "valid_ce": (sums[0] / sums[1].clamp(min=1)).item(),
                "valid_retrieval": (sums[2] / sums[3].clamp(min=1)).item()}

    # ---- checkpoints ------------------------------------------------------------------

    def state(self) -> dict[str, Any] | None:
        """The whole training state (gathered from every process; None except on the main)."""
        model_state, optim_state = pdist.full_state(self.module, self.optimizer,
                                                    self.config.train.strategy, self.env)
        rngs = pdist.gather_objects(ckpt.rng_state(), self.env)
        if not self.env.is_main:
            return None
        return {"model": model_state, "optimizer": optim_state, "scaler": self.scaler.state_dict(),
                "rng": rngs, "step": self.step,
                "data": {"epoch": self.epoch, "position": self.position,
                         "seed": self.config.train.seed, "group_size": self.config.data.group_size},
                "schedule": {"step": self.step, **asdict(self.config.schedule)},
                "world_size": self.env.world_size, "config": asdict(self.config)}

    def save(self) -> Path:
        """Write the checkpoint of the current step; keep the newest `keep_checkpoints`."""
        state = self.state()
        path = ckpt.checkpoint_path(self.out_dir, self.step)
        if self.env.is_main:
            ckpt.save_state(path, state)
            ckpt.prune_checkpoints(self.out_dir, self.config.train.keep_checkpoints)
        pdist.barrier(self.env)
        return path

    def load(self, path: Path) -> None:
        """Continue from a checkpoint: weights, moments, scaler, RNGs, data position, step."""
        state = ckpt.load_state(path)
        saved = state["config"]["model"]
        ours = asdict(self.config.model)
        differ = sorted(k for k in ours if saved.get(k) != ours[k] and k not in _RUNTIME_FIELDS)
        if differ:
            raise SpecError("the checkpoint's model differs from the config's", file=str(path),
                            path="model", found=f"differs in {', '.join(differ)}",
                            hint="use another train.out_dir for another model")
        pdist.load_full_state(self.module, self.optimizer, state["model"], state["optimizer"],
                              self.config.train.strategy, self.env)
        for group in self.optimizer.param_groups:  # the state-dict loader makes it a list
            group["betas"] = tuple(group["betas"])
        self.scaler.load_state_dict(state["scaler"])
        self.step, self.epoch, self.position = state["step"], state["data"]["epoch"], state["data"]["position"]
        if state["world_size"] == self.env.world_size:
            ckpt.set_rng_state(state["rng"][self.env.rank])
        else:  # another process count: the run goes on, no longer bit for bit
            torch.manual_seed(self.config.train.seed + 1 + self.env.rank + self.step)
        if self.env.is_main and self.saving:
            _truncate_metrics(self.out_dir / "metrics.jsonl", self.step)

    def export_model(self, path: Path) -> None:
        """Write the trained NMT as a model file `NMT.load` reads (main process only)."""
        state = self.state()
        if self.env.is_main:
            model = NMT(self.config.model)
            model.load_state_dict({k.removeprefix("nmt."): v for k, v in state["model"].items()})
            model.save(path)
        pdist.barrier(self.env)

    # ---- the loop ---------------------------------------------------------------------

    def request_stop(self) -> None:
        """Checkpoint and return from `fit` after the current step (e.g. on SIGTERM)."""
        self._stop_requested = True

    def _should_stop(self) -> bool:
        limit = self.config.train.max_minutes
        late = limit > 0 and time.monotonic() - self._started > limit * 60
        flag = torch.tensor(float(late or self._stop_requested), device=self.device)
        return bool(pdist.all_reduce(flag, self.env, op="max").item())

    def fit(self) -> dict[str, Any]:
        """Train until `max_steps`, or until stopped (time limit, `request_stop`).

        Returns:
            ``{"status": "done" | "stopped", "step": ..., "last": metrics, "eval": metrics}``.
        """
        from tqdm import tqdm

        run = self.config.train
        log = _MetricsLog(self.out_dir / "metrics.jsonl" if self.env.is_main and self.saving else None)
        bar = tqdm(total=run.max_steps, initial=self.step, disable=not (run.progress and self.env.is_main),
                   dynamic_ncols=True, desc="train")
        metrics, evaluation, status, saved_at = {}, {}, "done", self.step
        t0, tokens = time.monotonic(), 0
        while self.step < run.max_steps:
            metrics = self.train_step()
            tokens += metrics["tokens"]
            bar.update(1)
            if self.step % run.log_every == 0 or self.step == run.max_steps:
                elapsed = time.monotonic() - t0
                log.write(metrics | {"tokens_per_s": round(tokens / max(elapsed, 1e-9), 1)})
                bar.set_postfix(loss=f"{metrics['loss']:.4f}", lr=f"{metrics['lr']:.2e}")
                t0, tokens = time.monotonic(), 0
            if self.valid_set is not None and run.eval_every and self.step % run.eval_every == 0:
                evaluation = self.evaluate()
                log.write(evaluation)
            if self.saving and run.save_every and self.step % run.save_every == 0:
                self.save()
                saved_at = self.step
            if self.on_step is not None:
                self.on_step(self)
            if self.step < run.max_steps and self._should_stop():
                status = "stopped"
                break
        bar.close()
        if status == "done" and self.valid_set is not None and evaluation.get("step") != self.step:
            evaluation = self.evaluate()
            log.write(evaluation)
        if self.saving and saved_at != self.step:
            self.save()
        return {"status": status, "step": self.step, "last": metrics, "eval": evaluation}

    def find_lr(self, start: float = 1e-7, end: float = 1.0, steps: int = 100) -> RangeTestResult:
        """The LR range test on this trainer's model (use a throwaway trainer: it trains).

        Args:
            start: the first learning rate.
            end: the last.
            steps: optimizer steps, the LR growing exponentially between them.

        Returns:
            The `RangeTestResult`.
        """
        return range_test(lambda lr: self.train_step(lr)["loss"], exponential_lrs(start, end, steps))


class _MetricsLog:
    """Appends one JSON object a line; a no-op without a path (other processes)."""

    def __init__(self, path: Path | None):
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, row: dict) -> None:
        if self.path is not None:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")


def _truncate_metrics(path: Path, step: int) -> None:
    """Drop metric lines a killed run wrote after its last checkpoint: they are redone."""
    if path.exists():
        rows = [line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and json.loads(line).get("step", 0) <= step]
        write_atomic(path, "".join(r + "\n" for r in rows))


# =======================================================================================
# Entry point used by `polyglot train`
# =======================================================================================

def prepare(config: TrainConfig, env: pdist.DistEnv, train_tokenizer: bool = True
            ) -> tuple[TrainConfig, TokenizedDataset, TokenizedDataset | None]:
    """Tokenizer, datasets and the model's vocabulary size for a config.

    ``model.vocab_size = 0`` takes the tokenizer's size, rounded up to a multiple of 64.

    Returns:
        (config with the vocabulary size filled in, training set, validation set or None).
    """
    data = config.data
    if not data.train:
        raise SpecError("no training data", path="data.train", expected="a JSONL file")
    tokenizer = load_tokenizer(data, env, train_tokenizer)
    vocab = config.model.vocab_size or -(-tokenizer.vocab_size // 64) * 64
    if vocab < tokenizer.vocab_size:
        raise SpecError("model vocabulary smaller than the tokenizer's", path="model.vocab_size",
                        expected=f">= {tokenizer.vocab_size} (or 0: from the tokenizer)",
                        found=str(vocab))
    config = replace(config, model=replace(config.model, vocab_size=vocab))
    cache = Path(config.train.out_dir)
    if not env.is_main:  # the main process tokenizes and caches; the others read the cache
        pdist.barrier(env)
    train_set = load_dataset(data.train, tokenizer, data, cache)
    valid_set = load_dataset(data.valid, tokenizer, data, cache) if data.valid else None
    if env.is_main:
        pdist.barrier(env)
    return config, train_set, valid_set


class _StopOnSignal:
    """Turn SIGTERM (what `timeout` and schedulers send) into a checkpoint and a clean stop."""

    def __init__(self, trainer: Trainer, enabled: bool):
        self.trainer, self.enabled, self.previous = trainer, enabled, None

    def __enter__(self):
        if self.enabled:
            self.previous = signal.signal(signal.SIGTERM, lambda *_: self.trainer.request_stop())
        return self

    def __exit__(self, *exc):
        if self.enabled:
            signal.signal(signal.SIGTERM, self.previous)


def run(config: TrainConfig, *, on_step: Callable[[Trainer], None] | None = None,
        handle_sigterm: bool = False) -> dict[str, Any]:
    """Train (or resume) the run a config describes; what `polyglot train` does.

    Writes to ``train.out_dir``: ``config.json``, ``metrics.jsonl``, checkpoints and, when
    the run reaches `max_steps`, ``model.safetensors`` (what `NMT.load` reads).

    Args:
        config: the run's config.
        on_step: called with the trainer after every step.
        handle_sigterm: on SIGTERM, checkpoint after the current step and return.

    Returns:
        `Trainer.fit`'s result, plus ``"model"``: the model file's path once done.
    """
    started = time.monotonic()
    check_config(config)  # before any work: a bad value fails at once, located
    env = pdist.setup(config.train.strategy, config.train.device)
    try:
        config, train_set, valid_set = prepare(config, env)
        out = Path(config.train.out_dir)
        if env.is_main:
            write_atomic(out / "config.json", json.dumps(asdict(config), indent=2) + "\n")
        trainer = Trainer(config, build_model(config), train_set, valid_set, env=env,
                          on_step=on_step, started=started)
        with _StopOnSignal(trainer, handle_sigterm):
            result = trainer.fit()
        if result["status"] == "done":
            trainer.export_model(out / "model.safetensors")
            result["model"] = str(out / "model.safetensors")
        return result
    finally:
        pdist.teardown()


def find_lr(config: TrainConfig, start: float = 1e-7, end: float = 1.0, steps: int = 100
            ) -> tuple[RangeTestResult, Path | None]:
    """The LR range test for a config's model and data; touches no checkpoint.

    Returns:
        The result, and the plot (PNG) or table (CSV) written to
        ``out_dir/lr_find.*`` by the main process (None elsewhere).
    """
    from polyglot.nmt.schedule import write_range_test

    check_config(config)  # before any work: a bad value fails at once, located
    env = pdist.setup(config.train.strategy, config.train.device)
    try:
        config, train_set, _ = prepare(config, env)
        trainer = Trainer(config, build_model(config), train_set, env=env, resume=False,
                          save=False)
        result = trainer.find_lr(start, end, steps)
        path = write_range_test(result, Path(config.train.out_dir) / "lr_find") if env.is_main else None
        return result, path
    finally:
        pdist.teardown()


def finetune(config: TrainConfig, base: str | os.PathLike, adapter: str | os.PathLike, *,
             quantize: bool, merged: str | os.PathLike | None = None,
             on_step: Callable[[Trainer], None] | None = None,
             handle_sigterm: bool = False) -> dict[str, Any]:
    """LoRA (or, with `quantize`, QLoRA) fine-tuning of a trained model; what
    `polyglot finetune` does. The base stays frozen; only the adapters train.

    Args:
        config: data, optim, schedule, train and lora tables (the model is the base's).
        base: a model file written by `NMT.save` (``model.safetensors`` of a run).
        adapter: where the adapter file goes.
        quantize: keep the frozen base in NF4 with double quantization (QLoRA).
        merged: also write a plain model file with the adapter folded in.
        on_step: called with the trainer after every step.
        handle_sigterm: on SIGTERM, checkpoint after the current step and return.

    Returns:
        `Trainer.fit`'s result, plus ``"adapter"``, ``"trainable"`` and ``"layers"``.
    """
    from polyglot.nmt.lora import apply_lora, merged_state_dict, quantize_model, save_adapter

    if config.train.strategy == "fsdp":
        raise SpecError("LoRA fine-tuning shards nothing worth sharding", path="train.strategy",
                        expected="none, ddp or zero1", found="fsdp")
    started = time.monotonic()
    check_config(config, with_model=False)  # before any work: a bad value fails at once
    env = pdist.setup(config.train.strategy, config.train.device)
    try:
        model = NMT.load(base)
        config = replace(config, model=model.config)
        config, train_set, valid_set = prepare(config, env, train_tokenizer=False)
        torch.manual_seed(config.train.seed)  # the adapters' initialisation
        if quantize:
            quantize_model(model, config.lora)
        layers = apply_lora(model, config.lora)
        trainer = Trainer(config, model.train(), train_set, valid_set, env=env, on_step=on_step,
                          started=started)
        with _StopOnSignal(trainer, handle_sigterm):
            result = trainer.fit()
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        result |= {"trainable": trainable, "layers": len(layers)}
        if result["status"] == "done" and env.is_main:
            save_adapter(adapter, model, config.lora, asdict(config.model), quantize)
            result["adapter"] = str(adapter)
            if merged is not None:
                plain = NMT(config.model)
                plain.load_state_dict(merged_state_dict(model))
                plain.save(merged)
                result["merged"] = str(merged)
        return result
    finally:
        pdist.teardown()
