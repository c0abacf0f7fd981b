"""Flash attention: our Triton kernel against PyTorch SDPA's backends, in one run.

On a CUDA GPU it first checks correctness against a float64 reference for every supported
case (causal or not, key padding, ragged and unequal lengths, head dims 32/64/128,
fp16/bf16/fp32, output and all three gradients), then times ours against SDPA's flash
(FlashAttention-2), cuDNN and memory-efficient backends: bf16, head dims 64 and 128,
sequence lengths 1k/4k/16k, causal and not, forward and forward+backward, with batch x
heads sized to 16k tokens x 2048 hidden. TFLOP/s count 4*B*H*N^2*D (halved when causal),
x3.5 for forward+backward. Times are medians of `triton.testing.do_bench`.

`--smoke` runs only the correctness sweep, on tiny shapes, under TRITON_INTERPRET=1 on CPU.

Writes attention-<device>.md and .json under --out.

    python benchmarks/attention.py --out benchmarks/results/
    python benchmarks/attention.py --smoke --out /tmp/attn
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

# (causal, padded, N_q, N_k): ragged lengths everywhere; the last two have rows that see
# no key at all (causal with N_q > N_k, and a batch row padded to nothing).
GPU_VARIANTS = [(False, False, 1000, 1000), (True, False, 777, 777), (False, True, 300, 1000),
                (True, True, 1000, 300), (True, False, 200, 900)]
SMOKE_VARIANTS = [(False, False, 17, 17), (True, False, 33, 33), (False, True, 20, 37),
                  (True, True, 37, 20), (True, False, 7, 40)]
# max ||ours - ref|| / ||ref|| by dtype (fp32 dots are 3xTF32 on GPU, exact when interpreted)
TOLERANCE = {"float32": 2e-5, "float16": 5e-3, "bfloat16": 3e-2}
SDPA_BACKENDS = ("flash", "cudnn", "efficient")


def reference(q, k, v, causal, pad):
    """Plain float64 attention with the package's conventions (bottom-right causal,
    rows that see no key give 0)."""
    import torch

    q, k, v = (t.double() for t in (q, k, v))
    n_q, n_k = q.shape[2], k.shape[2]
    keep = torch.ones(n_q, n_k, dtype=torch.bool, device=q.device)
    if causal:
        keep = keep.tril(n_k - n_q)
    keep = keep[None, None]
    if pad is not None:
        keep = keep & pad[:, None, None, :]
    s = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    p = s.masked_fill(~keep, float("-inf")).softmax(-1).nan_to_num(0.0)
    return p @ v


def rel_err(a, b) -> float:
    a, b = a.double(), b.double()
    return ((a - b).norm() / b.norm().clamp_min(1e-30)).item()


def run_case(fn, q, k, v, causal, pad):
    """Output and (dq, dk, dv) of `fn` and of the float64 reference, on fresh leaves."""
    import torch

    leaves = [t.detach().clone().requires_grad_() for t in (q, k, v)]
    out = fn(*leaves, causal, pad)
    do = torch.randn_like(out)
    out.backward(do)
    ref_leaves = [t.detach().double().requires_grad_() for t in (q, k, v)]
    ref = reference(*ref_leaves, causal, pad)
    ref.backward(do.double())
    names = ("out", "dq", "dk", "dv")
    ours = (out, *(t.grad for t in leaves))
    refs = (ref, *(t.grad for t in ref_leaves))
    errs = {n: rel_err(a, b) for n, a, b in zip(names, ours, refs)}
    errs["finite"] = all(bool(torch.isfinite(t).all()) for t in ours)
    return errs


def correctness(device: str, smoke: bool) -> list[dict]:
    """Every head dim x dtype, two mask/length variants each; plus the SDPA fallback."""
    import torch

    from polyglot.nmt.attention import attention
    from polyglot.nmt.attention.flash import Tiles, flash_attention

    variants = SMOKE_VARIANTS if smoke else GPU_VARIANTS
    B, H = (2, 1) if smoke else (2, 3)
    # Fixed tilings keep the sweep's compile count small; the autotuned path is checked
    # on the benchmark's own shapes below.
    tiles = [Tiles(16, 16), Tiles(16, 32)] if smoke else [Tiles(64, 64, 4, 2), Tiles(128, 64, 8, 2)]
    fp32_tiles = Tiles(16, 16) if smoke else Tiles(64, 32, 4, 2)  # fp32 tiles take twice the memory
    impls = {
        "triton": lambda q, k, v, c, p, t: flash_attention(q, k, v, causal=c, key_padding_mask=p, tiles=t),
        "sdpa": lambda q, k, v, c, p, t: attention(q, k, v, causal=c, key_padding_mask=p, backend="sdpa"),
    }
    rows = []
    i = 0
    for dim in (32, 64, 128):
        for dtype in (torch.float16, torch.bfloat16, torch.float32):
            for j in range(2):
                causal, padded, n_q, n_k = variants[(i + 2 * j) % len(variants)]
                t = fp32_tiles if dtype == torch.float32 else tiles[j % len(tiles)]
                gen = torch.Generator(device="cpu").manual_seed(1000 + i * 2 + j)
                q, k, v = (torch.randn(B, H, n, dim, generator=gen).to(device, dtype)
                           for n in (n_q, n_k, n_k))
                pad = None
                if padded:
                    pad = torch.rand(B, n_k, generator=gen) < 0.8
                    pad[-1] = False  # one batch row with no key at all
                    pad = pad.to(device)
                for name, fn in impls.items():
                    if name == "sdpa" and (smoke or j == 1):
                        continue  # SDPA fallback: once per head dim x dtype, on GPU
                    t0 = time.perf_counter()
                    errs = run_case(lambda a, b, c, cz, p: fn(a, b, c, cz, p, t), q, k, v, causal, pad)
                    tol = TOLERANCE[str(dtype).split(".")[-1]]
                    ok = errs["finite"] and max(errs[n] for n in ("out", "dq", "dk", "dv")) <= tol
                    rows.append(dict(
                        impl=name, dim=dim, dtype=str(dtype).split(".")[-1], causal=causal,
                        padded=padded, n_q=n_q, n_k=n_k,
                        tiles=None if name == "sdpa" else [t.block_m, t.block_n],
                        **errs, tol=tol, ok=ok, seconds=round(time.perf_counter() - t0, 2),
                    ))
                    print_row(rows[-1])
            i += 1
    return rows


def print_row(r: dict) -> None:
    errs = " ".join(f"{n}={r[n]:.1e}" for n in ("out", "dq", "dk", "dv"))
    print(f"{'ok  ' if r['ok'] else 'FAIL'} {r['impl']:6} D={r['dim']:<3} {r['dtype']:8} "
          f"causal={r['causal']!s:5} pad={r['padded']!s:5} Nq={r['n_q']:<4} Nk={r['n_k']:<4} "
          f"{errs} ({r['seconds']}s)", flush=True)


def timing() -> tuple[list[dict], list[dict]]:
    """Ours vs SDPA backends; each case is also checked against SDPA flash."""
    import torch
    import torch.nn.functional as F
    import triton
    from torch.nn.attention import SDPBackend, sdpa_kernel

    from polyglot.nmt.attention.flash import _dkdv_tuned, _dq_tuned, _fwd_tuned, flash_attention

    backends = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION,
                "efficient": SDPBackend.EFFICIENT_ATTENTION}

    def sdpa(name):
        def fn(q, k, v, causal):
            with sdpa_kernel(backends[name]):
                return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        return fn

    impls = {"ours": lambda q, k, v, causal: flash_attention(q, k, v, causal=causal)}
    impls.update({name: sdpa(name) for name in SDPA_BACKENDS})
    rows, checks = [], []
    tokens, hidden = 16384, 2048
    for dim in (64, 128):
        for n in (1024, 4096, 16384):
            for causal in (False, True):
                B, H = tokens // n, hidden // dim
                gen = torch.Generator(device="cuda").manual_seed(n + dim + causal)
                q, k, v = (torch.randn(B, H, n, dim, device="cuda", dtype=torch.bfloat16, generator=gen)
                           for _ in range(3))
                do = torch.randn_like(q)
                flops = 4 * B * H * n * n * dim / (2 if causal else 1)
                # correctness of the autotuned path against SDPA flash on this very shape
                got = {}
                for name in ("ours", "flash"):
                    leaves = [t.clone().requires_grad_() for t in (q, k, v)]
                    out = impls[name](*leaves, causal)
                    out.backward(do)
                    got[name] = (out, *(t.grad for t in leaves))
                errs = {g: rel_err(a, b) for g, a, b in zip(("out", "dq", "dk", "dv"), got["ours"], got["flash"])}
                checks.append(dict(dim=dim, n=n, causal=causal, **errs,
                                   ok=max(errs.values()) <= TOLERANCE["bfloat16"]))
                del got
                for mode in ("fwd", "fwd+bwd"):
                    row = dict(dim=dim, n=n, causal=causal, batch=B, heads=H, mode=mode, ms={}, tflops={})
                    for name, fn in impls.items():
                        try:
                            if mode == "fwd":
                                ms = triton.testing.do_bench(lambda: fn(q, k, v, causal), return_mode="median")
                            else:
                                leaves = [t.clone().requires_grad_() for t in (q, k, v)]
                                ms = triton.testing.do_bench(
                                    lambda: fn(*leaves, causal).backward(do),
                                    grad_to_none=leaves, return_mode="median")
                        except RuntimeError as err:  # a backend that does not take this case
                            print(f"  {name} {mode} D={dim} N={n}: {str(err).splitlines()[0]}")
                            ms = None
                        row["ms"][name] = ms
                        work = flops * (3.5 if mode == "fwd+bwd" else 1.0)
                        row["tflops"][name] = None if ms is None else work / ms / 1e9
                    tuned = (_fwd_tuned,) if mode == "fwd" else (_fwd_tuned, _dq_tuned, _dkdv_tuned)
                    row["configs"] = [str(t.best_config) for t in tuned]
                    rows.append(row)
                    print(format_timing(row), flush=True)
    return rows, checks


def ratio(row: dict, other: str) -> float | None:
    a, b = row["tflops"].get("ours"), row["tflops"].get(other)
    return None if not a or not b else a / b


def format_timing(r: dict) -> str:
    tf = " ".join(f"{n}={r['tflops'][n]:6.1f}" if r["tflops"][n] else f"{n}=   n/a"
                  for n in ("ours", *SDPA_BACKENDS))
    ratios = " ".join(f"x{n}={ratio(r, n):.2f}" if ratio(r, n) else f"x{n}=n/a" for n in SDPA_BACKENDS)
    return f"D={r['dim']:<3} N={r['n']:<5} causal={r['causal']!s:5} {r['mode']:7} TFLOP/s {tf} | {ratios}"


def summary(timings: list[dict]) -> list[str]:
    """One line per (baseline, pass): the range of ours / baseline over all timed shapes."""
    lines = []
    for name in SDPA_BACKENDS:
        for mode in ("fwd", "fwd+bwd"):
            rs = [ratio(r, name) for r in timings if r["mode"] == mode and ratio(r, name)]
            if rs:
                lines.append(f"ours / SDPA {name}, {mode}: {min(rs):.2f}x to {max(rs):.2f}x "
                             f"(median {sorted(rs)[len(rs) // 2]:.2f}x over {len(rs)} shapes)")
    return lines


def markdown(meta: dict, rows: list[dict], checks: list[dict], timings: list[dict]) -> str:
    lines = [f"# Flash attention benchmark ({meta['device']})", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    if timings:
        lines += ["", "## Summary (bf16)", ""] + [f"- {line}" for line in summary(timings)]
    passed = sum(r["ok"] for r in rows)
    lines += ["", f"## Correctness vs float64 reference: {passed}/{len(rows)} pass", "",
              "| impl | D | dtype | causal | pad | N_q | N_k | out | dq | dk | dv | tol | ok |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        errs = " | ".join(f"{r[n]:.1e}" for n in ("out", "dq", "dk", "dv"))
        lines.append(f"| {r['impl']} | {r['dim']} | {r['dtype']} | {r['causal']} | {r['padded']} | "
                     f"{r['n_q']} | {r['n_k']} | {errs} | {r['tol']:.0e} | {'yes' if r['ok'] else 'NO'} |")
    if checks:
        lines += ["", "## Autotuned kernel vs SDPA flash on the timed shapes (bf16, relative error)", "",
                  "| D | N | causal | out | dq | dk | dv | ok |", "|---|---|---|---|---|---|---|---|"]
        for c in checks:
            errs = " | ".join(f"{c[n]:.1e}" for n in ("out", "dq", "dk", "dv"))
            lines.append(f"| {c['dim']} | {c['n']} | {c['causal']} | {errs} | {'yes' if c['ok'] else 'NO'} |")
    if timings:
        lines += ["", "## Speed, bf16, TFLOP/s (median of do_bench); ratio = ours / backend", "",
                  "| D | N | B x H | causal | pass | ours | SDPA flash | SDPA cuDNN | SDPA efficient "
                  "| vs flash | vs cuDNN | vs efficient |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in timings:
            tf = " | ".join(f"{r['tflops'][n]:.0f}" if r["tflops"][n] else "n/a" for n in ("ours", *SDPA_BACKENDS))
            rs = " | ".join(f"{ratio(r, n):.2f}" if ratio(r, n) else "n/a" for n in SDPA_BACKENDS)
            lines.append(f"| {r['dim']} | {r['n']} | {r['batch']} x {r['heads']} | {r['causal']} | "
                         f"{r['mode']} | {tf} | {rs} |")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as f:
        f.write(text)
    os.replace(f.name, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"), help="output folder")
    parser.add_argument("--smoke", action="store_true", help="tiny correctness sweep under TRITON_INTERPRET on CPU")
    parser.add_argument("--no-timing", action="store_true", help="run the correctness sweep only")
    args = parser.parse_args(argv)
    if args.smoke:
        os.environ["TRITON_INTERPRET"] = "1"  # before any kernel module is imported
    import torch
    import triton

    cuda = torch.cuda.is_available() and not args.smoke
    if not cuda and not args.smoke:
        print("no CUDA device: run with --smoke for the interpreter sweep", file=sys.stderr)
        return 2
    device_name = torch.cuda.get_device_name() if cuda else "CPU, TRITON_INTERPRET=1"
    meta = {
        "date": datetime.date.today().isoformat(), "device": device_name,
        "torch": torch.__version__, "triton": triton.__version__,
        "cuda": torch.version.cuda if cuda else None,
    }
    print(" | ".join(f"{k}: {v}" for k, v in meta.items()), flush=True)
    t0 = time.perf_counter()
    rows = correctness("cuda" if cuda else "cpu", args.smoke)
    meta["correctness_seconds"] = round(time.perf_counter() - t0, 1)
    timings, checks = [], []
    if cuda and not args.no_timing:
        t0 = time.perf_counter()
        timings, checks = timing()
        meta["timing_seconds"] = round(time.perf_counter() - t0, 1)
    slug = device_name.split()[-1].lower() if cuda else "cpu-smoke"
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / f"attention-{slug}.md", markdown(meta, rows, checks, timings))
    write_atomic(args.out / f"attention-{slug}.json",
                 json.dumps(dict(meta=meta, correctness=rows, checks=checks, timing=timings), indent=1))
    failed = [r for r in rows if not r["ok"]] + [c for c in checks if not c["ok"]]
    print(f"\ncorrectness: {len(rows) + len(checks) - len(failed)}/{len(rows) + len(checks)} pass")
    for r in timings:
        print(format_timing(r))
    for line in summary(timings):
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
