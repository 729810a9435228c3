package io.tessera;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeTest {

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void dimensionsMustBePositive(int bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, bad, 4));
        assertTrue(e.getMessage().contains("dimension 1"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, " + bad + ", 4]"), e.getMessage());
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void sizeIsTheProductAndAScalarHasOneElement() {
        assertEquals(128L * 784, Shape.of(128, 784).size());
        assertEquals(1, Shape.of().size());
        assertEquals(0, Shape.of().rank());
        assertEquals(3, Shape.of(2, 3, 4).rank());
    }

    @Test
    void sizeAsIntFailsWhenTooBig() {
        Shape big = Shape.of(65536, 65536);
        assertEquals(1L << 32, big.size());
        IllegalStateException e = assertThrows(IllegalStateException.class, big::sizeAsInt);
        assertTrue(e.getMessage().contains("65536x65536"), e.getMessage());
        assertEquals(6, Shape.of(2, 3).sizeAsInt());
    }

    @Test
    void toStringJoinsWithX() {
        assertEquals("128x784", Shape.of(128, 784).toString());
        assertEquals("7", Shape.of(7).toString());
        assertEquals("1x1x28x28", Shape.of(1, 1, 28, 28).toString());
        assertEquals("[]", Shape.of().toString());
    }

    @Test
    void dimCountsFromTheEndWhenNegative() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(2, s.dim(0));
        assertEquals(4, s.dim(2));
        assertEquals(4, s.dim(-1));
        assertEquals(2, s.dim(-3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.dim(3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.dim(-4));
        assertThrows(IndexOutOfBoundsException.class, () -> Shape.of().dim(0));
    }

    @Test
    void rowSizeAndWithFirstDescribeBatches() {
        Shape batch = Shape.of(128, 1, 28, 28);
        assertEquals(784, batch.rowSize());
        assertEquals(1, Shape.of(10).rowSize());
        assertEquals(1, Shape.of().rowSize());
        assertEquals(Shape.of(32, 1, 28, 28), batch.withFirst(32));
        assertEquals(Shape.of(128, 1, 28, 28), batch, "withFirst leaves the original alone");
        assertThrows(IllegalArgumentException.class, () -> batch.withFirst(0));
        assertThrows(IllegalStateException.class, () -> Shape.of().withFirst(1));
    }

    @Test
    void isImmutable() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        s.dims()[1] = 99;
        assertArrayEquals(new int[] {2, 3}, s.dims());
    }

    @Test
    void equalityIsByDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(6, 1));
        assertNotEquals(Shape.of(1), Shape.of());
    }

    @Test
    void dtypesKnowTheirWidthAndPrintLowerCase() {
        assertEquals(4, DType.FLOAT32.bytes());
        assertEquals(4, DType.INT32.bytes());
        assertEquals("float32", DType.FLOAT32.toString());
        assertEquals("int32", DType.INT32.toString());
    }

    @Test
    void deviceKindsArePreferredGpuThenAcceleratorThenCpu() {
        assertTrue(DeviceKind.GPU.preference() < DeviceKind.ACCELERATOR.preference());
        assertTrue(DeviceKind.ACCELERATOR.preference() < DeviceKind.CPU.preference());
    }
}
