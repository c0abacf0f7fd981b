"""Flash attention in Triton: forward and backward kernels behind one autograd.Function.

The algorithm is FlashAttention-2 (Dao, 2023, https://tridao.me/publications/flash2/flash2.pdf):
the forward pass streams key/value tiles past a resident query tile with an online softmax
and saves only the row logsumexp; the backward pass recomputes the probabilities from it.
The backward runs two kernels: one per query tile (dq, and delta = rowsum(dO * O) on the
way), then one per key tile (dk, dv), so no atomics are needed and the result is
deterministic.

Conventions shared with `polyglot.nmt.attention`:
- tensors are (B, H, N, D); only the last dimension must be contiguous;
- `key_padding_mask` is (B, N_k) bool, True = a real key;
- causal masking is aligned bottom-right: query i sees key j when j <= i + N_k - N_q,
  so the last query sees every key (what decoding with a key/value cache needs);
- a query that sees no key at all gets output 0 and gradient 0.

Each loop over tiles is split in two: interior tiles run without any mask, and only the
tiles on the causal diagonal or the ragged end of a sequence pay for masking.
Under TRITON_INTERPRET=1 the same kernels run on the CPU; there bf16 is computed in fp32
because the interpreter mis-reads bf16 values.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import torch

try:
    import triton
    import triton.language as tl
except ImportError:  # pragma: no cover - triton is a dependency, but keep SDPA usable
    triton = None

HEAD_DIMS = (16, 32, 64, 128)
DTYPES = (torch.float16, torch.bfloat16, torch.float32)


def _interpreting() -> bool:
    return os.environ.get("TRITON_INTERPRET", "0") == "1"


def flash_available(q: torch.Tensor) -> bool:
    """True when the Triton kernel can run on `q`: a CUDA tensor of a supported dtype and
    head dim, with triton importable. CPU tensors go to SDPA unless a caller forces
    backend="triton" under TRITON_INTERPRET=1."""
    return (
        triton is not None
        and q.is_cuda
        and q.dtype in DTYPES
        and q.dim() == 4
        and q.shape[-1] in HEAD_DIMS
    )


@dataclass(frozen=True)
class Tiles:
    """A fixed tiling, bypassing the autotuner (tests, the interpreter, experiments).

    `block_m` rows of queries and `block_n` rows of keys per tile, in all three kernels.
    """

    block_m: int = 16
    block_n: int = 16
    num_warps: int = 4
    num_stages: int = 1


# Lengths only bound loops and masks: specializing on them (N % 16 == 0) would compile
# every kernel twice for nothing.
_LENGTHS = ["N_Q", "N_K", "TUNE_Q", "TUNE_K"]

if triton is not None:

    @triton.jit
    def _fwd_tiles(
        acc, l_i, m_i, q, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
        lo, hi, N_K, causal_shift, qk_scale, stride_kn, stride_vn,
        CAUSAL: tl.constexpr, HAS_PAD: tl.constexpr, EDGE: tl.constexpr,
        DOT_TY: tl.constexpr, PRECISION: tl.constexpr, BLOCK_N: tl.constexpr,
    ):
        """Online-softmax update over key tiles [lo, hi). EDGE tiles mask the causal
        diagonal and keys past N_K; interior tiles skip all masking."""
        for start_n in range(lo, hi, BLOCK_N):
            start_n = tl.multiple_of(start_n, BLOCK_N)
            cols = start_n + offs_n
            if EDGE:
                in_k = (cols < N_K)[:, None]
                k = tl.load(k_ptrs + start_n * stride_kn, mask=in_k, other=0.0).to(DOT_TY)
            else:
                k = tl.load(k_ptrs + start_n * stride_kn).to(DOT_TY)
            qk = tl.dot(q, tl.trans(k), input_precision=PRECISION)  # (BM, BN) fp32
            if EDGE or HAS_PAD:
                qk = qk * qk_scale
                if EDGE:
                    keep = cols[None, :] < N_K
                    if CAUSAL:
                        keep = keep & (cols[None, :] <= offs_m[:, None] + causal_shift)
                    qk = tl.where(keep, qk, float("-inf"))
                if HAS_PAD:
                    real = tl.load(kpad_ptr + cols, mask=cols < N_K, other=0)
                    qk = tl.where(real[None, :] != 0, qk, float("-inf"))
                m_new = tl.maximum(m_i, tl.max(qk, 1))
                # A row with no visible key so far keeps m = -inf; subtract 0 instead so
                # that exp2 gives 0, not NaN.
                m_use = tl.where(m_new == float("-inf"), 0.0, m_new)
                p = tl.math.exp2(qk - m_use[:, None])
            else:
                m_new = tl.maximum(m_i, tl.max(qk, 1) * qk_scale)
                m_use = m_new
                p = tl.math.exp2(qk * qk_scale - m_use[:, None])
            alpha = tl.math.exp2(m_i - m_use)
            l_i = l_i * alpha + tl.sum(p, 1)
            if EDGE:
                v = tl.load(v_ptrs + start_n * stride_vn, mask=in_k, other=0.0).to(DOT_TY)
            else:
                v = tl.load(v_ptrs + start_n * stride_vn).to(DOT_TY)
            acc = tl.dot(p.to(DOT_TY), v, acc * alpha[:, None], input_precision=PRECISION)
            m_i = m_new
        return acc, l_i, m_i

    @triton.jit
    def _query_tile(H, N_Q, CAUSAL: tl.constexpr, BLOCK_M: tl.constexpr):
        """This program's (batch x head) index, batch, head and first query row. Under a
        causal mask the last query tiles see the most keys: they start first."""
        pid_m = tl.program_id(0)
        if CAUSAL:
            pid_m = tl.cdiv(N_Q, BLOCK_M) - 1 - pid_m
        bh = tl.program_id(1)
        return bh, (bh // H).to(tl.int64), (bh % H).to(tl.int64), pid_m * BLOCK_M

    @triton.jit
    def _key_range(m0, N_Q, N_K, CAUSAL: tl.constexpr, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
        """For the query tile at row m0: the causal shift (keys may run ahead of queries),
        where the tiles that need no masking end, and where the visible keys end."""
        causal_shift = N_K - N_Q
        interior_end = (N_K // BLOCK_N) * BLOCK_N
        hi = N_K
        if CAUSAL:
            hi = tl.maximum(tl.minimum(m0 + BLOCK_M + causal_shift, N_K), 0)
            # tiles whose every key is visible to the tile's first query
            seen_by_all = (tl.maximum(m0 + causal_shift + 1, 0) // BLOCK_N) * BLOCK_N
            interior_end = tl.minimum(interior_end, seen_by_all)
        return causal_shift, interior_end, hi

    @triton.jit(do_not_specialize=_LENGTHS)
    def _fwd_kernel(
        Q, K, V, O, LSE, KPAD,
        sqb, sqh, sqm, skb, skh, skn, svb, svh, svn, sob, soh, som, spb,
        H, N_Q, N_K, sm_scale,
        TUNE_Q, TUNE_K,  # length buckets: only the autotuner reads them
        HEAD_DIM: tl.constexpr, CAUSAL: tl.constexpr, HAS_PAD: tl.constexpr,
        UPCAST: tl.constexpr, PRECISION: tl.constexpr,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
    ):
        DOT_TY = tl.float32 if UPCAST else Q.dtype.element_ty
        bh, b, h, m0 = _query_tile(H, N_Q, CAUSAL, BLOCK_M)
        offs_m = m0 + tl.arange(0, BLOCK_M)
        offs_n = tl.arange(0, BLOCK_N)
        offs_d = tl.arange(0, HEAD_DIM)
        in_q = (offs_m < N_Q)[:, None]

        q = tl.load(Q + b * sqb + h * sqh + offs_m[:, None] * sqm + offs_d[None, :], mask=in_q, other=0.0)
        q = q.to(DOT_TY)
        k_ptrs = K + b * skb + h * skh + offs_n[:, None] * skn + offs_d[None, :]
        v_ptrs = V + b * svb + h * svh + offs_n[:, None] * svn + offs_d[None, :]
        kpad_ptr = KPAD + b * spb

        qk_scale = sm_scale * 1.4426950408889634  # work in base 2: exp2 is one instruction
        m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
        l_i = tl.zeros([BLOCK_M], tl.float32)
        acc = tl.zeros([BLOCK_M, HEAD_DIM], tl.float32)

        causal_shift, interior_end, hi = _key_range(m0, N_Q, N_K, CAUSAL, BLOCK_M, BLOCK_N)
        acc, l_i, m_i = _fwd_tiles(
            acc, l_i, m_i, q, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
            0, interior_end, N_K, causal_shift, qk_scale, skn, svn,
            CAUSAL, HAS_PAD, False, DOT_TY, PRECISION, BLOCK_N,
        )
        acc, l_i, m_i = _fwd_tiles(
            acc, l_i, m_i, q, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
            interior_end, hi, N_K, causal_shift, qk_scale, skn, svn,
            CAUSAL, HAS_PAD, True, DOT_TY, PRECISION, BLOCK_N,
        )
        empty = l_i == 0.0  # rows that saw no key: output 0, logsumexp +inf (p = 0 in bwd)
        l_use = tl.where(empty, 1.0, l_i)
        out = acc / l_use[:, None]
        lse = tl.where(empty, float("inf"), m_i + tl.math.log2(l_use))
        tl.store(LSE + bh.to(tl.int64) * N_Q + offs_m, lse, mask=offs_m < N_Q)
        o_ptrs = O + b * sob + h * soh + offs_m[:, None] * som + offs_d[None, :]
        tl.store(o_ptrs, out.to(O.dtype.element_ty), mask=in_q)

    @triton.jit
    def _dq_tiles(
        dq, q, do, lse, delta, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
        lo, hi, N_K, causal_shift, qk_scale, stride_kn, stride_vn,
        CAUSAL: tl.constexpr, HAS_PAD: tl.constexpr, EDGE: tl.constexpr,
        DOT_TY: tl.constexpr, PRECISION: tl.constexpr, BLOCK_N: tl.constexpr,
    ):
        """dq += dS @ K over key tiles [lo, hi), recomputing P from the saved logsumexp."""
        for start_n in range(lo, hi, BLOCK_N):
            start_n = tl.multiple_of(start_n, BLOCK_N)
            cols = start_n + offs_n
            if EDGE:
                in_k = (cols < N_K)[:, None]
                k = tl.load(k_ptrs + start_n * stride_kn, mask=in_k, other=0.0).to(DOT_TY)
                v = tl.load(v_ptrs + start_n * stride_vn, mask=in_k, other=0.0).to(DOT_TY)
            else:
                k = tl.load(k_ptrs + start_n * stride_kn).to(DOT_TY)
                v = tl.load(v_ptrs + start_n * stride_vn).to(DOT_TY)
            qk = tl.dot(q, tl.trans(k), input_precision=PRECISION)
            p = tl.math.exp2(qk * qk_scale - lse[:, None])
            if EDGE:
                keep = cols[None, :] < N_K
                if CAUSAL:
                    keep = keep & (cols[None, :] <= offs_m[:, None] + causal_shift)
                p = tl.where(keep, p, 0.0)
            if HAS_PAD:
                real = tl.load(kpad_ptr + cols, mask=cols < N_K, other=0)
                p = tl.where(real[None, :] != 0, p, 0.0)
            dp = tl.dot(do, tl.trans(v), input_precision=PRECISION)
            ds = p * (dp - delta[:, None])
            dq = tl.dot(ds.to(DOT_TY), k, dq, input_precision=PRECISION)
        return dq

    @triton.jit(do_not_specialize=_LENGTHS)
    def _bwd_dq_kernel(
        Q, K, V, O, DO, DQ, LSE, DELTA, KPAD,
        sqb, sqh, sqm, skb, skh, skn, svb, svh, svn, sob, soh, som,
        sdob, sdoh, sdom, sdqb, sdqh, sdqm, spb,
        H, N_Q, N_K, sm_scale,
        TUNE_Q, TUNE_K,
        HEAD_DIM: tl.constexpr, CAUSAL: tl.constexpr, HAS_PAD: tl.constexpr,
        UPCAST: tl.constexpr, PRECISION: tl.constexpr,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
    ):
        DOT_TY = tl.float32 if UPCAST else Q.dtype.element_ty
        bh, b, h, m0 = _query_tile(H, N_Q, CAUSAL, BLOCK_M)
        offs_m = m0 + tl.arange(0, BLOCK_M)
        offs_n = tl.arange(0, BLOCK_N)
        offs_d = tl.arange(0, HEAD_DIM)
        in_q = (offs_m < N_Q)[:, None]
        rows = offs_m[:, None]
        cols_d = offs_d[None, :]

        q = tl.load(Q + b * sqb + h * sqh + rows * sqm + cols_d, mask=in_q, other=0.0).to(DOT_TY)
        o = tl.load(O + b * sob + h * soh + rows * som + cols_d, mask=in_q, other=0.0).to(tl.float32)
        do = tl.load(DO + b * sdob + h * sdoh + rows * sdom + cols_d, mask=in_q, other=0.0)
        do = do.to(tl.float32)
        delta = tl.sum(o * do, 1)  # D_i = rowsum(dO * O), reused by the dk/dv kernel
        stat = bh.to(tl.int64) * N_Q + offs_m
        tl.store(DELTA + stat, delta, mask=offs_m < N_Q)
        lse = tl.load(LSE + stat, mask=offs_m < N_Q, other=float("inf"))
        do = do.to(DOT_TY)

        k_ptrs = K + b * skb + h * skh + offs_n[:, None] * skn + cols_d
        v_ptrs = V + b * svb + h * svh + offs_n[:, None] * svn + cols_d
        kpad_ptr = KPAD + b * spb
        qk_scale = sm_scale * 1.4426950408889634
        dq = tl.zeros([BLOCK_M, HEAD_DIM], tl.float32)

        causal_shift, interior_end, hi = _key_range(m0, N_Q, N_K, CAUSAL, BLOCK_M, BLOCK_N)
        dq = _dq_tiles(
            dq, q, do, lse, delta, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
            0, interior_end, N_K, causal_shift, qk_scale, skn, svn,
            CAUSAL, HAS_PAD, False, DOT_TY, PRECISION, BLOCK_N,
        )
        dq = _dq_tiles(
            dq, q, do, lse, delta, k_ptrs, v_ptrs, kpad_ptr, offs_m, offs_n,
            interior_end, hi, N_K, causal_shift, qk_scale, skn, svn,
            CAUSAL, HAS_PAD, True, DOT_TY, PRECISION, BLOCK_N,
        )
        dq_ptrs = DQ + b * sdqb + h * sdqh + rows * sdqm + cols_d
        tl.store(dq_ptrs, (dq * sm_scale).to(DQ.dtype.element_ty), mask=in_q)

    @triton.jit
    def _dkdv_tiles(
        dk, dv, k, v, q_ptrs, do_ptrs, lse_ptr, delta_ptr, offs_m, offs_n,
        lo, hi, N_Q, causal_shift, qk_scale, stride_qm, stride_dom,
        CAUSAL: tl.constexpr, EDGE: tl.constexpr,
        DOT_TY: tl.constexpr, PRECISION: tl.constexpr, BLOCK_M: tl.constexpr,
    ):
        """dV += P^T dO and dK += dS^T Q over query tiles [lo, hi), in the transposed
        (keys x queries) frame so that the key tile stays resident."""
        for start_m in range(lo, hi, BLOCK_M):
            start_m = tl.multiple_of(start_m, BLOCK_M)
            rows = start_m + offs_m
            if EDGE:
                in_q = (rows < N_Q)[:, None]
                q = tl.load(q_ptrs + start_m * stride_qm, mask=in_q, other=0.0).to(DOT_TY)
                lse = tl.load(lse_ptr + rows, mask=rows < N_Q, other=float("inf"))
            else:
                q = tl.load(q_ptrs + start_m * stride_qm).to(DOT_TY)
                lse = tl.load(lse_ptr + rows)
            qkT = tl.dot(k, tl.trans(q), input_precision=PRECISION)  # (BN, BM)
            pT = tl.math.exp2(qkT * qk_scale - lse[None, :])
            if EDGE:
                if CAUSAL:
                    pT = tl.where(offs_n[:, None] <= rows[None, :] + causal_shift, pT, 0.0)
                do = tl.load(do_ptrs + start_m * stride_dom, mask=in_q, other=0.0).to(DOT_TY)
                delta = tl.load(delta_ptr + rows, mask=rows < N_Q, other=0.0)
            else:
                do = tl.load(do_ptrs + start_m * stride_dom).to(DOT_TY)
                delta = tl.load(delta_ptr + rows)
            dv = tl.dot(pT.to(DOT_TY), do, dv, input_precision=PRECISION)
            dpT = tl.dot(v, tl.trans(do), input_precision=PRECISION)
            dsT = pT * (dpT - delta[None, :])
            dk = tl.dot(dsT.to(DOT_TY), q, dk, input_precision=PRECISION)
        return dk, dv

    @triton.jit(do_not_specialize=_LENGTHS)
    def _bwd_dkdv_kernel(
        Q, K, V, DO, DK, DV, LSE, DELTA, KPAD,
        sqb, sqh, sqm, skb, skh, skn, svb, svh, svn,
        sdob, sdoh, sdom, sdkb, sdkh, sdkn, sdvb, sdvh, sdvn, spb,
        H, N_Q, N_K, sm_scale,
        TUNE_Q, TUNE_K,
        HEAD_DIM: tl.constexpr, CAUSAL: tl.constexpr, HAS_PAD: tl.constexpr,
        UPCAST: tl.constexpr, PRECISION: tl.constexpr,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
    ):
        DOT_TY = tl.float32 if UPCAST else Q.dtype.element_ty
        pid_n = tl.program_id(0)
        bh = tl.program_id(1)
        b = (bh // H).to(tl.int64)
        h = (bh % H).to(tl.int64)
        n0 = pid_n * BLOCK_N
        offs_n = n0 + tl.arange(0, BLOCK_N)
        offs_m = tl.arange(0, BLOCK_M)
        offs_d = tl.arange(0, HEAD_DIM)
        in_k = (offs_n < N_K)[:, None]
        cols_d = offs_d[None, :]

        k = tl.load(K + b * skb + h * skh + offs_n[:, None] * skn + cols_d, mask=in_k, other=0.0)
        v = tl.load(V + b * svb + h * svh + offs_n[:, None] * svn + cols_d, mask=in_k, other=0.0)
        k = k.to(DOT_TY)
        v = v.to(DOT_TY)
        q_ptrs = Q + b * sqb + h * sqh + offs_m[:, None] * sqm + cols_d
        do_ptrs = DO + b * sdob + h * sdoh + offs_m[:, None] * sdom + cols_d
        lse_ptr = LSE + bh.to(tl.int64) * N_Q
        delta_ptr = DELTA + bh.to(tl.int64) * N_Q
        qk_scale = sm_scale * 1.4426950408889634
        dk = tl.zeros([BLOCK_N, HEAD_DIM], tl.float32)
        dv = tl.zeros([BLOCK_N, HEAD_DIM], tl.float32)

        # Query tiles: [lo, diag_end) straddle the causal diagonal, [diag_end, q_full) are
        # fully visible, [tail, N_Q) is the ragged end. Padded keys need no per-tile mask:
        # every gradient of a padded key is zeroed at the end.
        causal_shift = N_K - N_Q
        q_full = (N_Q // BLOCK_M) * BLOCK_M
        lo = 0
        diag_end = 0
        if CAUSAL:
            lo = (tl.maximum(n0 - causal_shift, 0) // BLOCK_M) * BLOCK_M
            first_full = tl.cdiv(tl.maximum(n0 + BLOCK_N - 1 - causal_shift, 0), BLOCK_M) * BLOCK_M
            diag_end = tl.minimum(tl.maximum(first_full, lo), q_full)
        tail = tl.maximum(q_full, lo)
        dk, dv = _dkdv_tiles(
            dk, dv, k, v, q_ptrs, do_ptrs, lse_ptr, delta_ptr, offs_m, offs_n,
            lo, diag_end, N_Q, causal_shift, qk_scale, sqm, sdom,
            CAUSAL, True, DOT_TY, PRECISION, BLOCK_M,
        )
        dk, dv = _dkdv_tiles(
            dk, dv, k, v, q_ptrs, do_ptrs, lse_ptr, delta_ptr, offs_m, offs_n,
            diag_end, q_full, N_Q, causal_shift, qk_scale, sqm, sdom,
            CAUSAL, False, DOT_TY, PRECISION, BLOCK_M,
        )
        dk, dv = _dkdv_tiles(
            dk, dv, k, v, q_ptrs, do_ptrs, lse_ptr, delta_ptr, offs_m, offs_n,
            tail, N_Q, N_Q, causal_shift, qk_scale, sqm, sdom,
            CAUSAL, True, DOT_TY, PRECISION, BLOCK_M,
        )
        if HAS_PAD:
            real = tl.load(KPAD + b * spb + offs_n, mask=offs_n < N_K, other=0)
            dk = tl.where(real[:, None] != 0, dk, 0.0)
            dv = tl.where(real[:, None] != 0, dv, 0.0)
        dk_ptrs = DK + b * sdkb + h * sdkh + offs_n[:, None] * sdkn + cols_d
        dv_ptrs = DV + b * sdvb + h * sdvh + offs_n[:, None] * sdvn + cols_d
        tl.store(dk_ptrs, (dk * sm_scale).to(DK.dtype.element_ty), mask=in_k)
        tl.store(dv_ptrs, dv.to(DV.dtype.element_ty), mask=in_k)

    # ---- autotuning (GPU only; the interpreter runs one fixed tiling) ----

    # (BLOCK_M, BLOCK_N, num_warps, num_stages) candidates per kernel and operand class,
    # for Hopper (H100/H200): tilings whose sm_90 build fits shared memory and spills few
    # or no registers. On an H200 (triton 3.6, bf16) the autotuner picked fwd 128x64/8
    # warps almost everywhere; dq 64x64/4 (D<=64) and 128x64/8 (D=128); dk/dv 32x128/4 or
    # 64x64/4 (D<=64) and 64x128/8 (D=128). The last of each list is small enough for any
    # CUDA GPU.
    # fwd and dq keep a query tile of BLOCK_M resident while key tiles stream past;
    # dk/dv keeps a key tile of BLOCK_N resident while query tiles stream past.
    # fp32 is for correctness, not speed: one small tiling.
    _SHAPES = {
        "fwd": {
            "d64": [(128, 64, 4, 3), (128, 64, 8, 3), (128, 128, 8, 3), (128, 128, 8, 2), (64, 64, 4, 3)],
            "d128": [(128, 64, 8, 3), (128, 64, 8, 2), (128, 128, 8, 2), (64, 64, 4, 3), (64, 32, 4, 2)],
            "fp32": [(64, 32, 4, 2)],
        },
        "dq": {
            "d64": [(128, 32, 4, 3), (128, 64, 8, 3), (128, 32, 8, 3), (64, 64, 4, 3)],
            "d128": [(128, 64, 8, 3), (128, 32, 8, 3), (64, 64, 4, 3), (64, 32, 4, 2)],
            "fp32": [(64, 32, 4, 2)],
        },
        "dkdv": {
            "d64": [(32, 128, 4, 3), (64, 128, 8, 3), (32, 128, 8, 3), (64, 64, 4, 3)],
            "d128": [(64, 128, 8, 3), (32, 128, 8, 3), (64, 64, 8, 3), (32, 64, 4, 2)],
            "fp32": [(32, 64, 4, 2)],
        },
    }

    def _shape(c: triton.Config) -> tuple[int, int, int, int]:
        return c.kwargs["BLOCK_M"], c.kwargs["BLOCK_N"], c.num_warps, c.num_stages

    def _autotuned(kernel, shapes: dict[str, list[tuple[int, int, int, int]]]):
        """`kernel` autotuned over the candidates of its operand class only."""
        every = sorted({shape for group in shapes.values() for shape in group})
        configs = [
            triton.Config({"BLOCK_M": bm, "BLOCK_N": bn}, num_warps=w, num_stages=st)
            for bm, bn, w, st in every
        ]

        def prune(configs, nargs, **kwargs):
            q = nargs["Q"]
            group = "fp32" if q.dtype == torch.float32 else "d128" if q.shape[-1] > 64 else "d64"
            return [c for c in configs if _shape(c) in shapes[group]]

        key = ["TUNE_Q", "TUNE_K", "HEAD_DIM", "CAUSAL", "HAS_PAD", "PRECISION"]
        return triton.autotune(configs, key=key, prune_configs_by={"early_config_prune": prune})(kernel)

    _fwd_tuned = _autotuned(_fwd_kernel, _SHAPES["fwd"])
    _dq_tuned = _autotuned(_bwd_dq_kernel, _SHAPES["dq"])
    _dkdv_tuned = _autotuned(_bwd_dkdv_kernel, _SHAPES["dkdv"])


def _bucket(n: int) -> int:
    """Autotuning key for a length: the next power of two, so that a training run with
    many distinct lengths tunes a handful of times, not once per length."""
    return 1 << max(n - 1, 0).bit_length()


def _strides(t: torch.Tensor) -> tuple[int, int, int]:
    return t.stride(0), t.stride(1), t.stride(2)


def _launcher(tuned, raw, tiles: Tiles | None, grid_rows: int, bh: int):
    """The autotuned kernel on a GPU, or the raw kernel with a fixed tiling."""
    if tiles is None and not _interpreting():
        return tuned, lambda meta: (triton.cdiv(grid_rows, meta[_grid_block(raw)]), bh), {}
    tiles = tiles or Tiles()
    block = {"BLOCK_M": tiles.block_m, "BLOCK_N": tiles.block_n}
    grid = (triton.cdiv(grid_rows, block[_grid_block(raw)]), bh)
    opts = dict(block, num_warps=tiles.num_warps, num_stages=tiles.num_stages)
    return raw, grid, opts


def _grid_block(raw) -> str:
    return "BLOCK_N" if raw is _bwd_dkdv_kernel else "BLOCK_M"


def _common(q: torch.Tensor, causal: bool, has_pad: bool) -> dict:
    # fp32 follows torch's matmul setting: TF32 when allowed, else three TF32 products
    # (~fp32 accuracy on tensor cores; plain IEEE dots fall back to FMA and spill).
    fp32_dot = "tf32" if torch.backends.cuda.matmul.allow_tf32 else "tf32x3"
    return dict(
        HEAD_DIM=q.shape[-1], CAUSAL=causal, HAS_PAD=has_pad,
        UPCAST=_interpreting() and q.dtype == torch.bfloat16,
        PRECISION=fp32_dot if q.dtype == torch.float32 else "tf32",  # (ignored for 16-bit)
    )


def _forward(q, k, v, kpad, causal: bool, tiles: Tiles | None):
    B, H, n_q, D = q.shape
    n_k = k.shape[2]
    o = torch.empty_like(q)
    lse = torch.empty((B, H, n_q), device=q.device, dtype=torch.float32)
    sm_scale = 1.0 / math.sqrt(D)
    has_pad = kpad is not None
    pad = kpad if has_pad else lse  # any pointer; never read
    fn, grid, opts = _launcher(_fwd_tuned, _fwd_kernel, tiles, n_q, B * H)
    fn[grid](
        q, k, v, o, lse, pad,
        *_strides(q), *_strides(k), *_strides(v), *_strides(o), pad.stride(0),
        H, n_q, n_k, sm_scale, _bucket(n_q), _bucket(n_k),
        **_common(q, causal, has_pad), **opts,
    )
    return o, lse


def _backward(q, k, v, o, lse, do, kpad, causal: bool, tiles: Tiles | None):
    B, H, n_q, D = q.shape
    n_k = k.shape[2]
    dq, dk, dv = torch.empty_like(q), torch.empty_like(k), torch.empty_like(v)
    delta = torch.empty_like(lse)
    sm_scale = 1.0 / math.sqrt(D)
    has_pad = kpad is not None
    pad = kpad if has_pad else lse
    common = _common(q, causal, has_pad)
    fn, grid, opts = _launcher(_dq_tuned, _bwd_dq_kernel, tiles, n_q, B * H)
    fn[grid](
        q, k, v, o, do, dq, lse, delta, pad,
        *_strides(q), *_strides(k), *_strides(v), *_strides(o),
        *_strides(do), *_strides(dq), pad.stride(0),
        H, n_q, n_k, sm_scale, _bucket(n_q), _bucket(n_k), **common, **opts,
    )
    if n_k == 0:
        return dq, dk, dv
    fn, grid, opts = _launcher(_dkdv_tuned, _bwd_dkdv_kernel, tiles, n_k, B * H)
    fn[grid](
        q, k, v, do, dk, dv, lse, delta, pad,
        *_strides(q), *_strides(k), *_strides(v),
        *_strides(do), *_strides(dk), *_strides(dv), pad.stride(0),
        H, n_q, n_k, sm_scale, _bucket(n_q), _bucket(n_k), **common, **opts,
    )
    return dq, dk, dv


def _last_dim_contiguous(t: torch.Tensor) -> torch.Tensor:
    return t if t.stride(-1) == 1 else t.contiguous()


class FlashAttention(torch.autograd.Function):
    """Autograd wrapper: saves q, k, v, the output and its logsumexp for the backward."""

    @staticmethod
    def forward(ctx, q, k, v, causal, kpad, tiles):
        q, k, v = (_last_dim_contiguous(t) for t in (q, k, v))
        o, lse = _forward(q, k, v, kpad, causal, tiles)
        ctx.save_for_backward(q, k, v, o, lse, kpad)
        ctx.causal, ctx.tiles = causal, tiles
        return o

    @staticmethod
    def backward(ctx, do):
        q, k, v, o, lse, kpad = ctx.saved_tensors
        do = _last_dim_contiguous(do)
        dq, dk, dv = _backward(q, k, v, o, lse, do, kpad, ctx.causal, ctx.tiles)
        return dq, dk, dv, None, None, None


def _check(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, kpad: torch.Tensor | None) -> None:
    if triton is None:
        raise RuntimeError("flash attention needs triton, which is not installed")
    if not (q.is_cuda or _interpreting()):
        raise RuntimeError("the Triton kernel needs CUDA tensors, or TRITON_INTERPRET=1 on CPU")
    if q.dim() != 4 or k.dim() != 4 or v.dim() != 4:
        raise ValueError(f"q, k, v must be (B, H, N, D); got {tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}")
    if q.shape[:2] != k.shape[:2] or k.shape != v.shape or q.shape[-1] != k.shape[-1]:
        raise ValueError(f"shapes do not match: q {tuple(q.shape)}, k {tuple(k.shape)}, v {tuple(v.shape)}")
    if q.shape[-1] not in HEAD_DIMS:
        raise ValueError(f"head dim must be one of {HEAD_DIMS}, got {q.shape[-1]}")
    if q.dtype not in DTYPES or k.dtype != q.dtype or v.dtype != q.dtype:
        raise ValueError(f"q, k, v must share one dtype of {DTYPES}; got {q.dtype}, {k.dtype}, {v.dtype}")
    if kpad is not None and (kpad.dtype != torch.bool or tuple(kpad.shape) != (k.shape[0], k.shape[2])):
        raise ValueError(
            f"key_padding_mask must be bool of shape {(k.shape[0], k.shape[2])}, "
            f"got {kpad.dtype} {tuple(kpad.shape)}"
        )


def flash_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    causal: bool = False,
    key_padding_mask: torch.Tensor | None = None,
    tiles: Tiles | None = None,
) -> torch.Tensor:
    """softmax(q k^T / sqrt(D)) v with the Triton kernels, differentiable in q, k and v.

    Args:
        q: (B, H, N_q, D) queries; fp16, bf16 or fp32; D in 16, 32, 64, 128.
        k, v: (B, H, N_k, D) keys and values, same dtype as `q`.
        causal: mask keys after each query, aligned bottom-right (query i sees key j when
            j <= i + N_k - N_q).
        key_padding_mask: (B, N_k) bool, True for a real key; padded keys are never attended.
        tiles: a fixed tiling instead of autotuning (16 x 16 by default under the interpreter).

    Returns:
        (B, H, N_q, D) tensor in the dtype of `q`; rows that see no key are 0.

    Example:
        >>> o = flash_attention(q, k, v, causal=True)  # q, k, v: (2, 8, 1024, 64) bf16 CUDA
    """
    _check(q, k, v, key_padding_mask)
    if q.shape[2] == 0:
        return q.new_empty(q.shape)
    kpad = None
    if key_padding_mask is not None:
        kpad = key_padding_mask.contiguous().view(torch.uint8)
    return FlashAttention.apply(q, k, v, causal, kpad, tiles)
