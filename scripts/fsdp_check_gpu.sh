#!/usr/bin/env bash
# Does FSDP on 2 GPUs train like 1 GPU? The same short run twice on one 2-GPU machine:
# one process with the whole batch, then torchrun with 2 processes (FSDP, ZeRO-3 style)
# and half the batch each -- the same global batch and data order -- then the two loss
# curves side by side. Inputs as for scripts/model_v0_gpu.sh (out/gpu/); results to $OUT.
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
t=$SECONDS
torchrun --standalone --nproc_per_node 2 -m polyglot train "${common[@]}" --set 'train.out_dir="out/fsdp-two"' \
  --set train.batch_size=128 --set 'train.strategy="fsdp"' --json | tail -1
echo "2 GPUs (FSDP): $((SECONDS - t)) s"
cp out/fsdp-one/metrics.jsonl "$OUT/one-gpu.jsonl"
cp out/fsdp-two/metrics.jsonl "$OUT/two-gpu-fsdp.jsonl"
python - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
read = lambda f: {r["step"]: r["loss"] for r in map(json.loads, open(f"{out}/{f}")) if "loss" in r}
one, two = read("one-gpu.jsonl"), read("two-gpu-fsdp.jsonl")
rows = [(s, one[s], two[s], abs(one[s] - two[s]) / max(one[s], 1e-9)) for s in sorted(one) if s in two]
lines = ["| step | loss, 1 GPU | loss, 2 GPUs FSDP | relative difference |", "|---|---|---|---|"]
lines += [f"| {s} | {a:.4f} | {b:.4f} | {d:.2%} |" for s, a, b, d in rows]
lines.append(f"\nlargest relative difference: {max(d for *_, d in rows):.2%} over {len(rows)} logged steps")
open(f"{out}/fsdp-check.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
