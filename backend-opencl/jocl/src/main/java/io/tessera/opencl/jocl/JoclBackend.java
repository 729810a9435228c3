package io.tessera.opencl.jocl;

import io.tessera.Backend;
import io.tessera.Device;

import java.util.List;

/**
 * The loaded {@code opencl-jocl} backend: one {@link JoclDevice} per usable OpenCL device, GPUs first. Thread-safe.
 * Closing releases every context; its devices and tensors must not be used afterwards.
 */
final class JoclBackend implements Backend {
    private final List<JoclDevice> devices;
    private final String details;

    JoclBackend(List<JoclDevice> devices, String details) {
        this.devices = List.copyOf(devices);
        this.details = details;
    }

    @Override
    public String name() {
        return JoclBackendProvider.NAME;
    }

    @Override
    public List<Device> devices() {
        return List.copyOf(devices);
    }

    @Override
    public String details() {
        return details;
    }

    @Override
    public void close() {
        for (JoclDevice d : devices) {
            d.context().close();
        }
    }
}
