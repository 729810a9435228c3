package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.TesseraException;
import io.tessera.spi.DeviceMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolTest {
    @Test
    void sizeClassesHaveFourStepsPerPowerOfTwo() {
        assertEquals(256, ClBufferPool.sizeClass(1));
        assertEquals(256, ClBufferPool.sizeClass(256));
        assertEquals(320, ClBufferPool.sizeClass(257));
        assertEquals(512, ClBufferPool.sizeClass(512));
        assertEquals(640, ClBufferPool.sizeClass(513));
        assertEquals(4096, ClBufferPool.sizeClass(4000));
        assertEquals(5120, ClBufferPool.sizeClass(4097));
        for (long b = 1; b < 1_000_000; b = b * 3 + 1) {
            long c = ClBufferPool.sizeClass(b);
            assertTrue(c >= b && c <= Math.max(256, b * 1.25 + 1), b + " -> " + c);
        }
    }

    @Test
    void aWarmLoopCreatesNoNewBuffers() {
        JoclDevice d = OpenCl.device();
        long live = d.liveAllocations();
        for (int step = 0; step < 3; step++) {
            try (var scope = d.scope()) {
                Tensor a = scope.zeros(Shape.of(128, 784));
                Tensor w = scope.zeros(Shape.of(784, 100));
                Tensor y = scope.empty(Shape.of(128, 100), DType.FLOAT32);
                d.kernels().gemm(false, false, 1f, a, w, 0f, y);
                d.kernels().gemm(false, true, 1f, y, w, 0f, a);
                assertEquals(live + 3, d.liveAllocations());
            }
        }
        long created = d.buffersCreated();
        for (int step = 0; step < 5; step++) {
            try (var scope = d.scope()) {
                Tensor a = scope.zeros(Shape.of(128, 784));
                Tensor w = scope.zeros(Shape.of(784, 100));
                Tensor y = scope.empty(Shape.of(128, 100), DType.FLOAT32);
                d.kernels().gemm(false, false, 1f, a, w, 0f, y);
                d.kernels().gemm(false, true, 1f, y, w, 0f, a);
            }
        }
        assertEquals(created, d.buffersCreated(), "steady state allocates nothing new");
        assertEquals(live, d.liveAllocations());
    }

    @Test
    void closeIsIdempotentAndCapacityCoversTheRequest() {
        JoclDevice d = OpenCl.device();
        long live = d.liveAllocations();
        DeviceMemory m = d.allocate(DType.INT32, 1000);
        assertTrue(m.elements() >= 1000);
        assertEquals(DType.INT32, m.dtype());
        assertEquals(live + 1, d.liveAllocations());
        m.close();
        m.close();
        assertEquals(live, d.liveAllocations());
    }

    @Test
    void tooLargeAllocationNamesDeviceAndSize() {
        JoclDevice d = OpenCl.device();
        TesseraException e = assertThrows(TesseraException.class, () -> d.allocate(DType.FLOAT32, Long.MAX_VALUE / 8));
        assertTrue(e.getMessage().contains(d.id()), e.getMessage());
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }
}
