#!/usr/bin/env bash
# One chunk of the GPU recipe (configs/gpu.toml): make the data if missing, train until
# the time budget is spent, checkpoint, stop. Run it again to go on; the run ends with the
# same weights however it was cut into chunks.
#
#   bash scripts/train_gpu.sh                 # one chunk, whole command <= BUDGET seconds
#   NPROC=2 bash scripts/train_gpu.sh         # the same global batch on 2 GPUs (FSDP)
#
# Between machines: when $OUT is set, the newest checkpoint (in 15 MB parts), the
# tokenizer, metrics.jsonl, the log and, once done, model.safetensors are copied there.
# Put those files in out/carry/ for the next chunk on a fresh machine: they are restored
# into out/train-gpu/ when it has no checkpoint of its own.
#
# Environment: BUDGET (seconds for the whole command, default 560), NPROC (GPUs, default
# 1), PYTHON (default python3), N_SAMPLES (synthetic behaviours, default 10000), SET
# (extra "table.key=value" overrides, space-separated; e.g. model.attention_backend=triton).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
BUDGET=${BUDGET:-560}
NPROC=${NPROC:-1}
PY=${PYTHON:-python3}
N_SAMPLES=${N_SAMPLES:-10000}
RUN=out/train-gpu
DATA=out/data/gpu
CARRY=out/carry
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1

# Python packages the machine lacks, brought as wheels in .whl/ (anyascii, for the data).
if compgen -G ".whl/*.whl" >/dev/null; then
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl
  export PYTHONPATH="$PYTHONPATH:/tmp/site"
fi

mkdir -p "$RUN"
log="$RUN/train.log"

# A fresh machine: restore the carried checkpoint, tokenizer and metrics.
if ! compgen -G "$RUN/ckpt-*.safetensors" >/dev/null && compgen -G "$CARRY/ckpt-*.part*" >/dev/null; then
  name=$(basename "$(ls "$CARRY"/ckpt-*.part* | sort | head -1)" | sed 's/\.part[0-9]*$//')
  cat $(ls "$CARRY/$name".part* | sort) >"$RUN/$name"
  for f in tokenizer.model metrics.jsonl; do
    if [[ -f "$CARRY/$f" ]]; then cp "$CARRY/$f" "$RUN/$f"; fi
  done
  echo "restored $name from $CARRY" | tee -a "$log"
fi

# The data: the same arguments write the same bytes, so every machine trains on the same.
if [[ ! -f "$DATA/train.jsonl" ]]; then
  "$PY" -m polyglot data synth --n "$N_SAMPLES" --langs all --seed 0 -o "$DATA" --force \
    --no-progress 2>&1 | tee -a "$log"
fi

# Train for what is left of the budget, keeping 40 s to checkpoint, export and copy.
left=$((BUDGET - (SECONDS - start) - 40))
if ((left < 60)); then
  echo "only ${left}s left after the data; run again" | tee -a "$log"
  exit 0
fi
minutes=$(awk "BEGIN { print $left / 60 }")
train=(-m polyglot train --config configs/gpu.toml --max-minutes "$minutes" --json
       --set train.progress=false)
for kv in ${SET:-}; do train+=(--set "$kv"); done
if ((NPROC > 1)); then
  # batch_size is per process: keep the recipe's global batch of 256.
  train+=(--set train.strategy=fsdp --set "train.batch_size=$((256 / NPROC))")
  launcher=("$PY" -m torch.distributed.run --standalone --nproc_per_node "$NPROC")
else
  launcher=("$PY")
fi
echo "chunk: ${minutes} min on $NPROC GPU(s)" | tee -a "$log"
status=0
# SIGTERM (from timeout) makes the trainer checkpoint after its current step and return.
timeout -s TERM $((left + 20)) "${launcher[@]}" "${train[@]}" 2>&1 | tee -a "$log" || status=$?

# Send back what the next chunk needs if this machine is gone by then.
if [[ -n "${OUT:-}" ]]; then
  latest=$(ls "$RUN"/ckpt-*.safetensors 2>/dev/null | sort | tail -1 || true)
  if [[ -n "$latest" ]]; then
    split -b 15M -d -a 1 "$latest" "$OUT/$(basename "$latest").part"
  fi
  for f in tokenizer.model metrics.jsonl train.log model.safetensors; do
    if [[ -f "$RUN/$f" ]]; then cp "$RUN/$f" "$OUT/"; fi
  done
fi
echo "chunk took $((SECONDS - start))s, exit $status" | tee -a "$log"
exit "$status"
