package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import io.tessera.spi.UnaryFunction;
import io.tessera.reference.ReferenceDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the conformance kit leaves to {@link ClAlgebra}: out-of-range indices never touch memory, the work-group
 * reductions keep reduceMax's order (NaN first, lowest index among ties), scatter-add repeats the reference's
 * ascending float additions exactly, and POW follows Java's rules where C's differ.
 */
class AlgebraKernelsTest {
    private static final Device REF = new ReferenceDevice("algebra-reference:0");

    @Test
    void gatherWritesZeroRowsAndScatterSkipsOutOfRangeIndices() {
        JoclDevice device = OpenCl.device();
        Kernels k = device.kernels();
        int v = 4;
        int d = 3;
        float[] table = new float[v * d];
        for (int i = 0; i < table.length; i++) {
            table[i] = i + 1;
        }
        int[] idx = {2, -1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE, 0};
        try (Scope s = device.scope()) {
            Tensor tt = s.of(table, Shape.of(v, d));
            Tensor ti = s.ofInts(idx, Shape.of(idx.length));
            Tensor out = s.empty(Shape.of(idx.length, d), DType.FLOAT32);
            k.fill(out, Float.NaN);
            k.gatherRows(tt, ti, out);
            assertArrayEquals(new float[] {7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, out.toFloatArray());
            Tensor grad = s.of(new float[idx.length * d], Shape.of(idx.length, d));
            k.fill(grad, 1f);
            k.scatterAddRows(grad, ti, tt);
            float[] want = table.clone();
            for (int c = 0; c < d; c++) {
                want[2 * d + c] += 1;
                want[c] += 1;
            }
            assertArrayEquals(want, tt.toFloatArray());
        }
    }

    @Test
    void reduceMaxBackwardIgnoresOutOfRangeIndices() {
        JoclDevice device = OpenCl.device();
        try (Scope s = device.scope()) {
            Tensor g = s.of(new float[] {1, 2, 3, 4}, Shape.of(4));
            Tensor idx = s.ofInts(new int[] {0, 3, -1, 2}, Shape.of(4));
            Tensor gradIn = s.empty(Shape.of(2, 3, 2), DType.FLOAT32);
            device.kernels().fill(gradIn, Float.NaN);
            device.kernels().reduceMaxBackward(g, idx, 3, 2, gradIn);
            assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4}, gradIn.toFloatArray());
        }
    }

    /** Long axes take the work-group kernel; ties and NaNs are placed on both sides of group-size strides. */
    @ParameterizedTest(name = "inner {0}")
    @ValueSource(ints = {1, 3})
    void groupReductionsKeepTheOrderOfReduceMax(int inner) {
        JoclDevice device = OpenCl.device();
        int outer = 4;
        int n = 1000;
        Random rnd = new Random(inner);
        float[] x = new float[outer * n * inner];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(7) - 3;
        }
        x[(0 * n + 700) * inner] = 9;
        x[(0 * n + 300) * inner] = 9;
        x[(1 * n + 999) * inner] = Float.NaN;
        x[(1 * n + 513) * inner] = Float.NaN;
        x[(2 * n + 5) * inner] = Float.NaN;
        try (Scope s = device.scope(); Scope r = REF.scope()) {
            Tensor dx = s.of(x, Shape.of(x.length));
            Tensor dOut = s.empty(Shape.of(outer * inner), DType.FLOAT32);
            Tensor dIdx = s.empty(Shape.of(outer * inner), DType.INT32);
            Tensor rx = r.of(x, Shape.of(x.length));
            Tensor rOut = r.empty(Shape.of(outer * inner), DType.FLOAT32);
            Tensor rIdx = r.empty(Shape.of(outer * inner), DType.INT32);
            device.kernels().reduceMax(dx, n, inner, dOut, dIdx);
            REF.kernels().reduceMax(rx, n, inner, rOut, rIdx);
            assertArrayEquals(rOut.toFloatArray(), dOut.toFloatArray());
            assertArrayEquals(rIdx.toIntArray(), dIdx.toIntArray());
            assertEquals(300, dIdx.toIntArray()[0]);
            assertEquals(513, dIdx.toIntArray()[inner]);
        }
    }

    @Test
    void scatterAddRepeatsTheAscendingSumsExactly() {
        JoclDevice device = OpenCl.device();
        int v = 300;
        int d = 5;
        int count = 2000;
        Random rnd = new Random(11);
        float[] table = new float[v * d];
        float[] grad = new float[count * d];
        int[] idx = new int[count];
        for (int i = 0; i < table.length; i++) {
            table[i] = rnd.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] = rnd.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < count; i++) {
            idx[i] = rnd.nextInt(8) * 37;
        }
        try (Scope s = device.scope(); Scope r = REF.scope()) {
            Tensor dt = s.of(table, Shape.of(v, d));
            Tensor rt = r.of(table, Shape.of(v, d));
            device.kernels().scatterAddRows(s.of(grad, Shape.of(count, d)), s.ofInts(idx, Shape.of(count)), dt);
            REF.kernels().scatterAddRows(r.of(grad, Shape.of(count, d)), r.ofInts(idx, Shape.of(count)), rt);
            assertArrayEquals(rt.toFloatArray(), dt.toFloatArray());
        }
    }

    @Test
    void powFollowsJavaWhereCDiffers() {
        JoclDevice device = OpenCl.device();
        float[] x = {1, -1, 1, -1, Float.NaN, 2, 0, -8};
        float[] alphas = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0.5f,
                -1, 3};
        try (Scope s = device.scope()) {
            for (float alpha : alphas) {
                Tensor tx = s.of(x, Shape.of(x.length));
                Tensor out = s.empty(Shape.of(x.length), DType.FLOAT32);
                device.kernels().unary(UnaryFunction.POW, alpha, tx, out);
                float[] got = out.toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    float want = (float) Math.pow(x[i], alpha);
                    String what = "pow(" + x[i] + ", " + alpha + ")";
                    if (Float.isNaN(want) || Float.isInfinite(want)) {
                        assertEquals(want, got[i], what);
                    } else {
                        assertEquals(want, got[i], Math.abs(want) * 1e-6f, what);
                    }
                }
            }
        }
    }
}
