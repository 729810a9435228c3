package io.tessera.reference;

import io.tessera.DType;
import io.tessera.spi.DeviceMemory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Heap memory of a {@link ReferenceDevice}: a {@code float[]} or an {@code int[]}. */
final class ReferenceMemory implements DeviceMemory {
    private final DType dtype;
    private final float[] floats;
    private final int[] ints;
    private final AtomicLong live;
    private final AtomicBoolean closed = new AtomicBoolean();

    ReferenceMemory(DType dtype, int elements, AtomicLong live) {
        this.dtype = dtype;
        this.floats = dtype == DType.FLOAT32 ? new float[elements] : null;
        this.ints = dtype == DType.INT32 ? new int[elements] : null;
        this.live = live;
        live.incrementAndGet();
    }

    float[] floats() {
        return floats;
    }

    int[] ints() {
        return ints;
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
