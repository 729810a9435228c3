package io.tessera.cpu;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * SGEMM {@code C[m x n] = op(A) op(B)} on the CPU backend's two paths, single precision, beta 0. {@code shape} is
 * {@code MxKxN} with an optional transpose suffix ({@code NT}: B transposed, the Linear forward pass; {@code TN}: A
 * transposed, the weight gradient). GFLOP/s = {@code 2 m n k / (time per op)}; {@link #flops()} prints it per shape.
 * Lives in the backend's package to reach its package-private GEMM classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class GemmBenchmark {

    @Param({"1024x1024x1024", "128x784x128", "128x784x32", "128x784x32NT", "32x128x784TN"})
    public String shape;

    @Param({"vector", "ejml"})
    public String gemm;

    @Param({"1", "2"})
    public int threads;

    private Gemm impl;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String dims = shape.replaceAll("[A-Z]+$", "");
        String trans = shape.substring(dims.length());
        String[] p = dims.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        transA = trans.startsWith("T");
        transB = trans.endsWith("T");
        impl = gemm.equals("vector") ? new VectorGemm(threads) : new EjmlGemm(threads > 1);
        SplittableRandom random = new SplittableRandom(42);
        a = fill(random, m * k);
        b = fill(random, k * n);
        c = new float[m * n];
    }

    private static float[] fill(SplittableRandom random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Floating-point operations per call, for converting the reported time to GFLOP/s. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    @Benchmark
    public float[] sgemm() {
        impl.gemm(transA, transB, m, n, k, 1f, a, b, 0f, c);
        return c;
    }
}
