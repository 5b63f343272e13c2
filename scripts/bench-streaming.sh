#!/usr/bin/env bash
# Streaming benchmarks of one causal model (default: a random-weight official 50hz_2k_causal): one session in
# F32 / BF16 / int8 weights, then N sessions batched (shared weight reads) and independent, int8. Prints one
# Markdown row per run and keeps the JSON of each in OUTDIR. Run on an otherwise idle machine.
#   scripts/bench-streaming.sh INPUT.wav OUTDIR [MODEL_DIR] [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
p="$here/bin/parla"
in="$1"; outdir="$2"; model="${3:-}"; seconds="${4:-10}"
mkdir -p "$outdir"
if [[ -z "$model" ]]; then
  model="$outdir/model-2k-causal-bf16"
  if [[ ! -f "$model/model.safetensors" ]]; then
    "$p" random-model --config official:focalcodec_50hz_2k_causal "$outdir/model-2k-causal-f32"
    "$p" quantize --model "$outdir/model-2k-causal-f32" --to bf16 "$model"
    rm -rf "$outdir/model-2k-causal-f32"
  fi
fi
"$p" bench --markdown-header
run() { local name="$1"; shift; "$p" bench --model "$model" --streaming --seconds "$seconds" --input "$in" --markdown --save-json "$outdir/$name.json" "$@" | tail -1; }
run stream-f32 --weights f32
run stream-bf16 --weights bf16
run stream-int8 --weights int8
run streams2-batched-int8 --weights int8 --streams 2
run streams2-independent-int8 --weights int8 --streams 2 --independent
run streams4-batched-int8 --weights int8 --streams 4
run streams4-independent-int8 --weights int8 --streams 4 --independent
