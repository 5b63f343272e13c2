#!/usr/bin/env bash
# Token agreement of reduced-precision computation against the F32 Java kernels, on one audio file:
#   scripts/token-agreement.sh [--model DIR] FILE
# prints, for BF16 weights, int8 weights (Java kernels, fp32 activations) and int8 weights on the native kernel
# (int8 activations, -Dparla.int8=native), the share of identical tokens and of identical token bits.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=()
if [[ "${1:-}" == "--model" ]]; then model=(--model "$2"); shift 2; fi
file="$1"
toks() { PARLA_JAVA_OPTS="-Dparla.int8=$1" "$here/bin/parla" tokens "${model[@]}" --weights "$2" "$file" | tr -d '[] ' | tr ',' '\n'; }
ref=$(mktemp); trap 'rm -f "$ref" "$ref.2"' EXIT
toks java f32 > "$ref"
bits=$("$here/bin/parla" info "${model[@]}" | sed -n "s/.*codes (\([0-9]*\) bits).*/\1/p" | head -1)
for spec in "java bf16" "java int8" "native int8"; do
  set -- $spec
  toks "$1" "$2" > "$ref.2"
  paste "$ref" "$ref.2" | awk -v label="$2 weights, $1 kernels" -v bits="${bits:-0}" '
    { n++; if ($1 == $2) same++; a = $1; b = $2; while (a > 0 || b > 0) { if (a % 2 != b % 2) diff++; a = int(a / 2); b = int(b / 2) } }
    END { printf "%-28s %d tokens, %.1f%% identical", label, n, 100 * same / n;
          if (bits > 0) printf ", %.2f%% of bits differ", 100 * diff / (n * bits); printf "\n" }'
done
