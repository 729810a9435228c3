package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.TesseraException;
import org.jocl.CL;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator of OpenCL buffers for one context. Sizes are rounded up to a size class (four classes per
 * power of two, at least 256 bytes); a closed {@link ClMemory} goes back to its class's free list and the next
 * allocation of that class reuses it, so a training loop that allocates the same shapes every step stops calling
 * {@code clCreateBuffer} after its first step.
 *
 * <p>Reusing a buffer as soon as it is released is safe because every command on the device goes through one
 * in-order queue: commands issued later, through the new owner, run after the earlier ones that used it.
 *
 * <p>Thread-safe: memory may be released from any thread (including the {@link Cleaner} that catches leaks). When an
 * allocation fails for lack of memory the free lists are emptied and it is tried once more. Closing the pool releases
 * the free buffers; buffers still live are released as they are closed.
 */
final class ClBufferPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.tessera.opencl.jocl");
    private static final long MIN_CLASS = 256;
    private static final Cleaner CLEANER = Cleaner.create();

    private final cl_context context;
    private final String deviceId;
    private final long maxAllocBytes;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long live;
    private long liveBytes;
    private long freeBytes;
    private long created;
    private boolean closed;

    ClBufferPool(cl_context context, String deviceId, long maxAllocBytes) {
        this.context = context;
        this.deviceId = deviceId;
        this.maxAllocBytes = maxAllocBytes;
    }

    /** The size class for a request of {@code bytes}: the smallest of {@code 256, 320, 384, 448, 512, 640, ...} that fits. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_CLASS) {
            return MIN_CLASS;
        }
        int e = 63 - Long.numberOfLeadingZeros(bytes - 1);
        long step = 1L << (e - 2);
        return (bytes + step - 1) / step * step;
    }

    /**
     * A block of at least {@code elements} values of {@code dtype}; the caller owns it and closes it.
     *
     * @throws TesseraException when the device cannot hold it, naming the device and the size
     */
    ClMemory allocate(DType dtype, long elements) {
        if (elements <= 0) {
            throw new IllegalArgumentException("allocate: " + elements + " elements of " + dtype + " on " + deviceId);
        }
        long bytes = Math.multiplyExact(elements, (long) dtype.bytes());
        if (bytes > maxAllocBytes) {
            throw new TesseraException("cannot allocate " + bytes + " bytes (" + elements + " " + dtype + ") on " + deviceId
                    + ": the device's largest buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE) is " + maxAllocBytes + " bytes");
        }
        long cls = Math.min(sizeClass(bytes), maxAllocBytes);
        cl_mem mem = take(cls);
        if (mem == null) {
            mem = create(cls, bytes, elements, dtype);
        }
        ClMemory memory = new ClMemory(this, mem, dtype, cls / dtype.bytes(), cls);
        memory.register(CLEANER);
        return memory;
    }

    private synchronized cl_mem take(long cls) {
        if (closed) {
            throw new IllegalStateException("device " + deviceId + " is closed");
        }
        ArrayDeque<cl_mem> list = free.get(cls);
        cl_mem mem = list == null ? null : list.pollLast();
        if (mem != null) {
            freeBytes -= cls;
            live++;
            liveBytes += cls;
        }
        return mem;
    }

    private cl_mem create(long cls, long bytes, long elements, DType dtype) {
        int[] err = new int[1];
        cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, cls, null, err);
        if (isOutOfMemory(err[0])) {
            trim();
            mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, cls, null, err);
        }
        if (err[0] != CL.CL_SUCCESS) {
            String why = isOutOfMemory(err[0]) ? "out of device memory" : "clCreateBuffer failed";
            throw new ClException(err[0], "cannot allocate " + bytes + " bytes (" + elements + " " + dtype + ") on " + deviceId
                    + ": " + why + ", " + ClErrors.describe(err[0]) + "; " + stats());
        }
        synchronized (this) {
            live++;
            liveBytes += cls;
            created++;
        }
        return mem;
    }

    private static boolean isOutOfMemory(int code) {
        return code == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL.CL_OUT_OF_RESOURCES || code == CL.CL_OUT_OF_HOST_MEMORY;
    }

    /** Takes back a block released by its owner (or found leaked by the cleaner). */
    void release(cl_mem mem, long cls, boolean leaked) {
        if (leaked) {
            LOG.log(System.Logger.Level.WARNING, () -> "a tensor of " + cls + " bytes on " + deviceId
                    + " was garbage-collected without being closed; close tensors (or use a Scope) to free device memory promptly");
        }
        boolean dispose;
        synchronized (this) {
            live--;
            liveBytes -= cls;
            dispose = closed;
            if (!dispose) {
                free.computeIfAbsent(cls, k -> new ArrayDeque<>()).addLast(mem);
                freeBytes += cls;
            }
        }
        if (dispose) {
            CL.clReleaseMemObject(mem);
        }
    }

    /** Releases every free (pooled, unused) buffer to the driver. */
    void trim() {
        Map<Long, ArrayDeque<cl_mem>> drop;
        synchronized (this) {
            drop = new HashMap<>(free);
            free.clear();
            freeBytes = 0;
        }
        drop.values().forEach(list -> list.forEach(CL::clReleaseMemObject));
    }

    /** The number of blocks handed out and not yet released. */
    synchronized long live() {
        return live;
    }

    /** The number of {@code clCreateBuffer} calls so far: constant in a steady training loop. */
    synchronized long created() {
        return created;
    }

    /** Bytes held by live blocks and by free blocks, for messages. */
    synchronized String stats() {
        return "pool of " + deviceId + ": " + live + " live blocks (" + liveBytes + " bytes), " + freeBytes + " bytes free";
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        trim();
    }
}
