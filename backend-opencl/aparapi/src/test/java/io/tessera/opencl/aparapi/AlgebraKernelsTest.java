package io.tessera.opencl.aparapi;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.BinaryFunction;
import io.tessera.spi.Kernels;
import io.tessera.spi.Strides;
import io.tessera.spi.UnaryFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the conformance kit leaves to the backend for the tensor-algebra kernels of {@code opencl-aparapi:0}: inputs
 * far outside the kit's domains (where tanh, sigmoid and GELU saturate, Java's {@code Math.pow} special cases),
 * out-of-range indices that must neither read nor write out of bounds, aliased operands, partial writes into
 * tensors whose current copy lives in another kernel's buffer, and the arg-max indices of {@code reduceMax} kept
 * for its backward across other launches (one of which evicts them from their slot) and a garbage collection.
 */
class AlgebraKernelsTest {
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float SENTINEL = 7f;

    @BeforeAll
    static void needsOpenCl() {
        OpenCl.require();
    }

    private static Device cl() {
        return OpenCl.device();
    }

    private static Kernels k() {
        return cl().kernels();
    }

    private static void assertNear(double expected, float actual, String what) {
        float e = (float) expected;
        if (Float.isNaN(e) || Float.isInfinite(e)) {
            assertEquals(e, actual, what);
        } else {
            assertTrue(Math.abs(actual - expected) <= 1e-6 + 2e-5 * Math.abs(expected),
                    what + ": expected " + expected + ", got " + actual);
        }
    }

    private static void checkUnary(UnaryFunction f, float alpha, float[] xs) {
        try (Tensor x = cl().of(xs, Shape.of(xs.length)); Tensor out = cl().empty(Shape.of(xs.length), DType.FLOAT32);
             Tensor ones = cl().of(filled(xs.length, 1f), Shape.of(xs.length));
             Tensor grad = cl().empty(Shape.of(xs.length), DType.FLOAT32)) {
            k().unary(f, alpha, x, out);
            k().unaryBackward(f, alpha, x, ones, grad);
            float[] value = out.toFloatArray();
            float[] slope = grad.toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertNear(f.apply(xs[i], alpha), value[i], f + "(" + xs[i] + ", " + alpha + ")");
                assertNear(f.derivative(xs[i], alpha), slope[i], f + "'(" + xs[i] + ", " + alpha + ")");
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void saturatingFunctionsStayAccurateFarFromZero() {
        float[] xs = {-INF, -1e20f, -1e13f, -100, -50, -20, -9, -4, -1, -1e-3f, -1e-7f, -0f, 0f, 1e-7f, 1e-3f, 0.5f, 1, 4, 9,
            20, 50, 100, 1e13f, 1e20f, INF, Float.NaN};
        for (UnaryFunction f : new UnaryFunction[] {UnaryFunction.TANH, UnaryFunction.SIGMOID, UnaryFunction.GELU,
            UnaryFunction.EXP, UnaryFunction.NEG, UnaryFunction.ABS}) {
            checkUnary(f, 0f, xs);
        }
        checkUnary(UnaryFunction.LOG, 0f, new float[] {0f, -0f, -1, 1e-30f, 1, 3, 1e30f, INF, Float.NaN});
        checkUnary(UnaryFunction.SQRT, 0f, new float[] {1e-30f, 0.25f, 1, 2, 1e30f, INF, -1, Float.NaN});
    }

    @Test
    void powFollowsJavaRules() {
        float[] xs = {1, -1, 2, -2, 0, -0f, 0.5f, -0.5f, 3, INF, -INF, Float.NaN};
        for (float alpha : new float[] {Float.NaN, INF, -INF, 0, 1, 2, 3, -1, -2, 0.5f, 1.7f}) {
            checkUnary(UnaryFunction.POW, alpha, xs);
        }
    }

    @Test
    void badIndicesNeitherReadNorWriteOutOfBounds() {
        int v = 4;
        int d = 3;
        int[] idx = {-1, 2, v, Integer.MIN_VALUE, 1_000_000_000, 0, Integer.MAX_VALUE};
        float[] table = new float[v * d];
        for (int i = 0; i < table.length; i++) {
            table[i] = i + 1;
        }
        try (Tensor backing = cl().of(tail(table, 2 * d), Shape.of(v + 2, d)); Tensor indices = cl().ofInts(idx, Shape.of(idx.length));
             Tensor out = cl().empty(Shape.of(idx.length, d), DType.FLOAT32);
             Tensor grad = cl().of(filled(idx.length * d, 0.5f), Shape.of(idx.length, d))) {
            Tensor t = backing.rows(v);
            k().gatherRows(t, indices, out);
            float[] got = out.toFloatArray();
            for (int r = 0; r < idx.length; r++) {
                for (int c = 0; c < d; c++) {
                    float want = idx[r] >= 0 && idx[r] < v ? table[idx[r] * d + c] : 0f;
                    assertEquals(want, got[r * d + c], "gathered row " + r + " (index " + idx[r] + ")");
                }
            }
            k().scatterAddRows(grad, indices, t);
            float[] after = backing.toFloatArray();
            for (int i = 0; i < table.length; i++) {
                int row = i / d;
                float want = table[i] + (row == 0 || row == 2 ? 0.5f : 0f);
                assertEquals(want, after[i], "scattered element " + i);
            }
            assertSentinels(after, table.length, "scatterAddRows wrote past the table");
        }
        int n = 3;
        int inner = 2;
        try (Tensor backing = cl().of(tail(new float[2 * n * inner], n * inner), Shape.of(3 * n * inner));
             Tensor gradOut = cl().of(new float[] {1, 2, 3, 4}, Shape.of(4));
             Tensor indices = cl().ofInts(new int[] {-1, 1, n, 2}, Shape.of(4))) {
            Tensor gradIn = backing.rows(2 * n * inner);
            k().reduceMaxBackward(gradOut, indices, n, inner, gradIn);
            float[] got = backing.toFloatArray();
            float[] want = new float[2 * n * inner];
            want[1 * inner + 1] = 2;
            want[(n + 2) * inner + 1] = 4;
            assertArrayEquals(want, Arrays.copyOf(got, want.length), "reduceMaxBackward");
            assertSentinels(got, want.length, "reduceMaxBackward wrote past gradIn");
        }
    }

    /** {@code values} followed by {@code extra} sentinels. */
    private static float[] tail(float[] values, int extra) {
        float[] a = Arrays.copyOf(values, values.length + extra);
        Arrays.fill(a, values.length, a.length, SENTINEL);
        return a;
    }

    private static void assertSentinels(float[] a, int from, String what) {
        for (int i = from; i < a.length; i++) {
            assertEquals(SENTINEL, a[i], what + " (element " + i + ")");
        }
    }

    @Test
    void aliasedOperandsShareOneBuffer() {
        float[] xs = {-2, -0.5f, 0.25f, 3};
        try (Tensor t = cl().of(xs, Shape.of(4)); Tensor g = cl().empty(Shape.of(4), DType.FLOAT32)) {
            k().binary(BinaryFunction.MUL, t, 1, t, 1, t);
            assertArrayEquals(new float[] {4, 0.25f, 0.0625f, 9}, t.toFloatArray());
            k().unaryBackward(UnaryFunction.MUL_SCALAR, 3f, t, t, g);
            assertArrayEquals(new float[] {12, 0.75f, 0.1875f, 27}, g.toFloatArray());
            k().unaryBackward(UnaryFunction.NEG, 0f, t, g, g);
            assertArrayEquals(new float[] {-12, -0.75f, -0.1875f, -27}, g.toFloatArray());
        }
    }

    @Test
    void partialWritesKeepValuesHeldByOtherKernels() {
        try (Tensor dst = cl().empty(Shape.of(4, 5), DType.FLOAT32); Tensor src = cl().of(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(6));
             Tensor backing = cl().empty(Shape.of(8), DType.FLOAT32); Tensor b = cl().of(new float[] {10, 20}, Shape.of(2))) {
            k().fill(dst, 3f);
            k().copyStrided(src, new Strides(0, 3, 1, 0), dst, new Strides(6, 5, 1, 0), 2, 3, 1);
            float[] want = filled(20, 3f);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    want[6 + i * 5 + j] = 1 + i * 3 + j;
                }
            }
            assertArrayEquals(want, dst.toFloatArray(), "copyStrided into a filled tensor");
            k().fill(backing, -1f);
            Tensor head = backing.rows(4);
            k().binary(BinaryFunction.ADD, src.rows(4), 1, b, 2, head);
            assertArrayEquals(new float[] {11, 12, 23, 24, -1, -1, -1, -1}, backing.toFloatArray(), "binary into a view");
            k().fill(backing, -1f);
            k().reduceSum(src, 3, 1, head.rows(2));
            assertArrayEquals(new float[] {6, 15, -1, -1, -1, -1, -1, -1}, backing.toFloatArray(), "reduceSum into a view");
        }
    }

    @Test
    void indicesSurviveOtherLaunchesAndAGarbageCollection() {
        int outer = 50;
        int n = 7;
        int inner = 9;
        float[] xs = new float[outer * n * inner];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i * 0.37);
        }
        try (Tensor x = cl().of(xs, Shape.of(xs.length)); Tensor max = cl().empty(Shape.of(outer * inner), DType.FLOAT32);
             Tensor indices = cl().empty(Shape.of(outer * inner), DType.INT32);
             Tensor gradIn = cl().empty(Shape.of(xs.length), DType.FLOAT32);
             Tensor sum = cl().empty(Shape.of(outer * inner), DType.FLOAT32)) {
            k().reduceMax(x, n, inner, max, indices);
            k().scale(2f, max, max);
            System.gc();
            k().reduceSum(x, n, inner, sum);
            k().reduceMaxBackward(max, indices, n, inner, gradIn);
            float[] g = gradIn.toFloatArray();
            int[] idx = indices.toIntArray();
            for (int r = 0; r < outer * inner; r++) {
                int o = r / inner;
                int kk = r % inner;
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                for (int j = 0; j < n; j++) {
                    if (xs[(o * n + j) * inner + kk] > best) {
                        best = xs[(o * n + j) * inner + kk];
                        at = j;
                    }
                }
                assertEquals(at, idx[r], "index " + r);
                for (int j = 0; j < n; j++) {
                    assertEquals(j == at ? 2 * best : 0f, g[(o * n + j) * inner + kk], "gradient at " + r + ", " + j);
                }
            }
        }
    }
}
