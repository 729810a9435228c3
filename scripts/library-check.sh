#!/usr/bin/env bash
# Tessera as a library, as a user and a third-party backend author get it: the README's tutorial project and the
# sample backend are copied into empty folders outside the source tree and built offline against the artifacts
# installed in the local Maven repository only (the install itself may fetch maven-install-plugin); the tutorial then
# trains with plain `java`.
# Usage: scripts/library-check.sh [MNIST parent folder]   (default: $TESSERA_DATA)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-${TESSERA_DATA:?set TESSERA_DATA or pass the folder that holds mnist/}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== installing Tessera's artifacts into the local Maven repository"
"$root/mvnw" -B -q -DskipTests install -f "$root/pom.xml" -pl bom,api,datasets,tck,backend-cpu,backend-opencl/jocl -am

echo "== the README's tutorial project, built offline in $work/tutorial"
mkdir -p "$work/tutorial"
cp -r "$root/samples/tutorial/pom.xml" "$root/samples/tutorial/src" "$work/tutorial/"
(cd "$work/tutorial" && "$root/mvnw" -B -q -o package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
out="$(cd "$work/tutorial" && java --add-modules jdk.incubator.vector -cp "target/classes:$(cat target/classpath.txt)" \
    org.example.MnistTutorial "$data" 1 2>&1 | tee /dev/stderr)"
accuracy="$(sed -n 's/^Test accuracy on [^:]*: \([0-9.]*\)$/\1/p' <<<"$out")"
if [[ -z "$accuracy" ]] || ! awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.90) }'; then
  echo "library-check: the tutorial program did not reach 0.90 test accuracy (got '${accuracy}')" >&2
  exit 1
fi

echo "== the sample third-party backend (module-info, tessera-tck), built offline in $work/heap-backend"
mkdir -p "$work/heap-backend"
cp -r "$root/samples/heap-backend/pom.xml" "$root/samples/heap-backend/src" "$work/heap-backend/"
(cd "$work/heap-backend" && "$root/mvnw" -B -o verify > "$work/heap-backend.log" 2>&1) || { tail -60 "$work/heap-backend.log"; exit 1; }
grep -E '^\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: 0$' "$work/heap-backend.log" | tail -1
kit_classes=$(grep -c 'in io.tessera.tck.ConformanceKit\$' "$work/heap-backend.log")
[[ "$kit_classes" -gt 0 ]] || { echo "library-check: no kit class ran in the sample backend" >&2; exit 1; }

echo "== ./tessera takes the sample backend's jar with --classpath (and does not rebuild after ./mvnw verify)"
devices="$("$root/tessera" --classpath "$work/heap-backend/target/heap-backend-1.0.jar" devices 2>&1)"
grep -q '^tessera: building' <<<"$devices" && { echo "library-check: ./tessera rebuilt although nothing changed" >&2; exit 1; }
grep -q '^  heap:0 ' <<<"$devices" || { echo "library-check: ./tessera devices did not list heap:0:" >&2; echo "$devices" >&2; exit 1; }
if "$root/tessera" --classpath "$work/missing.jar" devices >/dev/null 2>&1; then
  echo "library-check: ./tessera accepted a --classpath entry that does not exist" >&2; exit 1
fi
"$root/tessera" --version
echo "library-check: tutorial test accuracy $accuracy; heap backend passed $kit_classes kit classes"
