package io.tessera.opencl.jocl;

import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Page-locked host staging buffers: a {@code CL_MEM_ALLOC_HOST_PTR} buffer mapped once, for the lifetime of the
 * returned {@link FloatBuffer}. Uploads from such memory ({@code copyFromBuffer}) let GPU drivers copy by DMA instead
 * of staging through their own pinned memory; on a CPU device it is ordinary host memory.
 *
 * <p>The mapping is made on a queue of its own, so a data-loading thread never waits for the training kernels. The
 * buffer is freed when the returned buffer and every view of it are unreachable: a {@link Cleaner} watches the mapped
 * {@link ByteBuffer} that all views keep alive and releases the OpenCL buffer (JOCL gives no way to unmap without
 * holding that {@code ByteBuffer}, so the release happens on the still-mapped buffer, which OpenCL permits; the
 * driver frees the mapping with it). Thread-safe.
 */
final class ClHostBuffers {
    private static final Cleaner CLEANER = Cleaner.create();

    private ClHostBuffers() {
    }

    /**
     * A pinned buffer of {@code elements} floats in native order, or null where the driver refuses (the caller then
     * falls back to an ordinary direct buffer).
     */
    static FloatBuffer allocate(ClContext ctx, cl_command_queue mapQueue, int elements) {
        long bytes = Math.multiplyExact((long) elements, (long) Float.BYTES);
        int[] err = new int[1];
        cl_mem mem = CL.clCreateBuffer(ctx.context(), CL.CL_MEM_READ_WRITE | CL.CL_MEM_ALLOC_HOST_PTR, bytes, null, err);
        if (err[0] != CL.CL_SUCCESS) {
            return null;
        }
        ByteBuffer mapped = CL.clEnqueueMapBuffer(mapQueue, mem, true, CL.CL_MAP_READ | CL.CL_MAP_WRITE, 0, bytes, 0, null, null, err);
        if (err[0] != CL.CL_SUCCESS || mapped == null || mapped.capacity() != bytes) {
            CL.clReleaseMemObject(mem);
            return null;
        }
        CLEANER.register(mapped, () -> CL.clReleaseMemObject(mem));
        return mapped.order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
