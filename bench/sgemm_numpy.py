#!/usr/bin/env python3
"""SGEMM GFLOP/s with numpy (OpenBLAS) on the shapes of bench's GemmBenchmark, 1 and 2 threads.

Run it with the machine's OpenBLAS defaults, e.g.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/sgemm_numpy.py
Shapes are MxKxN (C[m x n] = op(A)[m x k] op(B)[k x n]); a suffix NT or TN transposes B or A, as in
GemmBenchmark. Prints one line per shape and thread count: median and best GFLOP/s over the repeats.
"""
import argparse
import ctypes
import statistics
import time

import numpy as np

SHAPES = ["1024x1024x1024", "128x784x128", "128x784x32", "128x784x32NT", "32x128x784TN"]


def openblas():
    """The loaded OpenBLAS library and its symbol prefix/suffix, found through /proc/self/maps."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    for path in paths:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("", ""), ("scipy_", "64_"), ("", "64_")):
            if hasattr(lib, prefix + "openblas_set_num_threads" + suffix):
                return lib, prefix, suffix, path
    return None, "", "", None


def describe(lib, prefix, suffix, path):
    try:
        import threadpoolctl
        return "threadpoolctl: " + "; ".join(
            f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture')} threads {i.get('num_threads')}"
            for i in threadpoolctl.threadpool_info())
    except ImportError:
        pass
    if lib is None:
        return "no OpenBLAS found in this process"
    core = getattr(lib, prefix + "openblas_get_corename" + suffix)
    config = getattr(lib, prefix + "openblas_get_config" + suffix)
    core.restype = ctypes.c_char_p
    config.restype = ctypes.c_char_p
    return f"{path}: kernel {core().decode()}, config {config().decode()} (threadpoolctl not installed)"


def operands(shape, rng):
    dims = shape.rstrip("NT")
    trans = shape[len(dims):]
    m, k, n = (int(x) for x in dims.split("x"))
    a = rng.random((k, m) if trans.startswith("T") else (m, k), dtype=np.float32)
    b = rng.random((n, k) if trans.endswith("T") and trans else (k, n), dtype=np.float32)
    if trans.startswith("T"):
        a = a.T
    if trans.endswith("T"):
        b = b.T
    return a, b, 2.0 * m * n * k


def window(a, b, out, flops, seconds):
    """GFLOP/s of back-to-back products a @ b into out for at least the given seconds."""
    calls = 0
    start = time.perf_counter()
    while True:
        np.matmul(a, b, out=out)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return flops * calls / elapsed / 1e9


def measure(a, b, flops, seconds, repeats):
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
    np.matmul(a, b, out=out)
    rates = [window(a, b, out, flops, seconds) for _ in range(repeats)]
    return statistics.median(rates), max(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args()
    lib, prefix, suffix, path = openblas()
    print(f"numpy {np.__version__}; {describe(lib, prefix, suffix, path)}")
    rng = np.random.default_rng(42)
    for shape in args.shapes.split(","):
        a, b, flops = operands(shape, rng)
        for threads in (int(t) for t in args.threads.split(",")):
            if lib is not None:
                getattr(lib, prefix + "openblas_set_num_threads" + suffix)(threads)
            median, best = measure(a, b, flops, args.seconds, args.repeats)
            print(f"{shape:>16} threads={threads}: median {median:7.1f} GFLOP/s, best {best:7.1f}")


if __name__ == "__main__":
    main()
