package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every non-GEMM kernel against a plain-Java double reference, at sizes that are not multiples of any work-group. */
class OpsTest {
    private final Random rnd = new Random(42);

    @AfterEach
    void noLeaks() {
        if (OpenCl.available()) {
            assertEquals(0, OpenCl.device().liveAllocations(), "live allocations after the test");
        }
    }

    private float[] random(int n) {
        return GemmTest.random(rnd, n);
    }

    private static void assertClose(double want, float got, String what) {
        double err = Math.abs(want - got) / Math.max(1.0, Math.abs(want));
        assertTrue(err <= 1e-4, what + ": want " + want + ", got " + got);
    }

    private static void assertClose(double[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertClose(want[i], got[i], "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 255, 256, 257, 1000, 100_003})
    void elementwise(int n) {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        float[] a = random(n);
        float[] b = random(n);
        double[] add = new double[n];
        double[] mul = new double[n];
        double[] scale = new double[n];
        double[] axpy = new double[n];
        double[] relu = new double[n];
        double[] reluBack = new double[n];
        for (int i = 0; i < n; i++) {
            add[i] = (double) a[i] + b[i];
            mul[i] = (double) a[i] * b[i];
            scale[i] = 0.3 * a[i];
            axpy[i] = b[i] + (double) -2.5f * a[i];
            relu[i] = Math.max(a[i], 0);
            reluBack[i] = a[i] > 0 ? b[i] : 0;
        }
        try (Tensor ta = d.of(a, Shape.of(n)); Tensor tb = d.of(b, Shape.of(n)); Tensor out = d.empty(Shape.of(n), DType.FLOAT32)) {
            k.add(ta, tb, out);
            assertClose(add, out.toFloatArray());
            k.mul(ta, tb, out);
            assertClose(mul, out.toFloatArray());
            k.scale(0.3f, ta, out);
            assertClose(scale, out.toFloatArray());
            k.relu(ta, out);
            assertClose(relu, out.toFloatArray());
            k.reluBackward(ta, tb, out);
            assertClose(reluBack, out.toFloatArray());
            k.copy(tb, out);
            k.axpy(-2.5f, ta, out);
            assertClose(axpy, out.toFloatArray());
            k.add(ta, ta, ta);
            double[] twice = new double[n];
            for (int i = 0; i < n; i++) {
                twice[i] = 2.0 * a[i];
            }
            assertClose(twice, ta.toFloatArray());
        }
    }

    @Test
    void fillAndCopies() {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        try (Tensor f = d.empty(Shape.of(3, 7), DType.FLOAT32); Tensor i = d.empty(Shape.of(5), DType.INT32)) {
            k.fill(f, 2.5f);
            float[] want = new float[21];
            java.util.Arrays.fill(want, 2.5f);
            assertArrayEquals(want, f.toFloatArray());
            k.fill(i, 7.9f);
            assertArrayEquals(new int[] {7, 7, 7, 7, 7}, i.toIntArray());
            k.copyFromHost(new int[] {9, 1, 2, 3, 9}, 1, i, 2, 3);
            assertArrayEquals(new int[] {7, 7, 1, 2, 3}, i.toIntArray());
            k.copyFromHost(new float[] {1, 2, 3, 4}, 1, f, 19, 2);
            float[] back = new float[4];
            k.copyToHost(f, 18, back, 1, 3);
            assertArrayEquals(new float[] {0, 2.5f, 2, 3}, back);

            FloatBuffer direct = ByteBuffer.allocateDirect(4 * 6).order(ByteOrder.nativeOrder()).asFloatBuffer();
            direct.put(new float[] {10, 11, 12, 13, 14, 15}).position(2).limit(5);
            k.copyFromBuffer(direct, f, 0);
            assertEquals(2, direct.position(), "position unchanged");
            FloatBuffer bigEndian = ByteBuffer.allocateDirect(4 * 2).asFloatBuffer().put(new float[] {20, 21});
            bigEndian.flip();
            k.copyFromBuffer(bigEndian, f, 3);
            FloatBuffer heap = FloatBuffer.wrap(new float[] {30, 31, 32}, 1, 2).slice();
            k.copyFromBuffer(heap, f, 5);
            FloatBuffer out = ByteBuffer.allocateDirect(4 * 8).order(ByteOrder.nativeOrder()).asFloatBuffer();
            out.position(1);
            k.copyToBuffer(f, 0, out);
            assertEquals(1, out.position());
            float[] got = new float[7];
            out.get(got);
            assertArrayEquals(new float[] {12, 13, 14, 20, 21, 31, 32}, got);
            FloatBuffer outBig = ByteBuffer.allocateDirect(4 * 2).asFloatBuffer();
            k.copyToBuffer(f, 3, outBig);
            assertEquals(20f, outBig.get(0));
            assertEquals(21f, outBig.get(1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100, 1000})
    void biasAndColumnSums(int rows) {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        int cols = 37;
        float[] x = random(rows * cols);
        float[] bias = random(cols);
        double[] biased = new double[rows * cols];
        double[] sums = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                biased[r * cols + c] = (double) x[r * cols + c] + bias[c];
                sums[c] += x[r * cols + c];
            }
        }
        try (Tensor tx = d.of(x, Shape.of(rows, cols)); Tensor tb = d.of(bias, Shape.of(cols));
             Tensor out = d.empty(Shape.of(rows, cols), DType.FLOAT32); Tensor s = d.empty(Shape.of(cols), DType.FLOAT32)) {
            k.addBias(tx, tb, out);
            assertClose(biased, out.toFloatArray());
            k.columnSums(tx, s);
            assertClose(sums, s.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 129, 300, 5000})
    void softmaxCrossEntropyAndAccuracy(int n) {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        int classes = 10;
        float[] logits = random(n * classes);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 5;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        double loss = 0;
        double[] grad = new double[n * classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < classes; j++) {
                if (logits[i * classes + j] > m) {
                    m = logits[i * classes + j];
                    arg = j;
                }
            }
            double s = 0;
            for (int j = 0; j < classes; j++) {
                s += Math.exp(logits[i * classes + j] - m);
            }
            loss += Math.log(s) + m - logits[i * classes + labels[i]];
            for (int j = 0; j < classes; j++) {
                grad[i * classes + j] = (Math.exp(logits[i * classes + j] - m) / s - (j == labels[i] ? 1 : 0)) / n;
            }
            correct += arg == labels[i] ? 1 : 0;
        }
        try (Tensor tl = d.of(logits, Shape.of(n, classes)); Tensor ty = d.ofInts(labels, Shape.of(n));
             Tensor tloss = d.empty(Shape.of(1), DType.FLOAT32); Tensor tg = d.empty(Shape.of(n, classes), DType.FLOAT32);
             Tensor count = d.zeros(Shape.of(1))) {
            k.softmaxCrossEntropy(tl, ty, tloss);
            assertClose(loss / n, tloss.item(), "loss");
            k.softmaxCrossEntropyBackward(tl, ty, tg);
            assertClose(grad, tg.toFloatArray());
            k.countCorrect(tl, ty, count);
            k.countCorrect(tl, ty, count);
            assertEquals(2f * correct, count.item());
        }
    }

    @Test
    void labelsOutOfRangeNeverReadOutOfBounds() {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        float[] logits = {1, 2, 3, 3, 2, 1};
        try (Tensor tl = d.of(logits, Shape.of(2, 3)); Tensor ty = d.ofInts(new int[] {2, 1_000_000}, Shape.of(2));
             Tensor loss = d.empty(Shape.of(1), DType.FLOAT32); Tensor g = d.empty(Shape.of(2, 3), DType.FLOAT32);
             Tensor count = d.zeros(Shape.of(1))) {
            k.softmaxCrossEntropy(tl, ty, loss);
            assertTrue(Float.isNaN(loss.item()), "an out-of-range label makes the loss NaN");
            k.softmaxCrossEntropyBackward(tl, ty, g);
            float[] grad = g.toFloatArray();
            assertTrue(Float.isFinite(grad[0]) && Float.isNaN(grad[3]), java.util.Arrays.toString(grad));
            k.countCorrect(tl, ty, count);
            assertEquals(1f, count.item());
            k.copyFromHost(new int[] {-1, 0}, 0, ty, 0, 2);
            k.countCorrect(tl, ty, count);
            assertEquals(2f, count.item());
        }
    }

    @Test
    void argMaxTiesTakeTheLowestIndex() {
        JoclDevice d = OpenCl.device();
        try (Tensor tl = d.of(new float[] {5, 5, 1, 0, 2, 2}, Shape.of(2, 3)); Tensor ty = d.ofInts(new int[] {0, 1}, Shape.of(2));
             Tensor count = d.zeros(Shape.of(1))) {
            d.kernels().countCorrect(tl, ty, count);
            assertEquals(2f, count.item());
        }
    }

    @Test
    void sgd() {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        int n = 1001;
        float[] p = random(n);
        float[] g = random(n);
        float[] v = random(n);
        double[] plain = new double[n];
        double[] velocity = new double[n];
        double[] withMomentum = new double[n];
        for (int i = 0; i < n; i++) {
            plain[i] = p[i] - 0.1 * (g[i] + 0.01 * p[i]);
            velocity[i] = 0.9 * v[i] + (g[i] + 0.01 * p[i]);
            withMomentum[i] = p[i] - 0.1 * velocity[i];
        }
        try (Tensor tp = d.of(p, Shape.of(n)); Tensor tg = d.of(g, Shape.of(n)); Tensor tv = d.of(v, Shape.of(n))) {
            k.sgdStep(tp, tg, null, 0.1f, 0f, 0.01f);
            assertClose(plain, tp.toFloatArray());
            k.copyFromHost(p, 0, tp, 0, n);
            k.sgdStep(tp, tg, tv, 0.1f, 0.9f, 0.01f);
            assertClose(withMomentum, tp.toFloatArray());
            assertClose(velocity, tv.toFloatArray());
        }
    }

    @Test
    void rowViewsUseTheLeadingRows() {
        JoclDevice d = OpenCl.device();
        Kernels k = d.kernels();
        float[] x = random(6 * 4);
        try (Tensor t = d.of(x, Shape.of(6, 4)); Tensor s = d.empty(Shape.of(4), DType.FLOAT32)) {
            Tensor view = t.rows(2);
            k.columnSums(view, s);
            float[] got = s.toFloatArray();
            for (int c = 0; c < 4; c++) {
                assertClose((double) x[c] + x[4 + c], got[c], "column " + c);
            }
        }
    }
}
