#!/usr/bin/env bash
# A model on one GPU in one call of at most 10 minutes: train (checkpointed, stopped by
# the clock, exported either way), then evaluate on the held-out split and on words-only
# hand-written specs. NAME (default v0) names the run and the result files. REVERSE=true
# also trains the reverse direction (body -> words); then, if $DATA/lifted.jsonl exists
# (`polyglot data lift`), the model back-translates it (`polyglot data backtranslate`).
#
#   Inputs under $DATA (default out/gpu/): train.jsonl.gz valid.jsonl.gz test.jsonl.gz
#   (polyglot data synth --n 8000 --langs all --seed 0, gzipped), tokenizer.model (trained
#   there from train if missing), and wheels/ for what the GPU image lacks. Results go to
#   $OUT (default out/gpu-results).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out/gpu-results}
MINUTES=${MINUTES:-6}
STEPS=${STEPS:-6000}
mkdir -p "$OUT"
DATA=${DATA:-out/gpu}
if [[ -d $DATA/wheels ]]; then
  python -m pip install -q --no-index --find-links "$DATA/wheels" \
    sentencepiece safetensors pyyaml click anyascii tqdm 2>&1 | tail -2 || true
fi
export PYTHONPATH=$PWD
start=$SECONDS
NAME=${NAME:-v0}
run_dir=out/train-gpu-$NAME
settings=(
  --set "data.train=\"$DATA/train.jsonl.gz\"" --set "data.valid=\"$DATA/valid.jsonl.gz\""
  --set "data.tokenizer=\"$DATA/tokenizer.model\"" --set "train.out_dir=\"$run_dir\""
  --set 'schedule.kind="cosine"' --set schedule.warmup_steps=300 --set "schedule.period=$((STEPS > 301 ? STEPS - 300 : 1))"
  --set schedule.t_mult=1 --set train.progress=false --set "data.reverse=${REVERSE:-false}"
)
python -m polyglot train --config configs/gpu.toml "${settings[@]}" --set "train.max_steps=$STEPS" \
  --max-minutes "$MINUTES" --json | tail -1 | tee "$OUT/train-result.json"
if [[ ! -f $run_dir/model.safetensors ]]; then  # stopped by the clock: export where it got to
  step=$(python -c "import json,sys; print(json.load(open('$OUT/train-result.json'))['step'])")
  python -m polyglot train --config configs/gpu.toml "${settings[@]}" --set "train.max_steps=$step" --json | tail -1
fi
echo "training took $((SECONDS - start)) s"
cp "$DATA/tokenizer.model" "$run_dir/"
mkdir -p "$OUT/model"
cp "$run_dir/model.safetensors" "$run_dir/tokenizer.model" "$run_dir/config.json" "$run_dir/metrics.jsonl" "$OUT/model/"
python benchmarks/model_eval.py --model "$run_dir" --test "$DATA/test.jsonl.gz" --train "$DATA/train.jsonl.gz" \
  --limit "${LIMIT:-100}" --out "$OUT/model-$NAME-eval.md" --json "$OUT/model-$NAME-eval.json"
if [[ ${REVERSE:-false} == true && -f $DATA/lifted.jsonl ]]; then
  python -m polyglot data backtranslate "$DATA/lifted.jsonl" --model "$run_dir" --langs "${BT_LANGS:-en,ru,zh,de,ja}" \
    -k "${BT_K:-8}" --device cuda -o "$OUT/backtranslated-$NAME.jsonl" --json > "$OUT/backtranslate-$NAME.json" || true
  cat "$OUT/backtranslate-$NAME.json"
fi
echo "all done in $((SECONDS - start)) s"
