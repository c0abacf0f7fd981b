#!/usr/bin/env bash
# Does FSDP on 2 GPUs train like 1 GPU? The same short run twice on one 2-GPU machine:
# one process with the whole batch, then torchrun with 2 processes (FSDP, ZeRO-3 style)
# and half the batch each -- the same global batch and data order -- then the two loss
# curves side by side, as means over windows of 50 steps. A second 1-GPU run with the same
# seed shows whether one GPU repeats itself bitwise, so that what differs is FSDP's.
# Inputs as for scripts/model_gpu.sh (out/gpu/); results to $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out/fsdp-check}
STEPS=${STEPS:-300}
mkdir -p "$OUT"
if [[ -d out/gpu/wheels ]]; then
  python -m pip install -q --break-system-packages --no-index --find-links out/gpu/wheels \
    sentencepiece safetensors pyyaml click anyascii tqdm 2>&1 | tail -2 || true
fi
export PYTHONPATH=$PWD
common=(
  --config configs/gpu.toml --set 'data.train="out/gpu/valid.jsonl.gz"' --set 'data.valid=""'
  --set 'data.tokenizer="out/gpu/tokenizer.model"' --set "train.max_steps=$STEPS"
  --set train.log_every=10 --set train.eval_every=0 --set train.save_every=0 --set train.progress=false
  --set 'schedule.kind="cosine"' --set schedule.warmup_steps=30 --set "schedule.period=$((STEPS - 30))"
  --set model.dropout=0.0
)
t=$SECONDS
CUDA_VISIBLE_DEVICES=0 python -m polyglot train "${common[@]}" --set 'train.out_dir="out/fsdp-one"' \
  --set train.batch_size=256 --json | tail -1
echo "1 GPU: $((SECONDS - t)) s"
CUDA_VISIBLE_DEVICES=0 python -m polyglot train "${common[@]}" --set 'train.out_dir="out/fsdp-one-again"' \
  --set train.batch_size=256 --json | tail -1
t=$SECONDS
torchrun --standalone --nproc_per_node 2 -m polyglot train "${common[@]}" --set 'train.out_dir="out/fsdp-two"' \
  --set train.batch_size=128 --set 'train.strategy="fsdp"' --json | tail -1
echo "2 GPUs (FSDP): $((SECONDS - t)) s"
cp out/fsdp-one/metrics.jsonl "$OUT/one-gpu.jsonl"
cp out/fsdp-two/metrics.jsonl "$OUT/two-gpu-fsdp.jsonl"
cp out/fsdp-one-again/metrics.jsonl "$OUT/one-gpu-again.jsonl"
python - "$OUT" <<'PY'
import json, sys
out, window = sys.argv[1], 50
def curve(name):
    rows = [r for r in map(json.loads, open(f"{out}/{name}")) if "loss" in r]
    return {r["step"]: (r["loss"], r["ce"]) for r in rows}
one, again, two = curve("one-gpu.jsonl"), curve("one-gpu-again.jsonl"), curve("two-gpu-fsdp.jsonl")
def mean(c, lo, hi, k):
    vals = [c[s][k] for s in c if lo < s <= hi]
    return sum(vals) / len(vals)
rel = lambda a, b: abs(a - b) / max(a, 1e-9)
last = max(one)
lines = [f"Mean training loss over windows of {window} steps (loss = CE + 0.1 x InfoNCE).", "",
         "| steps | 1 GPU | 1 GPU, again | 2 GPUs FSDP | again vs 1 GPU | FSDP vs 1 GPU |",
         "|---|---|---|---|---|---|"]
worst = {"again": 0.0, "fsdp": 0.0}
for lo in range(0, last, window):
    a, b, c = (mean(x, lo, lo + window, 0) for x in (one, again, two))
    worst["again"], worst["fsdp"] = max(worst["again"], rel(a, b)), max(worst["fsdp"], rel(a, c))
    lines.append(f"| {lo + 1}-{lo + window} | {a:.4f} | {b:.4f} | {c:.4f} | {rel(a, b):.2%} | {rel(a, c):.2%} |")
lines += ["", f"largest windowed difference: FSDP vs 1 GPU {worst['fsdp']:.2%}; "
          f"1 GPU vs itself (noise floor) {worst['again']:.2%}",
          f"final-window CE: 1 GPU {mean(one, last - window, last, 1):.4f}, "
          f"again {mean(again, last - window, last, 1):.4f}, FSDP {mean(two, last - window, last, 1):.4f}"]
open(f"{out}/fsdp-check.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
