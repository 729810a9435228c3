package io.tessera.cpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The Vector API GEMM timed on request, for side-by-side runs with another process (bench/sgemm_paired.py): reads
 * lines {@code SHAPE THREADS SECONDS} from standard input (shape as in {@link GemmBenchmark}: {@code MxKxN} with an
 * optional {@code NT} or {@code TN}), multiplies for that long and answers {@code GFLOPS <mean>} on standard output;
 * {@code quit} or end of input stops it. Each shape and thread count is a {@link GemmBenchmark} (the same operands as
 * the JMH benchmark), set up once and kept, so every window after the first runs warm. Lives in the backend's package
 * to reach its package-private GEMM.
 */
public final class GemmServer {
    private final Map<String, GemmBenchmark> benchmarks = new HashMap<>();

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
        if (!shape.matches("\\d+x\\d+x\\d+(NT|TN)?")) {
            throw new IllegalArgumentException("shape must be MxKxN with an optional NT or TN: " + shape);
        }
        GemmBenchmark benchmark = benchmarks.computeIfAbsent(shape + " " + threads, key -> {
            GemmBenchmark b = new GemmBenchmark();
            b.shape = shape;
            b.gemm = "vector";
            b.threads = threads;
            b.setUp();
            return b;
        });
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            benchmark.sgemm();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return benchmark.flops() * calls / elapsed;
    }
}
