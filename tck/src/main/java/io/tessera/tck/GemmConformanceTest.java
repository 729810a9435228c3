package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Conformance of {@code gemm}: sizes from 1 to a few hundred that are not multiples of any tile, all four transpose
 * combinations, and the alpha/beta cases (beta 0 must not read C, so NaNs there must not propagate), against
 * {@link Reference#gemm} within {@link Tolerances} (the bound grows with {@code sqrt(k)} and the magnitude of the
 * products).
 */
public abstract class GemmConformanceTest extends ConformanceTestBase {

    /** {@code m, n, k}. */
    private static final int[][] SIZES = {
        {1, 1, 1}, {1, 7, 3}, {7, 1, 17}, {3, 3, 1}, {17, 33, 65}, {33, 17, 7}, {65, 127, 33}, {127, 65, 257},
        {257, 1, 129}, {1, 257, 127}, {64, 64, 64}, {300, 257, 129},
    };

    private static final float[][] ALPHA_BETA = {{1, 0}, {0.5f, 0}, {-2, 0}, {1, 1}, {0.5f, 1}, {-2, 1}, {1, 0.25f}, {0.5f, 0.25f}, {-2, 0.25f}};

    private static Stream<boolean[]> transposes() {
        return Stream.of(new boolean[] {false, false}, new boolean[] {false, true}, new boolean[] {true, false}, new boolean[] {true, true});
    }

    static Stream<Arguments> sizesAndTransposes() {
        return Stream.of(SIZES).flatMap(s -> transposes().map(t -> Arguments.of(s[0], s[1], s[2], t[0], t[1])));
    }

    static Stream<Arguments> alphaBetaAndTransposes() {
        return Stream.of(new int[] {17, 33, 65}, new int[] {65, 7, 33}).flatMap(s -> Stream.of(ALPHA_BETA)
                .flatMap(ab -> transposes().map(t -> Arguments.of(s[0], s[1], s[2], t[0], t[1], ab[0], ab[1]))));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("sizesAndTransposes")
    void product(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, transA, transB, 1f, 0f);
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} alpha={5} beta={6}")
    @MethodSource("alphaBetaAndTransposes")
    void alphaAndBeta(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        check(m, n, k, transA, transB, alpha, beta);
    }

    @Test
    void largeInputsScaleTheTolerance() {
        float[] a = uniform(random("gemm large"), 33 * 129, 100, 1000);
        float[] b = uniform(random("gemm large", 1), 129 * 17, -1000, 1000);
        try (Tensor ta = device().of(a, Shape.of(33, 129)); Tensor tb = device().of(b, Shape.of(129, 17)); Tensor c = device().zeros(Shape.of(33, 17))) {
            kernels().gemm(false, false, 1f, ta, tb, 0f, c);
            Reference.gemm(false, false, 1f, a, 33, 129, b, 129, 17, 0f, null).assertMatches("gemm of values up to 1000", c.toFloatArray());
        }
    }

    @Test
    void rowsViewsAsOperands() {
        float[] a = uniform(random("gemm rows"), 10 * 6, -1, 1);
        float[] b = uniform(random("gemm rows", 1), 6 * 5, -1, 1);
        try (Scope s = device().scope()) {
            Tensor fullA = s.of(a, Shape.of(10, 6));
            Tensor fullC = s.zeros(Shape.of(10, 5));
            Tensor tb = s.of(b, Shape.of(6, 5));
            Tensor topA = s.track(fullA.rows(4));
            Tensor topC = s.track(fullC.rows(4));
            kernels().gemm(false, false, 1f, topA, tb, 0f, topC);
            float[] c = fullC.toFloatArray();
            Reference.gemm(false, false, 1f, Arrays.copyOf(a, 24), 4, 6, b, 6, 5, 0f, null)
                    .assertMatches("gemm into rows(4)", Arrays.copyOf(c, 20));
            assertArrayEquals(new float[30], Arrays.copyOfRange(c, 20, 50), "gemm on rows(4) wrote past its rows");
        }
    }

    private void check(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        Object[] key = {m, n, k, transA, transB, alpha, beta};
        float[] a = uniform(random(key, "A"), aRows * aCols, -1, 1);
        float[] b = uniform(random(key, "B"), bRows * bCols, -1, 1);
        float[] c = uniform(random(key, "C"), m * n, -1, 1);
        String what = "gemm(" + (transA ? "A^T" : "A") + ", " + (transB ? "B^T" : "B") + ") m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta;
        try (Scope s = device().scope()) {
            Tensor ta = s.of(a, Shape.of(aRows, aCols));
            Tensor tb = s.of(b, Shape.of(bRows, bCols));
            Tensor tc = beta == 0f ? s.empty(Shape.of(m, n), DType.FLOAT32) : s.of(c, Shape.of(m, n));
            if (beta == 0f) {
                kernels().fill(tc, Float.NaN);
            }
            kernels().gemm(transA, transB, alpha, ta, tb, beta, tc);
            Reference.gemm(transA, transB, alpha, a, aRows, aCols, b, bRows, bCols, beta, c).assertMatches(what, tc.toFloatArray());
            assertArrayEquals(a, ta.toFloatArray(), what + " changed A");
            assertArrayEquals(b, tb.toFloatArray(), what + " changed B");
        }
    }
}
