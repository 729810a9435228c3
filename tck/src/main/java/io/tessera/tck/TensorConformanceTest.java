package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Scope;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of {@link Tensor} on the device under test: creation, read-back, views and row views, closing,
 * copies to the same and to another device, and scopes.
 */
public abstract class TensorConformanceTest extends ConformanceTestBase {

    static Stream<Arguments> shapes() {
        return Stream.of(Shape.of(), Shape.of(1), Shape.of(7), Shape.of(3, 5), Shape.of(2, 3, 4), Shape.of(1, 1, 28, 28))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void zerosOfEachDtype(Shape shape) {
        try (Tensor f = device().zeros(shape); Tensor i = device().zeros(shape, DType.INT32)) {
            assertEquals(shape, f.shape());
            assertEquals(DType.FLOAT32, f.dtype());
            assertEquals(shape.size(), f.size());
            assertSame(device(), f.device());
            assertArrayEquals(new float[shape.sizeAsInt()], f.toFloatArray());
            assertEquals(DType.INT32, i.dtype());
            assertArrayEquals(new int[shape.sizeAsInt()], i.toIntArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void ofAndOfIntsKeepValuesAndShape(Shape shape) {
        int n = shape.sizeAsInt();
        float[] floats = uniform(random("of", shape.toString()), n, -10, 10);
        int[] ints = ints(random("ofInts", shape.toString()), n, -10, 10);
        try (Tensor f = device().of(floats, shape); Tensor i = device().ofInts(ints, shape)) {
            assertEquals(shape, f.shape());
            assertEquals(shape, i.shape());
            assertArrayEquals(floats, f.toFloatArray());
            assertArrayEquals(ints, i.toIntArray());
        }
    }

    @Test
    void ofCopiesTheArray() {
        float[] data = {1, 2, 3};
        try (Tensor t = device().of(data, Shape.of(3))) {
            data[0] = 99;
            assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        }
    }

    @Test
    void emptyHasShapeAndDtypeAndCanBeWritten() {
        try (Tensor f = device().empty(Shape.of(4, 2), DType.FLOAT32); Tensor i = device().empty(Shape.of(3), DType.INT32)) {
            assertEquals(Shape.of(4, 2), f.shape());
            assertEquals(DType.INT32, i.dtype());
            kernels().copyFromHost(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, f, 0, 8);
            kernels().copyFromHost(new int[] {4, 5, 6}, 0, i, 0, 3);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, f.toFloatArray());
            assertArrayEquals(new int[] {4, 5, 6}, i.toIntArray());
        }
    }

    @Test
    void ofWithTheWrongLengthFailsNamingTheShape() {
        long before = device().liveAllocations();
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> device().of(new float[5], Shape.of(2, 3)));
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> device().ofInts(new int[7], Shape.of(2, 3)));
        assertTrue(f.getMessage().contains("2x3"), f.getMessage());
        assertTrue(i.getMessage().contains("2x3"), i.getMessage());
        assertEquals(before, device().liveAllocations(), "a failed of() must not allocate");
    }

    @Test
    void viewSharesMemoryAndClosingItFreesNothing() {
        try (Tensor t = device().of(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3))) {
            long live = device().liveAllocations();
            Tensor v = t.view(Shape.of(3, 2));
            assertEquals(Shape.of(3, 2), v.shape());
            assertEquals(live, device().liveAllocations(), "a view must not allocate");
            kernels().scale(2f, v, v);
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, t.toFloatArray(), "writes through a view reach its owner");
            v.close();
            assertTrue(v.isClosed());
            assertFalse(t.isClosed(), "closing a view must not close its owner");
            assertEquals(live, device().liveAllocations(), "closing a view must not free memory");
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, t.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> t.view(Shape.of(7)));
        }
    }

    @Test
    void aViewOfAClosedTensorCannotBeUsed() {
        Tensor t = device().zeros(Shape.of(2, 3));
        Tensor v = t.view(Shape.of(6));
        Tensor r = t.rows(1);
        t.close();
        assertTrue(v.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, v::toFloatArray);
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalStateException.class, r::toFloatArray);
        assertThrows(IllegalStateException.class, () -> t.view(Shape.of(6)));
        v.close();
        r.close();
    }

    @Test
    void rowsSharesTheFirstRows() {
        float[] data = uniform(random("rows"), 5 * 4, -1, 1);
        try (Tensor t = device().of(data, Shape.of(5, 4))) {
            long live = device().liveAllocations();
            try (Tensor top = t.rows(2); Tensor all = t.rows(5)) {
                assertEquals(Shape.of(2, 4), top.shape());
                assertEquals(Shape.of(5, 4), all.shape());
                assertEquals(live, device().liveAllocations(), "rows() must not allocate");
                assertArrayEquals(Arrays.copyOf(data, 8), top.toFloatArray());
                kernels().fill(top, 0f);
            }
            float[] expected = data.clone();
            Arrays.fill(expected, 0, 8, 0f);
            assertArrayEquals(expected, t.toFloatArray(), "writes through rows() reach the owner, and only its rows");
            assertThrows(IllegalArgumentException.class, () -> t.rows(0));
            assertThrows(IllegalArgumentException.class, () -> t.rows(6));
        }
    }

    @Test
    void closeIsIdempotentAndFreesOnce() {
        long before = device().liveAllocations();
        Tensor t = device().zeros(Shape.of(10));
        assertEquals(before + 1, device().liveAllocations(), "one tensor is one live allocation");
        t.close();
        assertTrue(t.isClosed());
        assertEquals(before, device().liveAllocations());
        t.close();
        assertEquals(before, device().liveAllocations(), "a second close must not free again");
        assertTrue(t.toString().contains("closed"), t.toString());
    }

    @Test
    void toTheSameDeviceMakesAnIndependentCopy() {
        float[] data = {1.5f, -2, 3};
        try (Tensor t = device().of(data, Shape.of(3, 1)); Tensor copy = t.to(device())) {
            assertNotSame(t, copy);
            assertSame(device(), copy.device());
            assertEquals(Shape.of(3, 1), copy.shape());
            kernels().fill(copy, 7f);
            assertArrayEquals(data, t.toFloatArray(), "changing the copy must not change the original");
            kernels().fill(t, 0f);
            assertArrayEquals(new float[] {7, 7, 7}, copy.toFloatArray(), "changing the original must not change the copy");
        }
    }

    @Test
    void toAnotherDeviceAndBackKeepsEveryValue() {
        float[] data = uniform(random("to other"), 257, -1e4, 1e4);
        data[0] = -0f;
        data[1] = Float.POSITIVE_INFINITY;
        int[] ints = ints(random("to other ints"), 33, Integer.MIN_VALUE, Integer.MAX_VALUE);
        try (Tensor t = device().of(data, Shape.of(257)); Tensor there = t.to(otherDevice()); Tensor back = there.to(device());
             Tensor i = device().ofInts(ints, Shape.of(3, 11)); Tensor iThere = i.to(otherDevice()); Tensor iBack = iThere.to(device())) {
            assertSame(otherDevice(), there.device());
            assertSame(device(), back.device());
            assertArrayEquals(data, there.toFloatArray());
            assertArrayEquals(data, back.toFloatArray());
            assertArrayEquals(data, t.toFloatArray(), "to() must leave the source as it is");
            assertEquals(Shape.of(3, 11), iBack.shape());
            assertEquals(DType.INT32, iThere.dtype());
            assertArrayEquals(ints, iThere.toIntArray());
            assertArrayEquals(ints, iBack.toIntArray());
        }
    }

    @Test
    void itemReadsAOneElementTensor() {
        try (Tensor scalar = device().of(new float[] {2.5f}, Shape.of()); Tensor one = device().of(new float[] {-4f}, Shape.of(1, 1));
             Tensor three = device().zeros(Shape.of(3))) {
            assertEquals(2.5f, scalar.item());
            assertEquals(-4f, one.item());
            assertThrows(IllegalStateException.class, three::item);
        }
    }

    @Test
    void readingTheWrongDtypeFails() {
        try (Tensor f = device().zeros(Shape.of(2)); Tensor i = device().zeros(Shape.of(2), DType.INT32)) {
            assertThrows(IllegalStateException.class, f::toIntArray);
            assertThrows(IllegalStateException.class, i::toFloatArray);
        }
    }

    @Test
    void describeNamesShapeDtypeAndDevice() {
        try (Tensor t = device().zeros(Shape.of(128, 10))) {
            assertEquals("128x10 float32 on " + device().id(), t.describe());
        }
    }

    @Test
    void scopeClosesWhatItMade() {
        long before = device().liveAllocations();
        Tensor[] made;
        try (Scope s = device().scope()) {
            made = new Tensor[] {
                s.empty(Shape.of(3), DType.FLOAT32), s.zeros(Shape.of(2, 2)), s.of(new float[] {1}, Shape.of(1)),
                s.ofInts(new int[] {1, 2}, Shape.of(2)), s.track(device().zeros(Shape.of(5))),
            };
            assertEquals(before + made.length, device().liveAllocations());
        }
        for (Tensor t : made) {
            assertTrue(t.isClosed(), t + " should be closed by its scope");
        }
        assertEquals(before, device().liveAllocations(), "a closed scope frees everything it made");
    }

    @Test
    void aClosedScopeRefusesAndClosesNewTensors() {
        Scope s = device().scope();
        s.close();
        s.close();
        Tensor t = device().zeros(Shape.of(4));
        assertThrows(IllegalStateException.class, () -> s.track(t));
        assertTrue(t.isClosed(), "a tensor handed to a closed scope is closed");
    }
}
