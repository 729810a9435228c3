package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the fused softmax cross-entropy (forward and backward) and of {@code countCorrect}: batch and class
 * counts of many sizes, logits large enough to overflow a naive {@code exp}, ties in the arg-max, and counts that
 * accumulate across calls.
 */
public abstract class LossConformanceTest extends ConformanceTestBase {

    /** Rows of logits around ±1000, with labels on the largest, a middle and the smallest logit. */
    private static final float[] LARGE = {
        1000, 0, -1000, 999,
        1000, 0, -1000, 999,
        1000, 0, -1000, 999,
        1000, 1000, 1000, 1000,
        -1000, -1000, -1000, -1000,
        -1000, -999.5f, -998, 1000,
    };
    private static final int[] LARGE_LABELS = {0, 3, 2, 1, 3, 2};

    private static float[] logits(int rows, int cols, double spread) {
        return uniform(random("logits", rows, cols, spread), rows * cols, -spread, spread);
    }

    private static int[] labels(int rows, int cols) {
        return ints(random("labels", rows, cols), rows, 0, cols);
    }

    @ParameterizedTest(name = "{0} rows x {1} classes, logits in ±{2}")
    @CsvSource({"1, 1, 3", "1, 10, 3", "3, 7, 3", "17, 10, 5", "64, 10, 10", "33, 100, 3", "127, 3, 20", "257, 33, 1"})
    void crossEntropyLoss(int rows, int cols, double spread) {
        float[] z = logits(rows, cols, spread);
        int[] y = labels(rows, cols);
        assertLoss(z, rows, cols, y, "loss of " + rows + "x" + cols);
    }

    @ParameterizedTest(name = "{0} rows x {1} classes, logits in ±{2}")
    @CsvSource({"1, 1, 3", "1, 10, 3", "3, 7, 3", "17, 10, 5", "64, 10, 10", "33, 100, 3", "127, 3, 20", "257, 33, 1"})
    void crossEntropyGradient(int rows, int cols, double spread) {
        float[] z = logits(rows, cols, spread);
        int[] y = labels(rows, cols);
        assertGradient(z, rows, cols, y, "gradient of " + rows + "x" + cols);
    }

    @Test
    void largeLogitsAreStable() {
        assertLoss(LARGE, 6, 4, LARGE_LABELS, "loss of logits around ±1000");
        assertGradient(LARGE, 6, 4, LARGE_LABELS, "gradient of logits around ±1000");
    }

    @Test
    void lossOverwritesItsOutput() {
        float[] z = logits(5, 4, 2);
        int[] y = labels(5, 4);
        try (Scope s = device().scope()) {
            Tensor loss = s.of(new float[] {1234f}, Shape.of(1));
            kernels().softmaxCrossEntropy(s.of(z, Shape.of(5, 4)), s.ofInts(y, Shape.of(5)), loss);
            Reference.softmaxCrossEntropy(z, 5, 4, y).assertMatches("loss written over 1234", loss.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} rows x {1} classes")
    @CsvSource({"1, 1", "1, 10", "7, 3", "64, 10", "1000, 10", "257, 33"})
    void countCorrectAccumulatesAcrossCalls(int rows, int cols) {
        SplittableRandom r = random("count", rows, cols);
        float[] z1 = uniform(r, rows * cols, -1, 1);
        float[] z2 = uniform(r, rows * cols, -1, 1);
        int[] y1 = ints(r, rows, 0, cols);
        int[] y2 = new int[rows];
        for (int i = 0; i < rows; i++) {
            y2[i] = r.nextInt(3) == 0 ? ints(r, 1, 0, cols)[0] : Reference.argMax(z2, i, cols);
        }
        int first = Reference.countCorrect(z1, rows, cols, y1);
        int second = Reference.countCorrect(z2, rows, cols, y2);
        try (Scope s = device().scope()) {
            Tensor count = s.of(new float[] {5f}, Shape.of(1));
            kernels().countCorrect(s.of(z1, Shape.of(rows, cols)), s.ofInts(y1, Shape.of(rows)), count);
            assertEquals(5f + first, count.item(), "count after one call, starting from 5");
            kernels().countCorrect(s.of(z2, Shape.of(rows, cols)), s.ofInts(y2, Shape.of(rows)), count);
            assertEquals(5f + first + second, count.item(), "count after two calls, starting from 5");
        }
    }

    @Test
    void countCorrectBreaksTiesTowardsTheLowestIndex() {
        float[] z = {
            1, 3, 3, 0,
            2, 2, 2, 2,
            -1, -5, -1, -1,
            0, 0, 7, 7,
        };
        assertCount(z, new int[] {1, 0, 0, 2}, 4f, "labels on the lowest tied index");
        assertCount(z, new int[] {2, 3, 2, 3}, 0f, "labels on a higher tied index");
    }

    private void assertCount(float[] z, int[] y, float expected, String what) {
        int rows = y.length;
        try (Scope s = device().scope()) {
            Tensor count = s.zeros(Shape.of(1));
            kernels().countCorrect(s.of(z, Shape.of(rows, z.length / rows)), s.ofInts(y, Shape.of(rows)), count);
            assertEquals(expected, count.item(), what + " (the lowest index wins a tie)");
        }
    }

    private void assertLoss(float[] z, int rows, int cols, int[] y, String what) {
        try (Scope s = device().scope()) {
            Tensor loss = s.empty(Shape.of(1), DType.FLOAT32);
            kernels().softmaxCrossEntropy(s.of(z, Shape.of(rows, cols)), s.ofInts(y, Shape.of(rows)), loss);
            float value = loss.item();
            assertTrue(Float.isFinite(value), what + " is " + value);
            Reference.softmaxCrossEntropy(z, rows, cols, y).assertMatches(what, new float[] {value});
        }
    }

    private void assertGradient(float[] z, int rows, int cols, int[] y, String what) {
        try (Scope s = device().scope()) {
            Tensor logits = s.of(z, Shape.of(rows, cols));
            Tensor grad = s.empty(Shape.of(rows, cols), DType.FLOAT32);
            kernels().fill(grad, Float.NaN);
            kernels().softmaxCrossEntropyBackward(logits, s.ofInts(y, Shape.of(rows)), grad);
            Reference.softmaxCrossEntropyBackward(z, rows, cols, y).assertMatches(what, grad.toFloatArray());
            assertArrayEquals(z, logits.toFloatArray(), what + " changed the logits");
        }
    }
}
