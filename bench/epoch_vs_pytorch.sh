#!/usr/bin/env bash
# The tutorial's training epoch, Tessera (./tessera mnist) beside PyTorch (peers/pytorch/mlp_tutorial.py, 1 thread,
# tensor pipeline, OpenBLAS), alternated REPS times in one run so both see the same machine load.
#   bench/epoch_vs_pytorch.sh [REPS] [extra ./tessera mnist flags...]
# Needs: python3-torch (Debian), the shared peers/ and datasets/ folders beside the repository (or PEERS/TESSERA_DATA).
# Prints per run the median and minimum epoch train time, then the medians over runs and their ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${1:-3}"
shift || true
PEERS="${PEERS:-$ROOT/../shared/peers}"
export TESSERA_DATA="${TESSERA_DATA:-$ROOT/../shared/datasets}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

(cd "$ROOT" && ./tessera devices | head -3)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ)"
for i in $(seq 1 "$REPS"); do
  echo "load before rep $i: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd "$ROOT" && ./tessera mnist --json "$OUT/tessera-$i.json" "$@" >/dev/null 2>&1)
  "$PEERS/pytorch/with_openblas.sh" /usr/bin/python3 "$PEERS/pytorch/mlp_tutorial.py" "$TESSERA_DATA/mnist" \
      --threads 1 --pipeline tensor --json "$OUT/torch-$i.json" >/dev/null 2>&1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$REPS" <<'EOF'
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
tess, torch = [], []
for i in range(1, reps + 1):
    t = [e["train_seconds"] for e in json.load(open(f"{out}/tessera-{i}.json"))["history"]]
    p = [e["train_s"] for e in json.load(open(f"{out}/torch-{i}.json"))["epochs"]]
    tess.append(statistics.median(t))
    torch.append(statistics.median(p))
    print(f"rep {i}: tessera epoch median {statistics.median(t):.3f} s (min {min(t):.3f}); "
          f"pytorch median {statistics.median(p):.3f} s (min {min(p):.3f}); ratio {statistics.median(t) / statistics.median(p):.2f}")
mt, mp = statistics.median(tess), statistics.median(torch)
print(f"median over reps: tessera {mt:.3f} s, pytorch {mp:.3f} s, tessera/pytorch = {mt / mp:.2f}")
EOF
