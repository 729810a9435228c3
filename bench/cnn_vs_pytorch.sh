#!/usr/bin/env bash
# The examples CNN (conv 1->32, conv 32->64, max-pool, dropout, fc 9216->128, fc 128->10; Adam 1e-3, batch 64):
# Tessera (./tessera mnist-cnn) on each device beside PyTorch (peers/pytorch/cnn_example.py, OpenBLAS, 2 threads),
# alternated REPS times in one run so all see the same machine load. Each run trains BATCHES batches (PyTorch: the
# first BATCHES of its epoch; Tessera: --max-batches, a seeded sample of BATCHES*64 images) and reports samples/s;
# the epoch time is extrapolated to 60,000 images. BATCHES=0 trains full epochs.
#   bench/cnn_vs_pytorch.sh [REPS] [BATCHES] [DEVICE ...]      (default: 1 rep, 200 batches, cpu)
# Needs: python3-torch (Debian), the shared peers/ and datasets/ folders beside the repository (or PEERS/TESSERA_DATA).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${1:-1}"
BATCHES="${2:-200}"
shift 2 || shift $# || true
DEVICES=("$@")
[ ${#DEVICES[@]} -gt 0 ] || DEVICES=(cpu)
PEERS="${PEERS:-$ROOT/../shared/peers}"
export TESSERA_DATA="${TESSERA_DATA:-$ROOT/../shared/datasets}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

(cd "$ROOT" && ./tessera devices | head -5)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ); $BATCHES batches per run"
for i in $(seq 1 "$REPS"); do
  for d in "${DEVICES[@]}"; do
    echo "load before rep $i $d: $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$ROOT" && ./tessera mnist-cnn --device "$d" --max-batches "$BATCHES" --json "$OUT/tessera-$d-$i.json" >/dev/null 2>&1)
  done
  echo "load before rep $i pytorch: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$PEERS/pytorch/with_openblas.sh" /usr/bin/python3 "$PEERS/pytorch/cnn_example.py" "$TESSERA_DATA/mnist" \
      --optimizer adam --threads 2 --max-batches "$BATCHES" --json "$OUT/torch-$i.json" >/dev/null 2>&1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$REPS" "${DEVICES[@]}" <<'PY'
import json, statistics, sys
out, reps, devices = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
torch = [json.load(open(f"{out}/torch-{i}.json"))["epochs"][0]["samples_per_s"] for i in range(1, reps + 1)]
tp = statistics.median(torch)
print(f"{'framework/device':<28} {'samples/s (median)':>18} {'epoch s (60k)':>14} {'time vs pytorch':>16}")
print(f"{'pytorch 2 threads':<28} {tp:>18.0f} {60000 / tp:>14.1f} {1.0:>16.2f}")
for d in devices:
    runs = [json.load(open(f"{out}/tessera-{d}-{i}.json")) for i in range(1, reps + 1)]
    s = statistics.median(r["history"][0]["samples_per_second"] for r in runs)
    acc = statistics.median(r["test_acc"] for r in runs)
    print(f"{'tessera ' + d:<28} {s:>18.0f} {60000 / s:>14.1f} {tp / s:>16.2f}   (test acc {acc:.4f})")
PY
