package io.tessera.opencl.aparapi;

import io.tessera.DType;
import io.tessera.spi.DeviceMemory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tensor's memory: a Java {@code float[]} or {@code int[]} that Aparapi mirrors into OpenCL buffers, one per
 * kernel that has it bound. Besides the array it keeps the coherence state the launches maintain: whether the host
 * array is current, and otherwise which kernel slot holds the only current copy; and a version that grows with
 * every write, so a kernel can tell whether its buffer still matches.
 *
 * <p>Threading: the coherence state is read and written only by the thread that issues kernels on the device (one
 * at a time, per the {@link io.tessera.spi.Kernels} contract). {@link #close()} may be called from any thread: it is
 * idempotent and only flips a flag and the device's live count. The arrays stay referenced by the kernels they were
 * last bound to until those kernels bind other arrays or the backend closes.
 */
final class AparapiMemory implements DeviceMemory {
    final float[] floats;
    final int[] ints;
    private final DType dtype;
    private final AtomicLong live;
    private final AtomicBoolean closed = new AtomicBoolean();

    private boolean hostCurrent = true;
    private KernelHandle owner;
    private long version;

    AparapiMemory(DType dtype, int elements, AtomicLong live) {
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

    /** The backing array, {@code float[]} or {@code int[]}. */
    Object array() {
        return floats != null ? floats : ints;
    }

    int length() {
        return floats != null ? floats.length : ints.length;
    }

    boolean isClosed() {
        return closed.get();
    }

    long version() {
        return version;
    }

    /** Whether the host array holds the current values. */
    boolean hostCurrent() {
        return hostCurrent;
    }

    /** The kernel whose buffer holds the only current copy, or null when the host array is current. */
    KernelHandle owner() {
        return owner;
    }

    /** Makes the host array current, reading it back from the owning kernel's buffer where needed. */
    void makeHostCurrent() {
        if (!hostCurrent) {
            owner.readBack(this);
            hostCurrent = true;
            owner = null;
        }
    }

    /** Records that the host array was written: it is current, and every device copy is stale. */
    void hostWritten() {
        version++;
        hostCurrent = true;
        owner = null;
    }

    /** Records that {@code kernel} wrote its copy: that copy is the only current one. Returns the new version. */
    long deviceWritten(KernelHandle kernel) {
        version++;
        hostCurrent = false;
        owner = kernel;
        return version;
    }

    /** Records that the host array is current again without a read-back (the data already lives in it). */
    void hostCurrentWithoutReadBack() {
        hostCurrent = true;
        owner = null;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            live.decrementAndGet();
        }
    }
}
