#!/usr/bin/env bash
# The whole FocalCodec-Stream chain at small scale, one command per stage, every stage resumable:
#   0-teacher   codec stage: small full-context (non-causal) FocalCodec trained end to end
#   1-decoder   Stream stage 1: causal decoder on the teacher's continuous features
#   2-posemb    Stream stage 2: causal positional embedding distilled (L2)
#   3-encoder   Stream stage 3: causal encoder, per-layer L2 with reversed linear layer weights
#   4-quantizer Stream stage 4: causal compressor + BSQ + decompressor on the distilled features
#   5-joint     Stream stage 5: joint fine-tuning with the refiner against the teacher
# then loads the streaming student in the runtime (bin/parla info / tokens / stream).
#
# Usage: scripts/stream-chain.sh RUN_ROOT [stage ...]
#   stages: 0 1 2 3 4 5, ref (feature distance of the causal student before distillation: 1 step at lr 0),
#   runtime (bin/parla info / tokens / stream on a held-out utterance), table (markdown results table);
#   default: all of them in that order.
# Environment: MANIFEST (default /work/shared/data/speech/manifest.tsv), THREADS (1), XMX (6g),
#   TRAIN_CP (classpath of parla-train; default the worktree's parla-train/target jars),
#   EXTRA_<n> (extra --set overrides for stage n, e.g. EXTRA_1="--set loss.adv_weight=1").
# Re-running resumes each stage from RUN_ROOT/<stage>/checkpoint (a finished stage just re-exports).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${1:?usage: scripts/stream-chain.sh RUN_ROOT [stage ...]}"
shift
mkdir -p "$root"
root="$(cd "$root" && pwd)"
stages=("$@")
[[ ${#stages[@]} -gt 0 ]] || stages=(0 1 2 3 4 5 ref runtime table)
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" # no spinning OpenMP threads on a shared machine
cp="${TRAIN_CP:-$here/parla-train/target/parla-train-0.1.0-SNAPSHOT.jar:$here/parla-train/target/lib/*}"
manifest="${MANIFEST:-/work/shared/data/speech/manifest.tsv}"
rec="$here/recipes/chain-small"
teacher="$root/0-teacher/export"

train() { # train <stage-command> <n> <recipe> <run-name> [--set ...]
  local cmd=$1 n=$2 recipe=$3 dir="$root/$4"
  shift 4
  local extra_var="EXTRA_$n"
  echo "== $(date -u +%FT%TZ) stage $n: $cmd -> $dir"
  local t0=$SECONDS
  # shellcheck disable=SC2086
  "$java" -Xmx"${XMX:-6g}" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="${THREADS:-1}" -cp "$cp" \
    io.parla.train.cli.TrainCli "$cmd" --recipe "$recipe" --run-dir "$dir" \
    --set data.manifest="$manifest" --set data.audio_cache="$root/audio-cache" "$@" ${!extra_var:-} \
    2> >(grep -v -e '^WARNING' -e '^\[' >&2) | tee -a "$dir.log"
  echo "$n $cmd $((SECONDS - t0))" >> "$root/wall-seconds.txt"
}

for s in "${stages[@]}"; do
  case $s in
    0) train codec 0 "$rec/0-teacher.json" 0-teacher ;;
    1) train decoder 1 "$rec/1-decoder.json" 1-decoder --set init_model="$teacher" --set teacher_model="$teacher" ;;
    2) train posemb 2 "$rec/2-posemb.json" 2-posemb --set init_model="$root/1-decoder/export" --set teacher_model="$teacher" ;;
    3) train encoder 3 "$rec/3-encoder.json" 3-encoder --set init_model="$root/2-posemb/export" --set teacher_model="$teacher" ;;
    4) train quantizer 4 "$rec/4-quantizer.json" 4-quantizer --set init_model="$root/3-encoder/export" --set teacher_model="$teacher" ;;
    5) train joint 5 "$rec/5-joint.json" 5-joint --set init_model="$root/4-quantizer/export" --set teacher_model="$teacher" ;;
    ref) # the causal student before any distillation (teacher weights, causal masks / padding): one step at lr 0
      train posemb 9 "$rec/2-posemb.json" ref-causal --set init_model="$root/1-decoder/export" --set teacher_model="$teacher" \
        --set optim.lr=0 --set optim.max_steps=1 --set optim.warmup_steps=1
      ;;
    table) "$java" -cp "$cp" io.parla.train.cli.TrainCli chain-table "$root" ;;
    runtime)
      student="$root/5-joint/export"
      # a held-out utterance (first manifest entry of a held-out speaker), read in place from the corpus
      input="${RUNTIME_INPUT:-}"
      if [[ -z "$input" ]]; then
        rel=$(awk -F'\t' 'NR==FNR{h[$1]=1; next} FNR>1 && ($3 in h) && $2>=3 {print $1; exit}' \
          "$root/5-joint/heldout_speakers.txt" "$manifest")
        input="$(dirname "$manifest")/$rel"
      fi
      echo "== $(date -u +%FT%TZ) runtime: $student on $input"
      "$here/bin/parla" info --model "$student" | tee "$root/runtime-info.txt"
      "$here/bin/parla" tokens --model "$student" "$input" > "$root/runtime-tokens.json"
      echo "tokens: $(head -c 300 "$root/runtime-tokens.json") ..."
      "$here/bin/parla" stream --model "$student" "$input" "$root/runtime-stream.wav" | tee "$root/runtime-stream.txt"
      ;;
    *) echo "unknown stage $s" >&2; exit 2 ;;
  esac
done
