"""Attention with one call: the Triton flash kernel where it can run, PyTorch SDPA elsewhere.

`attention(q, k, v, causal=..., key_padding_mask=..., backend=...)` takes tensors shaped
(B, H, N, D) and returns (B, H, N_q, D). `key_padding_mask` is (B, N_k) bool, True where a
key is real (False = padding, never attended to).
"""
from __future__ import annotations

import logging
import os

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

BACKENDS = ("auto", "triton", "sdpa")


def _sdpa(q, k, v, causal: bool, key_padding_mask: torch.Tensor | None) -> torch.Tensor:
    mask = None
    if key_padding_mask is not None:
        mask = key_padding_mask[:, None, None, :].to(torch.bool)  # (B, 1, 1, Nk)
        if causal:
            n_q, n_k = q.shape[-2], k.shape[-2]
            tri = torch.ones(n_q, n_k, dtype=torch.bool, device=q.device).tril(n_k - n_q)
            mask = mask & tri
            causal = False
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal)


def attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    causal: bool = False,
    key_padding_mask: torch.Tensor | None = None,
    backend: str | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention over (B, H, N, D) tensors.

    Args:
        backend: "auto" (Triton on CUDA, SDPA elsewhere), "triton" or "sdpa"; defaults to
            the `POLYGLOT_ATTENTION` environment variable, else "auto".
    """
    backend = backend or os.environ.get("POLYGLOT_ATTENTION", "auto")
    if backend not in BACKENDS:
        raise ValueError(f"attention backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "sdpa":
        return _sdpa(q, k, v, causal, key_padding_mask)
    try:
        from polyglot.nmt.attention.flash import flash_attention, flash_available
    except ImportError:  # kernel module not present yet
        flash_attention, flash_available = None, lambda t: False
    if backend == "triton" or (backend == "auto" and flash_available(q)):
        if flash_attention is None:
            raise RuntimeError("the Triton flash-attention kernel is not available")
        return flash_attention(q, k, v, causal=causal, key_padding_mask=key_padding_mask)
    return _sdpa(q, k, v, causal, key_padding_mask)
