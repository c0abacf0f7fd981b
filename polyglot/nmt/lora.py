"""LoRA adapters and QLoRA's 4-bit NormalFloat base, in plain torch.

Fine-tuning the whole model to teach it one new human language would ship a new copy of
every weight. A LoRA adapter trains a low-rank update ``W + (alpha / r) * B @ A`` beside
frozen weights instead, so a language pack carries a file of a few hundred kilobytes.
QLoRA goes further and keeps the frozen base in 4 bits (NF4), dequantized on the fly.

References:
1) Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models" -- A random, B zero,
   so training starts at the base model; scaling alpha / r.
2) Dettmers et al. 2023, "QLoRA: Efficient Finetuning of Quantized LLMs" -- NF4 (the
   quantiles of N(0, 1), with an exact zero), blockwise absmax, double quantization of the
   absmax constants.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from fnmatch import fnmatchcase

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from safetensors.torch import save as st_save

from polyglot.errors import SpecError
from polyglot.io import write_atomic

ADAPTER_KEY = "polyglot_lora"  # safetensors metadata: the LoRAConfig (and quantization) as JSON
BASE_KEY = "nmt_config"  # the base model's NMTConfig, so an adapter names what it fits


@dataclass
class LoRAConfig:
    rank: int = 8  # r, the rank of B @ A
    alpha: float = 16.0  # the update is scaled by alpha / rank
    dropout: float = 0.0  # on the adapter's input only
    # Linear layers to adapt, by fnmatch pattern on module names ("decoder.*.cross.q").
    # The default takes every Linear in the blocks and leaves the tied embedding / lm_head.
    targets: list[str] = field(default_factory=lambda: ["encoder.*", "decoder.*"])
    block_size: int = 64  # QLoRA: weights per absmax constant
    double_quant: bool = True  # QLoRA: absmax constants in 8 bits
    dq_block_size: int = 256  # QLoRA: absmax constants per second-level scale

    def __post_init__(self):
        if self.rank < 1 or self.block_size < 2 or self.block_size % 2 or self.dq_block_size < 1:
            raise ValueError("rank >= 1, an even block_size >= 2 and dq_block_size >= 1 needed")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


# ---------------------------------------------------------------------------------------
# NF4 with double quantization
# ---------------------------------------------------------------------------------------

def nf4_levels() -> torch.Tensor:
    """The 16 NF4 values: quantiles of N(0, 1) scaled to [-1, 1], 8 positive, 7 negative
    and an exact 0 (QLoRA's construction, offset 0.9677083 = the mean of the quantiles
    1 - 1/(2*15) and 1 - 1/(2*16))."""
    offset = 0.9677083
    pos = torch.special.ndtri(torch.linspace(offset, 0.5, 9)[:-1].double())
    neg = -torch.special.ndtri(torch.linspace(offset, 0.5, 8)[:-1].double())
    levels = torch.cat([neg, torch.zeros(1, dtype=torch.float64), pos]).sort().values
    return (levels / levels.max()).float()


@dataclass
class NF4Weight:
    """A weight in NF4: two 4-bit codes a byte, one absmax constant per block."""

    codes: torch.Tensor  # uint8 (ceil(numel / 2),), the high nibble first
    absmax: torch.Tensor | None  # float32 (n_blocks,) without double quantization
    absmax_q: torch.Tensor | None  # int8 (n_blocks,): (absmax - offset) / scale * 127
    absmax_scale: torch.Tensor | None  # float32 (ceil(n_blocks / dq_block_size),)
    absmax_offset: torch.Tensor | None  # float32 (), the mean absmax
    shape: tuple[int, ...]
    block_size: int
    dq_block_size: int

    def constants_nbytes(self) -> int:
        """Bytes spent on the per-block scale constants."""
        parts = (self.absmax, self.absmax_q, self.absmax_scale, self.absmax_offset)
        return sum(t.numel() * t.element_size() for t in parts if t is not None)

    def scales(self) -> torch.Tensor:
        """The absmax constant of every block, float32 (n_blocks,), as dequantization uses it."""
        if self.absmax is not None:
            return self.absmax
        scale = self.absmax_scale.repeat_interleave(self.dq_block_size)[: self.absmax_q.numel()]
        return self.absmax_q.float() / 127 * scale + self.absmax_offset


def _pad_to(x: torch.Tensor, multiple: int) -> torch.Tensor:
    return F.pad(x, (0, -x.numel() % multiple))


def quantize_nf4(weight: torch.Tensor, block_size: int = 64, double_quant: bool = True,
                 dq_block_size: int = 256) -> NF4Weight:
    """Quantize a tensor to NF4, blockwise.

    Each block of `block_size` values is divided by its largest magnitude and rounded to
    the nearest NF4 level. With `double_quant`, the absmax constants themselves are
    stored in 8 bits: centred on their mean, scaled per `dq_block_size` constants.

    Args:
        weight: any float tensor.
        block_size: values per absmax constant (even).
        double_quant: quantize the constants too (QLoRA's default).
        dq_block_size: constants per second-level float32 scale.

    Returns:
        The `NF4Weight`; `dequantize_nf4` inverts it up to rounding.
    """
    blocks = _pad_to(weight.detach().float().reshape(-1), block_size).view(-1, block_size)
    absmax = blocks.abs().amax(dim=1)  # (n_blocks,)
    q = NF4Weight(torch.empty(0, dtype=torch.uint8), absmax, None, None, None,
                  tuple(weight.shape), block_size, dq_block_size)
    if double_quant:
        offset = absmax.mean()
        centred = _pad_to(absmax - offset, dq_block_size).view(-1, dq_block_size)
        scale = centred.abs().amax(dim=1).clamp_min(torch.finfo(torch.float32).tiny)
        codes8 = torch.round(centred / scale[:, None] * 127).clamp(-127, 127).to(torch.int8)
        q.absmax, q.absmax_q = None, codes8.view(-1)[: absmax.numel()]
        q.absmax_scale, q.absmax_offset = scale, offset
    # Round against the constants dequantization will use, so their error is not doubled.
    scales = q.scales().clamp_min(torch.finfo(torch.float32).tiny)
    normed = (blocks / scales[:, None]).clamp(-1, 1).view(-1)
    levels = nf4_levels()
    codes = torch.bucketize(normed, (levels[1:] + levels[:-1]) / 2).to(torch.uint8)  # 0..15
    codes = _pad_to(codes, 2).view(-1, 2)
    q.codes = (codes[:, 0] << 4) | codes[:, 1]
    return q


def dequantize_nf4(q: NF4Weight, dtype: torch.dtype = torch.float32,
                   levels: torch.Tensor | None = None) -> torch.Tensor:
    """The tensor an `NF4Weight` stands for, in `dtype` (`levels`: `nf4_levels()` on the
    codes' device, to skip computing them)."""
    levels = nf4_levels().to(q.codes.device) if levels is None else levels
    codes = torch.stack([q.codes >> 4, q.codes & 0xF], dim=1).view(-1).long()
    values = levels[codes]
    n_blocks = q.scales().numel()
    values = values[: n_blocks * q.block_size].view(n_blocks, q.block_size) * q.scales()[:, None]
    return values.view(-1)[: math.prod(q.shape)].view(q.shape).to(dtype)


class Linear4bit(nn.Module):
    """A frozen Linear whose weight lives in NF4 buffers and is dequantized per call."""

    def __init__(self, q: NF4Weight, bias: torch.Tensor | None):
        super().__init__()
        self.out_features, self.in_features = q.shape
        self.block_size, self.dq_block_size = q.block_size, q.dq_block_size
        for name in ("codes", "absmax", "absmax_q", "absmax_scale", "absmax_offset"):
            self.register_buffer(name, getattr(q, name))
        self.register_buffer("bias", None if bias is None else bias.detach().clone())
        self.register_buffer("levels", nf4_levels(), persistent=False)

    @classmethod
    def from_linear(cls, linear: nn.Linear, config: LoRAConfig) -> "Linear4bit":
        q = quantize_nf4(linear.weight, config.block_size, config.double_quant,
                         config.dq_block_size)
        return cls(q, linear.bias)

    def nf4(self) -> NF4Weight:
        return NF4Weight(self.codes, self.absmax, self.absmax_q, self.absmax_scale,
                         self.absmax_offset, (self.out_features, self.in_features),
                         self.block_size, self.dq_block_size)

    @property
    def weight(self) -> torch.Tensor:
        """The dequantized weight, float32 (out, in)."""
        return dequantize_nf4(self.nf4(), levels=self.levels)

    def forward(self, x):
        bias = None if self.bias is None else self.bias.to(x.dtype)
        return F.linear(x, self.weight.to(x.dtype), bias)


# ---------------------------------------------------------------------------------------
# LoRA
# ---------------------------------------------------------------------------------------

class LoRALinear(nn.Module):
    """``base(x) + dropout(x) @ A.T @ B.T * alpha / r`` with `base` frozen.

    Args:
        base: an `nn.Linear` or a `Linear4bit`.
        config: rank, alpha and dropout.
    """

    def __init__(self, base: nn.Module, config: LoRAConfig):
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(torch.empty(config.rank, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, config.rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # as nn.Linear; B = 0: a no-op
        self.scaling = config.alpha / config.rank
        self.drop = nn.Dropout(config.dropout)
        self.merged = False
        self._unmerged: torch.Tensor | None = None

    def delta_weight(self) -> torch.Tensor:
        """The update B @ A * alpha / r, (out, in)."""
        return (self.lora_B @ self.lora_A) * self.scaling

    def forward(self, x):
        y = self.base(x)
        if self.merged:
            return y
        return y + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scaling

    @torch.no_grad()
    def merge(self) -> None:
        """Fold the update into the base weight (one matmul per call instead of three).

        The original weight is kept aside: ``W + d - d`` is not ``W`` in floating point,
        and `unmerge` must give the base back bit for bit.
        """
        if self.merged:
            return
        if not isinstance(self.base, nn.Linear):
            raise TypeError("a quantized base cannot hold a merged update; "
                            "use merged_state_dict to export full weights")
        w = self.base.weight
        self._unmerged = w.data
        w.data = (w.data.float() + self.delta_weight().float()).to(w.dtype)
        self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        """Undo `merge`: the base weight is exactly what it was before."""
        if self.merged:
            self.base.weight.data, self._unmerged = self._unmerged, None
            self.merged = False


def _targets(model: nn.Module, patterns: list[str], kind: type | tuple[type, ...]) -> list[str]:
    return [name for name, m in model.named_modules()
            if isinstance(m, kind) and any(fnmatchcase(name, p) for p in patterns)]


def _replace(model: nn.Module, name: str, new: nn.Module) -> None:
    parent, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, child, new)


def quantize_model(model: nn.Module, config: LoRAConfig) -> list[str]:
    """Replace the target `nn.Linear` layers by frozen `Linear4bit` ones, in place.

    Args:
        model: e.g. an `NMT` (tied embeddings are never targets by default).
        config: targets and NF4 block sizes.

    Returns:
        The names of the layers quantized.
    """
    names = _targets(model, config.targets, nn.Linear)
    for name in names:
        _replace(model, name, Linear4bit.from_linear(model.get_submodule(name), config))
    return names


def apply_lora(model: nn.Module, config: LoRAConfig) -> list[str]:
    """Wrap the target layers (`nn.Linear` or `Linear4bit`) in `LoRALinear`, in place, and
    freeze every parameter that is not an adapter's.

    Args:
        model: the base model (already quantized for QLoRA).
        config: rank, alpha, dropout and target patterns.

    Returns:
        The names of the adapted layers.
    """
    if lora_layers(model):
        raise ValueError("the model already has LoRA adapters")
    names = _targets(model, config.targets, (nn.Linear, Linear4bit))
    if not names:
        raise SpecError("no layer matches the LoRA targets", path="lora.targets",
                        found=", ".join(config.targets),
                        hint="patterns match module names such as decoder.0.cross.q")
    for p in model.parameters():
        p.requires_grad_(False)
    for name in names:
        _replace(model, name, LoRALinear(model.get_submodule(name), config))
    return names


def lora_layers(model: nn.Module) -> dict[str, LoRALinear]:
    """Every adapted layer, by module name."""
    return {name: m for name, m in model.named_modules() if isinstance(m, LoRALinear)}


def merge(model: nn.Module) -> None:
    """`LoRALinear.merge` on every adapted layer."""
    for layer in lora_layers(model).values():
        layer.merge()


def unmerge(model: nn.Module) -> None:
    """`LoRALinear.unmerge` on every adapted layer."""
    for layer in lora_layers(model).values():
        layer.unmerge()


@torch.no_grad()
def merged_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """The state dict of the plain model that computes what this adapted one does: every
    adapter folded in, every NF4 weight dequantized, keys as before adaptation."""
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    for name, m in model.named_modules():
        if isinstance(m, LoRALinear):
            base = m.base
            weight = (m._unmerged if m.merged else base.weight).float() + m.delta_weight().float()
        elif isinstance(m, Linear4bit) and not isinstance(
                model.get_submodule(name.rpartition(".")[0]), LoRALinear):
            base, weight = m, m.weight
        else:
            continue
        state = {k: v for k, v in state.items() if not k.startswith(f"{name}.")}
        state[f"{name}.weight"] = weight
        if base.bias is not None:
            state[f"{name}.bias"] = base.bias.detach().float().clone()
    return state


# ---------------------------------------------------------------------------------------
# Adapter files
# ---------------------------------------------------------------------------------------

def adapter_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """Only the adapters' tensors: ``<layer>.lora_A`` and ``<layer>.lora_B``."""
    return {f"{name}.{p}": getattr(m, p).detach().cpu().contiguous()
            for name, m in lora_layers(model).items() for p in ("lora_A", "lora_B")}


def save_adapter(path: str | os.PathLike, model: nn.Module, config: LoRAConfig,
                 base_config: dict, quantized: bool) -> None:
    """Write the adapters to a small safetensors file, whole or not at all.

    Args:
        path: the `.safetensors` file.
        model: the adapted model.
        config: the `LoRAConfig` it was adapted with (stored, so loading rebuilds it).
        base_config: the base model's NMTConfig as a dict (stored, to check the base fits).
        quantized: whether the base was NF4 during training (QLoRA).
    """
    metadata = {ADAPTER_KEY: json.dumps({"lora": asdict(config), "quantized": quantized}),
                BASE_KEY: json.dumps(base_config)}
    write_atomic(path, st_save(adapter_state_dict(model), metadata=metadata))


def read_adapter(path: str | os.PathLike) -> tuple[LoRAConfig, bool, dict, dict[str, torch.Tensor]]:
    """The config, quantized flag, base config and tensors of an adapter file."""
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
        tensors = load_file(str(path))
    except (OSError, SafetensorError) as err:
        raise SpecError("cannot read adapter", file=str(path), found=str(err)) from None
    try:
        info = json.loads(metadata[ADAPTER_KEY])
        known = {f.name for f in fields(LoRAConfig)}
        config = LoRAConfig(**{k: v for k, v in info["lora"].items() if k in known})
        base = json.loads(metadata.get(BASE_KEY, "{}"))
    except (KeyError, ValueError, TypeError) as err:
        raise SpecError("not a polyglot LoRA adapter", file=str(path),
                        expected=f"metadata key {ADAPTER_KEY!r}", found=str(err)) from None
    return config, bool(info.get("quantized")), base, tensors


def load_adapter(model: nn.Module, path: str | os.PathLike, *,
                 quantize: bool | None = None) -> LoRAConfig:
    """Adapt a base model with an adapter file, in place.

    Args:
        model: the base model the adapter was trained on (not yet adapted).
        path: a file written by `save_adapter`.
        quantize: put the base in NF4 first; default: as during training.

    Returns:
        The adapter's `LoRAConfig`.
    """
    config, quantized, base, tensors = read_adapter(path)
    own = getattr(model, "config", None)
    if base and own is not None:
        mismatch = sorted(k for k, v in base.items() if getattr(own, k, v) != v
                          and k not in ("dropout", "attention_backend"))
        if mismatch:
            raise SpecError("adapter was trained on another base model", file=str(path),
                            found=f"differs in {', '.join(mismatch)}")
    if quantized if quantize is None else quantize:
        quantize_model(model, config)
    apply_lora(model, config)
    missing = set(adapter_state_dict(model)) ^ set(tensors)
    if missing:
        raise SpecError("adapter does not fit the model", file=str(path),
                        found=f"tensors {sorted(missing)[:3]}")
    with torch.no_grad():
        for name, layer in lora_layers(model).items():
            layer.lora_A.copy_(tensors[f"{name}.lora_A"])
            layer.lora_B.copy_(tensors[f"{name}.lora_B"])
    return config
