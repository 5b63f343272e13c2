#!/usr/bin/env bash
# Benchmarks the six official FocalCodec configurations at random weights with `bin/parla bench` and writes
# docs/benchmarks.md (machine, date, load average, one table row per run) plus the raw JSON of every run in
# docs/benchmarks/. Offline runs for every config; streaming runs (one session) for the causal ones; each in
# F32 and BF16 weights. Build first: ./mvnw -q -B package -DskipTests
#
#   scripts/bench-official.sh [--seconds S] [--warmup S] [--configs "NAME ..."] [--weights "f32 bf16"]
#                             [--modes "offline streaming"] [--out FILE] [--note TEXT]
#
# Each run takes a fresh JVM and a freshly written random model (0.5-1 GB in $TMPDIR), so a full run of the
# 18 cases takes a while; --configs/--modes/--weights select a subset. Timings are only as good as the
# machine is quiet: the load average before and after each run is recorded in its row.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10
warmup=3
configs="focalcodec_50hz focalcodec_25hz focalcodec_12_5hz focalcodec_50hz_2k_causal focalcodec_50hz_4k_causal focalcodec_50hz_65k_causal"
weights="f32 bf16"
modes="offline streaming"
out="$here/docs/benchmarks.md"
note=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --weights) weights="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench-official: unknown argument $1" >&2; exit 2 ;;
  esac
done
parla="$here/bin/parla"
raw="$(dirname "$out")/benchmarks"
mkdir -p "$raw"
rows=()
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
for config in $configs; do
  causal=no
  [[ "$config" == *causal* ]] && causal=yes
  for mode in $modes; do
    [[ "$mode" == streaming && "$causal" == no ]] && continue
    for w in $weights; do
      flags=(--config "official:$config" --weights "$w" --seconds "$seconds" --warmup "$warmup")
      [[ "$mode" == streaming ]] && flags+=(--streaming)
      json="$raw/${config}_${mode}_${w}.json"
      echo "bench-official: $config $mode $w ..." >&2
      if row="$("$parla" bench "${flags[@]}" --markdown --save-json "$json")"; then
        rows+=("$row")
        echo "$row" >&2
      else
        rows+=("| $config | $mode | ${w^^} | failed: see stderr of \`bin/parla bench ${flags[*]}\` |")
      fi
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || uname -m)"
java_version="$("${PARLA_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" -version 2>&1 | head -1 || echo unknown)"
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`scripts/bench-official.sh\` (\`bin/parla bench\` on the official configurations with random"
  echo "weights; see \`bin/parla bench --help\`). Raw JSON of every run: [\`benchmarks/\`](benchmarks/)."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $cpu, $(nproc) cores, $(free -g 2>/dev/null | awk '/Mem:/ {print $2 " GiB"}') memory; $java_version"
  echo "- signal: ${seconds} s of synthetic speech-like audio per run after ${warmup} s of warm-up; streaming = one"
  echo "  session, 1280-sample (80 ms) pushes, per-chunk latency = encode + decode compute of that chunk"
  echo "- load average (1/5/15 min): $load_before before, $load_after after; per run in the last column"
  [[ -n "$note" ]] && { echo; echo "$note"; }
  echo
  echo "x real time = audio seconds / compute seconds (higher is better; streaming keeps up when the p99 chunk"
  echo "latency is below the 80 ms chunk period). GFLOP per audio s is counted analytically from the configuration"
  echo "(\`FlopCounter\`: 2 x multiply-adds of every Linear/Conv/ConvTranspose and the attention matmuls)."
  echo
  "$parla" bench --markdown-header
  printf '%s\n' "${rows[@]}"
  # the latest kernel micro-benchmarks (scripts/bench-kernels.sh), written up by hand, if any
  if [[ -f "$raw/kernels.md" ]]; then echo; cat "$raw/kernels.md"; fi
} > "$out"
echo "bench-official: wrote $out" >&2
