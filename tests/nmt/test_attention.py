"""The Triton flash-attention kernel, run by the interpreter on CPU, against float64 attention.

conftest.py sets TRITON_INTERPRET=1 before any kernel is built. Tiles are tiny (16/32) so
that ragged lengths (17, 33, 70) cross tile edges and the causal diagonal in every kernel.
"""
import math

import pytest
import torch

import polyglot.nmt.attention.flash as flash
from polyglot.nmt.attention import attention
from polyglot.nmt.attention.flash import Tiles, flash_attention, flash_available

# max ||got - ref|| / ||ref||: fp32 is exact in the interpreter, fp16/bf16 round inputs,
# P and the outputs.
TOLERANCE = {torch.float32: 1e-6, torch.float16: 2e-3, torch.bfloat16: 2e-2}


def reference(q, k, v, causal=False, pad=None):
    """Attention in float64, written out: bottom-right causal, rows with no key give 0."""
    q, k, v = (t.double() for t in (q, k, v))
    n_q, n_k = q.shape[2], k.shape[2]
    keep = torch.ones(n_q, n_k, dtype=torch.bool)
    if causal:
        keep = keep.tril(n_k - n_q)  # query i sees key j when j <= i + n_k - n_q
    keep = keep[None, None]
    if pad is not None:
        keep = keep & pad[:, None, None, :]
    s = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    p = torch.softmax(s.masked_fill(~keep, float("-inf")), dim=-1).nan_to_num(0.0)
    return p @ v


def inputs(b, h, n_q, n_k, d, dtype, seed=0, padded=False):
    gen = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(b, h, n, d, generator=gen).to(dtype) for n in (n_q, n_k, n_k))
    pad = None
    if padded:
        pad = torch.rand(b, n_k, generator=gen) < 0.7
        pad[0, 0] = True  # batch row 0 keeps a key; the last row is padded from key 3 on
        pad[-1, 3:] = False
    return q, k, v, pad


def rel(a, b):
    return ((a.double() - b.double()).norm() / b.double().norm()).item()


def outputs_and_grads(fn, q, k, v, upstream, **kw):
    """fn's output and (dq, dk, dv) for the upstream gradient, on fresh leaves."""
    leaves = [t.detach().clone().requires_grad_() for t in (q, k, v)]
    out = fn(*leaves, **kw)
    out.backward(upstream.to(out.dtype))
    return [out.detach()] + [t.grad for t in leaves]


CASES = [
    # dtype, head dim, causal, padded, n_q, n_k, tiles
    (torch.float32, 32, False, False, 17, 17, (16, 16)),
    (torch.float32, 32, True, False, 33, 33, (16, 32)),
    (torch.float32, 64, True, False, 70, 70, (32, 16)),
    (torch.float32, 32, False, True, 20, 37, (16, 16)),   # cross-attention with padding
    (torch.float32, 32, True, True, 37, 20, (16, 16)),    # causal N_q > N_k: rows see no key
    (torch.float32, 64, True, False, 7, 40, (16, 16)),    # decoding against a longer cache
    (torch.float16, 32, False, True, 33, 70, (16, 32)),
    (torch.float16, 64, True, False, 33, 33, (32, 32)),
    (torch.float16, 128, False, False, 17, 33, (16, 16)),
    (torch.bfloat16, 32, True, True, 70, 33, (16, 16)),
    (torch.bfloat16, 64, False, False, 17, 17, (16, 16)),
    (torch.bfloat16, 128, True, False, 33, 33, (16, 32)),
    (torch.float32, 128, True, True, 20, 20, (16, 16)),
    (torch.float16, 16, True, True, 33, 17, (16, 16)),
]


@pytest.mark.parametrize("dtype,d,causal,padded,n_q,n_k,tiles", CASES)
def test_kernel_matches_float64_reference(dtype, d, causal, padded, n_q, n_k, tiles):
    q, k, v, pad = inputs(2, 2, n_q, n_k, d, dtype, seed=n_q * 131 + n_k + d, padded=padded)
    upstream = torch.randn(2, 2, n_q, d, generator=torch.Generator().manual_seed(7))
    got = outputs_and_grads(flash_attention, q, k, v, upstream, causal=causal,
                            key_padding_mask=pad, tiles=Tiles(*tiles))
    want = outputs_and_grads(reference, q, k, v, upstream, causal=causal, pad=pad)
    assert got[0].dtype == dtype and got[0].shape == (2, 2, n_q, d)
    for name, g, w in zip(("out", "dq", "dk", "dv"), got, want):
        assert torch.isfinite(g).all(), name
        assert rel(g, w) < TOLERANCE[dtype], (name, rel(g, w))


def test_rows_and_keys_with_nothing_to_attend_get_exact_zeros():
    # causal with N_q > N_k: the first N_q - N_k queries see no key; batch row 1 has
    # no real key at all.
    q, k, v, _ = inputs(2, 1, 40, 24, 32, torch.float32, seed=3)
    pad = torch.ones(2, 24, dtype=torch.bool)
    pad[0, 20:] = False
    pad[1] = False
    out, dq, dk, dv = outputs_and_grads(flash_attention, q, k, v, torch.ones(2, 1, 40, 32),
                                        causal=True, key_padding_mask=pad)
    assert out[0, :, :16].abs().max().item() == 0.0 and dq[0, :, :16].abs().max().item() == 0.0
    assert out[1].abs().max().item() == 0.0 and dq[1].abs().max().item() == 0.0
    assert dk[0, :, 20:].abs().max().item() == 0.0 and dv[0, :, 20:].abs().max().item() == 0.0
    assert dk[1].abs().max().item() == 0.0 and dv[1].abs().max().item() == 0.0
    assert out[0, :, 16:].abs().min().item() > 0.0  # the others are real
    assert rel(out, reference(q, k, v, True, pad)) < 1e-6


def test_strided_layout_and_default_tiles():
    # (B, N, H, D) storage seen as (B, H, N, D): the layout a model's projections produce
    gen = torch.Generator().manual_seed(5)
    q, k, v = (torch.randn(1, 33, 2, 32, generator=gen).transpose(1, 2) for _ in range(3))
    assert not q.is_contiguous()
    upstream = torch.randn(1, 2, 33, 32, generator=gen)
    got = outputs_and_grads(flash_attention, q, k, v, upstream, causal=True)
    want = outputs_and_grads(reference, q, k, v, upstream, causal=True)
    for g, w in zip(got, want):
        assert g.shape == w.shape and rel(g, w) < 1e-6


def test_bad_inputs_are_refused():
    q = torch.zeros(1, 2, 8, 32)
    with pytest.raises(ValueError, match="head dim must be one of"):
        flash_attention(torch.zeros(1, 2, 8, 48), torch.zeros(1, 2, 8, 48), torch.zeros(1, 2, 8, 48))
    with pytest.raises(ValueError, match="shapes do not match"):
        flash_attention(q, torch.zeros(1, 2, 9, 32), torch.zeros(1, 2, 8, 32))
    with pytest.raises(ValueError, match="share one dtype"):
        flash_attention(q, q.half(), q)
    with pytest.raises(ValueError, match=r"key_padding_mask must be bool of shape \(1, 8\)"):
        flash_attention(q, q, q, key_padding_mask=torch.ones(1, 7, dtype=torch.bool))


def test_flash_available_only_for_cuda_tensors():
    assert flash_available(torch.zeros(1, 1, 4, 32)) is False


# ---- dispatch ----

SDPA_CASES = [
    (False, False, 17, 17), (True, False, 17, 17), (True, False, 9, 30),
    (False, True, 20, 33), (True, True, 33, 20),
]


@pytest.mark.parametrize("causal,padded,n_q,n_k", SDPA_CASES)
def test_sdpa_backend_matches_reference(causal, padded, n_q, n_k):
    q, k, v, pad = inputs(2, 2, n_q, n_k, 32, torch.float32, seed=11, padded=padded)
    upstream = torch.randn(2, 2, n_q, 32, generator=torch.Generator().manual_seed(2))
    got = outputs_and_grads(attention, q, k, v, upstream, causal=causal, key_padding_mask=pad,
                            backend="sdpa")
    want = outputs_and_grads(reference, q, k, v, upstream, causal=causal, pad=pad)
    for name, g, w in zip(("out", "dq", "dk", "dv"), got, want):
        assert torch.isfinite(g).all(), name
        assert rel(g, w) < 1e-5, (name, rel(g, w))


def _refuse(*args, **kwargs):
    raise AssertionError("the Triton kernel must not run here")


def test_auto_on_cpu_uses_sdpa(monkeypatch):
    q, k, v, pad = inputs(1, 2, 17, 17, 32, torch.float32, padded=True)
    expected = attention(q, k, v, causal=True, key_padding_mask=pad, backend="sdpa")
    monkeypatch.setattr(flash, "flash_attention", _refuse)
    got = attention(q, k, v, causal=True, key_padding_mask=pad, backend="auto")
    assert torch.equal(got, expected)


def test_triton_backend_runs_the_kernel(monkeypatch):
    q, k, v, pad = inputs(1, 2, 17, 17, 32, torch.float32, padded=True)
    kernel = flash_attention(q, k, v, causal=True, key_padding_mask=pad)
    assert torch.equal(attention(q, k, v, causal=True, key_padding_mask=pad, backend="triton"), kernel)
    monkeypatch.setenv("POLYGLOT_ATTENTION", "triton")
    calls = []
    monkeypatch.setattr(flash, "flash_attention", lambda *a, **kw: calls.append(kw) or a[0])
    attention(q, k, v, causal=True)
    assert calls == [{"causal": True, "key_padding_mask": None}]


def test_unknown_backend_is_refused():
    q = torch.zeros(1, 1, 4, 32)
    with pytest.raises(ValueError, match="attention backend must be one of"):
        attention(q, q, q, backend="cuda")
