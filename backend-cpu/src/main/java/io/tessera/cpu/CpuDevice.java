package io.tessera.cpu;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.TesseraException;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

import java.util.concurrent.atomic.AtomicLong;

/** The CPU as a device: tensors on the Java heap, kernels run synchronously on the calling thread (GEMM and the CNN kernels may fork). */
final class CpuDevice implements Device {
    private final String name;
    private final CpuKernels raw;
    private final Kernels kernels;
    private final AtomicLong live = new AtomicLong();

    CpuDevice(String name, Gemm gemm, RowKernels rows, CpuThreads threads) {
        this.name = name;
        this.raw = new CpuKernels(gemm, rows, threads);
        this.kernels = CheckedKernels.wrap(this, raw);
    }

    @Override
    public String id() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.CPU;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long memoryBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public DeviceMemory allocate(DType dtype, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new TesseraException("device cpu cannot hold " + elements + " " + dtype + " elements in one array");
        }
        try {
            return new CpuMemory(dtype, (int) elements, live);
        } catch (OutOfMemoryError e) {
            throw new TesseraException("device cpu is out of memory allocating " + elements + " " + dtype + " elements ("
                    + (elements * dtype.bytes() >> 20) + " MiB); raise -Xmx", e);
        }
    }

    @Override
    public long liveAllocations() {
        return live.get();
    }

    @Override
    public void synchronize() {
    }

    String gemmName() {
        return raw.gemmKernel().name();
    }

    @Override
    public String toString() {
        return "Device[" + id() + ", " + name + "]";
    }
}
