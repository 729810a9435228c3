package io.tessera.tck;

import io.tessera.DType;
import io.tessera.Shape;
import io.tessera.Tensor;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the {@link io.tessera.Device} itself: its properties, allocation and its count of live allocations
 * (from several threads too), synchronisation and host staging buffers.
 */
public abstract class DeviceConformanceTest extends ConformanceTestBase {

    @Test
    void properties() {
        String id = device().id();
        assertNotNull(id);
        assertTrue(id.matches("[a-z0-9-]+(:[0-9]+)?"), "device id '" + id + "' must be a backend name, then ':' and an index where it has several");
        assertNotNull(device().name());
        assertFalse(device().name().isBlank(), "device name must not be blank");
        assertNotNull(device().kind(), "device kind");
        assertTrue(device().memoryBytes() > 0, "memoryBytes() must be positive, was " + device().memoryBytes());
    }

    @Test
    void kernelsAreChecked() {
        assertInstanceOf(CheckedKernels.class, device().kernels(), "Device.kernels() must return CheckedKernels.wrap(device, raw)");
    }

    @Test
    void synchronizeReturnsAfterQueuedWork() {
        try (Tensor a = device().zeros(Shape.of(1000)); Tensor b = device().zeros(Shape.of(1000))) {
            for (int i = 0; i < 10; i++) {
                kernels().fill(a, i);
                kernels().add(a, b, b);
            }
            device().synchronize();
            float[] expected = new float[1000];
            Arrays.fill(expected, 45f);
            assertArrayEquals(expected, b.toFloatArray());
        }
    }

    @ParameterizedTest(name = "{0} floats")
    @ValueSource(ints = {1, 7, 1000, 65537})
    void hostBuffersAreDirectNativeOrderAndSized(int n) {
        FloatBuffer buffer = device().allocateHostBuffer(n);
        assertTrue(buffer.isDirect(), "a host buffer must be direct");
        assertEquals(ByteOrder.nativeOrder(), buffer.order(), "a host buffer must be in native order");
        assertEquals(n, buffer.capacity());
        assertEquals(n, buffer.remaining());
        assertFalse(buffer.isReadOnly());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    void allocateCountsLiveMemoryAndCloseIsIdempotent(DType dtype) {
        long before = device().liveAllocations();
        DeviceMemory memory = device().allocate(dtype, 33);
        try {
            assertEquals(dtype, memory.dtype());
            assertTrue(memory.elements() >= 33, "asked for 33 elements, got " + memory.elements());
            assertEquals(before + 1, device().liveAllocations());
        } finally {
            memory.close();
        }
        assertEquals(before, device().liveAllocations());
        memory.close();
        assertEquals(before, device().liveAllocations(), "a second close of DeviceMemory must not free again");
    }

    @Test
    void memoryMayBeClosedFromAnotherThread() throws Exception {
        long before = device().liveAllocations();
        Tensor t = device().zeros(Shape.of(64));
        Thread closer = new Thread(t::close);
        closer.start();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close() from another thread did not return");
        assertEquals(before, device().liveAllocations());
    }

    @Test
    void allocationIsThreadSafe() throws Exception {
        long before = device().liveAllocations();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<DeviceMemory>>> jobs = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                jobs.add(() -> {
                    List<DeviceMemory> made = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        made.add(device().allocate(DType.FLOAT32, 1 + i));
                    }
                    return made;
                });
            }
            List<DeviceMemory> all = new ArrayList<>();
            for (Future<List<DeviceMemory>> f : pool.invokeAll(jobs)) {
                all.addAll(f.get());
            }
            assertEquals(before + 200, device().liveAllocations(), "200 blocks allocated from 4 threads");
            all.forEach(DeviceMemory::close);
            assertEquals(before, device().liveAllocations());
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
