package org.example.heap;

import io.tessera.Backend;
import io.tessera.Device;
import io.tessera.reference.ReferenceDevice;
import io.tessera.spi.BackendProvider;

import java.util.List;

/**
 * Provider {@code heap}: one device, {@code heap:0}, whose memory is Java arrays and whose kernels are Tessera's
 * plain-Java reference kernels. A real backend returns its own {@link Device} here; everything else (the provider,
 * the module descriptor, the build, the conformance test) stays as in this sample.
 *
 * <p>Priority 100, below Tessera's CPU backends (300 for {@code cpu}, 200 and 150 for the OpenCL ones): the default
 * device is never this slow one, and {@code Devices.get("heap:0")} or {@code --device heap:0} picks it.
 */
public final class HeapBackendProvider implements BackendProvider {
    /** The backend's name, the prefix of its device ids. */
    public static final String NAME = "heap";

    /** Cheap, as the SPI asks: nothing is loaded before {@link #load()}. */
    public HeapBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Backend load() {
        Device device = new ReferenceDevice(NAME + ":0");
        return new Backend() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public List<Device> devices() {
                return List.of(device);
            }

            @Override
            public String details() {
                return "sample backend: Java arrays, reference kernels";
            }
        };
    }
}
