package io.tessera.cpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Vector API GEMM timed on request, for side-by-side runs with another process (bench/sgemm_paired.py): reads
 * lines {@code SHAPE THREADS SECONDS} from standard input (shape as in {@link GemmBenchmark}: {@code MxKxN} with an
 * optional {@code NT} or {@code TN}), multiplies for that long and answers {@code GFLOPS <mean>} on standard output;
 * {@code quit} or end of input stops it. Operands and GEMMs are made once per shape and thread count and kept, so
 * every window after the first runs warm. Lives in the backend's package to reach its package-private GEMM.
 */
public final class GemmServer {
    private final Map<Integer, VectorGemm> gemms = new HashMap<>();
    private final Map<String, Operands> operands = new HashMap<>();

    public static void main(String[] args) throws IOException {
        GemmServer server = new GemmServer();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.strip().equals("quit"); line = in.readLine()) {
            String[] words = line.strip().split("\\s+");
            try {
                if (words.length != 3) {
                    throw new IllegalArgumentException("expected SHAPE THREADS SECONDS, got '" + line + "'");
                }
                double rate = server.measure(words[0], Integer.parseInt(words[1]), Double.parseDouble(words[2]));
                System.out.printf("GFLOPS %.3f%n", rate);
            } catch (RuntimeException e) {
                System.out.println("ERROR " + e.getMessage());
            }
            System.out.flush();
        }
    }

    /** Mean GFLOP/s of back-to-back calls over {@code seconds}. */
    double measure(String shape, int threads, double seconds) {
        if (threads < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("threads must be at least 1 and seconds positive: " + threads + ", " + seconds);
        }
        VectorGemm gemm = gemms.computeIfAbsent(threads, VectorGemm::new);
        Operands o = operands.computeIfAbsent(shape, Operands::new);
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            gemm.gemm(o.transA, o.transB, o.m, o.n, o.k, 1f, o.a, o.b, 0f, o.c);
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return 2.0 * o.m * o.n * o.k * calls / elapsed;
    }

    private static final class Operands {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float[] a;
        final float[] b;
        final float[] c;

        Operands(String shape) {
            String dims = shape.replaceAll("[A-Z]+$", "");
            String trans = shape.substring(dims.length());
            String[] p = dims.split("x");
            if (p.length != 3 || !(trans.isEmpty() || trans.equals("NT") || trans.equals("TN"))) {
                throw new IllegalArgumentException("shape must be MxKxN with an optional NT or TN: " + shape);
            }
            m = Integer.parseInt(p[0]);
            k = Integer.parseInt(p[1]);
            n = Integer.parseInt(p[2]);
            transA = trans.equals("TN");
            transB = trans.equals("NT");
            SplittableRandom random = new SplittableRandom(42);
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (random.nextDouble() * 2 - 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
    }
}
