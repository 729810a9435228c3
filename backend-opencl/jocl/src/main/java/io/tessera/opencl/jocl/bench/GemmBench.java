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
 * Each case runs batches of calls for a few seconds and reports the best batch (least disturbed by other load) and
 * the mean.
 *
 * <p>Arguments: optional {@code seconds} per case (default 2), then the sizes of the square products (default 1024).
 */
public final class GemmBench {
    private GemmBench() {
    }

    public static void main(String[] args) throws BackendUnavailableException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int[] squares = args.length > 1
                ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024};
        try (Backend backend = new JoclBackendProvider().load()) {
            System.out.println(backend.details());
            for (Device device : backend.devices()) {
                JoclDevice d = (JoclDevice) device;
                System.out.printf(Locale.ROOT, "%s: %s (%s, %s), gemm %s%n", d.id(), d.name(), d.kind(), d.vendor(), d.gemmVariant());
                for (int size : squares) {
                    run(d, size, size, size, false, false, seconds);
                }
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
            double flop = 2.0 * m * n * k;
            int batch = Math.max(1, (int) (0.05e9 / flop * 20));
            double best = Double.MAX_VALUE;
            double total = 0;
            long calls = 0;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    kernels.gemm(transA, transB, 1f, a, b, 0f, c);
                }
                d.synchronize();
                double per = (System.nanoTime() - t0) / 1e9 / batch;
                best = Math.min(best, per);
                total += per * batch;
                calls += batch;
            }
            System.out.printf(Locale.ROOT, "  sgemm m=%4d n=%4d k=%4d %s%s: best %7.1f GFLOP/s (%.3f ms), mean %7.1f GFLOP/s, %d calls%n",
                    m, n, k, transA ? "T" : "N", transB ? "T" : "N", flop / best / 1e9, best * 1e3, flop * calls / total / 1e9, calls);
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
