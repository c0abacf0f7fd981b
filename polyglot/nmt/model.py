"""The encoder-decoder transformer that turns words into bodies (and back), all of it in
this single file.

The source is ``<lang> words + signature``, the target a body expression (or, in the
reverse direction, words opened by a language tag). One shared vocabulary, one shared
embedding matrix. Pooled encoder outputs double as a cross-lingual sentence embedding.

References:
1) Vaswani et al. 2017, "Attention Is All You Need" -- the encoder-decoder.
2) Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture" -- pre-norm.
3) Su et al. 2021, "RoFormer" -- rotary positions (applied in self-attention only: a
   target position minus a source position means nothing).
4) Press & Wolf 2017, "Using the Output Embedding to Improve Language Models" -- tying.
5) karpathy/nanoGPT model.py -- the shape of this file.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_model, save_model

from polyglot.errors import SpecError
from polyglot.io import write_atomic_by
from polyglot.nmt.attention import attention

CONFIG_KEY = "nmt_config"  # safetensors metadata key holding the NMTConfig as JSON


@dataclass
class NMTConfig:
    vocab_size: int = 16000  # the tokenizer's vocab_size; round up to a multiple of 64 for speed
    d_model: int = 256
    n_heads: int = 4  # head size = d_model // n_heads; RoPE needs it even
    n_enc_layers: int = 4
    n_dec_layers: int = 4
    d_ff: int = 1024  # hidden width of each block's MLP
    dropout: float = 0.1  # on embeddings and residual branches (the attention call has none)
    max_len: int = 512  # longest source or target; sizes the position tables
    positions: str = "rope"  # "rope": rotate q, k in self-attention; "learned": add a table
    rope_base: float = 10000.0  # RoPE's wavelength base
    tie_embeddings: bool = True  # output layer reuses the (shared src/tgt) embedding matrix
    bias: bool = False  # biases in Linear and LayerNorm; without is a little faster and as good
    pad_id: int = 0  # pad, bos and eos match polyglot.nmt.tokenizer's fixed ids
    bos_id: int = 2  # what the decoder reads first when no language tag is given
    eos_id: int = 3
    attention_backend: str | None = None  # None: $POLYGLOT_ATTENTION or "auto"; "sdpa"; "triton"

    def __post_init__(self):
        sizes = {"d_model": self.d_model, "n_heads": self.n_heads, "d_ff": self.d_ff,
                 "max_len": self.max_len, "n_enc_layers": self.n_enc_layers,
                 "n_dec_layers": self.n_dec_layers}
        for name, size in sizes.items():
            if size < 1:
                raise ValueError(f"{name} must be >= 1, got {size}")
        if self.vocab_size < 0:
            raise ValueError(f"vocab_size must be >= 0 (0: the tokenizer's), got {self.vocab_size}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model {self.d_model} is not a multiple of n_heads {self.n_heads}")
        if self.positions not in ("rope", "learned"):
            raise ValueError(f"positions must be 'rope' or 'learned', got {self.positions!r}")
        if self.positions == "rope" and (self.d_model // self.n_heads) % 2:
            raise ValueError("RoPE needs an even head size")


def rope_tables(head_size: int, max_len: int, base: float) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of every (position, frequency) pair, each (max_len, head_size // 2)."""
    inv_freq = base ** (-torch.arange(0, head_size, 2, dtype=torch.float32) / head_size)
    angles = torch.outer(torch.arange(max_len, dtype=torch.float32), inv_freq)
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate the two halves of each head of x (B, nh, T, hs) by position; cos, sin (T, hs/2)."""
    x1, x2 = x.chunk(2, dim=-1)  # (B, nh, T, hs/2) each
    cos, sin = cos.to(x.dtype), sin.to(x.dtype)
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class SelfAttention(nn.Module):
    """Multi-head self-attention; causal in the decoder, where it also extends a KV cache."""

    def __init__(self, config: NMTConfig, causal: bool):
        super().__init__()
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model, bias=config.bias)
        self.proj = nn.Linear(config.d_model, config.d_model, bias=config.bias)
        self.drop = nn.Dropout(config.dropout)
        self.n_heads, self.causal, self.backend = config.n_heads, causal, config.attention_backend

    def forward(self, x, key_mask, rope=None, past=None):
        """x (B, T, C); key_mask (B, T_past + T), True = real; rope: (cos, sin) of the T new
        positions or None; past: cached (k, v), each (B, nh, T_past, hs), or None.
        Returns the output (B, T, C) and the extended (k, v)."""
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2)
                   for t in (q, k, v))  # (B, nh, T, hs)
        if rope is not None:
            q, k = apply_rope(q, *rope), apply_rope(k, *rope)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)  # (B, nh, T_past + T, hs)
            v = torch.cat([past[1], v], dim=2)
        # With a cache, causal means bottom-right aligned: new query i sees keys <= T_past + i.
        y = attention(q, k, v, causal=self.causal, key_padding_mask=key_mask,
                      backend=self.backend)  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # re-assemble the heads
        return self.drop(self.proj(y)), (k, v)


class CrossAttention(nn.Module):
    """Multi-head attention from the target onto the encoder output ("memory")."""

    def __init__(self, config: NMTConfig):
        super().__init__()
        self.q = nn.Linear(config.d_model, config.d_model, bias=config.bias)
        self.kv = nn.Linear(config.d_model, 2 * config.d_model, bias=config.bias)
        self.proj = nn.Linear(config.d_model, config.d_model, bias=config.bias)
        self.drop = nn.Dropout(config.dropout)
        self.n_heads, self.backend = config.n_heads, config.attention_backend

    def memory_kv(self, memory):
        """K and V of the memory (B, S, C), each (B, nh, S, hs): computed once per source."""
        B, S, C = memory.size()
        k, v = self.kv(memory).split(C, dim=2)
        return tuple(t.view(B, S, self.n_heads, C // self.n_heads).transpose(1, 2)
                     for t in (k, v))  # (B, nh, S, hs)

    def forward(self, x, memory_kv, src_mask):
        B, T, C = x.size()
        q = self.q(x).view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2)  # (B, nh, T, hs)
        y = attention(q, *memory_kv, key_padding_mask=src_mask, backend=self.backend)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
        return self.drop(self.proj(y))


class MLP(nn.Module):
    def __init__(self, config: NMTConfig):
        super().__init__()
        self.fc = nn.Linear(config.d_model, config.d_ff, bias=config.bias)
        self.proj = nn.Linear(config.d_ff, config.d_model, bias=config.bias)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x):
        return self.drop(self.proj(F.gelu(self.fc(x))))


def norm(config: NMTConfig) -> nn.LayerNorm:
    return nn.LayerNorm(config.d_model, bias=config.bias)


class EncoderBlock(nn.Module):
    def __init__(self, config: NMTConfig):
        super().__init__()
        self.ln_1, self.attn = norm(config), SelfAttention(config, causal=False)
        self.ln_2, self.mlp = norm(config), MLP(config)

    def forward(self, x, src_mask, rope):
        x = x + self.attn(self.ln_1(x), src_mask, rope)[0]
        return x + self.mlp(self.ln_2(x))


class DecoderBlock(nn.Module):
    def __init__(self, config: NMTConfig):
        super().__init__()
        self.ln_1, self.attn = norm(config), SelfAttention(config, causal=True)
        self.ln_2, self.cross = norm(config), CrossAttention(config)
        self.ln_3, self.mlp = norm(config), MLP(config)

    def forward(self, x, tgt_mask, rope, past, memory_kv, src_mask):
        h, present = self.attn(self.ln_1(x), tgt_mask, rope, past)
        x = x + h
        x = x + self.cross(self.ln_2(x), memory_kv, src_mask)
        return x + self.mlp(self.ln_3(x)), present


@dataclass
class DecoderState:
    """What incremental decoding carries from one step to the next (one row per sequence)."""

    src_mask: torch.Tensor  # (B, S) bool, True = real source token
    cross_kv: list  # per decoder layer, (k, v) of the memory, each (B, nh, S, hs); fixed
    self_kv: list  # per decoder layer, (k, v) of the target so far, each (B, nh, T, hs); grows
    tgt_mask: torch.Tensor  # (B, T) bool, True = real target token so far

    @property
    def length(self) -> int:
        """Target tokens consumed so far (= the position of the next one)."""
        return self.tgt_mask.size(1)

    def select(self, index: torch.Tensor) -> "DecoderState":
        """Keep (or repeat) rows `index`, as beam search does when it reorders hypotheses."""
        pick = lambda t: t.index_select(0, index)  # noqa: E731
        return DecoderState(pick(self.src_mask),
                            [(pick(k), pick(v)) for k, v in self.cross_kv],
                            [(pick(k), pick(v)) for k, v in self.self_kv],
                            pick(self.tgt_mask))

    def truncate(self, length: int) -> "DecoderState":
        """Forget target tokens from `length` on, as speculative decoding does on rejection."""
        return DecoderState(self.src_mask, self.cross_kv,
                            [(k[:, :, :length], v[:, :, :length]) for k, v in self.self_kv],
                            self.tgt_mask[:, :length])


class NMT(nn.Module):
    """Encoder-decoder transformer.

    Args:
        config: the `NMTConfig`; stored in every checkpoint so `load` rebuilds this model.
    """

    def __init__(self, config: NMTConfig):
        super().__init__()
        self.config = config
        self.tok_emb = nn.Embedding(config.vocab_size, config.d_model)  # shared by src and tgt
        if config.positions == "learned":
            self.enc_pos = nn.Embedding(config.max_len, config.d_model)
            self.dec_pos = nn.Embedding(config.max_len, config.d_model)
        else:
            cos, sin = rope_tables(config.d_model // config.n_heads, config.max_len,
                                   config.rope_base)
            self.register_buffer("rope_cos", cos, persistent=False)  # (max_len, hs/2)
            self.register_buffer("rope_sin", sin, persistent=False)
        self.drop = nn.Dropout(config.dropout)
        self.encoder = nn.ModuleList(EncoderBlock(config) for _ in range(config.n_enc_layers))
        self.enc_norm = norm(config)
        self.decoder = nn.ModuleList(DecoderBlock(config) for _ in range(config.n_dec_layers))
        self.dec_norm = norm(config)
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        if config.tie_embeddings:
            self.lm_head.weight = self.tok_emb.weight
        # nanoGPT's init: N(0, 0.02), residual projections scaled down by depth.
        depth = config.n_enc_layers + config.n_dec_layers
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * depth) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, mean=0.0, std=std)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)

    def num_params(self) -> int:
        """Parameters, a tied matrix counted once."""
        return sum(p.numel() for p in self.parameters())

    def _embed(self, ids, pos_table, start):
        """Token (+ learned position) embeddings of ids (B, T) at positions start.. -> (B, T, C)
        and the RoPE tables of those positions (or None)."""
        T = ids.size(1)
        if start + T > self.config.max_len:
            raise ValueError(f"sequence of {start + T} tokens is longer than max_len "
                             f"{self.config.max_len}")
        x = self.tok_emb(ids)
        if self.config.positions == "learned":
            x = x + pos_table(torch.arange(start, start + T, device=ids.device))
            rope = None
        else:
            rope = (self.rope_cos[start:start + T], self.rope_sin[start:start + T])
        return self.drop(x), rope

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Encode source ids (B, S), pads anywhere; returns memory (B, S, C) and mask (B, S)."""
        src_mask = src != self.config.pad_id
        x, rope = self._embed(src, getattr(self, "enc_pos", None), 0)
        for block in self.encoder:
            x = block(x, src_mask, rope)
        return self.enc_norm(x), src_mask

    def start(self, memory: torch.Tensor, src_mask: torch.Tensor) -> DecoderState:
        """An empty decoder state for this memory: cross-attention K/V computed once here."""
        B, S, C = memory.size()
        hs = C // self.config.n_heads
        empty = memory.new_zeros(B, self.config.n_heads, 0, hs)  # (B, nh, 0, hs)
        return DecoderState(src_mask, [block.cross.memory_kv(memory) for block in self.decoder],
                            [(empty, empty)] * len(self.decoder),
                            src_mask.new_zeros(B, 0))

    def decode_step(self, tgt: torch.Tensor, state: DecoderState
                    ) -> tuple[torch.Tensor, DecoderState]:
        """Run the decoder over new target tokens, attending to the cached ones.

        Args:
            tgt: the next target ids (B, T), one token or several (T > 1 verifies several
                speculative tokens in one call); pad ids are masked as keys.
            state: from `start` or a previous `decode_step`; left unchanged.

        Returns:
            Logits (B, T, V) predicting the token after each new one, and the new state.
        """
        tgt_mask = torch.cat([state.tgt_mask, tgt != self.config.pad_id], dim=1)  # (B, T_all)
        x, rope = self._embed(tgt, getattr(self, "dec_pos", None), state.length)
        present = []
        for block, past, memory_kv in zip(self.decoder, state.self_kv, state.cross_kv):
            x, kv = block(x, tgt_mask, rope, past, memory_kv, state.src_mask)
            present.append(kv)
        logits = self.lm_head(self.dec_norm(x))  # (B, T, V)
        return logits, DecoderState(state.src_mask, state.cross_kv, present, tgt_mask)

    def forward(self, src, tgt_in, tgt_out=None):
        """Teacher forcing: logits (B, T, V) for every target position, and the mean
        cross-entropy over non-pad `tgt_out` tokens when `tgt_out` (B, T) is given."""
        memory, src_mask = self.encode(src)
        logits, _ = self.decode_step(tgt_in, self.start(memory, src_mask))
        loss = None
        if tgt_out is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), tgt_out.reshape(-1),
                                   ignore_index=self.config.pad_id)
        return logits, loss

    def embed(self, src: torch.Tensor) -> torch.Tensor:
        """Cross-lingual sentence embedding (B, C): the encoder output averaged over real
        tokens, L2-normalised, so a dot product is a cosine similarity."""
        memory, src_mask = self.encode(src)
        mask = src_mask.unsqueeze(-1).to(memory.dtype)  # (B, S, 1)
        pooled = (memory * mask).sum(1) / mask.sum(1).clamp(min=1)  # (B, C)
        return F.normalize(pooled, dim=-1)

    def save(self, path: str | os.PathLike) -> None:
        """Write weights to safetensors with the config as JSON metadata; whole or not at all."""
        metadata = {CONFIG_KEY: json.dumps(asdict(self.config))}
        write_atomic_by(path, lambda tmp: save_model(self, str(tmp), metadata=metadata))

    @classmethod
    def load(cls, path: str | os.PathLike, device: str | torch.device = "cpu") -> "NMT":
        """Rebuild a model written by `save`: its config from the metadata, then its weights.

        Args:
            path: a `.safetensors` file written by `save`.
            device: where the weights go.

        Returns:
            The model, in eval mode.
        """
        try:
            with safe_open(str(path), framework="pt") as f:
                metadata = f.metadata() or {}
        except (OSError, SafetensorError) as err:
            raise SpecError("cannot read model checkpoint", file=str(path),
                            found=str(err)) from None
        if CONFIG_KEY not in metadata:
            raise SpecError("checkpoint has no model config", file=str(path),
                            expected=f"metadata key {CONFIG_KEY!r}", hint="save it with NMT.save")
        known = {f.name for f in fields(NMTConfig)}
        try:
            args = json.loads(metadata[CONFIG_KEY])
            unknown = sorted(set(args) - known)
            if unknown:
                raise ValueError(f"unknown config fields {unknown}")
            config = NMTConfig(**args)
        except (ValueError, TypeError) as err:
            raise SpecError("bad model config in checkpoint", file=str(path),
                            found=str(err)) from None
        model = cls(config)
        try:
            load_model(model, str(path), strict=True, device=str(device))
        except RuntimeError as err:
            raise SpecError("checkpoint weights do not fit its config", file=str(path),
                            found=str(err).splitlines()[0]) from None
        return model.to(device).eval()
