"""Speculative decoding against plain greedy decoding of the same target model.

    python benchmarks/decode.py                      # CPU; writes benchmarks/results/decode.md
    python benchmarks/decode.py --device cuda        # adds/replaces the CUDA section

Random weights make a meaningless benchmark (a random target's greedy output is noise a
draft cannot predict, or a single repeated token any draft predicts), so the script first
trains, on the chosen device, for a fixed number of steps:

- the *target*, an encoder-decoder with 6 decoder layers, on a synthetic translation task:
  the source is ``<tag> x_1 .. x_n`` (n from 6 to 20, tokens drawn from a skewed
  distribution), the target is ``f(x_1) .. f(x_n) </s>`` for a fixed permutation f of the
  vocabulary -- word-by-word translation with alignment, learnt in a few hundred steps;
- the *draft*, the target cut to its first decoder layer (same embeddings and encoder,
  one decoder layer instead of six, so a draft step costs about a sixth of a target
  step), then distilled from the target: KL divergence to the target's teacher-forced
  distributions on fresh task data. Draft and target are separate models; nothing is
  shared at decoding time.

Then it decodes the same held-out sources at batch 1 with `greedy` and with
`speculative` for several draft lengths k, checks that every output is identical token
for token, and reports generated tokens per second and the ratio speculative / greedy,
measured in the same run. The table is printed last.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runs from a checkout, installed or not

from polyglot.nmt.decode import greedy, speculative  # noqa: E402
from polyglot.nmt.model import NMT, NMTConfig  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "decode.md"
VOCAB, PAD, BOS, EOS, TAG, FIRST = 128, 0, 2, 3, 4, 5  # ids FIRST.. are task tokens


class Task:
    """Word-by-word translation through a fixed permutation of the task tokens."""

    def __init__(self, seed: int, device: str):
        g = torch.Generator().manual_seed(seed)
        self.perm = torch.arange(VOCAB)
        self.perm[FIRST:] = FIRST + torch.randperm(VOCAB - FIRST, generator=g)
        # Zipf-like token frequencies, as in real text.
        self.freq = 1.0 / torch.arange(1, VOCAB - FIRST + 1, dtype=torch.float)
        self.perm, self.device = self.perm.to(device), device

    def batch(self, n: int, g: torch.Generator):
        """n examples: src (n, 21), tgt_in (n, 21), tgt_out (n, 21), pad-filled."""
        lengths = torch.randint(6, 21, (n,), generator=g)
        words = FIRST + torch.multinomial(self.freq.expand(n, -1), 20, replacement=True,
                                          generator=g)  # (n, 20)
        real = torch.arange(20)[None] < lengths[:, None]  # (n, 20)
        words = words.masked_fill(~real, PAD).to(self.device)
        real = real.to(self.device)
        src = torch.cat([torch.full((n, 1), TAG, device=self.device), words], 1)
        out = self.perm[words].masked_fill(~real, PAD)  # (n, 20)
        tgt_out = torch.cat([out, torch.full((n, 1), PAD, device=self.device)], 1)
        tgt_out[torch.arange(n), lengths.to(self.device)] = EOS
        tgt_in = torch.cat([torch.full((n, 1), BOS, device=self.device), out], 1)
        return src, tgt_in, tgt_out


def train(model, task, steps, g, teacher=None, lr=1e-3, batch=32):
    """Train on the task for `steps` steps (distil from `teacher` when given); returns the
    seconds it took. A step count, not a time limit, so a busy machine gets the same model."""
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    start = time.perf_counter()
    for step in range(steps):
        src, tgt_in, tgt_out = task.batch(batch, g)
        for group in opt.param_groups:  # short linear warm-up
            group["lr"] = lr * min(1.0, (step + 1) / 50)
        logits, loss = model(src, tgt_in, tgt_out)
        if teacher is not None:
            with torch.no_grad():
                target_logits, _ = teacher(src, tgt_in)
            real = tgt_out != PAD
            loss = F.kl_div(logits[real].log_softmax(-1), target_logits[real].log_softmax(-1),
                            log_target=True, reduction="batchmean")
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    model.eval()
    return time.perf_counter() - start


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def timed(fn, device):
    sync(device)
    start = time.perf_counter()
    result = fn()
    sync(device)
    return result, time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--train-steps", type=int, default=600, help="target training steps")
    ap.add_argument("--draft-steps", type=int, default=300, help="draft distillation steps")
    ap.add_argument("--sources", type=int, default=40, help="held-out sources decoded")
    ap.add_argument("--k", type=int, nargs="+", default=[2, 4, 8], help="draft lengths tried")
    ap.add_argument("--d-model", type=int, default=None,
                    help="target width (default 128 on CPU, 512 on CUDA)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="timings alternate greedy and speculative; the fastest of each counts")
    ap.add_argument("--positions", default="learned",
                    help="rope or learned (learned learns this task's alignment faster)")
    ap.add_argument("--draft-layers", type=int, default=1, help="decoder layers of the draft")
    ap.add_argument("--attention", default=None, help="attention backend: auto, sdpa, triton")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch CPU threads (batch-1 decoding is latency-bound: 1 is fairest)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true", help="do not update the results file")
    args = ap.parse_args(argv)
    device = args.device
    if device == "cpu":
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    task = Task(args.seed, device)

    common = dict(vocab_size=VOCAB, dropout=0.0, max_len=64, positions=args.positions,
                  attention_backend=args.attention)
    d = args.d_model or (512 if device.startswith("cuda") else 128)
    target = NMT(NMTConfig(d_model=d, n_heads=d // 64, n_enc_layers=2, n_dec_layers=6,
                           d_ff=4 * d, **common)).to(device)
    t_seconds = train(target, task, args.train_steps, g)
    # The draft starts as the target truncated to its first decoder layer.
    draft = NMT(replace(target.config, n_dec_layers=args.draft_layers)).to(device)
    draft.load_state_dict({name: w for name, w in target.state_dict().items()
                           if name in draft.state_dict()})
    d_seconds = train(draft, task, args.draft_steps, g, teacher=target)

    src, _, tgt_out = task.batch(args.sources, torch.Generator().manual_seed(10_000 + args.seed))
    rows = [src[i:i + 1, :int((src[i] != PAD).sum())] for i in range(args.sources)]
    max_len = 24
    greedy(target, rows[0], max_len=max_len)  # warm-up (allocator, kernels)
    for k in args.k:
        speculative(target, draft, rows[0], k=k, max_len=max_len)

    def run_greedy():
        return [greedy(target, r, max_len=max_len)[0] for r in rows]

    def run_speculative(k):
        return [speculative(target, draft, r, k=k, max_len=max_len) for r in rows]

    times = {"greedy": float("inf"), **{k: float("inf") for k in args.k}}
    outputs = {}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both
        reference, seconds = timed(run_greedy, device)
        times["greedy"] = min(times["greedy"], seconds)
        for k in args.k:
            outputs[k], seconds = timed(lambda: run_speculative(k), device)
            times[k] = min(times[k], seconds)
    greedy_time = times["greedy"]
    tokens = sum(len(ids) for ids in reference)
    exact = sum(ids == [t for t in tgt_out[i].tolist() if t != PAD]
                for i, ids in enumerate(reference))
    draft_alone = [greedy(draft, r, max_len=max_len)[0] for r in rows]
    draft_exact = sum(a == b for a, b in zip(draft_alone, reference))
    results = []
    for k in args.k:
        outs, spec_time = outputs[k], times[k]
        results.append(dict(
            k=k, greedy=tokens / greedy_time, spec=tokens / spec_time,
            ratio=greedy_time / spec_time,
            acceptance=sum(o.accepted for o in outs) / max(1, sum(o.proposed for o in outs)),
            calls=sum(o.target_calls for o in outs) / tokens,
            identical=all(o.ids == ref for o, ref in zip(outs, reference))))

    backend = args.attention or os.environ.get("POLYGLOT_ATTENTION", "auto")
    name = (torch.cuda.get_device_name(0) if device.startswith("cuda")
            else f"CPU, torch threads: {torch.get_num_threads()}")
    setup = (
        f"- device: {name}; torch {torch.__version__}; python {platform.python_version()}\n"
        f"- target: {target.num_params() / 1e6:.2f}M parameters (d={d}, 2 enc + 6 dec layers, "
        f"{args.positions} positions), "
        f"trained {args.train_steps} steps of 32 examples ({t_seconds:.0f} s); greedy output "
        f"exactly right on {exact}/{args.sources} held-out sources\n"
        f"- draft: {draft.num_params() / 1e6:.2f}M parameters, initialised as the target's "
        f"embeddings, encoder and first {args.draft_layers} decoder layer(s), then distilled "
        f"{args.draft_steps} steps ({d_seconds:.0f} s); its own greedy output equals the "
        f"target's on {draft_exact}/{args.sources}\n"
        f"- {args.sources} sources, batch 1, {tokens} generated tokens, fp32, "
        f"attention backend {backend}; fastest of {args.repeats} alternating timings\n")
    table = ["| k | greedy tok/s | speculative tok/s | speculative / greedy | acceptance "
             "| target passes per token | identical to greedy |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        table.append(f"| {r['k']} | {r['greedy']:.0f} | {r['spec']:.0f} | {r['ratio']:.2f}x "
                     f"| {r['acceptance']:.1%} | {r['calls']:.2f} | "
                     f"{'yes' if r['identical'] else 'NO'} |")
    section = f"## {'cuda' if device.startswith('cuda') else 'cpu'}\n\n{setup}\n" + \
        "\n".join(table) + "\n"
    if not args.no_write:
        write_section(section)
    print(setup)
    print("\n".join(table))
    return 0 if all(r["identical"] for r in results) else 1


def write_section(section: str) -> None:
    """Replace this device's section of the results file, keeping the others."""
    head = (
        "# Speculative vs greedy decoding\n\n"
        "Produced by `python benchmarks/decode.py [--device cuda]`. Baseline: `greedy` on the "
        "same target model, same sources, same run; the ratio is greedy time / speculative "
        "time (> 1: speculative is faster), and the output must be identical token for "
        "token.\n\n"
        "Setup: the target, an encoder-decoder with 2 encoder and 6 decoder layers, is "
        "trained for a fixed number of steps on a synthetic word-by-word translation task "
        "(source "
        "`<tag> x1 .. xn`, target `f(x1) .. f(xn) </s>`, f a fixed permutation of the "
        "vocabulary of 128, n from 6 to 20, Zipf-distributed tokens). The draft is the "
        "target cut to its first decoder layer, then distilled from it (KL divergence to "
        "the target's teacher-forced distributions). Both decode the same held-out sources "
        "at batch 1 in fp32; k is the number of draft tokens per target pass.\n\n")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    key = section.split("\n", 1)[0]
    kept = [p for p in re.split(r"(?m)^(?=## )", text) if p.startswith("## ")
            and not p.startswith(key + "\n")]  # other devices' sections
    sections = sorted([p.rstrip("\n") + "\n" for p in kept] + [section])  # cpu, then cuda
    body = head + "\n".join(sections)
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(RESULTS)


if __name__ == "__main__":
    sys.exit(main())
