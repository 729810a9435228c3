#!/usr/bin/env bash
# Runs the spark-submit job jar as a cluster would: Spark's own SparkSubmit, Spark's jars only on its class path,
# the job jar (built by ./mvnw package) as the application, master local[2]. Checks that one epoch trains.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOB="$(ls "$ROOT"/examples/launcher/target/tessera-examples-launcher-*-spark-job.jar)"
DATA="${1:-${TESSERA_DATA:-$ROOT/../shared/datasets}/mnist}"
# Spark and its dependencies: the launcher's class path without Tessera and the libraries the job jar carries.
SPARK_CP="$(tr ':' '\n' < "$ROOT/examples/launcher/target/classpath.txt" \
  | grep -v -e "^$ROOT/" -e '/io/tessera/' -e '/com/google/inject/' -e '/org/ejml/' -e '/org/jocl/' -e '/com/aparapi/' -e '/aopalliance/' -e '/jakarta/inject/' \
  | paste -sd: -)"
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
"${JAVA_HOME:+$JAVA_HOME/bin/}java" "${OPENS[@]}" --add-modules jdk.incubator.vector -Dspark.ui.enabled=false \
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -cp "$SPARK_CP" org.apache.spark.deploy.SparkSubmit \
  --master 'local[2]' --class io.tessera.examples.cli.Main "$JOB" mnist --spark submit --epochs 1 --data "$DATA" | tee "$OUT"
grep -q 'Spark local\[2\] (Spark [0-9.]*): 2 workers, gradient all-reduce every step' "$OUT"
grep -q '^Test: loss' "$OUT"
echo "spark-submit check: the job jar trained one epoch under SparkSubmit in local[2]"
