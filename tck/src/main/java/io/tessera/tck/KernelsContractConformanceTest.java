package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.Window2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors a caller gets through {@code device().kernels()}: closed tensors, mismatched shapes, tensors of two
 * devices. The device must return {@link CheckedKernels} (see {@link DeviceConformanceTest}), so these messages read
 * the same on every backend.
 */
public abstract class KernelsContractConformanceTest extends ConformanceTestBase {

    @Test
    void aClosedTensorFailsNamingItsShape() {
        try (Scope s = device().scope()) {
            Tensor closed = device().zeros(Shape.of(3, 5));
            closed.close();
            Tensor open = s.zeros(Shape.of(3, 5));
            assertFailsMentioning(IllegalStateException.class, () -> kernels().add(closed, open, open), "3x5");
            assertFailsMentioning(IllegalStateException.class, () -> kernels().relu(open, closed), "3x5");
            assertFailsMentioning(IllegalStateException.class, () -> kernels().fill(closed, 1f), "3x5");
            assertFailsMentioning(IllegalStateException.class, () -> kernels().copyToHost(closed, 0, new float[15], 0, 15), "3x5");
            assertFailsMentioning(IllegalStateException.class, closed::toFloatArray, "3x5");
        }
    }

    @Test
    void aViewOfAClosedTensorFailsNamingItsShape() {
        Tensor owner = device().zeros(Shape.of(4, 6));
        Tensor view = owner.view(Shape.of(24));
        owner.close();
        assertTrue(view.isClosed(), "a view of a closed tensor reports closed");
        assertFailsMentioning(IllegalStateException.class, () -> kernels().fill(view, 1f), "24");
        view.close();
    }

    @Test
    void gemmWithMismatchedInnerDimensionsNamesBothShapes() {
        try (Scope s = device().scope()) {
            Tensor a = s.zeros(Shape.of(3, 4));
            Tensor b = s.zeros(Shape.of(5, 2));
            Tensor c = s.zeros(Shape.of(3, 2));
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().gemm(false, false, 1f, a, b, 0f, c), "3x4", "5x2");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().gemm(true, true, 1f, a, b, 0f, c), "3x4", "5x2");
        }
    }

    @Test
    void gemmIntoItsOwnInputFails() {
        try (Tensor a = device().zeros(Shape.of(3, 3)); Tensor b = device().zeros(Shape.of(3, 3))) {
            assertThrows(IllegalArgumentException.class, () -> kernels().gemm(false, false, 1f, a, b, 0f, a));
        }
    }

    @Test
    void tensorsOfTwoDevicesFailNamingBothDevices() {
        String here = device().id();
        String there = otherDevice().id();
        try (Scope s = device().scope(); Scope o = otherDevice().scope()) {
            Tensor a = s.zeros(Shape.of(2, 3));
            Tensor out = s.zeros(Shape.of(2, 3));
            Tensor foreign = o.zeros(Shape.of(2, 3));
            Tensor foreignSquare = o.zeros(Shape.of(3, 3));
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().add(a, foreign, out), here, there);
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().gemm(false, false, 1f, a, foreignSquare, 0f, out), here, there);
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().copy(a, foreign), here, there);
            assertFailsMentioning(IllegalArgumentException.class, () -> otherDevice().kernels().copy(a, foreign), here, there);
        }
    }

    @Test
    void mismatchedSizesAndDtypesFail() {
        try (Scope s = device().scope()) {
            Tensor a = s.zeros(Shape.of(2, 3));
            Tensor b = s.zeros(Shape.of(7));
            Tensor labels = s.zeros(Shape.of(6), DType.INT32);
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().add(a, b, a), "2x3", "7");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().relu(labels, a), "int32");
            assertThrows(IndexOutOfBoundsException.class, () -> kernels().copyFromHost(new float[10], 0, a, 0, 7));
            assertThrows(IllegalArgumentException.class, () -> kernels().sgdStep(a, a, null, 0.1f, 0.9f, 0f));
        }
    }

    @Test
    void failedCallsLeaveTheOutputAlone() {
        try (Tensor a = device().of(new float[] {1, 2, 3}, Shape.of(3)); Tensor b = device().zeros(Shape.of(4))) {
            assertThrows(IllegalArgumentException.class, () -> kernels().add(a, b, a));
            assertArrayEquals(new float[] {1, 2, 3}, a.toFloatArray());
        }
    }

    @Test
    void convolutionShapeErrorsNameTheShapesAndTheWindow() {
        Window2d window = Window2d.square(3, 1, 0);
        try (Scope s = device().scope()) {
            Tensor input = s.zeros(Shape.of(2, 3, 8, 8));
            Tensor weight = s.zeros(Shape.of(5, 3, 3, 3));
            Tensor output = s.zeros(Shape.of(2, 5, 6, 6));
            Tensor wrongOutput = s.zeros(Shape.of(2, 5, 8, 8));
            Tensor wrongChannels = s.zeros(Shape.of(5, 4, 3, 3));
            Tensor flat = s.zeros(Shape.of(2, 192));
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().conv2d(input, weight, null, wrongOutput, window),
                    "2x5x8x8", "2x5x6x6");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().conv2d(input, wrongChannels, null, output, window),
                    "5x4x3x3", "5x3x3x3");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().conv2d(input, weight, null, output, Window2d.square(5, 1, 0)), "5x3x3x3", "window 5x5");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().conv2d(input, s.zeros(Shape.of(5, 3, 9, 9)), null, output, Window2d.square(9, 1, 0)),
                    "does not fit", "2x3x8x8");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().conv2d(flat, weight, null, output, window), "4-D", "2x192");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().conv2d(input, weight, s.zeros(Shape.of(4)), output, window), "bias", "5");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().conv2dBackwardInput(output, weight, output, window), "gradInput", "2x5x6x6");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().conv2dBackwardWeight(input, output, weight, weight, window), "gradBias", "5x3x3x3");
        }
    }

    @Test
    void poolingErrorsNameTheProblem() {
        try (Scope s = device().scope()) {
            Tensor input = s.zeros(Shape.of(1, 2, 7, 7));
            Tensor output = s.zeros(Shape.of(1, 2, 3, 3));
            Tensor indices = s.zeros(Shape.of(1, 2, 3, 3), DType.INT32);
            Tensor floatIndices = s.zeros(Shape.of(1, 2, 3, 3));
            Window2d window = Window2d.square(2, 2, 0);
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().maxPool2d(input, output, floatIndices, window),
                    "indices", "int32");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().maxPool2d(input, output, indices, Window2d.square(3, 2, 2)), "pads more than half", "padding 2x2");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().maxPool2d(input, output, indices, Window2d.square(3, 1, 1)), "1x2x3x3", "1x2x7x7", "window 3x3 stride 1x1");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().maxPool2d(input, input, indices, window), "output",
                    "1x2x7x7");
            Tensor gradInput = s.zeros(Shape.of(1, 2, 6, 6));
            assertDoesNotThrow(() -> kernels().maxPool2dBackward(output, indices, gradInput, window));
        }
    }

    @Test
    void batchNormDropoutAndAdamErrorsNameTheProblem() {
        try (Scope s = device().scope()) {
            Tensor input = s.zeros(Shape.of(4, 3, 5));
            Tensor c3 = s.zeros(Shape.of(3));
            Tensor c4 = s.zeros(Shape.of(4));
            Tensor[] stats = {s.zeros(Shape.of(3)), s.zeros(Shape.of(3)), s.zeros(Shape.of(3)), s.zeros(Shape.of(3))};
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().batchNormTrain(input, c4, c3, stats[0], stats[1], 0.1f, 1e-5f, input, stats[2], stats[3]),
                    "gamma", "4", "3 elements");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().batchNormTrain(s.zeros(Shape.of(1, 3)), c3, c3, stats[0], stats[1], 0.1f, 1e-5f,
                            s.zeros(Shape.of(1, 3)), stats[2], stats[3]), "1x3", "at least 2");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().batchNormEval(input, c3, c3, stats[0], stats[1], 0f, input), "eps");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().batchNormTrain(input, c3, c3, stats[0], stats[0], 0.1f, 1e-5f, input, stats[2], stats[3]),
                    "runningVar", "runningMean", "share memory");
            Tensor mask = s.zeros(Shape.of(10));
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().dropoutMask(mask, 1f, 1, 0), "p", "[0, 1)");
            assertFailsMentioning(IllegalArgumentException.class, () -> kernels().dropoutMask(mask, 0.5f, 1, -4), "offset");
            Tensor p = s.zeros(Shape.of(10));
            Tensor m = s.zeros(Shape.of(10));
            Tensor v = s.zeros(Shape.of(10));
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().adamStep(p, mask, m, v, 0.001f, 0.9f, 0.999f, 1e-8f, 0f, 0), "step", "at least 1");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().adamStep(p, mask, m, v, 0.001f, 1f, 0.999f, 1e-8f, 0f, 1), "beta1");
            assertFailsMentioning(IllegalArgumentException.class,
                    () -> kernels().adamStep(p, mask, m, s.zeros(Shape.of(11)), 0.001f, 0.9f, 0.999f, 1e-8f, 0f, 1), "v", "11");
        }
    }

    private static void assertFailsMentioning(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), "message should mention '" + part + "': " + e.getMessage());
        }
    }
}
