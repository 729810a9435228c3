package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.CheckedKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    private static void assertFailsMentioning(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), "message should mention '" + part + "': " + e.getMessage());
        }
    }
}
