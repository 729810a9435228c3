#!/usr/bin/env bash
# The tutorial's training epoch on every device of this machine (cpu, opencl-jocl:0, opencl-aparapi:0, ...),
# alternated REPS times in one run so all see the same load; then the SGEMM benchmarks of both OpenCL backends.
#   bench/epochs_by_device.sh [REPS] [extra ./tessera mnist flags...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${1:-2}"
shift || true
export TESSERA_DATA="${TESSERA_DATA:-$ROOT/../shared/datasets}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

cd "$ROOT"
./tessera devices 2>/dev/null | tee "$OUT/devices.txt"
DEVICES=$(awk '/^  [a-z0-9-]+(:[0-9]+)? / {print $1}' "$OUT/devices.txt")
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ)"
for i in $(seq 1 "$REPS"); do
  for d in $DEVICES; do
    echo "load before $d rep $i: $(cut -d' ' -f1-3 /proc/loadavg)"
    ./tessera mnist --device "$d" --json "$OUT/$d-$i.json" "$@" >/dev/null 2>&1
  done
done
python3 - "$OUT" "$REPS" $DEVICES <<'PY'
import json, statistics, sys
out, reps, devices = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print("| device | epoch train s, median (min) | samples/s (median epoch) | validation pass s | test acc |")
print("|---|---|---|---|---|")
for d in devices:
    epochs, evals, acc = [], [], []
    for i in range(1, reps + 1):
        r = json.load(open(f"{out}/{d}-{i}.json"))
        epochs += [e["train_seconds"] for e in r["history"]]
        evals += [e["eval_seconds"] for e in r["history"]]
        acc.append(r["test_acc"])
    m = statistics.median(epochs)
    print(f"| {d} | {m:.3f} ({min(epochs):.3f}) | {50000 / m:,.0f} | {statistics.median(evals):.3f} | {statistics.median(acc):.4f} |")
PY
echo "== SGEMM on the OpenCL devices"
CP="$(cat examples/launcher/target/classpath.txt)"
java --add-modules jdk.incubator.vector -Djava.io.tmpdir="${XDG_CACHE_HOME:-$HOME/.cache}/tessera/tmp" -cp "$CP" io.tessera.opencl.jocl.bench.GemmBench 2 1024
echo "== GEMM (1024^3, 128x784*784x128) and one hand-written tutorial epoch per device, one JVM"
java --add-modules jdk.incubator.vector -Dtessera.data="$TESSERA_DATA" -Djava.io.tmpdir="${XDG_CACHE_HOME:-$HOME/.cache}/tessera/tmp" \
  -cp "$CP:backend-opencl/aparapi/target/test-classes:api/target/test-classes" io.tessera.opencl.aparapi.AparapiBench $DEVICES 2>&1 | grep -v WARNING
