package io.tessera.opencl.jocl.bench;

import io.tessera.Backend;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.opencl.jocl.JoclBackendProvider;
import io.tessera.opencl.jocl.JoclDevice;
import io.tessera.spi.BackendUnavailableException;
import io.tessera.spi.Kernels;

import java.util.Locale;
import java.util.Random;

/**
 * Prints SGEMM throughput (GFLOP/s) of every opencl-jocl device for 1024^3 and for the MNIST MLP's
 * 128x784 * 784x128, in all four transposes. A benchmark, not a test: figures for {@code docs/benchmarks.md}.
 *
 * <p>Arguments: optional {@code seconds} per case (default 2).
 */
public final class GemmBench {
    private GemmBench() {
    }

    public static void main(String[] args) throws BackendUnavailableException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        try (Backend backend = new JoclBackendProvider().load()) {
            System.out.println(backend.details());
            for (Device device : backend.devices()) {
                JoclDevice d = (JoclDevice) device;
                System.out.printf(Locale.ROOT, "%s: %s (%s, %s), gemm %s%n", d.id(), d.name(), d.kind(), d.vendor(), d.gemmVariant());
                run(d, 1024, 1024, 1024, false, false, seconds);
                for (int t = 0; t < 4; t++) {
                    run(d, 128, 128, 784, (t & 1) != 0, (t & 2) != 0, seconds);
                }
                run(d, 128, 784, 128, false, true, seconds);
            }
        }
    }

    private static void run(Device d, int m, int n, int k, boolean transA, boolean transB, double seconds) {
        Random rnd = new Random(1);
        Kernels kernels = d.kernels();
        try (Tensor a = d.of(random(rnd, m * k), transA ? Shape.of(k, m) : Shape.of(m, k));
             Tensor b = d.of(random(rnd, k * n), transB ? Shape.of(n, k) : Shape.of(k, n));
             Tensor c = d.zeros(Shape.of(m, n))) {
            kernels.gemm(transA, transB, 1f, a, b, 0f, c);
            d.synchronize();
            int reps = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long now;
            do {
                for (int i = 0; i < 5; i++) {
                    kernels.gemm(transA, transB, 1f, a, b, 0f, c);
                }
                d.synchronize();
                reps += 5;
                now = System.nanoTime();
            } while (now < deadline);
            double secs = (now - start) / 1e9;
            double gflops = 2.0 * m * n * k * reps / secs / 1e9;
            System.out.printf(Locale.ROOT, "  sgemm %4d x %4d x %4d %s%s: %8.1f GFLOP/s  (%.3f ms per call, %d calls)%n", m, n, k,
                    transA ? "T" : "N", transB ? "T" : "N", gflops, secs * 1e3 / reps, reps);
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() - 0.5f;
        }
        return x;
    }
}
