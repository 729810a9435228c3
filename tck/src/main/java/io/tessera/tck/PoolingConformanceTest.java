package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Window2d;
import io.tessera.tck.CnnReference.Geometry;
import io.tessera.tck.CnnReference.Pooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of {@code maxPool2d} and {@code maxPool2dBackward} against {@link CnnReference}: 2x2 stride 2 on even
 * and odd sizes (the last row and column dropped), 3x3 stride 2 padding 1 (overlapping, padded), stride 1 (a value
 * chosen by several windows: its gradient is their sum), ties (the first in row-major window order wins) and NaN (it
 * propagates). The forward results are input values, so they and the indices must match exactly.
 */
public abstract class PoolingConformanceTest extends ConformanceTestBase {

    /** {@code N, C, H, W, kH, kW, strideH, strideW, padH, padW}. */
    private static final int[][] CASES = {
        {2, 3, 8, 8, 2, 2, 2, 2, 0, 0},     // 2x2 stride 2, even
        {2, 3, 7, 9, 2, 2, 2, 2, 0, 0},     // odd: the last row and column are dropped
        {1, 1, 5, 5, 2, 2, 2, 2, 0, 0},
        {2, 3, 7, 7, 3, 3, 2, 2, 1, 1},     // 3x3 stride 2 padding 1: overlapping and padded
        {1, 2, 8, 5, 3, 3, 2, 2, 1, 1},
        {2, 3, 6, 7, 3, 3, 1, 1, 1, 1},     // stride 1: up to 9 windows share an input
        {3, 2, 5, 6, 2, 2, 1, 1, 0, 0},
        {2, 2, 9, 7, 3, 2, 2, 1, 1, 0},     // non-square
        {1, 3, 4, 4, 4, 4, 1, 1, 2, 2},     // padding of half the kernel: corner windows hold one input row/column
    };

    static Stream<int[]> cases() {
        return Stream.of(CASES);
    }

    private static Geometry geometry(int[] c) {
        return new Geometry(c[0], c[1], c[2], c[3], c[1], new Window2d(c[4], c[5], c[6], c[7], c[8], c[9]));
    }

    private static Shape inputShape(Geometry g) {
        return Shape.of(g.n(), g.c(), g.h(), g.w());
    }

    private static Shape outputShape(Geometry g) {
        return Shape.of(g.n(), g.c(), g.outH(), g.outW());
    }

    @ParameterizedTest(name = "forward {0}")
    @MethodSource("cases")
    void forward(int[] c) {
        Geometry g = geometry(c);
        forward(g, uniform(random("maxPool2d", g.toString()), g.inputSize(), -1, 1), "maxPool2d " + g);
    }

    @ParameterizedTest(name = "ties {0}")
    @MethodSource("cases")
    void tiesGoToTheFirstInWindowOrder(int[] c) {
        Geometry g = geometry(c);
        int[] levels = ints(random("maxPool2d ties", g.toString()), g.inputSize(), 0, 3);
        float[] input = new float[levels.length];
        for (int i = 0; i < input.length; i++) {
            input[i] = levels[i] - 1f;
        }
        forward(g, input, "maxPool2d of values in {-1, 0, 1} " + g);
    }

    @Test
    void aWholePlaneOfEqualValuesPicksEachWindowsFirstPosition() {
        Geometry g = new Geometry(1, 1, 5, 5, 1, Window2d.square(3, 2, 1));
        float[] input = new float[25];
        java.util.Arrays.fill(input, 0.5f);
        Pooled p = forward(g, input, "maxPool2d of a constant plane");
        // windows start at -1, 1, 3: the first input position of each is max(start, 0)
        int[] expected = {0, 1, 3, 5, 6, 8, 15, 16, 18};
        assertArrayEquals(expected, p.indices(), "the first position in row-major window order must win a tie");
    }

    @Test
    void aNaNPropagates() {
        Geometry g = new Geometry(1, 2, 6, 6, 2, Window2d.square(2, 2, 0));
        float[] input = uniform(random("maxPool2d NaN"), g.inputSize(), -1, 1);
        input[7] = Float.NaN;           // plane 0, (1, 1): the last position of window (0, 0)
        input[36 + 14] = Float.NaN;     // plane 1, (2, 2): the first position of window (1, 1)
        input[36 + 15] = 5f;            // a larger value after the NaN in the same window
        Pooled p = forward(g, input, "maxPool2d with NaN inputs");
        assertTrue(Float.isNaN(p.values()[0]), "a NaN in the window must be chosen");
        assertEquals(7, p.indices()[0]);
        assertTrue(Float.isNaN(p.values()[9 + 4]), "a NaN in the window must be chosen over a larger number after it");
        assertEquals(14, p.indices()[9 + 4]);
    }

    @ParameterizedTest(name = "backward {0}")
    @MethodSource("cases")
    void backward(int[] c) {
        Geometry g = geometry(c);
        SplittableRandom r = random("maxPool2dBackward", g.toString());
        // few distinct values: many ties, so with stride 1 one input is often the maximum of several windows
        int[] levels = ints(r, g.inputSize(), 0, 4);
        float[] input = new float[levels.length];
        for (int i = 0; i < input.length; i++) {
            input[i] = levels[i];
        }
        Pooled pooled = CnnReference.maxPool2d(g, input);
        float[] gradOutput = uniform(r, g.outputSize(), -1, 1);
        try (Scope s = device().scope()) {
            Tensor gy = s.of(gradOutput, outputShape(g));
            Tensor indices = s.ofInts(pooled.indices(), outputShape(g));
            Tensor gx = s.empty(inputShape(g), DType.FLOAT32);
            kernels().fill(gx, Float.NaN);
            kernels().maxPool2dBackward(gy, indices, gx, g.window());
            CnnReference.maxPool2dBackward(g, gradOutput, pooled.indices()).assertMatches("maxPool2dBackward " + g, gx.toFloatArray());
            assertArrayEquals(pooled.indices(), indices.toIntArray(), "maxPool2dBackward changed the indices");
        }
    }

    @Test
    void backwardSumsEveryWindowThatChoseAnInput() {
        // stride 1, 3x3 padding 1 over a plane whose maximum is in the middle: all 9 windows around it choose it
        Geometry g = new Geometry(1, 1, 3, 3, 1, Window2d.square(3, 1, 1));
        float[] input = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        Pooled pooled = forward(g, input, "maxPool2d with one maximum");
        assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4, 4, 4, 4}, pooled.indices());
        float[] gradOutput = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        try (Scope s = device().scope()) {
            Tensor gx = s.empty(inputShape(g), DType.FLOAT32);
            kernels().fill(gx, Float.NaN);
            kernels().maxPool2dBackward(s.of(gradOutput, outputShape(g)), s.ofInts(pooled.indices(), outputShape(g)), gx, g.window());
            assertArrayEquals(new float[] {0, 0, 0, 0, 511, 0, 0, 0, 0}, gx.toFloatArray(), "every window's gradient must be summed");
        }
    }

    /** Runs the kernel on {@code input} (outputs pre-filled), checks values and indices exactly; returns the reference. */
    private Pooled forward(Geometry g, float[] input, String what) {
        Pooled expected = CnnReference.maxPool2d(g, input);
        try (Scope s = device().scope()) {
            Tensor x = s.of(input, inputShape(g));
            Tensor y = s.empty(outputShape(g), DType.FLOAT32);
            Tensor indices = s.empty(outputShape(g), DType.INT32);
            kernels().fill(y, Float.NaN);
            kernels().fill(indices, -1);
            kernels().maxPool2d(x, y, indices, g.window());
            assertArrayEquals(expected.indices(), indices.toIntArray(), what + ": indices");
            assertArrayEquals(expected.values(), y.toFloatArray(), what + ": values");
            assertArrayEquals(input, x.toFloatArray(), what + " changed the input");
        }
        return expected;
    }
}
