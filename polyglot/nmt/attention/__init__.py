"""Attention with one call: the Triton flash kernel where it can run, PyTorch SDPA elsewhere.

`attention(q, k, v, causal=..., key_padding_mask=..., backend=...)` takes tensors shaped
(B, H, N, D) and returns (B, H, N_q, D). `key_padding_mask` is (B, N_k) bool, True where a
key is real (False = padding, never attended to). Causal masks align bottom-right (query i
sees key j when j <= i + N_k - N_q), and a query that sees no key gets 0, on every backend.
"""
from __future__ import annotations

import logging
import os

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

BACKENDS = ("auto", "triton", "sdpa")


def _sdpa(q, k, v, causal: bool, key_padding_mask: torch.Tensor | None) -> torch.Tensor:
    """SDPA with the kernel's conventions: causal aligned bottom-right (query i sees key j
    when j <= i + N_k - N_q; SDPA's own `is_causal` aligns top-left once N_q != N_k), and
    rows that see no key give 0 on every SDPA backend."""
    n_q, n_k = q.shape[-2], k.shape[-2]
    if key_padding_mask is None and (not causal or n_q == n_k):
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    mask = torch.ones(1, 1, n_q, n_k, dtype=torch.bool, device=q.device)
    if causal:
        mask = mask.tril(n_k - n_q)
    if key_padding_mask is not None:
        mask = mask & key_padding_mask[:, None, None, :].to(torch.bool)  # (B, 1, Nq, Nk)
    sees_a_key = mask.any(-1, keepdim=True)  # (B or 1, 1, Nq, 1)
    # A row with no key attends to every key instead, so no backend yields NaN; its output
    # is then replaced by 0, which also makes every gradient through that row exactly 0.
    mask = mask | ~sees_a_key
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return out.masked_fill(~sees_a_key, 0.0)


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
