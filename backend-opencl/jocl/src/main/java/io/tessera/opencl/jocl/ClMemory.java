package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.spi.DeviceMemory;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * A pooled OpenCL buffer behind one tensor. Its capacity is its size class, so it may hold more elements than the
 * tensor uses; kernels address it from element 0. {@link #close()} returns the buffer to its {@link ClBufferPool};
 * it is idempotent and may be called from any thread. A block that becomes unreachable without being closed is
 * returned by a {@link Cleaner}, which logs a warning.
 */
final class ClMemory implements DeviceMemory {
    private final ClBufferPool pool;
    private final cl_mem mem;
    private final DType dtype;
    private final long elements;
    private final Release release;
    private Cleaner.Cleanable cleanable;

    ClMemory(ClBufferPool pool, cl_mem mem, DType dtype, long elements, long bytes) {
        this.pool = pool;
        this.mem = mem;
        this.dtype = dtype;
        this.elements = elements;
        this.release = new Release(pool, mem, bytes);
    }

    void register(Cleaner cleaner) {
        cleanable = cleaner.register(this, release);
    }

    /** The OpenCL buffer; valid until {@link #close()}. */
    cl_mem mem() {
        return mem;
    }

    /** The pool, and so the context, that this block belongs to. */
    ClBufferPool pool() {
        return pool;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long elements() {
        return elements;
    }

    @Override
    public void close() {
        release.explicit = true;
        cleanable.clean();
    }

    private static final class Release implements Runnable {
        private final ClBufferPool pool;
        private final cl_mem mem;
        private final long bytes;
        volatile boolean explicit;

        Release(ClBufferPool pool, cl_mem mem, long bytes) {
            this.pool = pool;
            this.mem = mem;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            pool.release(mem, bytes, !explicit);
        }
    }
}
