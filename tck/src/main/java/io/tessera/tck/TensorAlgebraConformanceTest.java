package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the tensor-algebra kernels that autograd's ops are built on: {@code unary}, {@code unaryBackward},
 * broadcasting {@code binary}, {@code reduceSum}, {@code reduceMax} and its backward, {@code copyStrided},
 * {@code gatherRows} and {@code scatterAddRows}, against double-precision loops within {@link Tolerances}.
 */
public abstract class TensorAlgebraConformanceTest extends ConformanceTestBase {

    private static final int[] SIZES = {1, 7, 33, 257, 4099, 70_001};

    static Stream<Arguments> unaryCases() {
        return Stream.of(UnaryFunction.values()).flatMap(f -> Arrays.stream(SIZES).boxed()
                .flatMap(n -> Stream.of(Arguments.of(f, n, false), Arguments.of(f, n, true))));
    }

    /** Inputs inside the function's domain, away from its kinks. */
    private static float[] domain(UnaryFunction f, SplittableRandom random, int n) {
        return switch (f) {
            case LOG, SQRT, POW -> uniform(random, n, 0.1, 4);
            case EXP -> uniform(random, n, -6, 6);
            default -> uniform(random, n, -4, 4);
        };
    }

    private static float alpha(UnaryFunction f) {
        return switch (f) {
            case POW -> 1.7f;
            case ADD_SCALAR -> -0.75f;
            case MUL_SCALAR -> 2.5f;
            default -> 0f;
        };
    }

    private static void assertClose(String what, double[] expected, double[] magnitudes, int terms, float[] actual) {
        new Expected(expected, magnitudes, terms, Math.max(1, expected.length)).assertMatches(what, actual);
    }

    @ParameterizedTest(name = "{0} of {1}, in place: {2}")
    @MethodSource("unaryCases")
    void unary(UnaryFunction f, int n, boolean inPlace) {
        float[] x = domain(f, random("unary", f, n), n);
        float alpha = alpha(f);
        double[] want = new double[n];
        double[] mag = new double[n];
        for (int i = 0; i < n; i++) {
            want[i] = f.apply(x[i], alpha);
            mag[i] = Math.abs(want[i]) * 2;
        }
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(n));
            Tensor out = inPlace ? tx : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().unary(f, alpha, tx, out);
            assertClose("unary " + f + " of " + n, want, mag, 1, out.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} of {1}, in place: {2}")
    @MethodSource("unaryCases")
    void unaryBackward(UnaryFunction f, int n, boolean inPlace) {
        SplittableRandom random = random("unaryBackward", f, n);
        float[] x = domain(f, random, n);
        float[] g = uniform(random, n, -2, 2);
        float alpha = alpha(f);
        double[] want = new double[n];
        double[] mag = new double[n];
        for (int i = 0; i < n; i++) {
            want[i] = g[i] * f.derivative(x[i], alpha);
            mag[i] = Math.abs(want[i]) * 2;
        }
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(n));
            Tensor tg = s.of(g, Shape.of(n));
            Tensor out = inPlace ? tg : s.empty(Shape.of(n), DType.FLOAT32);
            kernels().unaryBackward(f, alpha, tx, tg, out);
            assertClose("unaryBackward " + f + " of " + n, want, mag, 1, out.toFloatArray());
            assertArrayEquals(x, tx.toFloatArray(), "unaryBackward must not change x");
        }
    }

    /** {out size, a size, a inner, b size, b inner}: full, row vector, column, per channel, scalar, both broadcast. */
    static Stream<Arguments> binaryCases() {
        int[][] layouts = {
            {70_001, 70_001, 1, 70_001, 1}, {12, 12, 1, 12, 1}, {7 * 17, 7 * 17, 1, 17, 1}, {7 * 17, 7 * 17, 1, 7, 17},
            {2 * 3 * 5 * 4, 2 * 3 * 5 * 4, 1, 3, 20}, {257, 257, 1, 1, 1}, {128 * 10, 1, 1, 128 * 10, 1},
            {6 * 5, 5, 1, 6, 5}, {65 * 784, 65 * 784, 1, 784, 1}};
        return Stream.of(BinaryFunction.values()).flatMap(f -> Stream.of(layouts).map(l -> Arguments.of(f, l)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binary(BinaryFunction f, int[] layout) {
        int n = layout[0];
        SplittableRandom random = random("binary", f, Arrays.toString(layout));
        float[] a = uniform(random, layout[1], -2, 2);
        float[] b = uniform(random, layout[3], 0.5, 2);
        double[] want = new double[n];
        double[] mag = new double[n];
        for (int i = 0; i < n; i++) {
            double av = a[(i / layout[2]) % a.length];
            double bv = b[(i / layout[4]) % b.length];
            want[i] = f.apply(av, bv);
            mag[i] = f == BinaryFunction.ADD || f == BinaryFunction.SUB ? Math.abs(av) + Math.abs(bv) : Math.abs(want[i]) * 2;
        }
        try (Scope s = device().scope()) {
            Tensor ta = s.of(a, Shape.of(a.length));
            Tensor tb = s.of(b, Shape.of(b.length));
            Tensor out = s.empty(Shape.of(n), DType.FLOAT32);
            kernels().binary(f, ta, layout[2], tb, layout[4], out);
            assertClose("binary " + f + " " + Arrays.toString(layout), want, mag, 1, out.toFloatArray());
            if (a.length == n) {
                kernels().binary(f, ta, layout[2], tb, layout[4], ta);
                assertClose("in-place binary " + f + " " + Arrays.toString(layout), want, mag, 1, ta.toFloatArray());
            }
        }
    }

    @Test
    void binaryRefusesOperandsThatDoNotBroadcast() {
        try (Scope s = device().scope()) {
            Tensor a = s.zeros(Shape.of(6, 5));
            Tensor b = s.zeros(Shape.of(4));
            Tensor out = s.zeros(Shape.of(6, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernels().binary(BinaryFunction.ADD, a, 1, b, 1, out));
            assertTrue(e.getMessage().contains(b.shape().toString()) && e.getMessage().contains(out.shape().toString()), e.getMessage());
        }
    }

    /** {outer, n, inner}. */
    static Stream<int[]> axes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {1, 70_001, 1}, new int[] {128, 10, 1}, new int[] {1, 128, 10},
                new int[] {3, 7, 5}, new int[] {2, 33, 65}, new int[] {1000, 1, 3}, new int[] {4, 3, 28 * 28});
    }

    private static float[] along(int[] axis, String op) {
        return uniform(random(op, Arrays.toString(axis)), axis[0] * axis[1] * axis[2], -3, 3);
    }

    @ParameterizedTest(name = "[outer, n, inner] = {0}")
    @MethodSource("axes")
    void reduceSum(int[] axis) {
        int outer = axis[0];
        int n = axis[1];
        int inner = axis[2];
        float[] x = along(axis, "reduceSum");
        double[] want = new double[outer * inner];
        double[] mag = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < inner; k++) {
                    want[o * inner + k] += x[(o * n + j) * inner + k];
                    mag[o * inner + k] += Math.abs(x[(o * n + j) * inner + k]);
                }
            }
        }
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(x.length));
            Tensor out = s.empty(Shape.of(outer * inner), DType.FLOAT32);
            kernels().reduceSum(tx, n, inner, out);
            assertClose("reduceSum " + Arrays.toString(axis), want, mag, n, out.toFloatArray());
        }
    }

    @ParameterizedTest(name = "[outer, n, inner] = {0}")
    @MethodSource("axes")
    void reduceMaxAndItsBackward(int[] axis) {
        int outer = axis[0];
        int n = axis[1];
        int inner = axis[2];
        float[] x = along(axis, "reduceMax");
        if (n > 2) {
            x[(outer - 1) * n * inner + 2 * inner] = 10f;
            x[(outer - 1) * n * inner + (n - 1) * inner] = 10f;
        }
        float[] wantMax = new float[outer * inner];
        int[] wantIndex = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < inner; k++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    float v = x[(o * n + j) * inner + k];
                    if (v > best) {
                        best = v;
                        wantIndex[o * inner + k] = j;
                    }
                }
                wantMax[o * inner + k] = best;
            }
        }
        float[] g = uniform(random("reduceMaxBackward", Arrays.toString(axis)), outer * inner, -1, 1);
        float[] wantGrad = new float[x.length];
        for (int r = 0; r < g.length; r++) {
            wantGrad[((r / inner) * n + wantIndex[r]) * inner + r % inner] = g[r];
        }
        try (Scope s = device().scope()) {
            Tensor tx = s.of(x, Shape.of(x.length));
            Tensor out = s.empty(Shape.of(outer * inner), DType.FLOAT32);
            Tensor indices = s.empty(Shape.of(outer * inner), DType.INT32);
            kernels().reduceMax(tx, n, inner, out, indices);
            assertArrayEquals(wantMax, out.toFloatArray(), "reduceMax " + Arrays.toString(axis));
            assertArrayEquals(wantIndex, indices.toIntArray(), "reduceMax indices (lowest among ties) " + Arrays.toString(axis));
            Tensor tg = s.of(g, Shape.of(g.length));
            Tensor gradIn = s.of(uniform(random("garbage"), x.length, 5, 6), Shape.of(x.length));
            kernels().reduceMaxBackward(tg, indices, n, inner, gradIn);
            assertArrayEquals(wantGrad, gradIn.toFloatArray(), "reduceMaxBackward " + Arrays.toString(axis));
        }
    }

    @Test
    void reduceMaxChoosesNaN() {
        try (Scope s = device().scope()) {
            Tensor x = s.of(new float[] {1, Float.NaN, 3, 2, 5, 4}, Shape.of(2, 3));
            Tensor out = s.empty(Shape.of(2), DType.FLOAT32);
            Tensor indices = s.empty(Shape.of(2), DType.INT32);
            kernels().reduceMax(x, 3, 1, out, indices);
            float[] max = out.toFloatArray();
            assertTrue(Float.isNaN(max[0]), "a NaN in the row must propagate, got " + max[0]);
            assertEquals(5f, max[1]);
            assertArrayEquals(new int[] {1, 1}, indices.toIntArray());
        }
    }

    @Test
    void copyStridedCopiesSlicesAndTransposes() {
        int rows = 37;
        int cols = 70;
        float[] x = uniform(random("copyStrided"), rows * cols, -1, 1);
        try (Scope s = device().scope()) {
            Tensor src = s.of(x, Shape.of(rows, cols));
            Tensor t = s.empty(Shape.of(cols, rows), DType.FLOAT32);
            kernels().copyStrided(src, new Strides(0, cols, 1, 0), t, new Strides(0, 1, rows, 0), rows, cols, 1);
            float[] got = t.toFloatArray();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(x[i * cols + j], got[j * rows + i], "transpose at " + i + "," + j);
                }
            }
            Tensor slice = s.of(new float[rows * 5 + 3], Shape.of(rows * 5 + 3));
            kernels().copyStrided(src, new Strides(10, cols, 1, 0), slice, new Strides(3, 5, 1, 0), rows, 5, 1);
            float[] sl = slice.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(0f, sl[i], "copyStrided must not write before the destination offset");
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(x[i * cols + 10 + j], sl[3 + i * 5 + j], "slice at " + i + "," + j);
                }
            }
            int b = 3;
            Tensor batch = s.of(uniform(random("batch"), b * 4 * 6, -1, 1), Shape.of(b, 4, 6));
            float[] bx = batch.toFloatArray();
            Tensor bt = s.empty(Shape.of(b, 6, 4), DType.FLOAT32);
            kernels().copyStrided(batch, new Strides(0, 24, 6, 1), bt, new Strides(0, 24, 1, 4), b, 4, 6);
            float[] got3 = bt.toFloatArray();
            for (int i = 0; i < b; i++) {
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 6; c++) {
                        assertEquals(bx[i * 24 + r * 6 + c], got3[i * 24 + c * 4 + r], "batched transpose");
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernels().copyStrided(src, new Strides(1, cols, 1, 0), t, new Strides(0, cols, 1, 0), rows, cols, 1));
        }
    }

    @Test
    void gatherAndScatterAddRows() {
        int v = 50;
        int d = 33;
        float[] table = uniform(random("gather"), v * d, -1, 1);
        int[] idx = {3, 49, 0, 3, 17, 3};
        float[] grad = uniform(random("scatter"), idx.length * d, -1, 1);
        float[] start = uniform(random("start"), v * d, -1, 1);
        double[] want = new double[v * d];
        double[] mag = new double[v * d];
        for (int i = 0; i < want.length; i++) {
            want[i] = start[i];
            mag[i] = Math.abs(start[i]);
        }
        for (int r = 0; r < idx.length; r++) {
            for (int c = 0; c < d; c++) {
                want[idx[r] * d + c] += grad[r * d + c];
                mag[idx[r] * d + c] += Math.abs(grad[r * d + c]);
            }
        }
        try (Scope s = device().scope()) {
            Tensor tt = s.of(table, Shape.of(v, d));
            Tensor ti = s.ofInts(idx, Shape.of(idx.length));
            Tensor out = s.empty(Shape.of(idx.length, d), DType.FLOAT32);
            kernels().gatherRows(tt, ti, out);
            float[] got = out.toFloatArray();
            for (int r = 0; r < idx.length; r++) {
                assertArrayEquals(Arrays.copyOfRange(table, idx[r] * d, idx[r] * d + d),
                        Arrays.copyOfRange(got, r * d, r * d + d), "gathered row " + r);
            }
            Tensor acc = s.of(start, Shape.of(v, d));
            kernels().scatterAddRows(s.of(grad, Shape.of(idx.length, d)), ti, acc);
            assertClose("scatterAddRows", want, mag, 4, acc.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> kernels().gatherRows(tt, ti, s.zeros(Shape.of(idx.length, d + 1))));
        }
    }
}
