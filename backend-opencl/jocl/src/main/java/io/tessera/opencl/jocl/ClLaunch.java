package io.tessera.opencl.jocl;

import io.tessera.Tensor;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets the arguments of one kernel and enqueues it on the device's queue, without waiting. Made per launch by
 * {@link ClKernels}; not thread-safe.
 */
final class ClLaunch {
    private final ClContext ctx;
    private final cl_kernel kernel;
    private final String name;
    private int index;

    ClLaunch(ClContext ctx, String program, String name) {
        this(ctx, ctx.programs().kernel(program, name), name);
    }

    ClLaunch(ClContext ctx, cl_kernel kernel, String name) {
        this.ctx = ctx;
        this.kernel = kernel;
        this.name = name;
    }

    ClLaunch mem(Tensor t) {
        return mem(ClKernels.memOf(ctx, t));
    }

    ClLaunch mem(cl_mem m) {
        return arg(Sizeof.cl_mem, Pointer.to(m));
    }

    ClLaunch i(int v) {
        return arg(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    ClLaunch l(long v) {
        return arg(Sizeof.cl_long, Pointer.to(new long[] {v}));
    }

    ClLaunch f(float v) {
        return arg(Sizeof.cl_float, Pointer.to(new float[] {v}));
    }

    /** A {@code local} array argument of {@code bytes} bytes. */
    ClLaunch local(long bytes) {
        return arg(bytes, null);
    }

    private ClLaunch arg(long size, Pointer value) {
        ClErrors.check(CL.clSetKernelArg(kernel, index, size, value), "clSetKernelArg(" + name + ", " + index + ")", ctx.deviceId());
        index++;
        return this;
    }

    /** Enqueues over {@code n} work items in groups of {@code local}, the global size rounded up. */
    void run1d(long n, int local) {
        run(new long[] {roundUp(n, local)}, new long[] {local});
    }

    /** Enqueues over an {@code nx x ny} range in groups of {@code lx x ly}, both rounded up. */
    void run2d(long nx, long ny, int lx, int ly) {
        run(new long[] {roundUp(nx, lx), roundUp(ny, ly)}, new long[] {lx, ly});
    }

    private void run(long[] global, long[] local) {
        int code = CL.clEnqueueNDRangeKernel(ctx.queue(), kernel, global.length, null, global, local, 0, null, null);
        ClErrors.check(code, "clEnqueueNDRangeKernel(" + name + ")", ctx.deviceId());
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
