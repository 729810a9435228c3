package io.tessera.opencl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import io.tessera.DType;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.TesseraException;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One OpenCL device as Aparapi sees it. Tensors are Java arrays on the heap that Aparapi mirrors into OpenCL buffers
 * (see {@link KernelHandle}); {@link #memoryBytes()} is the smaller of the device's global memory and the JVM's
 * maximum heap, since a tensor needs both. Kernels run synchronously, so {@link #synchronize()} has nothing to wait
 * for. Allocation, {@link #liveAllocations()} and the properties are thread-safe; kernels are issued by one thread
 * at a time.
 */
final class AparapiDevice implements Device {
    /** Work-group size of 1-D kernels (rounded down to what the device allows). */
    private static final int LINEAR_GROUP = 64;

    private final OpenCLDevice cl;
    private final String id;
    private final DeviceKind kind;
    private final String name;
    private final LinkedHashSet<com.aparapi.device.Device> allDevices;
    private final AparapiLog log;
    private final AtomicLong live = new AtomicLong();
    private final List<KernelHandle> handles = new ArrayList<>();
    private final int linearGroup;
    private final AparapiKernels raw;
    private final Kernels kernels;

    AparapiDevice(OpenCLDevice cl, int index, LinkedHashSet<com.aparapi.device.Device> allDevices, AparapiLog log) {
        this.cl = cl;
        this.id = AparapiBackendProvider.NAME + ":" + index;
        this.kind = kindOf(cl.getType());
        this.name = cl.getName().strip() + " (" + cl.getOpenCLPlatform().getName().strip() + ")";
        this.allDevices = allDevices;
        this.log = log;
        int max = Math.max(1, cl.getMaxWorkGroupSize());
        if (max < GemmKernel.TILE * GemmKernel.TILE) {
            throw new TesseraException(id + ": OpenCL device '" + name + "' allows work-groups of " + max + " items; Tessera's GEMM needs "
                    + GemmKernel.TILE * GemmKernel.TILE);
        }
        this.linearGroup = Math.min(LINEAR_GROUP, max);
        this.raw = new AparapiKernels(this);
        this.kernels = CheckedKernels.wrap(this, raw);
    }

    private static DeviceKind kindOf(com.aparapi.device.Device.TYPE type) {
        if (type == com.aparapi.device.Device.TYPE.GPU) {
            return DeviceKind.GPU;
        }
        if (type == com.aparapi.device.Device.TYPE.ACC) {
            return DeviceKind.ACCELERATOR;
        }
        return DeviceKind.CPU;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DeviceKind kind() {
        return kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long memoryBytes() {
        long global = cl.getGlobalMemSize();
        long heap = Runtime.getRuntime().maxMemory();
        return global > 0 ? Math.min(global, heap) : heap;
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public DeviceMemory allocate(DType dtype, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new TesseraException("device " + id + " cannot hold " + elements + " " + dtype + " elements in one Java array");
        }
        long bytes = elements * dtype.bytes();
        long maxAlloc = cl.getMaxMemAllocSize();
        if (maxAlloc > 0 && bytes > maxAlloc) {
            throw new TesseraException("device " + id + " cannot allocate " + elements + " " + dtype + " elements (" + (bytes >> 20)
                    + " MiB): its largest buffer is " + (maxAlloc >> 20) + " MiB");
        }
        try {
            return new AparapiMemory(dtype, (int) elements, live);
        } catch (OutOfMemoryError e) {
            throw new TesseraException("device " + id + " is out of memory allocating " + elements + " " + dtype + " elements ("
                    + (bytes >> 20) + " MiB) on the Java heap that backs it; raise -Xmx", e);
        }
    }

    @Override
    public long liveAllocations() {
        return live.get();
    }

    @Override
    public void synchronize() {
    }

    /** Wraps a kernel instance for this device; the device disposes it when the backend closes. */
    <K extends Kernel & Slotted> KernelHandle newHandle(K kernel) {
        KernelHandle handle = new KernelHandle(kernel, cl, id, allDevices, log);
        synchronized (handles) {
            handles.add(handle);
        }
        return handle;
    }

    /** A 1-D range of at least {@code n} work-items in whole work-groups. */
    Range linear(int n) {
        return Range.create(cl, roundUp(n, linearGroup), linearGroup);
    }

    /** A 2-D range of square {@code tile} work-groups covering {@code cols x rows}. */
    Range tiles(int cols, int rows, int tile) {
        return Range.create2D(cl, roundUp(cols, tile), roundUp(rows, tile), tile, tile);
    }

    /** A single work-item. */
    Range single() {
        return Range.create(cl, 1, 1);
    }

    private static int roundUp(int n, int multiple) {
        return (int) Math.min(Integer.MAX_VALUE, ((long) n + multiple - 1) / multiple * multiple);
    }

    /** The unchecked kernels behind {@link #kernels()}, for the module's own tests. */
    Kernels rawKernels() {
        return raw;
    }

    OpenCLDevice openCl() {
        return cl;
    }

    /** Disposes every kernel's OpenCL context; tensors of this device must not be used afterwards. */
    void close() {
        synchronized (handles) {
            for (KernelHandle h : handles) {
                h.dispose();
            }
            handles.clear();
        }
    }

    @Override
    public String toString() {
        return "Device[" + id + ", " + name + "]";
    }
}
