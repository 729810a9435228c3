package io.tessera.opencl.jocl;

import io.tessera.Shape;
import io.tessera.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostBufferTest {
    @Test
    void pinnedBuffersUploadAndAreFreedWhenUnreachable() throws InterruptedException {
        JoclDevice d = OpenCl.device();
        for (int round = 0; round < 20; round++) {
            FloatBuffer b = d.allocateHostBuffer(100_000);
            assertTrue(b.isDirect());
            assertEquals(ByteOrder.nativeOrder(), b.order());
            assertEquals(100_000, b.remaining());
            for (int i = 0; i < 100_000; i++) {
                b.put(i, i + round);
            }
            FloatBuffer slice = b.position(10).slice();
            b = null;
            System.gc();
            try (Tensor t = d.empty(Shape.of(5), io.tessera.DType.FLOAT32)) {
                d.kernels().copyFromBuffer(slice.limit(5), t, 0);
                assertArrayEquals(new float[] {10 + round, 11 + round, 12 + round, 13 + round, 14 + round}, t.toFloatArray());
            }
        }
        System.gc();
        Thread.sleep(100);
        assertEquals(0, d.allocateHostBuffer(0).capacity());
    }
}
