#!/usr/bin/env bash
# SGEMM GFLOP/s of Tessera's Vector API GEMM (JMH, bench/target/benchmarks.jar) and numpy/OpenBLAS
# (bench/sgemm_numpy.py), alternated ROUNDS times in one run so both see the same machine load.
#   ./mvnw -B -q -pl bench -am package -DskipTests && bench/sgemm_side_by_side.sh [ROUNDS] [THREADS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-2}"
THREADS="${2:-1}"
SHAPES="1024x1024x1024,128x784x128,128x784x32,128x784x32NT,32x128x784TN"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ); threads $THREADS"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$ROOT/bench/sgemm_numpy.py" --threads "$THREADS" \
      --shapes "$SHAPES" --repeats 3 --seconds 0.5
  java -jar "$ROOT/bench/target/benchmarks.jar" GemmBenchmark -p gemm=vector -p threads="$THREADS" -p shape="$SHAPES" \
      -wi 3 -w 1 -i 3 -r 1 -rf json -rff "/tmp/tessera-sgemm-$r.json" >/dev/null 2>&1
  python3 - "/tmp/tessera-sgemm-$r.json" <<'PY'
import json, re, statistics, sys
for row in json.load(open(sys.argv[1])):
    shape = row["params"]["shape"]
    m, k, n = map(int, re.sub(r"[A-Z]+$", "", shape).split("x"))
    times = row["primaryMetric"]["rawData"][0]
    rates = [2.0 * m * n * k / (t * 1e-6) / 1e9 for t in times]
    print(f"{shape:>16} tessera vector threads={row['params']['threads']}: median {statistics.median(rates):7.1f} GFLOP/s, best {max(rates):7.1f}")
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
