package io.tessera;

import io.tessera.spi.DeviceMemory;
import io.tessera.spi.Kernels;

/** A device that only has an id and a kind: enough for discovery and selection. */
record FakeDevice(String id, DeviceKind kind) implements Device {

    @Override
    public String name() {
        return "fake " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }

    @Override
    public long memoryBytes() {
        return 1L << 30;
    }

    @Override
    public Kernels kernels() {
        throw new UnsupportedOperationException("fake device " + id + " has no kernels");
    }

    @Override
    public DeviceMemory allocate(DType dtype, long elements) {
        throw new UnsupportedOperationException("fake device " + id + " has no memory");
    }

    @Override
    public long liveAllocations() {
        return 0;
    }

    @Override
    public void synchronize() {
    }
}
