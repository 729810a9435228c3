#!/usr/bin/env bash
# The tutorial MLP's training epoch built from the fused layers (./tessera mnist --model layers) beside the same net
# written with autograd ops (--model ops), alternated REPS times in one run so both see the same machine load.
#   bench/ops_vs_layers.sh [REPS] [extra ./tessera mnist flags...]      (default: 3 reps of --epochs 4 on cpu)
# Prints per rep the median epoch train time of each, then the medians over reps and the ops/layers ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${1:-3}"
shift || true
export TESSERA_DATA="${TESSERA_DATA:-$ROOT/../shared/datasets}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

(cd "$ROOT" && ./tessera devices | head -3)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ)"
for i in $(seq 1 "$REPS"); do
  for model in layers ops; do
    (cd "$ROOT" && TESSERA_SKIP_BUILD=1 ./tessera mnist --device cpu --epochs 4 --model "$model" \
        --json "$OUT/$model-$i.json" "$@" >/dev/null 2>&1)
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$REPS" <<'PY'
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
med = {"layers": [], "ops": []}
acc = {"layers": [], "ops": []}
for i in range(1, reps + 1):
    line = []
    for model in ("layers", "ops"):
        run = json.load(open(f"{out}/{model}-{i}.json"))
        t = [e["train_seconds"] for e in run["history"]]
        med[model].append(statistics.median(t))
        acc[model].append(run["test_acc"])
        line.append(f"{model} epoch median {statistics.median(t):.3f} s (min {min(t):.3f}), test acc {run['test_acc']:.4f}")
    print(f"rep {i}: " + "; ".join(line) + f"; ratio {med['ops'][-1] / med['layers'][-1]:.3f}")
ml, mo = statistics.median(med["layers"]), statistics.median(med["ops"])
print(f"median over reps: layers {ml:.3f} s, ops {mo:.3f} s, ops/layers = {mo / ml:.3f}")
PY
