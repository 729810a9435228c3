package io.tessera.opencl.jocl;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

import java.nio.FloatBuffer;

/**
 * One OpenCL device, {@code opencl-jocl:<index>}. Allocation goes through the device's caching buffer pool; kernels
 * run asynchronously on its single in-order queue.
 *
 * <p>Thread-safe for allocation, for closing memory and for its properties; kernels are issued by one thread at a
 * time.
 */
public final class JoclDevice implements Device {
    private final String id;
    private final ClContext ctx;
    private final ClKernels raw;
    private final Kernels checked;

    JoclDevice(String id, ClContext ctx, GemmVariant gemm) {
        this.id = id;
        this.ctx = ctx;
        this.raw = new ClKernels(ctx, gemm);
        this.checked = CheckedKernels.wrap(this, raw);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DeviceKind kind() {
        return ctx.info().kind();
    }

    @Override
    public String name() {
        return ctx.info().name();
    }

    /** The device's vendor, from {@code CL_DEVICE_VENDOR}. */
    public String vendor() {
        return ctx.info().vendor();
    }

    /** The OpenCL platform's name, from {@code CL_PLATFORM_NAME}. */
    public String platformName() {
        return ctx.info().platformName();
    }

    /** {@code CL_DEVICE_GLOBAL_MEM_SIZE}, in bytes. */
    @Override
    public long memoryBytes() {
        return ctx.info().globalMemBytes();
    }

    /** The SGEMM kernel this device runs. */
    public GemmVariant gemmVariant() {
        return raw.gemmVariant();
    }

    @Override
    public Kernels kernels() {
        return checked;
    }

    @Override
    public DeviceMemory allocate(DType dtype, long elements) {
        return ctx.pool().allocate(dtype, elements);
    }

    @Override
    public long liveAllocations() {
        return ctx.pool().live();
    }

    /** How many buffers the pool has created from the driver so far; steady once a training loop warms up. */
    public long buffersCreated() {
        return ctx.pool().created();
    }

    /**
     * A page-locked ({@code CL_MEM_ALLOC_HOST_PTR}, mapped once) direct buffer in native order, freed when it and its
     * views are unreachable; an ordinary direct buffer where the driver cannot pin one.
     */
    @Override
    public FloatBuffer allocateHostBuffer(int elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("allocateHostBuffer: " + elements + " elements");
        }
        FloatBuffer pinned = elements == 0 ? null : ctx.allocateHostBuffer(elements);
        return pinned != null ? pinned : Device.super.allocateHostBuffer(elements);
    }

    @Override
    public void synchronize() {
        ctx.finish();
    }

    /** Raw kernels of this device running the given SGEMM variant: lets tests check both variants on one device. */
    Kernels kernelsWith(GemmVariant gemm) {
        return CheckedKernels.wrap(this, new ClKernels(ctx, gemm));
    }

    ClContext context() {
        return ctx;
    }

    @Override
    public String toString() {
        return id + " (" + kind() + ", " + name() + ", " + vendor() + ")";
    }
}
