package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.Window2d;
import io.tessera.tck.CnnReference.Geometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Conformance of {@code conv2d}, {@code conv2dBackwardInput} and {@code conv2dBackwardWeight} against
 * {@link CnnReference}: 1x1 kernels, the MNIST net's 3x3 stride 1 without padding, 3x3 padding 1, 5x5 stride 2 padding
 * 2, non-square kernels, strides and padding, odd channel counts, batches of 1 and 7, a kernel as large as the input, a
 * stride larger than the kernel, and one layer of a real MNIST net's size. Every output is pre-filled with NaN, so a
 * kernel that leaves an element unwritten (or accumulates into it) fails.
 */
public abstract class ConvolutionConformanceTest extends ConformanceTestBase {

    /** {@code N, C, H, W, O, kH, kW, strideH, strideW, padH, padW}. */
    private static final int[][] CASES = {
        {2, 3, 5, 4, 5, 1, 1, 1, 1, 0, 0},      // 1x1
        {3, 1, 10, 10, 4, 3, 3, 1, 1, 0, 0},    // the MNIST net's first layer, smaller
        {2, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1},      // 3x3 "same"
        {2, 3, 9, 11, 5, 5, 5, 2, 2, 2, 2},     // 5x5 stride 2 pad 2
        {1, 2, 7, 9, 3, 3, 2, 2, 1, 1, 0},      // non-square kernel, stride and padding
        {2, 3, 8, 6, 5, 2, 4, 1, 3, 0, 2},      // wide kernel, padding only along W
        {7, 3, 5, 5, 5, 3, 3, 1, 1, 1, 1},      // batch 7
        {1, 3, 6, 6, 5, 3, 3, 2, 2, 1, 1},      // batch 1, stride 2
        {2, 3, 5, 6, 5, 5, 6, 1, 1, 0, 0},      // kernel equal to the input: one output position
        {2, 3, 9, 9, 5, 2, 2, 3, 3, 0, 0},      // stride larger than the kernel: rows and columns skipped
        {2, 5, 4, 3, 3, 3, 3, 2, 1, 1, 1},      // odd sizes, padding on both sides
    };

    static Stream<int[]> cases() {
        return Stream.of(CASES);
    }

    private static Geometry geometry(int[] c) {
        return new Geometry(c[0], c[1], c[2], c[3], c[4], new Window2d(c[5], c[6], c[7], c[8], c[9], c[10]));
    }

    private static Shape inputShape(Geometry g) {
        return Shape.of(g.n(), g.c(), g.h(), g.w());
    }

    private static Shape weightShape(Geometry g) {
        return Shape.of(g.o(), g.c(), g.window().kernelH(), g.window().kernelW());
    }

    private static Shape outputShape(Geometry g) {
        return Shape.of(g.n(), g.o(), g.outH(), g.outW());
    }

    @ParameterizedTest(name = "forward with bias {0}")
    @MethodSource("cases")
    void forwardWithBias(int[] c) {
        forward(geometry(c), true);
    }

    @ParameterizedTest(name = "forward without bias {0}")
    @MethodSource("cases")
    void forwardWithoutBias(int[] c) {
        forward(geometry(c), false);
    }

    @ParameterizedTest(name = "backward input {0}")
    @MethodSource("cases")
    void backwardInput(int[] c) {
        backwardInput(geometry(c));
    }

    @ParameterizedTest(name = "backward weight and bias {0}")
    @MethodSource("cases")
    void backwardWeightAndBias(int[] c) {
        backwardWeight(geometry(c), true);
    }

    @ParameterizedTest(name = "backward weight, null gradBias {0}")
    @MethodSource("cases")
    void backwardWeightWithoutBias(int[] c) {
        backwardWeight(geometry(c), false);
    }

    /** A layer of a real MNIST CNN: 4 images, 32 to 64 channels, 24x24, 3x3; forward and both gradients. */
    @Test
    void anMnistSizedLayer() {
        Geometry g = new Geometry(4, 32, 24, 24, 64, Window2d.square(3, 1, 0));
        forward(g, true);
        backwardInput(g);
        backwardWeight(g, true);
    }

    private void forward(Geometry g, boolean withBias) {
        SplittableRandom r = random("conv2d", g.toString(), withBias);
        float[] input = uniform(r, g.inputSize(), -1, 1);
        float[] weight = uniform(r, g.weightSize(), -1, 1);
        float[] bias = withBias ? uniform(r, g.o(), -1, 1) : null;
        String what = "conv2d " + g + (withBias ? " with bias" : " without bias");
        try (Scope s = device().scope()) {
            Tensor x = s.of(input, inputShape(g));
            Tensor w = s.of(weight, weightShape(g));
            Tensor b = withBias ? s.of(bias, Shape.of(g.o())) : null;
            Tensor y = s.empty(outputShape(g), DType.FLOAT32);
            kernels().fill(y, Float.NaN);
            kernels().conv2d(x, w, b, y, g.window());
            CnnReference.conv2d(g, input, weight, bias).assertMatches(what, y.toFloatArray());
            assertArrayEquals(input, x.toFloatArray(), what + " changed the input");
            assertArrayEquals(weight, w.toFloatArray(), what + " changed the weight");
        }
    }

    private void backwardInput(Geometry g) {
        SplittableRandom r = random("conv2dBackwardInput", g.toString());
        float[] gradOutput = uniform(r, g.outputSize(), -1, 1);
        float[] weight = uniform(r, g.weightSize(), -1, 1);
        try (Scope s = device().scope()) {
            Tensor gy = s.of(gradOutput, outputShape(g));
            Tensor w = s.of(weight, weightShape(g));
            Tensor gx = s.empty(inputShape(g), DType.FLOAT32);
            kernels().fill(gx, Float.NaN);
            kernels().conv2dBackwardInput(gy, w, gx, g.window());
            CnnReference.conv2dBackwardInput(g, gradOutput, weight).assertMatches("conv2dBackwardInput " + g, gx.toFloatArray());
        }
    }

    private void backwardWeight(Geometry g, boolean withBias) {
        SplittableRandom r = random("conv2dBackwardWeight", g.toString(), withBias);
        float[] input = uniform(r, g.inputSize(), -1, 1);
        float[] gradOutput = uniform(r, g.outputSize(), -1, 1);
        String what = "conv2dBackwardWeight " + g;
        try (Scope s = device().scope()) {
            Tensor x = s.of(input, inputShape(g));
            Tensor gy = s.of(gradOutput, outputShape(g));
            Tensor gw = s.empty(weightShape(g), DType.FLOAT32);
            Tensor gb = withBias ? s.empty(Shape.of(g.o()), DType.FLOAT32) : null;
            kernels().fill(gw, Float.NaN);
            if (gb != null) {
                kernels().fill(gb, Float.NaN);
            }
            kernels().conv2dBackwardWeight(x, gy, gw, gb, g.window());
            Expected[] expected = CnnReference.conv2dBackwardWeight(g, input, gradOutput);
            expected[0].assertMatches(what + ": gradWeight", gw.toFloatArray());
            if (gb != null) {
                expected[1].assertMatches(what + ": gradBias", gb.toFloatArray());
            }
        }
    }
}
