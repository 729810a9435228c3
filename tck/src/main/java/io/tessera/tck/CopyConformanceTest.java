package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conformance of the copy kernels and {@code fill}: host arrays and buffers in both directions with offsets,
 * device-to-device copies, float and int. Copies are exact, bit for bit (NaN aside, whose payload may change).
 */
public abstract class CopyConformanceTest extends ConformanceTestBase {
    private static final float SENTINEL = -7.5f;

    static IntStream sizes() {
        return IntStream.of(1, 3, 7, 17, 33, 65, 127, 257, 1000, 4099);
    }

    @ParameterizedTest(name = "{0} floats")
    @MethodSource("sizes")
    void floatRoundTripIsExact(int n) {
        float[] data = uniform(random("float round trip", n), n, -1e3, 1e3);
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MIN_NORMAL};
        System.arraycopy(special, 0, data, 0, Math.min(n, special.length));
        try (Tensor t = device().of(data, Shape.of(n))) {
            assertArrayEquals(data, t.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} ints")
    @MethodSource("sizes")
    void intRoundTripIsExact(int n) {
        int[] data = ints(random("int round trip", n), n, Integer.MIN_VALUE, Integer.MAX_VALUE);
        data[0] = Integer.MIN_VALUE;
        try (Tensor t = device().ofInts(data, Shape.of(n))) {
            assertArrayEquals(data, t.toIntArray());
        }
    }

    @ParameterizedTest(name = "tensor of {0}: {3} floats from array[{1}] to tensor[{2}]")
    @CsvSource({"1, 0, 0, 1", "7, 3, 0, 4", "17, 0, 5, 12", "65, 9, 31, 33", "257, 1, 255, 2", "300, 44, 1, 299", "10, 2, 4, 0"})
    void copyFromHostWithOffsets(int n, int srcOffset, int dstOffset, int count) {
        float[] src = uniform(random("from host", n, srcOffset, dstOffset), srcOffset + count + 3, -1, 1);
        float[] expected = new float[n];
        Arrays.fill(expected, SENTINEL);
        System.arraycopy(src, srcOffset, expected, dstOffset, count);
        try (Tensor t = device().empty(Shape.of(n), DType.FLOAT32)) {
            kernels().fill(t, SENTINEL);
            kernels().copyFromHost(src, srcOffset, t, dstOffset, count);
            assertArrayEquals(expected, t.toFloatArray());
        }
    }

    @ParameterizedTest(name = "tensor of {0}: {3} floats from tensor[{1}] to array[{2}]")
    @CsvSource({"1, 0, 0, 1", "7, 3, 2, 4", "17, 5, 0, 12", "65, 31, 9, 33", "257, 255, 1, 2", "300, 1, 44, 299", "10, 4, 2, 0"})
    void copyToHostWithOffsets(int n, int srcOffset, int dstOffset, int count) {
        float[] data = uniform(random("to host", n, srcOffset, dstOffset), n, -1, 1);
        float[] dst = new float[dstOffset + count + 3];
        Arrays.fill(dst, SENTINEL);
        float[] expected = dst.clone();
        System.arraycopy(data, srcOffset, expected, dstOffset, count);
        try (Tensor t = device().of(data, Shape.of(n))) {
            kernels().copyToHost(t, srcOffset, dst, dstOffset, count);
        }
        assertArrayEquals(expected, dst);
    }

    @ParameterizedTest(name = "int tensor of {0}: {3} ints at offsets {1} and {2}")
    @CsvSource({"1, 0, 0, 1", "7, 3, 1, 4", "65, 9, 31, 33", "300, 44, 1, 255"})
    void intCopiesWithOffsets(int n, int arrayOffset, int tensorOffset, int count) {
        int[] src = ints(random("int offsets", n, arrayOffset), arrayOffset + count + 2, -1000, 1000);
        int[] expected = new int[n];
        Arrays.fill(expected, -3);
        System.arraycopy(src, arrayOffset, expected, tensorOffset, count);
        int[] back = new int[arrayOffset + count + 2];
        Arrays.fill(back, 99);
        int[] expectedBack = back.clone();
        System.arraycopy(expected, tensorOffset, expectedBack, arrayOffset, count);
        try (Tensor t = device().empty(Shape.of(n), DType.INT32)) {
            kernels().fill(t, -3f);
            kernels().copyFromHost(src, arrayOffset, t, tensorOffset, count);
            assertArrayEquals(expected, t.toIntArray());
            kernels().copyToHost(t, tensorOffset, back, arrayOffset, count);
        }
        assertArrayEquals(expectedBack, back);
    }

    @Test
    void hostArrayMayBeReusedAsSoonAsTheCopyReturns() {
        float[] src = uniform(random("reuse array"), 4099, -1, 1);
        float[] expected = src.clone();
        try (Tensor t = device().empty(Shape.of(src.length), DType.FLOAT32)) {
            kernels().copyFromHost(src, 0, t, 0, src.length);
            Arrays.fill(src, 0f);
            assertArrayEquals(expected, t.toFloatArray());
        }
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @CsvSource({"true", "false"})
    void copyFromBufferReadsFromPositionAndKeepsIt(boolean direct) {
        FloatBuffer buffer = buffer(direct, 300);
        float[] data = uniform(random("from buffer", direct), 300, -1, 1);
        buffer.put(data).position(11).limit(211);
        float[] expected = new float[257];
        Arrays.fill(expected, SENTINEL);
        System.arraycopy(data, 11, expected, 40, 200);
        try (Tensor t = device().empty(Shape.of(257), DType.FLOAT32)) {
            kernels().fill(t, SENTINEL);
            kernels().copyFromBuffer(buffer, t, 40);
            assertEquals(11, buffer.position(), "copyFromBuffer must not move the buffer's position");
            assertEquals(211, buffer.limit(), "copyFromBuffer must not change the buffer's limit");
            buffer.put(11, 123f);
            assertArrayEquals(expected, t.toFloatArray(), "the buffer may be reused as soon as copyFromBuffer returns");
        }
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @CsvSource({"true", "false"})
    void copyToBufferWritesFromPositionAndKeepsIt(boolean direct) {
        float[] data = uniform(random("to buffer", direct), 257, -1, 1);
        FloatBuffer buffer = buffer(direct, 300);
        float[] expected = new float[300];
        Arrays.fill(expected, SENTINEL);
        buffer.put(expected).position(7).limit(107);
        System.arraycopy(data, 33, expected, 7, 100);
        try (Tensor t = device().of(data, Shape.of(257))) {
            kernels().copyToBuffer(t, 33, buffer);
        }
        assertEquals(7, buffer.position(), "copyToBuffer must not move the buffer's position");
        assertEquals(107, buffer.limit(), "copyToBuffer must not change the buffer's limit");
        float[] actual = new float[300];
        buffer.clear().get(actual);
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0} elements")
    @MethodSource("sizes")
    void copyOnDevice(int n) {
        float[] data = uniform(random("copy", n), n, -1, 1);
        int[] ints = ints(random("copy ints", n), n, -50, 50);
        try (Tensor src = device().of(data, Shape.of(n)); Tensor dst = device().zeros(Shape.of(1, n));
             Tensor isrc = device().ofInts(ints, Shape.of(n)); Tensor idst = device().zeros(Shape.of(n, 1), DType.INT32)) {
            kernels().copy(src, dst);
            kernels().copy(isrc, idst);
            assertArrayEquals(data, dst.toFloatArray());
            assertArrayEquals(ints, idst.toIntArray());
            assertArrayEquals(data, src.toFloatArray(), "copy must not change its source");
        }
    }

    @Test
    void copyFromAndIntoViews() {
        float[] data = uniform(random("copy views"), 60, -1, 1);
        try (Tensor src = device().of(data, Shape.of(6, 10)); Tensor dst = device().zeros(Shape.of(6, 10))) {
            try (Tensor firstRows = src.rows(2); Tensor top = dst.rows(2); Tensor into = top.view(Shape.of(20))) {
                kernels().copy(firstRows, into);
            }
            float[] expected = new float[60];
            System.arraycopy(data, 0, expected, 0, 20);
            assertArrayEquals(expected, dst.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} elements")
    @MethodSource("sizes")
    void fillFloat(int n) {
        try (Tensor t = device().empty(Shape.of(n), DType.FLOAT32)) {
            for (float value : new float[] {3.25f, -0.5f, 0f}) {
                kernels().fill(t, value);
                float[] expected = new float[n];
                Arrays.fill(expected, value);
                assertArrayEquals(expected, t.toFloatArray(), "fill with " + value);
            }
        }
    }

    @ParameterizedTest(name = "{0} elements")
    @MethodSource("sizes")
    void fillInt(int n) {
        try (Tensor t = device().empty(Shape.of(n), DType.INT32)) {
            for (float value : new float[] {7f, -3f, 0f, 2.9f}) {
                kernels().fill(t, value);
                int[] expected = new int[n];
                Arrays.fill(expected, (int) value);
                assertArrayEquals(expected, t.toIntArray(), "fill with " + value);
            }
        }
    }

    @Test
    void fillOfAViewLeavesTheRestAlone() {
        try (Tensor t = device().zeros(Shape.of(5, 3)); Tensor top = t.rows(2)) {
            kernels().fill(top, 1f);
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, t.toFloatArray());
        }
    }

    private FloatBuffer buffer(boolean direct, int n) {
        return direct ? device().allocateHostBuffer(n) : FloatBuffer.allocate(n);
    }
}
