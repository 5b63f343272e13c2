#!/bin/sh
# Copies the latest exported snapshot of a default-model run into models/parla-default/ together with its
# training record (metrics, validation curve, plots, held-out speakers, recipe). Usage:
#   recipes/ship-default-model.sh /work/runs/default-v1 [WEIGHTS_DIR]
# WEIGHTS_DIR (e.g. the output of `parla-train average` over the run's last snapshots) replaces the run's own
# best snapshot as the shipped weights.
set -eu
run=${1:?run directory}
here=$(cd "$(dirname "$0")/.." && pwd)
dst="$here/models/parla-default"
mkdir -p "$dst/training"
src="$run/export"
[ -d "$run/export-best" ] && src="$run/export-best"   # best validation snapshot when the trainer kept one
[ -n "${2:-}" ] && src="$2"
cp "$src/config.json" "$src/model.safetensors" "$dst/"
rm -f "$dst/training/best-step.txt" "$dst/training/averaged-from.txt"
[ -f "$src/STEP" ] && cp "$src/STEP" "$dst/training/best-step.txt"
[ -f "$src/AVERAGED_FROM" ] && cp "$src/AVERAGED_FROM" "$dst/training/averaged-from.txt"
for f in metrics.csv val.csv loss.png loss_terms.png val.png heldout_speakers.txt recipe.json; do
  [ -f "$run/$f" ] && cp "$run/$f" "$dst/training/"
done
size=$(stat -c %s "$dst/model.safetensors")
echo "shipped $(jq -r .step "$run/checkpoint/state.json" 2>/dev/null || echo '?') steps, model.safetensors $size bytes -> $dst"
[ "$size" -le 26214400 ] || { echo "model.safetensors is larger than 25 MB" >&2; exit 1; }
