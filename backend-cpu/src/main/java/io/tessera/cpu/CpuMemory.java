package io.tessera.cpu;

import io.tessera.DType;
import io.tessera.spi.DeviceMemory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Heap memory of the CPU device: a float[] or an int[]. Owned by one tensor. */
final class CpuMemory implements DeviceMemory {
    final float[] floats;
    final int[] ints;
    private final DType dtype;
    private final AtomicLong live;
    private final AtomicBoolean closed = new AtomicBoolean();

    CpuMemory(DType dtype, int elements, AtomicLong live) {
        this.dtype = dtype;
        this.floats = dtype == DType.FLOAT32 ? new float[elements] : null;
        this.ints = dtype == DType.INT32 ? new int[elements] : null;
        this.live = live;
        live.incrementAndGet();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long elements() {
        return floats != null ? floats.length : ints.length;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            live.decrementAndGet();
        }
    }
}
