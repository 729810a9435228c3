#!/usr/bin/env python3
"""SGEMM of Tessera's Vector API GEMM and numpy/OpenBLAS in alternating short windows, one pair per round.

This machine's speed changes by up to 2x from one stretch of seconds to the next (host load we can't see), so
figures taken minutes apart, even "side by side", can differ by more than the gap they are meant to show. Here
both stay warm in one run: a Java process (io.tessera.cpu.GemmServer from bench/target/benchmarks.jar) multiplies
on request, and each round times numpy for one window, then Tessera for one (the order flips every round), on the
same shape and thread count; the ratio of each pair is taken, and their median reported.

    ./mvnw -B -q -pl bench -am package -DskipTests
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/sgemm_paired.py [--rounds 15] [--threads 1,2]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sgemm_numpy import SHAPES, describe, openblas, operands, window  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def numpy_rate(a, b, flops, seconds):
    return window(a, b, np.empty((a.shape[0], b.shape[1]), dtype=np.float32), flops, seconds)


class Tessera:
    def __init__(self, jar, java):
        self.proc = subprocess.Popen(
            [java, "--add-modules", "jdk.incubator.vector", "-XX:+UseG1GC", "-Xmx2g", "-cp", jar, "io.tessera.cpu.GemmServer"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def rate(self, shape, threads, seconds):
        self.proc.stdin.write(f"{shape} {threads} {seconds}\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if len(reply) != 2 or reply[0] != "GFLOPS":
            raise SystemExit(f"GemmServer answered {' '.join(reply) or 'nothing (did it start?)'}")
        return float(reply[1])

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="pairs of windows per shape and thread count")
    parser.add_argument("--seconds", type=float, default=0.4, help="length of one window")
    parser.add_argument("--pause", type=float, default=0.3,
                        help="idle time before each window, so that the other side's spinning threads have parked")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--jar", default=os.path.join(ROOT, "bench", "target", "benchmarks.jar"))
    parser.add_argument("--java", default=os.path.join(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else "java")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        raise SystemExit(f"{args.jar} is missing: run ./mvnw -B -q -pl bench -am package -DskipTests first")
    lib, prefix, suffix, path = openblas()
    if lib is None:
        raise SystemExit("numpy has no OpenBLAS loaded: the thread count can't be set")
    set_threads = getattr(lib, prefix + "openblas_set_num_threads" + suffix)
    print(f"numpy {np.__version__}; {describe(lib, prefix, suffix, path)}")
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    print(f"machine: {model}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}; "
          f"{args.rounds} rounds of {args.seconds} s windows")
    tessera = Tessera(args.jar, args.java)
    rng = np.random.default_rng(42)
    try:
        for shape in args.shapes.split(","):
            a, b, flops = operands(shape, rng)
            for threads in (int(t) for t in args.threads.split(",")):
                set_threads(threads)
                numpy_rate(a, b, flops, 1.0)
                tessera.rate(shape, threads, 2.0)
                ours, theirs, ratios = [], [], []
                for r in range(args.rounds):
                    pair = {}
                    for side in (("numpy", "tessera") if r % 2 == 0 else ("tessera", "numpy")):
                        time.sleep(args.pause)
                        if side == "numpy":
                            pair[side] = numpy_rate(a, b, flops, args.seconds)
                        else:
                            pair[side] = tessera.rate(shape, threads, args.seconds)
                    ours.append(pair["tessera"])
                    theirs.append(pair["numpy"])
                    ratios.append(pair["tessera"] / pair["numpy"])
                at_least = sum(x >= 0.7 for x in ratios)
                print(f"{shape:>16} threads={threads}: numpy median {statistics.median(theirs):6.1f} GFLOP/s, "
                      f"tessera median {statistics.median(ours):6.1f}; tessera/numpy per pair: median "
                      f"{statistics.median(ratios):.2f} (quartiles {np.percentile(ratios, 25):.2f}-"
                      f"{np.percentile(ratios, 75):.2f}; >= 0.70 in {at_least} of {len(ratios)})", flush=True)
    finally:
        tessera.close()


if __name__ == "__main__":
    main()
