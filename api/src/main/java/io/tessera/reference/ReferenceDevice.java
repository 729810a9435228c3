package io.tessera.reference;

import io.tessera.DType;
import io.tessera.Device;
import io.tessera.DeviceKind;
import io.tessera.TesseraException;
import io.tessera.spi.CheckedKernels;
import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A plain-Java {@link Device}: memory is {@code float[]}/{@code int[]} on the heap, kernels are simple loops wrapped by
 * {@link CheckedKernels}. Each instance is a device of its own, so two instances are two devices.
 */
public final class ReferenceDevice implements Device {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]+(:[0-9]+)?");

    private final String id;
    private final AtomicLong live = new AtomicLong();
    private final Kernels kernels;

    /**
     * A device of its own with the given id.
     *
     * @param id the device id, lower-case letters, digits and dashes with an optional {@code :index}, e.g.
     *           {@code tck-reference:0}
     * @throws IllegalArgumentException if the id is not of that form
     */
    public ReferenceDevice(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid device id '" + id + "'");
        }
        this.id = id;
        this.kernels = CheckedKernels.wrap(this, new ReferenceKernels());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DeviceKind kind() {
        return DeviceKind.CPU;
    }

    @Override
    public String name() {
        return "Tessera reference device (plain Java)";
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
        if (elements < 0 || elements > Integer.MAX_VALUE - 8) {
            throw new TesseraException("device " + id + " cannot hold " + elements + " " + dtype + " elements in one array");
        }
        return new ReferenceMemory(dtype, (int) elements, live);
    }

    @Override
    public long liveAllocations() {
        return live.get();
    }

    @Override
    public void synchronize() {
    }

    @Override
    public String toString() {
        return "ReferenceDevice[" + id + "]";
    }
}
