#!/usr/bin/env bash
# JMH benchmarks of the matmul kernels (parla-bench): VectorMatMul vs ScalarMatMul, F32/BF16 weights,
# 1/4/500 rows x 1024x1024, 4096x1024, 1024x4096. Prints us/call, GFLOP/s and weight GB/s.
# Build first: ./mvnw -q -B package -DskipTests. Arguments go to io.parla.bench.KernelBench, e.g.
#   scripts/bench-kernels.sh -p kernel=vector -p rows=1,4 -wi 2 -i 3 --csv /tmp/kernels.csv
# The native int8 kernel: -p kernel=vector,native-vnni,native-avx2 -p weights=I8 (docs/native-int8.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${PARLA_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
[[ -x "$java" ]] || java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=$(ls "$here"/parla-bench/target/parla-bench-*.jar 2>/dev/null | head -1 || true)
if [[ -z "$jar" ]]; then
  echo "bench-kernels: not built yet; run: ./mvnw -q package -DskipTests" >&2
  exit 2
fi
exec "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$jar:$here/parla-bench/target/lib/*" io.parla.bench.KernelBench "$@"
