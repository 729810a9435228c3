#!/usr/bin/env bash
# Runs on a bare NVIDIA machine (driver and CUDA, no Java, no network) with build/gpu-kit/ from scripts/gpu-kit.sh:
# registers the NVIDIA OpenCL driver, lists the devices, runs the conformance kit against both OpenCL backends, an SGEMM
# benchmark (1024, 4096) and one MNIST epoch. Writes everything to $OUT (or build/gpu-results) as it goes.
#   scripts/gpu-check.sh [--quick]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIT="$ROOT/build/gpu-kit"
OUT="${OUT:-$ROOT/build/gpu-results}"
mkdir -p "$OUT"
LOG="$OUT/gpu-check.log"
exec > >(tee -a "$LOG") 2>&1
[[ -x "$KIT/jre/bin/java" ]] || { echo "no kit at $KIT: run scripts/gpu-kit.sh first and carry build/gpu-kit"; exit 2; }
JAVA="$KIT/jre/bin/java"
echo "== $(date -u +%FT%TZ) on $(hostname); $(uname -m)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv

# 1. The ICD loader (libOpenCL.so.1): the system's, CUDA's, or the one in the kit.
OCL_DIR=""
for d in /usr/lib/x86_64-linux-gnu /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib $(ls -d /usr/local/cuda-*/lib64 2>/dev/null) "$KIT/ocl"; do
  if [[ -e "$d/libOpenCL.so.1" || -e "$d/libOpenCL.so" ]]; then OCL_DIR="$d"; break; fi
done
[[ -n "$OCL_DIR" ]] || { echo "no libOpenCL.so found (looked in CUDA's lib64 and the kit)"; exit 1; }
echo "libOpenCL from $OCL_DIR"
export LD_LIBRARY_PATH="$OCL_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# 2. The NVIDIA ICD, registered through a vendors folder of our own.
NV_LIB="$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib -maxdepth 3 -name 'libnvidia-opencl.so.1' 2>/dev/null | head -1)"
VENDORS="$OUT/icd"
mkdir -p "$VENDORS"
if [[ -n "$NV_LIB" ]]; then
  echo "$NV_LIB" > "$VENDORS/nvidia.icd"
  export OCL_ICD_VENDORS="$VENDORS"
  export LD_LIBRARY_PATH="$(dirname "$NV_LIB"):$LD_LIBRARY_PATH"
  echo "NVIDIA OpenCL driver: $NV_LIB"
else
  echo "no libnvidia-opencl.so.1 found; using the system's OpenCL vendors (/etc/OpenCL/vendors)"
fi

CP="$(ls "$KIT"/lib/*.jar | tr '\n' ':')"
# OpenCL drivers built on LLVM replace the JVM's signal handlers; HotSpot's signal chaining keeps them first.
[[ -f "$KIT/jre/lib/libjsig.so" ]] && export LD_PRELOAD="$KIT/jre/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
JVM=(-Xmx16g --add-modules jdk.incubator.vector "-Djava.io.tmpdir=$OUT/tmp" "-Djava.util.logging.SimpleFormatter.format=%4\$s: %5\$s%6\$s%n")
mkdir -p "$OUT/tmp"

echo "== devices"
"$JAVA" "${JVM[@]}" -cp "$CP" io.tessera.examples.cli.Main devices | tee "$OUT/devices.txt"

for backend in jocl aparapi; do
  [[ -d "$KIT/test/$backend-test-classes" ]] || { echo "no $backend test classes in the kit"; continue; }
  echo "== conformance kit against opencl-$backend"
  TEST_CP="$CP$(ls "$KIT"/test/*.jar | grep -v console | tr '\n' ':')$KIT/test/$backend-test-classes"
  TESSERA_REQUIRE_OPENCL=1 "$JAVA" "${JVM[@]}" -jar "$KIT"/test/junit-platform-console-standalone-*.jar execute \
    --class-path "$TEST_CP" --select-package "io.tessera.opencl.$backend" \
    --exclude-classname '.*(UnavailableTest|NoPlatform.*|.*Bench)' --reports-dir "$OUT/junit-$backend" \
    --details=summary --disable-banner 2>&1 | tail -25
  echo "TCK exit code ($backend): ${PIPESTATUS[0]}"
done

echo "== SGEMM"
"$JAVA" "${JVM[@]}" -cp "$CP" io.tessera.opencl.jocl.bench.GemmBench 3 1024 4096 | tee "$OUT/sgemm.txt"

echo "== one MNIST epoch on opencl-jocl:0, opencl-aparapi:0 and cpu"
for dev in $(awk '/^  opencl-(jocl|aparapi):0 / {print $1}' "$OUT/devices.txt") cpu; do
  "$JAVA" "${JVM[@]}" -cp "$CP" io.tessera.examples.cli.Main mnist --device "$dev" --epochs 1 --data "$KIT/data" \
    --json "$OUT/mnist-$dev.json" 2>&1 | tail -4
done
echo "== done; results in $OUT"
