#!/usr/bin/env bash
# Prepares build/gpu-kit/: everything scripts/gpu-check.sh needs on a bare GPU machine that has a driver but no
# Java and no network: a jlink-made Java runtime, the jars (linux-x86_64 natives), the test classes of the
# conformance kit, the JUnit console launcher and MNIST. Run here, then carry build/gpu-kit to the GPU machine.
#   scripts/gpu-kit.sh [DATA_DIR]     (DATA_DIR holds mnist/; default $TESSERA_DATA or ../shared/datasets)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIT="$ROOT/build/gpu-kit"
DATA="${1:-${TESSERA_DATA:-$ROOT/../shared/datasets}}"
JUNIT_CONSOLE_VERSION=1.14.4

cd "$ROOT"
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE_VERSION

rm -rf "$KIT"
mkdir -p "$KIT/lib" "$KIT/test" "$KIT/data/mnist"
tr ':' '\n' < examples/launcher/target/classpath.txt | while read -r jar || [[ -n "$jar" ]]; do cp "$jar" "$KIT/lib/"; done
cp api/target/tessera-api-*-tests.jar "$KIT/test/"
cp backend-opencl/jocl/target/test-classes -r "$KIT/test/jocl-test-classes"
[[ -d backend-opencl/aparapi/target/test-classes ]] && cp -r backend-opencl/aparapi/target/test-classes "$KIT/test/aparapi-test-classes"
cp "$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$JUNIT_CONSOLE_VERSION/junit-platform-console-standalone-$JUNIT_CONSOLE_VERSION.jar" "$KIT/test/"
cp "$DATA"/mnist/*-ubyte.gz "$KIT/data/mnist/"

# A small Java runtime with the modules the GPU check uses (no java.desktop: no --plot or predict there).
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.net.http,java.xml,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$KIT/jre"
# Debian's libjvm.so keeps its symbol table; without it the kit stays under the 64 MiB a device run carries.
command -v strip >/dev/null && find "$KIT/jre" -name '*.so' -exec strip --strip-unneeded {} +

# A Debian libOpenCL (the ICD loader) in case the GPU machine has none outside CUDA's folders.
if [[ -f /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 ]]; then
  mkdir -p "$KIT/ocl"
  cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$KIT/ocl/"
fi
du -sh "$KIT"
echo "gpu kit ready: $KIT (carry it, then run scripts/gpu-check.sh on the GPU machine)"
