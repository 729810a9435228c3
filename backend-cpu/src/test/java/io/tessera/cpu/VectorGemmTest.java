package io.tessera.cpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link VectorGemm} on the shapes the conformance kit does not reach: k over several {@link VectorGemm#KC} slices
 * (on the blocked and the narrow path), rows over {@link VectorGemm#MC}, the narrow path with B read in place
 * (exactly {@link VectorNarrowKernel#NW} columns) and packed by all threads, and products split over threads (large
 * ones by default, every one with a threshold of 1), in all four transposes, against a double-precision product.
 * Split products must equal the one-thread product bit for bit.
 */
class VectorGemmTest {
    private static final VectorGemm ONE = new VectorGemm(1);
    private static final VectorGemm TWO = new VectorGemm(2);
    /** Splits every product, however small, over three threads: chunks by rows (with B packed by all) and by columns. */
    private static final VectorGemm THREE_ALWAYS = new VectorGemm(3, 1);
    /** Blocks of k and rows small enough that every shape here crosses several of each, split over two threads. */
    private static final VectorGemm SMALL_BLOCKS = new VectorGemm(new CpuThreads(2), 1, 40, 12);

    static Stream<Arguments> shapes() {
        int[][] sizes = {{9, 600, 700}, {600, 9, 700}, {513, 200, 40}, {300, 300, 300}, {128, 784, 32}, {300, 130, 513},
            {127, 32, 784}, {1001, 10, 600}, {33, 17, 300}, {131, VectorNarrowKernel.NW, 300}};
        float[][] alphaBeta = {{1, 0}, {-0.5f, 0.25f}};
        return Stream.of(sizes).flatMap(s -> Stream.of(alphaBeta).flatMap(ab -> Stream.of(0, 1, 2, 3)
                .map(t -> Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1]))));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} alpha={5} beta={6}")
    @MethodSource("shapes")
    void matchesDoubleProduct(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        SplittableRandom r = new SplittableRandom(31L * m + 7L * n + k);
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c0 = random(r, m * n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                expected[i * n + j] = alpha * s + (beta == 0f ? 0 : beta * (double) c0[i * n + j]);
            }
        }
        float[] serial = null;
        for (VectorGemm gemm : new VectorGemm[] {ONE, TWO, THREE_ALWAYS, SMALL_BLOCKS}) {
            float[] c = beta == 0f ? nans(m * n) : c0.clone();
            gemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
            double tolerance = 1e-5 * Math.sqrt(k) * k;
            for (int i = 0; i < c.length; i++) {
                assertFalse(Float.isNaN(c[i]), gemm.name() + ": NaN at " + i);
                assertEquals(expected[i], c[i], tolerance, gemm.name() + ": element " + i);
            }
            if (gemm == ONE) {
                serial = c;
            } else if (gemm != SMALL_BLOCKS) {
                // Split or not (the adaptive choice depends on timing), a product must come out bit for bit the same.
                assertArrayEquals(serial, c, gemm.name() + ": differs from the one-thread product");
            }
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static float[] nans(int size) {
        float[] x = new float[size];
        Arrays.fill(x, Float.NaN);
        return x;
    }
}
