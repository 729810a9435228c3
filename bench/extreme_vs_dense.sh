#!/usr/bin/env bash
# SLIDE against the dense output layer on the synthetic extreme-classification set, Tessera on 2 and 1 threads,
# and PyTorch's dense layer (bench/extreme_pytorch.py) on the same files, one after the other in one run.
#   bench/extreme_vs_dense.sh [EPOCHS] [extra ./tessera extreme flags, e.g. --classes 100000 --train-samples 60000]
# Needs python3-torch (Debian) for the peer; without it the peer is left out and said so.
# Then SLIDE with HOGWILD updates on 2 threads, for the choice of the default.
# Prints per run the epochs' train time and precision@1, then: the train time over the same epochs, SLIDE / dense, the
# precision gap, and the time each run needed to reach the dense run's final precision@1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EPOCHS="${1:-3}"
shift || true
FLAGS=(--classes 100000 --features 100000 --train-samples 60000 --test-samples 5000 --lr 0.005 "$@")
OUT="${BENCH_OUT:-$(mktemp -d)}"
mkdir -p "$OUT"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%FT%TZ)"
echo "flags: ${FLAGS[*]} --epochs $EPOCHS; files in $OUT"
(cd "$ROOT" && ./tessera extreme "${FLAGS[@]}" --write-data "$OUT/data" | tail -1)
for threads in 2 1; do
  for layer in slide dense; do
    echo "load before $layer/$threads: $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$ROOT" && ./tessera extreme "${FLAGS[@]}" --epochs "$EPOCHS" --layer "$layer" --threads "$threads" \
        --json "$OUT/$layer-$threads.json" 2>&1 | grep -E '^(model|Epoch)')
  done
done
echo "load before slide-hogwild/2: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$ROOT" && ./tessera extreme "${FLAGS[@]}" --epochs "$EPOCHS" --layer slide --updates hogwild --threads 2 \
    --json "$OUT/slide-hogwild-2.json" 2>&1 | grep -E '^(model|Epoch)')
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "load before pytorch/2: $(cut -d' ' -f1-3 /proc/loadavg)"
  OPENBLAS="${PEERS:-$ROOT/../shared/peers}/pytorch/with_openblas.sh"
  RUN=(/usr/bin/python3)
  [[ -x "$OPENBLAS" ]] && RUN=("$OPENBLAS" /usr/bin/python3)
  "${RUN[@]}" "$ROOT/bench/extreme_pytorch.py" "$OUT/data/train.txt" "$OUT/data/test.txt" --epochs "$EPOCHS" \
      --threads 2 --lr 0.005 --json "$OUT/pytorch-2.json"
else
  echo "python3-torch is not installed: the PyTorch peer is left out (apt-get install -y python3-torch)"
fi

/usr/bin/python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
runs = {}
for name in ["slide-2", "dense-2", "slide-1", "dense-1", "slide-hogwild-2", "pytorch-2"]:
    path = os.path.join(out, name + ".json")
    if os.path.exists(path):
        runs[name] = json.load(open(path))["history"]
def reach(history, target):
    total = 0.0
    for e in history:
        total += e["train_s"]
        if e["test_p_at_1"] >= target:
            return total
    return None
for name, h in runs.items():
    print(f"{name:10s} train_s " + " ".join(f"{e['train_s']:.1f}" for e in h) + "  p@1 " + " ".join(f"{e['test_p_at_1']:.4f}" for e in h))
for t in ("2", "1"):
    s, d = runs.get("slide-" + t), runs.get("dense-" + t)
    if not s or not d:
        continue
    ts, td = sum(e["train_s"] for e in s), sum(e["train_s"] for e in d)
    target = d[-1]["test_p_at_1"]
    rs, rd = reach(s, target), reach(d, target)
    print(f"{t} thread(s): train time over {len(s)} epochs slide {ts:.1f} s, dense {td:.1f} s, slide/dense = {ts / td:.3f}; "
          f"final p@1 slide {s[-1]['test_p_at_1']:.4f}, dense {target:.4f} (gap {100 * (target - s[-1]['test_p_at_1']):.2f} points); "
          f"time to dense's final p@1: slide {'%.1f s' % rs if rs is not None else 'not reached'}, dense {rd:.1f} s")
if "slide-hogwild-2" in runs and "slide-2" in runs:
    th, td = (sum(e["train_s"] for e in runs[n]) for n in ("slide-hogwild-2", "slide-2"))
    print(f"2 threads: slide hogwild {th:.1f} s, p@1 {runs['slide-hogwild-2'][-1]['test_p_at_1']:.4f}; deterministic {td:.1f} s, "
          f"p@1 {runs['slide-2'][-1]['test_p_at_1']:.4f}; hogwild / deterministic = {th / td:.3f}")
if "pytorch-2" in runs and "dense-2" in runs:
    tp = sum(e["train_s"] for e in runs["pytorch-2"])
    print(f"pytorch dense (2 threads): {tp:.1f} s, final p@1 {runs['pytorch-2'][-1]['test_p_at_1']:.4f}; "
          f"tessera dense / pytorch = {sum(e['train_s'] for e in runs['dense-2']) / tp:.3f}, "
          f"tessera slide / pytorch = {sum(e['train_s'] for e in runs['slide-2']) / tp:.3f}")
PY
