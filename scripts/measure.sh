#!/usr/bin/env bash
# The measurements quoted in the issue notes, on full-size random-weight official models.
# Usage: scripts/measure.sh SPEECH10.wav SPEECH60.wav [WORKDIR]   (any speech files; 10 s and 60 s long)
# Run on an otherwise idle machine: every number is wall-clock time on the shared cores.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
p="$here/bin/parla"
in10="$1"; in60="$2"; work="${3:-/tmp/parla-measure}"
mkdir -p "$work"
echo "# $(date -u +%FT%TZ) on $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in focalcodec_50hz focalcodec_50hz_2k_causal; do
  [[ -f "$work/$c/model.safetensors" ]] || "$p" random-model --config "official:$c" "$work/$c"
done
[[ -f "$work/2k-bf16/model.safetensors" ]] || "$p" quantize --model "$work/focalcodec_50hz_2k_causal" --to bf16 "$work/2k-bf16"
echo "## resynth, 10 s of speech (offline)"
"$p" resynth --model "$work/focalcodec_50hz" "$in10" "$work/r50.wav"
"$p" resynth --model "$work/focalcodec_50hz_2k_causal" "$in10" "$work/r2k.wav"
echo "## encode/decode 60 s (bitrate, round trip)"
"$p" encode --model "$work/focalcodec_50hz_2k_causal" "$in60" "$work/s60.parla"
ls -l "$work/s60.parla"
"$p" decode --model "$work/focalcodec_50hz_2k_causal" "$work/s60.parla" "$work/s60.wav"
echo "## stream (20 ms pushes), 10 s"
"$p" stream --model "$work/focalcodec_50hz_2k_causal" "$in10" "$work/st-f32.wav"
"$p" stream --model "$work/2k-bf16" "$in10" "$work/st-bf16.wav"
"$p" stream --model "$work/2k-bf16" --weights int8 "$in10" "$work/st-int8.wav"
echo "## bench"
"$p" bench --model "$work/focalcodec_50hz" --seconds 10 --input "$in10"
for w in f32 bf16 int8; do "$p" bench --model "$work/2k-bf16" --weights "$w" --streaming --seconds 10 --input "$in10"; done
"$p" bench --model "$work/2k-bf16" --weights int8 --streaming --streams 4 --seconds 10 --input "$in10"
